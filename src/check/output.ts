// The plugin's text, per the Monitoring Plugins guidelines: the first line carries the state, the
// worst problem and the perfdata ("VRRP CRITICAL - split brain on VRID 51: … | 'vrids'=1 …"),
// then one line per virtual router; -v adds the analyzer's own sentences. Pure: strings out.
import type { Analysis } from '../analysis/analyzer.js';
import { eventLine } from '../analysis/event-line.js';
import { utf8Length } from '../format/utf8.js';
import { formatPerfList } from './perfdata.js';
import type { Verdict } from './verdict.js';

/** The first line without its perfdata: "VRRP CRITICAL - split brain on VRID 51: …". */
export function verdictLine(v: Verdict): string {
  return `VRRP ${v.state} - ${v.summary}`;
}

/**
 * Nagios keeps 8 KB of a plugin's output (4 KB in older versions); a flood of 255 VRIDs made 2 MB.
 * The first line is whole; the lines after it are cut to MAX_LINE characters and stop at
 * MAX_OUTPUT bytes in all, the rest counted in a last line.
 */
export const MAX_OUTPUT = 4096;
export const MAX_LINE = 512;

export function verdictText(v: Verdict, extra: readonly string[] = []): string {
  return bounded(`${verdictLine(v)} | ${formatPerfList(v.perf)}`, [...v.lines, ...extra]);
}

function bounded(first: string, rest: readonly string[]): string {
  let out = `${first}\n`;
  let bytes = utf8Length(out);
  for (let i = 0; i < rest.length; i++) {
    const full = rest[i] as string;
    const line = full.length > MAX_LINE ? `${full.slice(0, MAX_LINE - 1)}…` : full;
    const n = utf8Length(line) + 1;
    // Room is kept for the last line that says how many more there are.
    if (bytes + n > MAX_OUTPUT - 100 && i < rest.length - 1) {
      return `${out}... and ${rest.length - i} more lines (vrrpwatch analyze on the same capture shows them all)\n`;
    }
    out += `${line}\n`;
    bytes += n;
  }
  return out;
}

/** No verdict: bad options, no capture, a timeout. `sentence` says what failed and what to do. */
export function unknownText(sentence: string, extra: readonly string[] = []): string {
  return [`VRRP UNKNOWN - ${sentence}`, ...extra].join('\n') + '\n';
}

/**
 * What -v adds: at 1, the events that are problems (and their ends); at 2 and more, every event.
 * These are the analyzer's full sentences, passwords of an auth mismatch included.
 */
export function eventLines(a: Analysis, verbose: number): string[] {
  if (verbose < 1) return [];
  const out: string[] = [];
  for (const e of a.events) {
    if (verbose < 2 && e.severity === 'info' && !e.type.endsWith('-end')) continue;
    out.push(eventLine(e).trimEnd());
  }
  if (a.droppedEvents > 0) out.push(`... and ${a.droppedEvents} more events, not kept`);
  return out;
}

/** What -vvv adds: every router as the analyzer last saw it. */
export function routerLines(a: Analysis): string[] {
  const out: string[] = [];
  for (const v of a.vrids) {
    for (const r of v.routers) {
      const m = r.measured;
      const measured = m === null ? '' : `, measured ${m.minSeconds.toFixed(3)}/${m.meanSeconds.toFixed(3)}/${m.maxSeconds.toFixed(3)} s`;
      out.push(`VRID ${v.vrid}${v.family === 'ipv6' ? ' (IPv6)' : ''} router ${r.address} ${r.mac ?? '-'} v${r.version} prio ${r.priority} ` +
        `every ${r.advertIntervalCs / 100} s, ${r.packets} adverts${measured}, TTL ${r.ttl}, VIPs ${r.vips.join(' ') || '-'}`);
    }
  }
  return out;
}
