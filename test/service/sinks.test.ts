// The event outputs: the --on-event command (order, stdin, timeout, a full queue), the --events
// file (appended, reopened after logrotate moved it), and syslog priorities on the journal.
import { mkdtempSync, openSync, readFileSync, renameSync, fstatSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventLog } from '../../src/service/event-log.js';
import { EventHook } from '../../src/service/hook.js';
import { isJournalStream, withPriority } from '../../src/service/journal.js';

const dir = mkdtempSync(join(tmpdir(), 'vrrpwatch-sinks-'));

function logs(): { lines: string[]; log: (p: string, t: string) => void } {
  const lines: string[] = [];
  return { lines, log: (p, t) => lines.push(`${p} ${t}`) };
}

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 10));
}

describe('--on-event', () => {
  it('runs the command once per event, in order, with the event on stdin', async () => {
    const out = join(dir, 'hook-order');
    const { lines, log } = logs();
    const hook = new EventHook({ command: `cat >> ${out}`, timeoutSeconds: 5, maxQueue: 100, env: process.env, log });
    for (let i = 0; i < 5; i++) hook.push(`{"n":${i}}\n`);
    await until(() => hook.counts.run === 5);
    expect(readFileSync(out, 'utf8')).toBe([0, 1, 2, 3, 4].map((i) => `{"n":${i}}\n`).join(''));
    expect(hook.counts).toEqual({ run: 5, failed: 0, dropped: 0 });
    expect(lines).toEqual([]);
  });

  it('a failing or slow command is logged and counted; a full queue drops new events and says so once', async () => {
    const { lines, log } = logs();
    const hook = new EventHook({ command: 'sleep 5', timeoutSeconds: 0.2, maxQueue: 2, env: process.env, log });
    for (let i = 0; i < 6; i++) hook.push(`{"type":"master-change","n":${i}}\n`);
    expect(hook.counts.dropped).toBe(3);
    expect(lines.filter((l) => l.includes('too slow'))).toHaveLength(1);
    await until(() => hook.counts.run === 3);
    expect(hook.counts.failed).toBe(3);
    expect(lines.filter((l) => l.includes('timed out after 0.2 s'))).toHaveLength(3);
    expect(lines.some((l) => l.includes('for a master-change event'))).toBe(true);
    await hook.close(10);
  });
});

describe('--events', () => {
  it('appends one line per event, and reopens on SIGHUP after logrotate moved the file', () => {
    const path = join(dir, 'events.jsonl');
    const { log } = logs();
    const f = new EventLog(path, process.stdout, log);
    f.write('{"a":1}\n');
    renameSync(path, `${path}.1`);
    f.write('{"a":2}\n'); // still the moved file, as with any open file
    f.reopen();
    f.write('{"a":3}\n');
    f.close();
    expect(readFileSync(`${path}.1`, 'utf8')).toBe('{"a":1}\n{"a":2}\n');
    expect(readFileSync(path, 'utf8')).toBe('{"a":3}\n');
  });

  it('a file that cannot be opened is a usage-level error naming it', () => {
    const { log } = logs();
    expect(() => new EventLog(join(dir, 'no/such/dir/e.jsonl'), process.stdout, log)).toThrow(/--events .*no\/such\/dir.*cannot open for appending \(ENOENT\)/);
  });
});

describe('journal', () => {
  it('prefixes every line with its syslog priority', () => {
    expect(withPriority('a\nb\n', 'error')).toBe('<3>a\n<3>b\n');
    expect(withPriority('x\n', 'info')).toBe('<6>x\n');
  });

  it('knows the journal stream by JOURNAL_STREAM device:inode', () => {
    const fd = openSync(join(dir, 'stream'), 'w');
    const st = fstatSync(fd);
    expect(isJournalStream({ JOURNAL_STREAM: `${st.dev}:${st.ino}` }, fd)).toBe(true);
    expect(isJournalStream({ JOURNAL_STREAM: `${st.dev}:${st.ino + 1}` }, fd)).toBe(false);
    expect(isJournalStream({}, fd)).toBe(false);
    closeSync(fd);
  });
});
