// The plugin's text, per the Monitoring Plugins guidelines: the first line carries the state, the
// worst problem and the perfdata ("VRRP CRITICAL - split brain on VRID 51: … | 'vrids'=1 …"),
// then one line per virtual router; -v adds the analyzer's own sentences. Pure: strings out.
import type { Analysis } from '../analysis/analyzer.js';
import { eventLine } from '../analysis/event-line.js';
import { formatPerfList } from './perfdata.js';
import type { Verdict } from './verdict.js';

/** The first line without its perfdata: "VRRP CRITICAL - split brain on VRID 51: …". */
export function verdictLine(v: Verdict): string {
  return `VRRP ${v.state} - ${v.summary}`;
}

export function verdictText(v: Verdict, extra: readonly string[] = []): string {
  return [`${verdictLine(v)} | ${formatPerfList(v.perf)}`, ...v.lines, ...extra].join('\n') + '\n';
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
