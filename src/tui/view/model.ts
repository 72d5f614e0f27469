// The screen as data: which virtual routers show, in what order, which one is selected, what the
// header, the event log, the detail and the help say, and what each key does. Pure: the terminal
// edge (app.ts) feeds it snapshots and keys and paints the lines it returns; it reads no clock
// (time arrives in the snapshots) and touches no terminal.
import type { AnalysisEvent, EventSeverity, VridSnapshot } from '../../analysis/types.js';
import type { CaptureRecord } from '../../capture/types.js';
import { Ring } from './ring.js';
import { detailLines } from './detail.js';
import { clockText, fit, wrap } from './text.js';
import { buildRows, filterRows, matchesEvent, SORT_KEYS, sortRows, type Row, type SortKey } from './rows.js';
import { clipLine, eventLines, type Line, type Span } from './lines.js';
import { tableLines } from './table.js';
import { vridKey } from './packets.js';

export type { Line, Span } from './lines.js';

/** What is being watched, for the header. */
export interface SourceInfo {
  kind: 'live' | 'file';
  /** The interface, or the file's path. */
  name: string;
  /** The capture filter: null for the default one, '' for none (files). */
  filter: string | null;
  /** Replay speed of a file, 0 for as fast as possible; null when live. */
  speed: number | null;
  /** Where -w saves every frame, if anywhere. */
  savingTo: string | null;
}

export interface Counters {
  packets: number;
  vrrp: number;
  malformed: number;
  /** Kernel drops (libpcap ps_drop); null for a file. */
  dropped: number | null;
  /** Interface drops (ps_ifdrop); null for a file. */
  ifDropped: number | null;
}

/** One look at the watch: everything time-dependent comes in here, computed by the edge. */
export interface Snapshot {
  /** Now, in packet time (µs since the epoch): ages are measured against it. */
  nowUs: number;
  /** Since the watch started, wall clock. */
  runningSeconds: number;
  counters: Counters;
  vrids: readonly VridSnapshot[];
  /** Replays only: where the replay is, in capture time since its first packet. */
  replay: { elapsedSeconds: number; done: boolean } | null;
  /** The last advert of a router, when it is still kept. */
  packet(vridKey: string, router: string): CaptureRecord | undefined;
}

export type Pane = 'table' | 'detail' | 'help';
/** What the edge must do after a key: the view cannot quit, save or pause a replay by itself. */
export type Effect = 'quit' | 'save' | 'pause' | 'resume' | null;

export interface ViewState {
  pane: Pane;
  /** The selected row's key (see vridKey); null when there is no row. */
  selected: string | null;
  /** First table row shown, so the selection stays in view without jumping. */
  tableTop: number;
  detailTop: number;
  sort: SortKey;
  reverse: boolean;
  filter: string;
  /** The filter being typed after `/`, with the one to go back to on Escape. */
  editing: { before: string } | null;
  paused: boolean;
  /** A one-line notice in the footer (saved file, errors), until the next key. */
  notice: { text: string; severity: EventSeverity } | null;
}

export interface ScreenLines {
  header: Line[];
  body: Line[];
  footer: Line;
}

export interface ViewOptions {
  /** Events kept for the log (default 2000); older ones are counted only. */
  eventCapacity?: number;
}

const HEADER_LINES = 2;
const FOOTER_LINES = 1;
const DEFAULT_EVENT_CAPACITY = 2000;

const HELP: readonly (readonly [string, string])[] = [
  ['Up Down  k j', 'select a virtual router (scroll in the detail view)'],
  ['PgUp PgDn', 'a page up or down'],
  ['Home End  g G', 'first or last'],
  ['Enter', 'detail of the selected VRID: its routers and the last packet of each, field by field with hex'],
  ['Esc', 'back to the table (in the table: clear the filter)'],
  ['/', 'filter the table and the log: words that must all appear (VRID, address, status...); Enter keeps it, Esc cancels'],
  ['s  S', 'sort by the next key (VRID, status, age, master); S reverses the order'],
  ['p', 'pause the display (a live capture keeps analysing; a replay stops); p again resumes'],
  ['w', 'save the capture so far to a pcap file in the current directory'],
  ['?', 'this help (? or Esc closes it)'],
  ['q  Ctrl-C', 'quit'],
];

const HELP_NOTES: readonly string[] = [
  'Status colours: green ok; yellow warning (mismatches, conflicts, bad packets); red critical (master down, no master, split brain, a VIP claimed by another MAC, two address owners).',
  'AGE is the time since the last advert of the VRID (only masters advertise); ADV the advertised interval, MEAS the mean measured one.',
];

const FOOTER_KEYS: readonly (readonly [string, string])[] = [
  ['j/k', 'move'],
  ['Enter', 'detail'],
  ['/', 'filter'],
  ['s', 'sort'],
  ['p', 'pause'],
  ['w', 'save'],
  ['?', 'help'],
  ['q', 'quit'],
];

const SEVERITY_WORD: Readonly<Record<EventSeverity | 'ok', string>> = { ok: 'OK', info: 'OK', warning: 'WARNING', critical: 'CRITICAL' };

export class ViewModel {
  readonly events: Ring<AnalysisEvent>;
  state: ViewState = {
    pane: 'table',
    selected: null,
    tableTop: 0,
    detailTop: 0,
    sort: 'vrid',
    reverse: false,
    filter: '',
    editing: null,
    paused: false,
    notice: null,
  };
  private live: Snapshot | null = null;
  /** What the table, log and detail show while paused. */
  private frozen: { snap: Snapshot; events: number } | null = null;
  /** Body height and detail length of the last render, for page moves and scroll limits. */
  private pageRows = 10;
  private detailLength = 0;

  constructor(
    readonly source: SourceInfo,
    opts: ViewOptions = {},
  ) {
    this.events = new Ring(opts.eventCapacity ?? DEFAULT_EVENT_CAPACITY);
  }

  event(e: AnalysisEvent): void {
    this.events.push(e);
  }

  update(snap: Snapshot): void {
    this.live = snap;
  }

  notify(text: string, severity: EventSeverity = 'info'): void {
    this.state.notice = { text, severity };
  }

  private shown(): { snap: Snapshot | null; eventsBefore: number } {
    if (this.frozen !== null) return { snap: this.frozen.snap, eventsBefore: this.frozen.events };
    return { snap: this.live, eventsBefore: this.events.total };
  }

  /** The table rows as shown: filtered, sorted. */
  rows(): Row[] {
    const { snap } = this.shown();
    if (snap === null) return [];
    return sortRows(filterRows(buildRows(snap.vrids, snap.nowUs), this.state.filter), this.state.sort, this.state.reverse);
  }

  private selectedIndex(rows: Row[]): number {
    const i = rows.findIndex((r) => r.key === this.state.selected);
    return i;
  }

  /** Keeps the selection on a row that is shown: the same VRID when it still is, else the first. */
  private settle(rows: Row[]): number {
    let i = this.selectedIndex(rows);
    if (i < 0) i = rows.length > 0 ? 0 : -1;
    this.state.selected = i < 0 ? null : (rows[i] as Row).key;
    return i;
  }

  /** One key, named as blessed names them ('up', 'enter', 'C-c') or the character typed. */
  key(k: string): Effect {
    const s = this.state;
    s.notice = null;
    if (k === 'C-c') return 'quit';
    if (s.editing !== null) {
      this.editKey(k);
      return null;
    }
    if (k === 'q') return 'quit';
    if (k === '?' || k === 'f1') {
      s.pane = s.pane === 'help' ? 'table' : 'help';
      return null;
    }
    if (k === 'p') return this.togglePause();
    if (k === 'w') return 'save';
    switch (s.pane) {
      case 'help':
        if (k === 'escape' || k === 'enter') s.pane = 'table';
        return null;
      case 'detail':
        this.detailKey(k);
        return null;
      case 'table':
        this.tableKey(k);
        return null;
    }
  }

  private togglePause(): Effect {
    const s = this.state;
    s.paused = !s.paused;
    if (s.paused) {
      this.frozen = this.live === null ? null : { snap: this.live, events: this.events.total };
      return 'pause';
    }
    this.frozen = null;
    return 'resume';
  }

  private editKey(k: string): void {
    const s = this.state;
    const before = s.editing?.before ?? '';
    if (k === 'enter') s.editing = null;
    else if (k === 'escape') {
      s.filter = before;
      s.editing = null;
    } else if (k === 'backspace') s.filter = s.filter.slice(0, -1);
    else if (k === 'C-u') s.filter = '';
    else if (k === 'space') s.filter += ' ';
    else if (k.length === 1 && k >= ' ' && k !== '\x7f') s.filter += k;
    s.tableTop = 0;
  }

  private detailKey(k: string): void {
    const s = this.state;
    const page = Math.max(1, this.pageRows - 1);
    const last = Math.max(0, this.detailLength - this.pageRows);
    switch (k) {
      case 'escape': case 'enter': case 'backspace': case 'left': case 'h':
        s.pane = 'table';
        return;
      case 'up': case 'k': s.detailTop--; break;
      case 'down': case 'j': s.detailTop++; break;
      case 'pageup': s.detailTop -= page; break;
      case 'pagedown': case 'space': s.detailTop += page; break;
      case 'home': case 'g': s.detailTop = 0; break;
      case 'end': case 'G': s.detailTop = last; break;
      default: return;
    }
    s.detailTop = Math.max(0, Math.min(last, s.detailTop));
  }

  private tableKey(k: string): void {
    const s = this.state;
    const rows = this.rows();
    const i = this.settle(rows);
    const page = Math.max(1, this.pageRows);
    const moveTo = (j: number): void => {
      if (rows.length === 0) return;
      s.selected = (rows[Math.max(0, Math.min(rows.length - 1, j))] as Row).key;
    };
    switch (k) {
      case 'up': case 'k': moveTo(i - 1); break;
      case 'down': case 'j': moveTo(i + 1); break;
      case 'pageup': moveTo(i - page); break;
      case 'pagedown': moveTo(i + page); break;
      case 'home': case 'g': moveTo(0); break;
      case 'end': case 'G': moveTo(rows.length - 1); break;
      case 'enter': case 'right': case 'l':
        if (s.selected !== null) {
          s.pane = 'detail';
          s.detailTop = 0;
        }
        break;
      case '/':
        s.editing = { before: s.filter };
        break;
      case 'escape':
        s.filter = '';
        break;
      case 's':
        s.sort = SORT_KEYS[(SORT_KEYS.indexOf(s.sort) + 1) % SORT_KEYS.length] as SortKey;
        break;
      case 'S':
        s.reverse = !s.reverse;
        break;
      default:
        break;
    }
  }

  /** The whole screen as lines of styled text, exactly `width` by `height`. */
  render(width: number, height: number): ScreenLines {
    const bodyHeight = Math.max(0, height - HEADER_LINES - FOOTER_LINES);
    const header = this.header(width);
    let body: Line[];
    switch (this.state.pane) {
      case 'help':
        body = this.help(width);
        break;
      case 'detail':
        body = this.detail(width, bodyHeight);
        break;
      case 'table':
        body = this.tableAndLog(width, bodyHeight);
        break;
    }
    while (body.length < bodyHeight) body.push([]);
    return { header, body: body.slice(0, bodyHeight), footer: this.footer(width) };
  }

  private header(width: number): Line[] {
    const src = this.source;
    const snap = this.live;
    const what = src.kind === 'live' ? `live ${src.name}` : `file ${src.name}`;
    const filter = src.filter === null ? 'default (VRRP, ARP, ND; VLANs)' : src.filter === '' ? (src.kind === 'file' ? '-' : 'none') : src.filter;
    let left = `vrrpwatch  ${what}  filter: ${filter}`;
    if (src.savingTo !== null) left += `  saving to ${src.savingTo}`;
    let right: string;
    if (snap === null) right = 'starting';
    else if (snap.replay !== null) {
      const speed = src.speed === 0 ? 'instant' : `x${src.speed ?? 1}`;
      right = `${snap.replay.done ? 'replayed' : 'replay'} ${speed}  ${clockText(snap.replay.elapsedSeconds)}`;
    } else right = `up ${clockText(snap.runningSeconds)}`;
    const line1: Line = [{ text: fit(left, Math.max(0, width - right.length - 1)), style: 'title' }, { text: ` ${right}`.slice(0, width), style: 'title' }];

    const line2: Span[] = [];
    if (snap !== null) {
      const c = snap.counters;
      line2.push({ text: `packets ${c.packets} (VRRP ${c.vrrp}${c.malformed > 0 ? `, malformed ${c.malformed}` : ''})  ` });
      if (c.dropped === null) line2.push({ text: 'drops -  ' });
      else {
        const drops = c.dropped + (c.ifDropped ?? 0);
        line2.push({ text: `drops ${c.dropped}${c.ifDropped ? ` (+${c.ifDropped} by the interface)` : ''}`, style: drops > 0 ? 'warning' : undefined }, { text: '  ' });
      }
      const rows = buildRows(snap.vrids, snap.nowUs);
      line2.push({ text: `VRIDs ${rows.length}  worst: ` });
      const worst = worstRow(rows);
      if (worst === null) line2.push({ text: 'OK', style: 'ok' });
      else {
        const more = rows.filter((r) => r.severity !== 'ok').length - 1;
        line2.push({ text: `${SEVERITY_WORD[worst.severity]} ${worst.vrid.status} on VRID ${worst.vrid.vrid}${more > 0 ? ` (+${more} more)` : ''}`, style: worst.severity });
      }
    }
    if (this.state.paused) line2.push({ text: '  PAUSED', style: 'warning' });
    if (this.state.filter !== '' && this.state.editing === null) line2.push({ text: `  filter "${this.state.filter}"` });
    return [line1, clipLine(line2, width)];
  }

  private tableAndLog(width: number, height: number): Line[] {
    const { snap, eventsBefore } = this.shown();
    const rows = this.rows();
    const sel = this.settle(rows);
    const s = this.state;
    // The table takes what it needs up to 60% of the body; the log takes the rest.
    const tableMax = Math.max(1, Math.floor((height - 3) * 0.6));
    const tableRows = Math.min(Math.max(1, rows.length), tableMax);
    const logRows = Math.max(0, height - 3 - tableRows);
    this.pageRows = tableRows;
    if (sel >= 0) {
      if (sel < s.tableTop) s.tableTop = sel;
      if (sel >= s.tableTop + tableRows) s.tableTop = sel - tableRows + 1;
    }
    s.tableTop = Math.max(0, Math.min(s.tableTop, rows.length - tableRows));

    const out: Line[] = [];
    const total = snap === null ? 0 : snap.vrids.length;
    const count = rows.length === total ? `${total}` : `${rows.length} of ${total}`;
    const order = `sorted by ${s.sort}${s.reverse ? ', reversed' : ''}`;
    out.push([{ text: fit(`Virtual routers (${count}), ${order}`, width), style: 'section' }]);
    const table = tableLines(rows, width);
    out.push(table.header);
    if (rows.length === 0) {
      const why = total === 0 ? (snap === null ? 'Starting...' : 'No VRRP advert seen yet.') : 'No virtual router matches the filter (Esc clears it).';
      out.push([{ text: fit(why, width), style: 'dim' }]);
    }
    for (let i = s.tableTop; i < Math.min(rows.length, s.tableTop + tableRows); i++) {
      const line = table.rows[i] as Line;
      out.push(i === sel ? line.map((x) => ({ ...x, inverse: true })) : line);
    }
    while (out.length < 2 + tableRows) out.push([]);

    const matches = (e: AnalysisEvent): boolean => matchesEvent(e, s.filter);
    const kept = this.events.newest(logRows, eventsBefore, matches);
    const n = Math.min(eventsBefore, this.events.total);
    const forgotten = this.events.forgotten > 0 ? `, ${this.events.size} kept` : '';
    // The count follows the filter, as the table's does: "3 of 120" (only kept events can match).
    const counted = s.filter === '' ? `${n}${forgotten}` : `${this.events.count(eventsBefore, matches)} of ${n}${forgotten}`;
    out.push([{ text: fit(`Events (${counted}), newest last, UTC`, width), style: 'section' }]);
    if (kept.length === 0 && logRows > 0) out.push([{ text: fit(s.filter === '' ? 'No event yet.' : 'No event matches the filter.', width), style: 'dim' }]);
    // Whole sentences, newest at the bottom: the oldest lines give way when there is no room.
    const log: Line[] = [];
    for (const e of kept) log.push(...eventLines(e, width));
    out.push(...log.slice(-logRows));
    return out;
  }

  private detail(width: number, height: number): Line[] {
    const { snap, eventsBefore } = this.shown();
    const row = snap === null ? undefined : buildRows(snap.vrids, snap.nowUs).find((r) => r.key === this.state.selected);
    this.pageRows = height;
    if (snap === null || row === undefined) {
      this.detailLength = 1;
      return [[{ text: fit('This virtual router is no longer tracked (Esc goes back).', width), style: 'dim' }]];
    }
    const events = this.events.newest(this.events.capacity, eventsBefore, (e) => e.vrid !== null && e.family !== null && vridKey(e.segment, e.family, e.vrid) === row.key);
    const lines = detailLines(row.vrid, snap.nowUs, events, (router) => snap.packet(row.key, router), width);
    this.detailLength = lines.length;
    const last = Math.max(0, lines.length - height);
    this.state.detailTop = Math.max(0, Math.min(this.state.detailTop, last));
    return lines.slice(this.state.detailTop, this.state.detailTop + height);
  }

  private help(width: number): Line[] {
    const out: Line[] = [[{ text: fit('Keys', width), style: 'section' }]];
    const keyWidth = Math.max(...HELP.map(([k]) => k.length)) + 2;
    for (const [k, what] of HELP) {
      const [first = '', ...rest] = wrap(what, Math.max(10, width - keyWidth - 2));
      out.push([{ text: fit(`  ${k}`, keyWidth + 2), style: 'key' }, { text: first }]);
      for (const more of rest) out.push([{ text: `${' '.repeat(keyWidth + 2)}${more}` }]);
    }
    out.push([]);
    for (const note of HELP_NOTES) for (const l of wrap(note, width, '  ')) out.push([{ text: l, style: 'dim' }]);
    return out.map((l) => clipLine(l, width));
  }

  private footer(width: number): Line {
    const s = this.state;
    if (s.editing !== null) {
      const hint = '  (Enter keeps, Esc cancels)';
      return clipLine([{ text: '/', style: 'key' }, { text: s.filter }, { text: '_', inverse: true }, { text: hint, style: 'dim' }], width);
    }
    if (s.notice !== null) return [{ text: fit(s.notice.text, width), style: s.notice.severity === 'info' ? undefined : s.notice.severity }];
    const spans: Span[] = [];
    const keys = s.pane === 'detail' ? [['j/k', 'scroll'], ['Esc', 'back'], ...FOOTER_KEYS.slice(4)] : FOOTER_KEYS;
    for (const [k, what] of keys) spans.push({ text: k as string, style: 'key' }, { text: ` ${what}  ` });
    return clipLine(spans, width);
  }
}

function worstRow(rows: readonly Row[]): Row | null {
  let worst: Row | null = null;
  for (const r of rows) {
    if (r.severity === 'ok') continue;
    if (worst === null || (r.severity === 'critical' && worst.severity !== 'critical')) worst = r;
  }
  return worst;
}
