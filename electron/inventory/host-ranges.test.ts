import { describe, expect, it } from 'vitest';
import { expandHostRanges, parseHostPattern, splitHostPort } from './host-ranges';

describe('expandHostRanges', () => {
  it('expands a numeric range', () => {
    expect(expandHostRanges('node[1:3]')).toEqual({ ok: true, hosts: ['node1', 'node2', 'node3'] });
  });

  it('keeps zero padding', () => {
    expect(expandHostRanges('node[01:03].example.com')).toEqual({
      ok: true,
      hosts: ['node01.example.com', 'node02.example.com', 'node03.example.com'],
    });
    expect(expandHostRanges('db[08:11]')).toEqual({ ok: true, hosts: ['db08', 'db09', 'db10', 'db11'] });
  });

  it('expands letters, including across case as string.ascii_letters does', () => {
    expect(expandHostRanges('web-[a:c]')).toEqual({ ok: true, hosts: ['web-a', 'web-b', 'web-c'] });
    expect(expandHostRanges('x[y:B]')).toEqual({ ok: true, hosts: ['xy', 'xz', 'xA', 'xB'] });
  });

  it('honours a stride', () => {
    expect(expandHostRanges('n[1:10:3]')).toEqual({ ok: true, hosts: ['n1', 'n4', 'n7', 'n10'] });
    expect(expandHostRanges('n[a:e:2]')).toEqual({ ok: true, hosts: ['na', 'nc', 'ne'] });
  });

  it('expands several ranges in one name, left range outermost', () => {
    expect(expandHostRanges('r[1:2]n[a:b]')).toEqual({ ok: true, hosts: ['r1na', 'r1nb', 'r2na', 'r2nb'] });
  });

  it('treats an empty start as 0', () => {
    expect(expandHostRanges('h[:2]')).toEqual({ ok: true, hosts: ['h0', 'h1', 'h2'] });
  });

  it.each([
    ['node[3:1]', 'starts after it ends (3 > 1)'],
    ['node[c:a]', 'starts after it ends ("c" > "a")'],
    ['node[1:c]', 'mixes a letter and a number'],
    ['node[1:5:0]', 'invalid stride "0"'],
    ['node[1:5:x]', 'invalid stride "x"'],
    ['node[1:5:-1]', 'invalid stride "-1"'],
    ['node[01:100]', 'zero-padded bounds of equal length ("01" and "100")'],
    ['node[1]', 'must be begin:end or begin:end:step'],
    ['node[1:2:3:4]', 'must be begin:end or begin:end:step'],
    ['node[1:]', 'must specify an end value'],
    ['node[1:3', 'unterminated range'],
    ['node]1:3[', 'without a matching "["'],
    ['node[ab:cd]', 'numeric bounds or single-letter bounds'],
  ])('rejects %s', (pattern, fragment) => {
    const r = expandHostRanges(pattern);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(fragment);
  });

  it('refuses ranges that expand to absurd host counts', () => {
    const r = expandHostRanges('n[1:99999999]');
    expect(r).toEqual({ ok: false, message: 'host range "n[1:99999999]" expands to more than 10000 hosts' });
  });
});

describe('parseHostPattern', () => {
  it('splits a port shorthand, also after a range', () => {
    expect(parseHostPattern('web1:2222')).toEqual({ ok: true, hosts: ['web1'], port: 2222 });
    expect(parseHostPattern('node[1:2]:2200')).toEqual({ ok: true, hosts: ['node1', 'node2'], port: 2200 });
    expect(parseHostPattern('[fe80::1]:2022')).toEqual({ ok: true, hosts: ['fe80::1'], port: 2022 });
  });

  it('leaves a bare IPv6 address alone', () => {
    expect(splitHostPort('fe80::1')).toEqual({ pattern: 'fe80::1' });
    expect(parseHostPattern('10.0.0.5')).toEqual({ ok: true, hosts: ['10.0.0.5'] });
  });

  it('rejects a trailing colon, which is reserved for a port', () => {
    expect(parseHostPattern('web1:')).toEqual({
      ok: false,
      message: 'host "web1:" ends in ":", which is reserved for a port (host:port)',
    });
  });

  it('passes range errors through', () => {
    expect(parseHostPattern('n[5:1]:22')).toEqual({ ok: false, message: 'host range [5:1] in "n[5:1]" starts after it ends (5 > 1)' });
  });
});
