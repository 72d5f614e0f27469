// The view model, with no terminal: rows and their cells, sorting, filtering, selection, the
// detail view, pause, keys and their effects, and the whole screen as text.
import { describe, expect, it } from 'vitest';
import { lineText } from '../../../src/tui/view/lines.js';
import { ViewModel } from '../../../src/tui/view/model.js';
import { buildRows, filterRows, sortRows, statusSeverity } from '../../../src/tui/view/rows.js';
import { event, LIVE, router, snapshot, T0_US, vrid } from '../fixtures.js';
import { expectGolden } from '../golden.js';

const pair = vrid(51, {
  routers: [
    router('192.0.2.11', { priority: 150, authType: 1, authData: 'secret' }),
    router('192.0.2.12', { priority: 100, lastSeenUs: T0_US + 2_000_000, measured: null }),
  ],
});
const down = vrid(52, { status: 'master-down', conditions: ['master-down', 'interval-mismatch'], routers: [router('192.0.2.21', { lastSeenUs: T0_US })] });
const mismatch = vrid(53, { status: 'auth-mismatch', conditions: ['auth-mismatch'], routers: [router('192.0.2.9', { lastSeenUs: T0_US + 5_000_000 })] });
const v6 = vrid(61, { family: 'ipv6', version: 3, master: 'fe80::1', routers: [router('fe80::1', { version: 3, authType: null, advertIntervalCs: 50, vips: ['fe80::100'] })] });
const all = [pair, down, mismatch, v6];

function model(vrids = all, over = {}): ViewModel {
  const m = new ViewModel(LIVE);
  m.update(snapshot(vrids, over));
  return m;
}

function screen(m: ViewModel, width = 100, height = 24): string {
  const s = m.render(width, height);
  return [...s.header, ...s.body, s.footer].map((l) => lineText(l).trimEnd()).join('\n');
}

const keys = (m: ViewModel, ...ks: string[]) => ks.map((k) => m.key(k));

describe('rows', () => {
  it('has the cells of the issue: master, priority, others, advertised and measured interval, VIPs, auth, age, status', () => {
    const [r] = buildRows([pair], T0_US + 10_000_000);
    expect(r).toMatchObject({
      vridText: '51',
      version: 'v2',
      master: '192.0.2.11',
      priority: '150',
      others: '192.0.2.12 (100)',
      advertised: '1s',
      measured: '1.00s',
      vips: '192.0.2.100',
      auth: 'password "secret"',
      status: 'ok',
      severity: 'ok',
    });
    // Since the newest advert of any router.
    expect(r?.ageUs).toBe(1_000_000);
  });

  it('shows the worst condition and how many more', () => {
    const [r] = buildRows([down], T0_US);
    expect(r?.status).toBe('master-down +1');
    expect(r?.severity).toBe('critical');
  });

  it('maps every status to a severity', () => {
    expect(statusSeverity('split-brain')).toBe('critical');
    expect(statusSeverity('no-master')).toBe('critical');
    expect(statusSeverity('vip-arp-conflict')).toBe('critical');
    expect(statusSeverity('bad-ttl')).toBe('warning');
    expect(statusSeverity('ok')).toBe('ok');
  });

  it('sorts by VRID, status (worst first), age (most silent first) and master (numeric), stable, reversible', () => {
    const rows = buildRows(all, T0_US + 10_000_000);
    const ids = (rs: typeof rows) => rs.map((r) => r.vrid.vrid);
    expect(ids(sortRows(rows, 'vrid'))).toEqual([51, 52, 53, 61]);
    expect(ids(sortRows(rows, 'status'))).toEqual([52, 53, 51, 61]);
    expect(ids(sortRows(rows, 'age'))).toEqual([52, 53, 51, 61]);
    expect(ids(sortRows(rows, 'master'))).toEqual([53, 51, 52, 61]);
    expect(ids(sortRows(rows, 'vrid', true))).toEqual([61, 53, 52, 51]);
  });

  it('filters on every word, case-insensitively, over VRID, addresses, VIPs, status and family', () => {
    const rows = buildRows(all, T0_US);
    const ids = (f: string) => filterRows(rows, f).map((r) => r.vrid.vrid);
    expect(ids('')).toEqual([51, 52, 53, 61]);
    expect(ids('192.0.2.12')).toEqual([51]);
    expect(ids('MASTER-DOWN')).toEqual([52]);
    expect(ids('ipv6')).toEqual([61]);
    expect(ids('vrid 53')).toEqual([53]);
    expect(ids('192.0.2 secret')).toEqual([51]);
    expect(ids('nothing-like-this')).toEqual([]);
  });
});

describe('ViewModel keys', () => {
  it('moves the selection with j/k and arrows, clamped, and g/G to the ends', () => {
    const m = model();
    m.render(100, 24);
    expect(m.state.selected).toBe('eth0||ipv4|51');
    keys(m, 'j', 'down');
    expect(m.state.selected).toBe('eth0||ipv4|53');
    keys(m, 'j', 'j', 'j');
    expect(m.state.selected).toBe('eth0||ipv6|61');
    keys(m, 'k');
    expect(m.state.selected).toBe('eth0||ipv4|53');
    keys(m, 'g');
    expect(m.state.selected).toBe('eth0||ipv4|51');
    keys(m, 'G');
    expect(m.state.selected).toBe('eth0||ipv6|61');
  });

  it('keeps the selection on the same VRID when the sort changes, and falls back to the first row when it goes', () => {
    const m = model();
    keys(m, 'j'); // 52
    keys(m, 's'); // status: 52 first
    expect(m.state.sort).toBe('status');
    expect(m.state.selected).toBe('eth0||ipv4|52');
    expect(m.rows()[0]?.key).toBe('eth0||ipv4|52');
    m.update(snapshot([pair, mismatch]));
    m.render(100, 24);
    expect(m.state.selected).toBe('eth0||ipv4|53');
  });

  it('cycles the sort keys with s and reverses with S', () => {
    const m = model();
    expect(keys(m, 's', 's', 's').every((e) => e === null)).toBe(true);
    expect(m.state.sort).toBe('master');
    keys(m, 's');
    expect(m.state.sort).toBe('vrid');
    keys(m, 'S');
    expect(m.state.reverse).toBe(true);
    expect(m.rows().map((r) => r.vrid.vrid)).toEqual([61, 53, 52, 51]);
  });

  it('filters as you type after /, keeps it with Enter, cancels with Escape, clears with Escape in the table', () => {
    const m = model();
    keys(m, '/', '5', '3');
    expect(m.state.editing).not.toBeNull();
    expect(m.rows().map((r) => r.vrid.vrid)).toEqual([53]);
    // q is text while typing, not quit.
    expect(m.key('q')).toBeNull();
    keys(m, 'backspace', 'enter');
    expect(m.state.filter).toBe('53');
    keys(m, '/', 'x', 'escape');
    expect(m.state.filter).toBe('53');
    keys(m, 'escape');
    expect(m.state.filter).toBe('');
  });

  it('applies the filter to the event log too', () => {
    const m = model();
    m.event(event(51, { message: 'VRID 51: something' }));
    m.event(event(52, { message: 'VRID 52: something else', severity: 'critical' }));
    keys(m, '/', 'V', 'R', 'I', 'D', 'space', '5', '2', 'enter');
    const text = screen(m);
    expect(text).toContain('VRID 52: something else');
    expect(text).not.toContain('VRID 51: something');
  });

  it('opens the detail of the selected VRID with Enter and goes back with Escape', () => {
    const m = model();
    keys(m, 'j', 'enter');
    expect(m.state.pane).toBe('detail');
    expect(screen(m)).toContain('VRID 52 on eth0 (IPv4), VRRPv2: master-down, interval-mismatch');
    keys(m, 'escape');
    expect(m.state.pane).toBe('table');
  });

  it('toggles help with ?, and quits with q or Ctrl-C from anywhere', () => {
    const m = model();
    expect(m.key('?')).toBeNull();
    expect(m.state.pane).toBe('help');
    expect(screen(m)).toContain('pause the display');
    expect(m.key('q')).toBe('quit');
    expect(m.key('C-c')).toBe('quit');
    keys(m, '/');
    expect(m.key('C-c')).toBe('quit');
  });

  it('asks the edge to save on w', () => {
    expect(model().key('w')).toBe('save');
  });

  it('pauses: the table and log freeze while the header keeps counting', () => {
    const m = model([pair]);
    m.event(event(51, { message: 'before the pause' }));
    expect(m.key('p')).toBe('pause');
    m.event(event(51, { message: 'during the pause' }));
    m.update(snapshot([pair, down], { counters: { packets: 5000, vrrp: 4990, malformed: 0, dropped: 0, ifDropped: 0 } }));
    let text = screen(m);
    expect(text).toContain('PAUSED');
    expect(text).toContain('packets 5000');
    expect(text).toContain('before the pause');
    expect(text).not.toContain('during the pause');
    expect(m.rows().map((r) => r.vrid.vrid)).toEqual([51]);
    expect(m.key('p')).toBe('resume');
    text = screen(m);
    expect(text).not.toContain('PAUSED');
    expect(text).toContain('during the pause');
    expect(m.rows().map((r) => r.vrid.vrid)).toEqual([51, 52]);
  });

  it('counts ages up as time passes with no packet', () => {
    const m = model([pair]);
    const age = () => m.render(100, 24).body.map(lineText).find((l) => l.startsWith('51'))?.trimEnd().split(/\s+/).at(-2);
    expect(age()).toBe('1s');
    m.update(snapshot([pair], { nowUs: T0_US + 75_000_000 }));
    expect(age()).toBe('1m06s');
  });

  it('keeps the event log bounded: a capacity, the rest counted', () => {
    const m = new ViewModel(LIVE, { eventCapacity: 100 });
    m.update(snapshot([pair]));
    for (let i = 0; i < 10_000; i++) m.event(event(51));
    expect(m.events.size).toBe(100);
    expect(screen(m)).toContain('Events (10000, 100 kept)');
  });

  it('scrolls the table to keep the selection in view', () => {
    const many = Array.from({ length: 40 }, (_, i) => vrid(i + 1));
    const m = model(many);
    m.render(100, 20);
    keys(m, 'G');
    const body = m.render(100, 20).body.map(lineText);
    expect(body.some((l) => l.startsWith('40 '))).toBe(true);
    expect(body.some((l) => l.startsWith('1 '))).toBe(false);
  });
});

describe('ViewModel screen', () => {
  it('header: source, filter, packets, drops, running time, worst status', () => {
    const m = model(all, { counters: { packets: 1234, vrrp: 1200, malformed: 2, dropped: 7, ifDropped: 0 } });
    const [h1, h2] = m.render(120, 24).header.map(lineText);
    expect(h1).toMatch(/^vrrpwatch {2}live eth0 {2}filter: default \(VRRP, ARP, ND; VLANs\) +up 0:00:12$/);
    expect(h2).toBe('packets 1234 (VRRP 1200, malformed 2)  drops 7  VRIDs 4  worst: CRITICAL master-down on VRID 52 (+1 more)');
  });

  it('fits the table to narrow screens by cutting, then leaving out columns', () => {
    const m = model();
    for (const w of [60, 80, 100, 140]) {
      const body = m.render(w, 24).body.map(lineText);
      for (const l of body) expect(l.length).toBeLessThanOrEqual(w);
      expect(body[1]).toContain('VRID');
      expect(body[1]).toContain('STATUS');
      expect(body[1]).toContain('AGE');
    }
  });

  it('never cuts an address: at 80 columns a long IPv6 master stays whole and less useful columns leave first', () => {
    const longV6 = vrid(62, {
      family: 'ipv6', version: 3, master: '2001:db8:aaaa:bbbb:cccc:dddd:eeee:1',
      routers: [
        router('2001:db8:aaaa:bbbb:cccc:dddd:eeee:1', { version: 3, authType: null, priority: 200, vips: ['2001:db8:aaaa:bbbb:cccc:dddd:eeee:100', '2001:db8::101', '2001:db8::102'] }),
        router('2001:db8:aaaa:bbbb:cccc:dddd:eeee:2', { version: 3, authType: null, priority: 100 }),
      ],
    });
    const m = model([pair, longV6]);
    for (const w of [60, 80, 100]) {
      const body = m.render(w, 24).body.map(lineText);
      const row = body.find((l) => l.startsWith('62'));
      expect(row, `${w} columns`).toContain('2001:db8:aaaa:bbbb:cccc:dddd:eeee:1 ');
      expect(row, `${w} columns`).not.toContain('…');
      for (const l of body) expect(l.length).toBeLessThanOrEqual(w);
    }
    const at80 = m.render(80, 24).body.map(lineText);
    expect(at80[1]).not.toContain('MEAS');
    expect(at80[1]).toContain('STATUS');
    // A list of addresses loses whole items, never part of one.
    const at140 = m.render(140, 24).body.map(lineText).find((l) => l.startsWith('62'))!;
    expect(at140).toMatch(/2001:db8:aaaa:bbbb:cccc:dddd:eeee:100(, 2001:db8::101)? \+[12] /);
  });

  it('renders a whole 100x24 screen (golden)', () => {
    const m = model();
    m.event(event(51, { message: 'VRID 51: router 192.0.2.11 (02:00:00:00:00:11) advertises priority 150, every 1 s, for 192.0.2.100.' }));
    m.event(event(52, { severity: 'critical', type: 'master-down', message: 'VRID 52: master 192.0.2.21 silent for 3.609 s: no router has taken over.' } as never));
    expectGolden('view-100x24', screen(m));
  });

  it('renders the same screen at 80x24 (golden)', () => {
    const m = model();
    expectGolden('view-80x24', screen(m, 80, 24));
  });
});

// Last: its events advance the fixtures' clock, which the golden screens above depend on.
describe('the event log header', () => {
  it('the event log header counts what the filter shows, out of all', () => {
    const m = model();
    m.event(event(51, { message: 'VRID 51: something' }));
    m.event(event(52, { message: 'VRID 52: something else', severity: 'critical' }));
    m.event(event(52, { message: 'VRID 52: again' }));
    expect(screen(m)).toContain('Events (3), newest last, UTC');
    keys(m, '/', '5', '2', 'enter');
    expect(screen(m)).toContain('Events (2 of 3), newest last, UTC');
    keys(m, '/', 'C-u', 'n', 'o', 'n', 'e', 'enter');
    const none = screen(m);
    expect(none).toContain('Events (0 of 3), newest last, UTC');
    expect(none).toContain('No event matches the filter.');
  });
});
