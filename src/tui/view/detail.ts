// The detail view of one virtual router: its state, its routers, the last packet of each field by
// field with hex, and its events. Pure: snapshot, time and kept packets in, lines out.
import { interval, segmentText } from '../../analysis/messages.js';
import { authText } from '../../format/auth.js';
import type { AnalysisEvent, RouterSnapshot, VridSnapshot } from '../../analysis/types.js';
import type { CaptureRecord } from '../../capture/types.js';
import { decodeFrame } from '../../decode/frame.js';
import { validateVrrp } from '../../decode/validate.js';
import { hexDump, PacketFormatter } from '../../format/packet.js';
import { clockOf } from '../../analysis/event-line.js';
import { clipLine, eventLines, severityStyle, type Line } from './lines.js';
import { statusSeverity } from './rows.js';
import { stripLines } from './strip.js';
import { ageText, clip, fit, wrap } from './text.js';

const formatter = new PacketFormatter();

function plain(text: string, width: number, style?: Line[number]['style']): Line {
  return [{ text: clip(text, width), style }];
}

function measuredText(r: RouterSnapshot): string {
  const m = r.measured;
  if (m === null) return '-';
  return `${m.minSeconds.toFixed(3)}/${m.meanSeconds.toFixed(3)}/${m.maxSeconds.toFixed(3)} s (${m.count})`;
}

/** The packet as the decode command's -v and -x show it, indented. */
function packetLines(rec: CaptureRecord, width: number): Line[] {
  const f = decodeFrame(rec.linkType, rec.data);
  if (f.kind !== 'vrrp') return [plain('    (the kept frame no longer decodes as VRRP)', width, 'dim')];
  const text = formatter.verbose(rec, f, validateVrrp(f)) + hexDump(rec.data).replaceAll('\t', '  ');
  return text.trimEnd().split('\n').map((l) => plain(`  ${l}`, width));
}

export function detailLines(
  v: VridSnapshot,
  nowUs: number,
  events: readonly AnalysisEvent[],
  packetOf: (router: string) => CaptureRecord | undefined,
  width: number,
): Line[] {
  const out: Line[] = [];
  const where = segmentText(v.segment);
  const title = `VRID ${v.vrid}${where === '' ? '' : ` on ${where}`} (${v.family === 'ipv4' ? 'IPv4' : 'IPv6'}), VRRPv${v.version}`;
  out.push([
    { text: clip(`${title}: `, width), style: 'section' },
    { text: clip(v.conditions.length === 0 ? 'ok' : v.conditions.join(', '), Math.max(0, width - title.length - 2)), style: severityStyle(statusSeverity(v.status)) },
  ]);
  const lead = v.routers[0];
  const vips = lead === undefined || lead.vips.length === 0 ? 'none' : lead.vips.join(', ');
  for (const l of wrap(`Master ${v.master ?? 'none'}; VIPs ${vips}; auth ${lead === undefined ? '-' : authText(lead.authType, lead.authData)}`, width, '  ')) out.push(plain(l, width));
  out.push([]);
  out.push(...stripLines(v, events, nowUs, width));
  out.push([]);

  out.push(plain(`Routers (${v.routers.length}), master first`, width, 'section'));
  const head = ['ROUTER', 'MAC', 'PRIO', 'ADV', 'MEASURED min/mean/max', 'PACKETS', 'LAST SEEN', 'AGE'];
  const rows = v.routers.map((r) => [
    r.address === v.master ? `${r.address} *` : r.address,
    r.mac ?? '-',
    String(r.priority),
    interval(r.advertIntervalCs),
    measuredText(r),
    String(r.packets),
    clockOf(r.lastSeenUs),
    ageText(nowUs - r.lastSeenUs),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const row = (cells: string[]): string => `  ${cells.map((c, i) => fit(c, widths[i] as number)).join('  ')}`.trimEnd();
  out.push(plain(row(head), width, 'heading'));
  for (const r of rows) out.push(plain(row(r), width));

  for (const r of v.routers) {
    out.push([]);
    const rec = packetOf(r.address);
    out.push(plain(`Last packet from ${r.address}`, width, 'section'));
    if (rec === undefined) out.push(plain('  not kept (seen before the watch kept packets, or forgotten to stay within limits)', width, 'dim'));
    else out.push(...packetLines(rec, width));
  }

  out.push([]);
  out.push(plain(`Events of this virtual router (${events.length}), newest last, UTC`, width, 'section'));
  if (events.length === 0) out.push(plain('  none kept', width, 'dim'));
  for (const e of events) out.push(...eventLines(e, width, '  '));
  return out.map((l) => clipLine(l, width));
}
