// The daemon's log lines, text and --json.
import { describe, expect, it } from 'vitest';
import { formatLogLine } from '../../src/daemon/log.js';

const AT = Date.UTC(2026, 10, 22, 9, 30, 0, 123);

describe('formatLogLine', () => {
  it('text: ISO time, the level when it is not info, the message', () => {
    expect(formatLogLine({ level: 'info', message: 'VRID 51: BACKUP -> MASTER: x' }, AT, false)).toBe('2026-11-22T09:30:00.123Z VRID 51: BACKUP -> MASTER: x\n');
    expect(formatLogLine({ level: 'warning', message: 'w' }, AT, false)).toBe('2026-11-22T09:30:00.123Z warning: w\n');
    expect(formatLogLine({ level: 'error', message: 'e', fields: { a: 1 } }, AT, false)).toBe('2026-11-22T09:30:00.123Z error: e\n');
  });

  it('json: one object per line with the transition and extra fields', () => {
    const line = formatLogLine({ level: 'info', message: 'm\nwith a newline', transition: { from: 'BACKUP', to: 'MASTER', reason: 'preempt' }, fields: { counters: { advertsSent: 3 } } }, AT, true);
    expect(line.endsWith('\n') && line.indexOf('\n') === line.length - 1).toBe(true);
    expect(JSON.parse(line)).toEqual({
      time: '2026-11-22T09:30:00.123Z',
      level: 'info',
      message: 'm\nwith a newline',
      transition: { from: 'BACKUP', to: 'MASTER', reason: 'preempt' },
      counters: { advertsSent: 3 },
    });
  });
});
