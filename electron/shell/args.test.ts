import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseDataDir, parseShellArgs, ShellArgsError } from './args';

describe('parseShellArgs', () => {
  it('reads --data-dir and repeated --known-hosts, resolving relative paths', () => {
    const a = parseShellArgs(['/app/main.cjs', '--data-dir', 'data', '--known-hosts', '/etc/ssh/ssh_known_hosts', '--known-hosts=kh'], '/home/op');
    expect(a).toEqual({ dataDir: '/home/op/data', knownHosts: ['/etc/ssh/ssh_known_hosts', '/home/op/kh'] });
  });

  it("ignores Chromium's and Playwright's own switches", () => {
    const a = parseShellArgs(['--inspect=0', '--remote-debugging-port=0', '--no-sandbox', '/app/main.cjs', '--data-dir=/tmp/x'], '/');
    expect(a).toEqual({ dataDir: '/tmp/x', knownHosts: [] });
  });

  it('refuses an option without a value instead of taking the next switch as a path', () => {
    expect(() => parseShellArgs(['--data-dir'])).toThrow(ShellArgsError);
    expect(() => parseShellArgs(['--data-dir', '--known-hosts', 'x'])).toThrow(/--data-dir needs a value/);
    expect(() => parseShellArgs(['--known-hosts='])).toThrow(ShellArgsError);
  });

  it('does not take look-alike switches', () => {
    expect(parseShellArgs(['--data-directory', 'x', '--known-hosts-file', 'y'])).toEqual({ dataDir: null, knownHosts: [] });
  });
});

describe('chooseDataDir', () => {
  const userData = join('/home/op/.config', 'ClusterDeck');
  it('prefers --data-dir, then $CLUSTERDECK_DATA_DIR, then userData', () => {
    expect(chooseDataDir({ dataDir: '/a', knownHosts: [] }, { CLUSTERDECK_DATA_DIR: '/b' }, userData)).toBe('/a');
    expect(chooseDataDir({ dataDir: null, knownHosts: [] }, { CLUSTERDECK_DATA_DIR: '/b' }, userData)).toBe('/b');
    expect(chooseDataDir({ dataDir: null, knownHosts: [] }, {}, userData)).toBe(userData);
    expect(chooseDataDir({ dataDir: null, knownHosts: [] }, { CLUSTERDECK_DATA_DIR: '  ' }, userData)).toBe(userData);
  });
});
