// One severity table for every face; check's deliberate differences are data, and the README
// lists them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONDITION_TYPES } from '../../src/analysis/types.js';
import { statusSeverity as rowSeverity } from '../../src/tui/view/rows.js';
import { CHECK_DIFFERENCES, CONDITION_SEVERITY, checkState, eventSeverity, statusSeverity } from '../../src/rules/severity.js';

describe('the severity table', () => {
  it('gives every condition a severity; its end is info', () => {
    for (const t of CONDITION_TYPES) {
      expect(['warning', 'critical']).toContain(CONDITION_SEVERITY[t]);
      expect(eventSeverity(t)).toBe(CONDITION_SEVERITY[t]);
      expect(eventSeverity(`${t}-end`)).toBe('info');
    }
  });

  it('what the faces disagreed on: no master and two address owners are critical everywhere', () => {
    expect(statusSeverity('no-master')).toBe('critical');
    expect(rowSeverity('no-master')).toBe('critical');
    expect(CONDITION_SEVERITY['owner-conflict']).toBe('critical');
    expect(rowSeverity('owner-conflict')).toBe('critical');
    expect(checkState(CONDITION_SEVERITY['owner-conflict'])).toBe('CRITICAL');
    // The terminal UI's colour of every status is the table's.
    for (const t of CONDITION_TYPES) expect(rowSeverity(t)).toBe(CONDITION_SEVERITY[t]);
  });

  it('a failover is a warning in analyze; check judges it only against -w/-c, and says so', () => {
    expect(eventSeverity('master-change')).toBe('warning');
    expect(CHECK_DIFFERENCES.map((d) => d.what)).toContain('master-change');
  });

  it('the README lists check\'s differences next to the table', () => {
    const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Severities'), readme.indexOf('### `check`'));
    for (const d of CHECK_DIFFERENCES) for (const word of d.what.split(', ')) expect(section).toContain(word.startsWith('-') ? word : `\`${word}\``);
  });
});
