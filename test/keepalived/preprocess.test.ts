// keepalived's read_line() order: comments, quotes, braces, include, @ID, $NAME, ~SEQ/~LST;
// every line out knows its file and line. Property tests: random input never throws, and the
// line numbers of plain lines are kept.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { preprocess } from '../../src/keepalived/preprocess.js';
import { decomment, splitWords } from '../../src/keepalived/comments.js';
import { memoryReader, expandBraces } from '../../src/keepalived/source.js';

const pre = (text: string, configId: string | null = null, more: Record<string, string> = {}) => preprocess('k.conf', memoryReader({ 'k.conf': text, ...more }), { configId });
const words = (text: string, configId: string | null = null, more: Record<string, string> = {}) => pre(text, configId, more).lines.map((l) => [l.words.join(' '), l.at.file, l.at.line]);

describe('comments and words', () => {
  it('! and # anywhere outside double quotes; \\# is a #; // is no comment; single quotes protect nothing', () => {
    expect(decomment('  priority 100 # high').text).toBe('priority 100');
    expect(decomment('script "/bin/x # y" ! z').text).toBe('script "/bin/x # y"');
    expect(decomment('auth_pass a\\#b').text).toBe('auth_pass a#b');
    expect(decomment('interface eth0 // main').text).toBe('interface eth0 // main');
    expect(decomment("script '/bin/x # y'").text).toBe("script '/bin/x");
  });

  it('words: quotes group and are removed; a quote inside a word ends it; ; is part of a word', () => {
    expect(splitWords('script "/bin/check arg" x').words).toEqual(['script', '/bin/check arg', 'x']);
    expect(splitWords('abc"def ghi"').words).toEqual(['abc', 'def ghi']);
    expect(splitWords('interface eth0;').words).toEqual(['interface', 'eth0;']);
    expect(splitWords('a "b').unmatchedQuote).toBe(true);
  });
});

describe('preprocess', () => {
  it('braces on the keyword line, inline, or on their own line become lines of their own', () => {
    expect(words('virtual_ipaddress { 192.0.2.1/24 }\nvrrp_instance X\n{\n}').map((w) => w[0])).toEqual(['virtual_ipaddress', '{', '192.0.2.1/24', '}', 'vrrp_instance X', '{', '}']);
    expect(words('a { b { c } }').map((w) => w[2])).toEqual([1, 1, 1, 1, 1, 1, 1]);
  });

  it('@ID lines for the matching config-id only; @^ID for every other; no id: @ lines dropped, @^ kept', () => {
    const t = '@lb1 priority 150\n@lb2 priority 100\n@^lb1 nopreempt\n';
    expect(words(t, 'lb1').map((w) => w[0])).toEqual(['priority 150']);
    expect(words(t, 'lb2').map((w) => w[0])).toEqual(['priority 100', 'nopreempt']);
    expect(words(t, null).map((w) => w[0])).toEqual(['nopreempt']);
  });

  it('$NAME=value and $NAME / ${NAME}; redefinition overrides; undefined names stay; no blank before =', () => {
    const t = '$VIP=192.0.2.5/24\n$P=100\npriority $P\nvip ${VIP}x\n$P=90\npriority $P\nx $NOPE\n$BAD =1\n';
    expect(words(t).map((w) => w[0])).toEqual(['priority 100', 'vip 192.0.2.5/24x', 'priority 90', 'x $NOPE', '$BAD =1']);
  });

  it('recursive parameters and multi-line definitions', () => {
    const t = '$A=$B\n$B=deep\nx $A\n$BLOCK= \\\n  priority 1 \\\n  nopreempt\n$BLOCK\n';
    expect(words(t).map((w) => [w[0], w[2]])).toEqual([['x deep', 3], ['priority 1', 7], ['nopreempt', 7]]);
  });

  it('a parameter holding a ~SEQ loop, and one holding an @ID prefix, are read again', () => {
    expect(words('$L=~SEQ(I,1,2) v${I}\n$L\n').map((w) => w[0])).toEqual(['v1', 'v2']);
    expect(words('$P=@lb1 priority 150\n$P\n', 'lb1').map((w) => w[0])).toEqual(['priority 150']);
    expect(words('$P=@lb1 priority 150\n$P\n', 'lb2')).toEqual([]);
  });

  it('~SEQ and ~SEQx, ~LST with one and several variables, nested; lines keep the loop line number', () => {
    expect(words('~SEQ(X,1,3) a${X}').map((w) => [w[0], w[2]])).toEqual([['a1', 1], ['a2', 1], ['a3', 1]]);
    expect(words('~SEQx(X,9,11) ${X}').map((w) => w[0])).toEqual(['9', 'a', 'b']);
    expect(words('~SEQ(X,3) ${X}\n~SEQ(Y,5,-2,1) ${Y}').map((w) => w[0])).toEqual(['1', '2', '3', '5', '3', '1']);
    expect(words('~LST(N,a,b) n${N}').map((w) => w[0])).toEqual(['na', 'nb']);
    expect(words('~LST({I,V},{1,x},{2,y}) ${I}=${V}').map((w) => w[0])).toEqual(['1=x', '2=y']);
    expect(words('~SEQ(A,1,2) ~SEQ(B,1,2) ${A}${B}').map((w) => w[0])).toEqual(['11', '12', '21', '22']);
  });

  it('include: relative to the including file, globs sorted, braces, nested, file and line of each line', () => {
    const files = { 'k.conf': 'a\ninclude d/*.conf\nb\n', 'd/2.conf': 'two\n', 'd/1.conf': 'one\ninclude ../e/{x,y}.inc\n', 'e/x.inc': 'ex\n', 'e/y.inc': 'why\n' };
    expect(words('', null, files)).toEqual([
      ['a', 'k.conf', 1],
      ['one', 'd/1.conf', 1],
      ['ex', 'e/x.inc', 1],
      ['why', 'e/y.inc', 1],
      ['two', 'd/2.conf', 1],
      ['b', 'k.conf', 3],
    ]);
  });

  it('include of a missing file is said; a glob matching nothing is quiet (keepalived: backward compatibility)', () => {
    expect(pre('include nope.conf\n').findings.map((f) => f.code)).toEqual(['include-missing']);
    expect(pre('include nope/*.conf\n').findings).toEqual([]);
  });

  it('an include loop stops with a finding', () => {
    const r = preprocess('k.conf', memoryReader({ 'k.conf': 'x\ninclude k.conf\n' }), { configId: null });
    expect(r.findings.map((f) => f.code)).toContain('parse-error');
  });

  it('extra } and missing } are parse errors with their line', () => {
    expect(pre('a {\n}\n}\n').findings.map((f) => [f.code, f.line])).toEqual([['parse-error', 3]]);
    expect(pre('a {\nb {\n').findings.map((f) => f.message)).toEqual([expect.stringContaining('2 ')]);
  });

  it('brace expansion as glob(GLOB_BRACE)', () => {
    expect(expandBraces('a{b,c{d,e}}f')).toEqual(['abf', 'acdf', 'acef']);
    expect(expandBraces('a{b')).toEqual(['a{b']);
  });
});

describe('preprocess, properties', () => {
  const alphabet = fc.constantFrom(...'ab $@{}~#!"\\\n\t=()SEQLST_,1x^'.split(''));
  const text = fc.array(alphabet, { maxLength: 200 }).map((a) => a.join(''));

  it('never throws on random input, and every line out points into the file', () => {
    fc.assert(
      fc.property(text, fc.option(fc.constantFrom('a', 'lb1'), { nil: null }), (t, id) => {
        const r = pre(t, id);
        const n = t.split('\n').length;
        for (const l of r.lines) {
          expect(l.at.file).toBe('k.conf');
          expect(l.at.line).toBeGreaterThanOrEqual(1);
          expect(l.at.line).toBeLessThanOrEqual(n);
          expect(l.words.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('plain lines keep their line numbers and words', () => {
    const word = fc.stringMatching(/^[a-z_][a-z0-9_./]{0,8}$/);
    const line = fc.array(word, { minLength: 1, maxLength: 4 }).map((w) => w.join(' '));
    fc.assert(
      fc.property(fc.array(fc.oneof(line, fc.constant('')), { maxLength: 30 }), (ls) => {
        const r = pre(ls.join('\n'));
        const expected = ls.flatMap((l, i) => (l === '' ? [] : [[l, 'k.conf', i + 1]]));
        expect(r.lines.map((l) => [l.words.join(' '), l.at.file, l.at.line])).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
