// Captured frames in, analysis out: the frame memo in front of decodeFrame and the tracker, the
// packet counts, and the events kept for a report. Pure: the caller reads the capture.
//
// Where capture time is judged (the one place; the tracker then never lets its clock move back):
// - A frame stamped before the frame before it ("behind": captures merged, a clock stepped back)
//   counts as captured at the latest time seen, so no router's last advert moves back and no
//   interval or gap is negative.
// - A frame stamped well after the clock, past a timer that would fire (a master-down), is held
//   until the next frame says which it is: if the next one is older, the held frame's stamp was
//   wrong ("ahead") and it counts as captured at the clock, so it fakes no silence; if not, time
//   really moved and it counts at its stamp. The end of the input, or a tick past it, lets it go
//   at its stamp. Each is an `out-of-order` event naming the frame and by how much, summed up
//   like any flood of events past 50 in 20 s (flood.ts), and counted in packets.outOfOrder.

import type { PacketVisitor } from '../capture/parser.js';
import { advertInPlace, readAdvertInPlace } from '../decode/advert-in-place.js';
import { FrameCounter } from '../decode/counter.js';
import { decodeFrame } from '../decode/frame.js';
import { FrameMemo } from '../decode/frame-memo.js';
import { TimelineRecorder, type Timeline, type TimelineLimits } from './timeline.js';
import { Tracker } from './tracker.js';
import type { RouterState } from './state.js';
import type { DiscardReason } from '../rules/receive.js';
import { fromMicros, microsOf } from '../time/timestamp.js';
import { severityRank, type AnalysisEvent, type EventSeverity, type Evictions, type Limits, type OpenCondition, type VridSnapshot } from './types.js';

export interface AnalyzerOptions {
  /**
   * Replay repeated adverts without decoding them, and turn away a flood's newcomers read in place
   * (default true). Off, every frame is decoded.
   */
  fastPath?: boolean;
  limits?: Partial<Limits>;
  /** Events kept for the report; later ones are counted by type, not kept (default 10,000). */
  maxEvents?: number;
  /** Also receives every event as it happens (a live view). */
  onEvent?: (e: AnalysisEvent) => void;
  /** Record who was master when (the report's timeline); off by default. */
  timeline?: boolean | Partial<TimelineLimits>;
}

export interface PacketCounts {
  total: number;
  vrrp: number;
  malformed: number;
  /** Frames stamped out of order (see above): behind the frame before, or ahead of the frame after. */
  outOfOrder: number;
}

/** A jump of the clock smaller than this is taken as it comes: captures are dense, and no stamp is exact. */
const JUMP_US = 200_000;
/**
 * Frames behind by less than this are counted but not told: a capture on a multi-queue NIC
 * stamps frames on several CPUs, a few microseconds out of order.
 */
const TOLD_US = 1000;

/**
 * Whether the advert just decoded for `r` is worth remembering in the frame memo. A router's first
 * advert is, only in a virtual router of one or two (a master and its backup, as healthy segments
 * have them), where it is sure to repeat: a flood's senders, which fill virtual routers, advertise
 * once, and remembering each would cost a copy of the frame and crowd the slots that every later
 * frame of the flood probes. Any other router's is, from its second advert.
 */
function worthRemembering(r: RouterState): boolean {
  return r.packets >= 2 || r.vrid.routers.size <= 2;
}

/** A frame held until the next one shows whether its stamp jumped (a copy: the parser reuses its buffers). */
interface Held {
  data: Uint8Array;
  timeUs: number;
  linkType: number;
  interfaceName: string | null;
  frame: number;
}

export interface Analysis {
  packets: PacketCounts;
  vrids: VridSnapshot[];
  events: AnalysisEvent[];
  /** Events beyond maxEvents: counted in the severities, not kept. */
  droppedEvents: number;
  /** The same, by event type (absent where a caller keeps its own history). */
  droppedEventsByType?: Record<string, number>;
  severities: Record<EventSeverity, number>;
  /** The most severe event seen, null when there was none. */
  worst: EventSeverity | null;
  evictions: Evictions;
  /** Conditions still open at the end of the input, with how long they have held. */
  openConditions: OpenCondition[];
  /** Adverts routers drop (RFC 3768/5798 7.1, src/rules/receive.ts), by reason: never elected. */
  discarded: Record<DiscardReason, number>;
}

/**
 * Events a report keeps: the first ones, which tell how trouble began; a flood's later events are
 * counted by type. 10,000 events are a few MB of JSON, and more than a person reads.
 */
export const DEFAULT_MAX_EVENTS = 10_000;

export class Analyzer {
  readonly tracker: Tracker;
  readonly counter = new FrameCounter();
  private readonly memo: FrameMemo<RouterState> | null;
  private readonly events: AnalysisEvent[] = [];
  private readonly maxEvents: number;
  private dropped = 0;
  private readonly droppedByType: Record<string, number> = {};
  private readonly severities: Record<EventSeverity, number> = { info: 0, warning: 0, critical: 0 };
  private worst: EventSeverity | null = null;
  private readonly recorder: TimelineRecorder | null;
  private outOfOrder = 0;
  private held: Held | null = null;
  /**
   * The latest stamp of a frame taken at its stamp. Frames are judged against it, not against the
   * clock: a live watch's ticks move the clock to the real time, ahead of frames still on their way.
   */
  private lastFrameUs = -Infinity;
  /**
   * Up to when a frame in order is surely no jump: JUMP_US past the last frame judge() let through
   * (the clock is no earlier). -Infinity while a frame is held, and before the first.
   */
  private fastCeilUs = -Infinity;
  /** Where an advert is read in place (miss()). */
  private readonly inPlace = advertInPlace();

  constructor(opts: AnalyzerOptions = {}) {
    this.maxEvents = opts.maxEvents ?? DEFAULT_MAX_EVENTS;
    const recorder = opts.timeline === undefined || opts.timeline === false ? null : new TimelineRecorder(opts.timeline === true ? {} : opts.timeline);
    this.recorder = recorder;
    const listener = opts.onEvent;
    const memo = opts.fastPath === false ? null : new FrameMemo<RouterState>();
    this.memo = memo;
    this.tracker = new Tracker({
      limits: opts.limits,
      ...(memo === null ? {} : { onForget: (r) => memo.forget(r) }),
      ...(recorder === null ? {} : { timeline: recorder }),
      onEvent: (e) => {
        this.severities[e.severity]++;
        if (this.worst === null || severityRank(e.severity) > severityRank(this.worst)) this.worst = e.severity;
        if (this.events.length < this.maxEvents) this.events.push(e);
        else {
          this.dropped++;
          this.droppedByType[e.type] = (this.droppedByType[e.type] ?? 0) + 1;
        }
        recorder?.event(e);
        listener?.(e);
      },
    });
  }

  /** One captured frame at `timeUs` (whole microseconds); `data` is only read during the call. */
  frame(linkType: number, data: Uint8Array, timeUs: number, interfaceName: string | null): void {
    const ts = fromMicros(timeUs);
    this.packet(data, 0, data.length, ts.tsSec, ts.tsNsec, linkType, 0, interfaceName, data.length);
  }

  /**
   * One packet as CaptureParser.visiting() hands it over: the frame is `bytes[offset, offset +
   * length)`, read in place during the call only. Bound, so that the parser calls it directly.
   */
  readonly packet: PacketVisitor = (bytes, offset, length, tsSec, tsNsec, linkType, _interfaceId, interfaceName) => {
    const timeUs = microsOf(tsSec, tsNsec);
    // Nearly every frame: in order, and no jump (nothing held: fastCeilUs is -Infinity while one
    // is). Any other is judged, and taken at its stamp unless it is held.
    if (timeUs >= this.lastFrameUs && timeUs <= this.fastCeilUs) this.lastFrameUs = timeUs;
    else if (!this.judge(bytes, offset, length, tsSec, tsNsec, linkType, interfaceName)) return;
    // The memo, in line: nearly every frame is a repeat, and until the JIT has optimised the
    // path, each call on it costs more than the work it does. What is called from here gets the
    // time as the two small integers: a number that is not one would be boxed at every call the
    // JIT does not take in.
    const memo = this.memo;
    if (memo !== null) {
      // Ethernet, nearly every capture, has its own way into the memo.
      const r = linkType === 1 ? memo.matchEthernet(bytes, offset, length, interfaceName) : memo.match(linkType, bytes, offset, length, interfaceName);
      if (r !== null && this.tracker.repeat(r, tsSec, tsNsec)) {
        // What count() does for a complete VRRP advert, the only kind the memo remembers.
        this.counter.frames++;
        this.counter.vrrp++;
        return;
      }
    }
    this.miss(bytes, offset, length, tsSec, tsNsec, linkType, interfaceName);
  };

  /** A frame off the common path (see the top of the file); false when it is held. */
  private judge(bytes: Uint8Array, offset: number, length: number, tsSec: number, tsNsec: number, linkType: number, interfaceName: string | null): boolean {
    const timeUs = microsOf(tsSec, tsNsec);
    // Its number in the input: every frame before it was taken (and counted) or is held.
    const frameNo = this.counter.frames + (this.held === null ? 1 : 2);
    if (this.held !== null) this.settle(timeUs);
    if (timeUs < this.lastFrameUs) {
      this.late(frameNo, this.lastFrameUs - timeUs, 'behind', interfaceName);
      return true;
    }
    if (timeUs - this.tracker.nowMicros > JUMP_US && this.tracker.timerDueBefore(timeUs)) {
      this.held = { data: bytes.slice(offset, offset + length), timeUs, linkType, interfaceName, frame: frameNo };
      this.fastCeilUs = -Infinity;
      return false;
    }
    this.lastFrameUs = timeUs;
    this.fastCeilUs = timeUs + JUMP_US;
    return true;
  }

  /** The latest capture time seen, a held frame's included (the end of a capture). */
  get nowMicros(): number {
    return this.held === null ? this.tracker.nowMicros : Math.max(this.held.timeUs, this.tracker.nowMicros);
  }

  /**
   * Lets the held frame go: at the clock, as a frame stamped ahead, when `nextUs` (the next
   * frame's time) falls between the clock and its stamp; else at its stamp (null: nothing follows).
   */
  private settle(nextUs: number | null): void {
    const h = this.held as Held;
    this.held = null;
    let timeUs = h.timeUs;
    // The next frame between the clock and the held stamp: the held stamp jumped. Older than the
    // clock too, the next frame is the one out of order (it is judged as it comes).
    if (nextUs !== null && h.timeUs - nextUs > JUMP_US && nextUs >= this.tracker.nowMicros) {
      this.late(h.frame, h.timeUs - nextUs, 'ahead', h.interfaceName);
      timeUs = this.tracker.nowMicros;
    } else {
      this.lastFrameUs = h.timeUs;
    }
    const ts = fromMicros(timeUs);
    // Decoded: a held frame is rare, and the memo would tell nothing more.
    this.miss(h.data, 0, h.data.length, ts.tsSec, ts.tsNsec, h.linkType, h.interfaceName);
  }

  private late(frame: number, byUs: number, direction: 'behind' | 'ahead', interfaceName: string | null): void {
    this.outOfOrder++;
    if (byUs >= TOLD_US) this.tracker.outOfOrder(frame, byUs, direction, interfaceName);
  }

  /** A frame the memo does not replay, or one held: turned away read in place, else decoded. */
  private miss(bytes: Uint8Array, offset: number, length: number, tsSec: number, tsNsec: number, linkType: number, interfaceName: string | null): void {
    const memo = this.memo;
    // A flood's advert, from a router new to a virtual router that turns it away, changes
    // nothing but counts: it is read in place, not decoded (once a virtual router is full).
    if (memo !== null && linkType === 1 && this.tracker.mayTurnAway && readAdvertInPlace(bytes, offset, length, this.inPlace) && this.tracker.turnAway(this.inPlace, tsSec, tsNsec, interfaceName)) {
      this.counter.frames++;
      this.counter.vrrp++;
      memo.remember(linkType, bytes, offset, length, interfaceName, null); // as decode() would
      return;
    }
    this.decode(linkType, bytes, offset, length, tsSec, tsNsec, interfaceName);
  }

  /** The slow path: decode the frame in full, track it, and remember it for the memo. */
  private decode(linkType: number, bytes: Uint8Array, offset: number, length: number, tsSec: number, tsNsec: number, interfaceName: string | null): void {
    const timeUs = microsOf(tsSec, tsNsec);
    const data = offset === 0 && length === bytes.length ? bytes : bytes.subarray(offset, offset + length);
    const f = decodeFrame(linkType, data);
    this.counter.count(f);
    const r = this.tracker.frame(f, timeUs, interfaceName);
    this.memo?.remember(linkType, bytes, offset, length, interfaceName, r !== null && worthRemembering(r) ? r : null);
  }

  /** Advance time with no frame (a live capture that has gone quiet). */
  tick(timeUs: number): void {
    // Time passed the held frame with nothing older arriving: its stamp stands.
    if (this.held !== null && timeUs > this.held.timeUs) this.settle(null);
    this.tracker.tick(timeUs);
  }

  /**
   * Who was master when, so far (null unless the `timeline` option is on). Call after result(),
   * with the same `endUs`, so that silences reaching the end are counted in both.
   */
  timeline(endUs?: number): Timeline | null {
    return this.recorder?.result(endUs) ?? null;
  }

  /** The analysis so far; `endUs` (the capture's end) lets silences that reach it count. */
  result(endUs?: number): Analysis {
    if (endUs !== undefined) {
      if (this.held !== null) this.settle(null); // the input ended: nothing says its stamp is wrong
      this.tracker.tick(endUs);
      this.tracker.floodSummary(true); // the capture ended: its last window too
    }
    return {
      packets: { total: this.counter.frames, vrrp: this.counter.vrrp, malformed: this.counter.malformed, outOfOrder: this.outOfOrder },
      vrids: this.tracker.snapshot(),
      events: [...this.events],
      droppedEvents: this.dropped,
      droppedEventsByType: { ...this.droppedByType },
      severities: { ...this.severities },
      worst: this.worst,
      evictions: { ...this.tracker.evictions },
      openConditions: this.tracker.openConditions(),
      discarded: { ...this.tracker.discarded },
    };
  }
}
