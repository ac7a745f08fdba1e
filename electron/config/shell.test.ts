import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { globEscape, remotePathProblem, shq, splitPath } from './shell';

describe('shq', () => {
  const nasty = ["it's", '', ' lead and trail ', '$(touch /tmp/pwned)', '`id`', 'a;b|c&d', '"dq"', "''", '\\', '*', 'new\nline', '-n', '!x', '~root', 'ü €'];

  it('gives one shell word equal to the input, whatever it holds', () => {
    for (const s of nasty) {
      // printf %s prints the single argument verbatim: any interpretation would show up here.
      const out = execFileSync('sh', ['-c', `printf %s ${shq(s)}`], { encoding: 'utf8' });
      expect(out).toBe(s);
    }
  });

  it('quotes with single quotes only', () => {
    expect(shq('/etc/haproxy/haproxy.cfg')).toBe("'/etc/haproxy/haproxy.cfg'");
    expect(shq("a'b")).toBe(`'a'\\''b'`);
  });
});

describe('remotePathProblem', () => {
  it('accepts absolute canonical paths', () => {
    for (const p of ['/etc/haproxy/haproxy.cfg', '/srv/app/app.conf', "/odd/name with 'quote' $x.cfg"]) expect(remotePathProblem(p)).toBeNull();
  });

  it('refuses relative paths, .. and . segments, //, trailing /, control characters', () => {
    expect(remotePathProblem('etc/haproxy.cfg')).toContain('not an absolute path');
    expect(remotePathProblem('./haproxy.cfg')).toContain('not an absolute path');
    expect(remotePathProblem('/etc/haproxy/../shadow')).toContain('".." segment');
    expect(remotePathProblem('/etc/./haproxy.cfg')).toContain('"." segment');
    expect(remotePathProblem('/etc//haproxy.cfg')).toContain('//');
    expect(remotePathProblem('/etc/haproxy/')).toContain('ends with "/"');
    expect(remotePathProblem('/etc/a\nb')).toContain('control character');
    expect(remotePathProblem('')).toContain('empty');
    expect(remotePathProblem('/')).not.toBeNull();
    // '..' inside a name is not a segment
    expect(remotePathProblem('/etc/haproxy/a..b.cfg')).toBeNull();
  });
});

describe('splitPath / globEscape', () => {
  it('splits into directory and name', () => {
    expect(splitPath('/etc/haproxy/haproxy.cfg')).toEqual({ dir: '/etc/haproxy', name: 'haproxy.cfg' });
    expect(splitPath('/x')).toEqual({ dir: '/', name: 'x' });
  });
  it('escapes find -name metacharacters', () => {
    expect(globEscape('a*b?[c]\\')).toBe('a\\*b\\?\\[c\\]\\\\');
  });
});
