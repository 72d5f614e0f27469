// The daemon's memory of what it logged per sender: bounded, aging, and a flood of spoofed
// senders never hides a real peer's problem.
import { describe, expect, it } from 'vitest';
import { AuthPassword } from '../../src/daemon/config.js';
import { LOG_MEMORY, LogMemory } from '../../src/daemon/log-memory.js';
import { advertEvent, VrrpMachine, type Effect } from '../../src/daemon/machine.js';
import { config, frame } from './harness.js';

const logs = (fx: Effect[]): string[] => fx.flatMap((e) => (e.type === 'log' ? [e.message] : []));

describe('LogMemory', () => {
  it('says a (reason, sender) once, again after repeatAfterSec', () => {
    const m = new LogMemory();
    expect(m.shouldSay('auth', '192.0.2.11', 0)).toBe(true);
    expect(m.shouldSay('auth', '192.0.2.11', 1)).toBe(false);
    expect(m.shouldSay('ttl', '192.0.2.11', 1)).toBe(true);
    expect(m.shouldSay('auth', '192.0.2.11', LOG_MEMORY.repeatAfterSec - 1)).toBe(false);
    expect(m.shouldSay('auth', '192.0.2.11', LOG_MEMORY.repeatAfterSec)).toBe(true);
  });

  it('full of recent senders: new ones are counted, one summary a minute; aged entries make room', () => {
    const m = new LogMemory({ ...LOG_MEMORY, general: 4 });
    for (let i = 0; i < 4; i++) expect(m.shouldSay('auth', `198.51.100.${i}`, 0)).toBe(true);
    for (let i = 4; i < 10; i++) expect(m.shouldSay(i % 2 ? 'auth' : 'ttl', `198.51.100.${i}`, 1)).toBe(false);
    expect(m.summary(30)).toBeNull();
    expect(m.summary(61)).toBe('6 more line(s) about other senders not logged in the last minute (ttl 3, auth 3): more than 4 senders in 10 minutes, a flood?');
    expect(m.summary(200)).toBeNull(); // nothing held back since
    expect(m.shouldSay('auth', '198.51.100.20', LOG_MEMORY.repeatAfterSec)).toBe(true); // the oldest aged out
  });

  it('the known set is bounded: the least recently heard goes', () => {
    const m = new LogMemory({ ...LOG_MEMORY, general: 1, reserved: 100, known: 2 });
    m.known('192.0.2.1');
    m.known('192.0.2.2');
    m.known('192.0.2.3'); // 192.0.2.1 forgotten
    expect(m.shouldSay('x', '198.51.100.1', 0)).toBe(true); // fills the general share
    expect(m.shouldSay('x', '192.0.2.1', 0)).toBe(false);
    expect(m.shouldSay('x', '192.0.2.3', 0)).toBe(true);
  });
});

describe('the machine under a flood of spoofed senders', () => {
  it('4,096 senders with a wrong password, then a real peer\'s mismatch: logged, with a summary of the rest', () => {
    const m = new VrrpMachine(config({ auth: new AuthPassword('secret'), priority: 100 }));
    m.handle({ type: 'startup', atSec: 0 });
    // the real peer, heard with the right password: a router that matters
    expect(logs(m.handle(advertEvent(frame({ src: '192.0.2.11', priority: 150, authType: 1, auth: 'secret' }), 0.5)))).toEqual([]);
    const said: string[] = [];
    for (let i = 0; i < 4096; i++) {
      const src = `198.51.${100 + (i >> 8)}.${i & 255}`;
      said.push(...logs(m.handle(advertEvent(frame({ src, priority: 150, authType: 1, auth: 'guess' }), 1 + i / 4096))));
    }
    expect(said).toHaveLength(LOG_MEMORY.general);
    // the peer's password changed (a typo in its file): said, however full the memory is
    const peer = logs(m.handle(advertEvent(frame({ src: '192.0.2.11', priority: 150, authType: 1, auth: 'secreT' }), 3)));
    expect(peer).toEqual(['VRID 51: auth mismatch from 192.0.2.11: its password (6 bytes) differs from ours; advert dropped (not logged again for this sender within 10 minutes)']);
    // a minute after the first line held back, the next event carries the summary
    const later = logs(m.handle(advertEvent(frame({ src: '203.0.113.9', priority: 150, authType: 1, auth: 'guess' }), 62)));
    expect(later).toEqual([`VRID 51: ${4096 - LOG_MEMORY.general + 1} more line(s) about other senders not logged in the last minute (auth ${4096 - LOG_MEMORY.general + 1}): more than 1024 senders in 10 minutes, a flood?`]);
    // ten minutes on, the memory has aged: a new sender is named again
    const aged = logs(m.handle(advertEvent(frame({ src: '203.0.113.10', priority: 150, authType: 1, auth: 'guess' }), 1 + LOG_MEMORY.repeatAfterSec)));
    expect(aged).toEqual(['VRID 51: auth mismatch from 203.0.113.10: its password (5 bytes) differs from ours; advert dropped (not logged again for this sender within 10 minutes)']);
  });

  it('4,096 senders of valid lower-priority adverts at a master: no reserved share for them, the log stays bounded', () => {
    const m = new VrrpMachine(config({ priority: 255 }));
    m.handle({ type: 'startup', atSec: 0 });
    expect(m.state).toBe('MASTER');
    const said: string[] = [];
    for (let i = 0; i < 4096; i++) {
      said.push(...logs(m.handle(advertEvent(frame({ src: `198.51.${100 + (i >> 8)}.${i & 255}`, priority: 100 }), 1 + i / 4096))));
    }
    // one slot went to the answer budget's line
    expect(said.filter((l) => l.includes('advertises priority 100 while we are master'))).toHaveLength(LOG_MEMORY.general - 1);
    expect(said).toHaveLength(LOG_MEMORY.general);
  });
});
