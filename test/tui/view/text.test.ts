import { describe, expect, it } from 'vitest';
import { ageText, clockText, fit, wrap } from '../../../src/tui/view/text.js';

describe('screen text helpers', () => {
  it('says ages in whole seconds, then minutes, hours, days', () => {
    expect(ageText(0)).toBe('0s');
    expect(ageText(999_999)).toBe('0s');
    expect(ageText(59_000_000)).toBe('59s');
    expect(ageText(245_000_000)).toBe('4m05s');
    expect(ageText(7_800_000_000)).toBe('2h10m');
    expect(ageText(4 * 86_400e6 + 3600e6 * 4)).toBe('4d04h');
    expect(ageText(-5)).toBe('0s');
    expect(ageText(Infinity)).toBe('-');
  });

  it('says running times as h:mm:ss, with days past one', () => {
    expect(clockText(7)).toBe('0:00:07');
    expect(clockText(43_439)).toBe('12:03:59');
    expect(clockText(3 * 86_400 + 61)).toBe('3d 00:01:01');
  });

  it('fits text to a width with an ellipsis', () => {
    expect(fit('192.0.2.100', 8)).toBe('192.0.2…');
    expect(fit('ab', 4)).toBe('ab  ');
    expect(fit('ab', 4, 'right')).toBe('  ab');
    expect(fit('abc', 0)).toBe('');
  });

  it('wraps at word boundaries with an indent', () => {
    expect(wrap('one two three four', 9, '  ')).toEqual(['one two', '  three', '  four']);
  });
});
