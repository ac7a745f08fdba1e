import { describe, expect, it } from 'vitest';
import { literalEval, parseIniValue, shlexSplit } from './ini-values';

describe('shlexSplit (POSIX, comments on)', () => {
  it('splits on whitespace and removes quotes', () => {
    expect(shlexSplit(`web1 ansible_user=admin note="two words" other='single q'`)).toEqual([
      'web1',
      'ansible_user=admin',
      'note=two words',
      'other=single q',
    ]);
  });

  it('drops comments, also right after a word', () => {
    expect(shlexSplit('web1 a=1 # trailing comment')).toEqual(['web1', 'a=1']);
    expect(shlexSplit('web1 pass=abc#123')).toEqual(['web1', 'pass=abc']);
    expect(shlexSplit('web1 pass="abc#123"')).toEqual(['web1', 'pass=abc#123']);
  });

  it('handles escapes as Python does', () => {
    expect(shlexSplit('a=x\\ y')).toEqual(['a=x y']);
    expect(shlexSplit('a="q\\"uote\\\\ \\n"')).toEqual(['a=q"uote\\ \\n']);
    expect(shlexSplit("a='no\\escape'")).toEqual(['a=no\\escape']);
    expect(shlexSplit('a=""')).toEqual(['a=']);
  });

  it('throws on an unclosed quote or a dangling backslash', () => {
    expect(() => shlexSplit('web1 a="open')).toThrow('No closing quotation');
    expect(() => shlexSplit('web1 a=\\')).toThrow('No escaped character');
  });
});

describe('parseIniValue (ast.literal_eval, else the raw string)', () => {
  it('reads ints, floats, booleans and None', () => {
    expect(parseIniValue('22')).toBe(22);
    expect(parseIniValue('-5')).toBe(-5);
    expect(parseIniValue('0x1F')).toBe(31);
    expect(parseIniValue('1_000')).toBe(1000);
    expect(parseIniValue('1.5')).toBe(1.5);
    expect(parseIniValue('True')).toBe(true);
    expect(parseIniValue('False')).toBe(false);
    expect(parseIniValue('None')).toBe(null);
  });

  it('keeps what Python would not evaluate as a string', () => {
    expect(parseIniValue('true')).toBe('true');
    expect(parseIniValue('10.0.0.1')).toBe('10.0.0.1');
    expect(parseIniValue('007')).toBe('007');
    expect(parseIniValue('/var/lib/haproxy/stats')).toBe('/var/lib/haproxy/stats');
    expect(parseIniValue('{{ inventory_hostname }}')).toBe('{{ inventory_hostname }}');
    expect(parseIniValue('"unterminated')).toBe('"unterminated');
    expect(parseIniValue('1j')).toBe('1j');
  });

  it('unquotes Python string literals', () => {
    expect(parseIniValue('"PRD_wso2ei"')).toBe('PRD_wso2ei');
    expect(parseIniValue("'a b'")).toBe('a b');
    expect(parseIniValue('"tab\\there"')).toBe('tab\there');
    expect(parseIniValue("'a' \"b\"")).toBe('ab');
  });

  it('reads lists, tuples, dicts and sets', () => {
    expect(literalEval("[1, 'two', None]")).toEqual({ ok: true, value: [1, 'two', null] });
    expect(literalEval('(1,)')).toEqual({ ok: true, value: [1] });
    expect(literalEval("{'a': 1, 'b': [True]}")).toEqual({ ok: true, value: { a: 1, b: [true] } });
    expect(literalEval('{1, 2}')).toEqual({ ok: true, value: [1, 2] });
    expect(literalEval('[1, 2')).toEqual({ ok: false });
  });
});
