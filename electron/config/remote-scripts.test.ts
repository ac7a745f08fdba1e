import { describe, expect, it } from 'vitest';
import {
  backupPathFor,
  backupStampOf,
  backupsToPrune,
  boundOutput,
  isTempPath,
  metaProblem,
  parseStatLine,
  stageScript,
  statusOf,
  tempPathFor,
  validateScript,
} from './remote-scripts';

describe('names of temps and backups', () => {
  const at = new Date('2026-03-04T05:06:07.089Z');

  it('puts temps beside the target, hidden, and recognises only those', () => {
    const t = tempPathFor('/etc/haproxy/haproxy.cfg', 'abc123def');
    expect(t).toBe('/etc/haproxy/.haproxy.cfg.clusterdeck-abc123def.tmp');
    expect(isTempPath(t)).toBe(true);
    expect(tempPathFor('/x.cfg', 'abcdef12')).toBe('/.x.cfg.clusterdeck-abcdef12.tmp');
    for (const p of ['/etc/haproxy/haproxy.cfg', '/etc/haproxy/haproxy.cfg.clusterdeck-20260304T050607.089Z.bak', '/etc/.x.tmp']) expect(isTempPath(p)).toBe(false);
    expect(() => tempPathFor('/x', '../../x')).toThrow();
  });

  it('names backups by UTC timestamp and finds their stamp', () => {
    const b = backupPathFor('/etc/haproxy/haproxy.cfg', at);
    expect(b).toBe('/etc/haproxy/haproxy.cfg.clusterdeck-20260304T050607.089Z.bak');
    expect(backupStampOf('haproxy.cfg', 'haproxy.cfg.clusterdeck-20260304T050607.089Z.bak')).toBe('20260304T050607.089Z');
    expect(backupStampOf('haproxy.cfg', 'haproxy.cfg.clusterdeck-20260304T050607.089Z.bak.partial')).toBeNull();
    expect(backupStampOf('haproxy.cfg', 'other.cfg.clusterdeck-20260304T050607.089Z.bak')).toBeNull();
    // a dot in the name is literal, not "any character"
    expect(backupStampOf('haproxy.cfg', 'haproxyXcfg.clusterdeck-20260304T050607.089Z.bak')).toBeNull();
  });

  it('prunes the oldest backups beyond keep, never the newest', () => {
    const names = ['20260101T000000.000Z', '20260301T000000.000Z', '20260201T000000.000Z', '20251201T000000.000Z'].map((s) => `a.cfg.clusterdeck-${s}.bak`);
    expect(backupsToPrune('a.cfg', [...names, 'a.cfg', 'b.cfg.clusterdeck-20200101T000000.000Z.bak'], 2)).toEqual([
      'a.cfg.clusterdeck-20260101T000000.000Z.bak',
      'a.cfg.clusterdeck-20251201T000000.000Z.bak',
    ]);
    expect(backupsToPrune('a.cfg', names, 0)).toHaveLength(3);
    expect(backupsToPrune('a.cfg', names, 10)).toEqual([]);
  });
});

describe('script text', () => {
  it('quotes every path and substitutes {file} quoted', () => {
    const s = validateScript("haproxy -c -f {file} && echo ok '{file}'", "/etc/x/.a'b.cfg.clusterdeck-abcdef12.tmp");
    expect(s).toBe(`exec 2>&1\nhaproxy -c -f '/etc/x/.a'\\''b.cfg.clusterdeck-abcdef12.tmp' && echo ok ''/etc/x/.a'\\''b.cfg.clusterdeck-abcdef12.tmp''`);
    expect(stageScript('/e/.x.clusterdeck-abcdef12.tmp', { mode: '640', uid: 0, gid: 113 })).toContain('chown 0:113 -- "$t"\nchmod 640 -- "$t"');
  });

  it('checks mode/owner before they reach chmod/chown', () => {
    expect(metaProblem({ mode: '0644', uid: 0, gid: 0 })).toBeNull();
    expect(metaProblem({ mode: '644; rm -rf /', uid: 0, gid: 0 })).toContain('not octal');
    expect(metaProblem({ mode: '644', uid: -1, gid: 0 })).not.toBeNull();
  });
});

describe('reply parsing', () => {
  it('reads the status line and stat line', () => {
    expect(statusOf('changed abc\nmore')).toEqual({ status: 'changed', arg: 'abc', lines: ['changed abc', 'more'] });
    expect(parseStatLine('640 0 113 root haproxy 2048')).toEqual({ mode: '640', uid: 0, gid: 113, owner: 'root', group: 'haproxy', size: 2048 });
    expect(parseStatLine('garbage')).toBeNull();
  });

  it('bounds long output, keeping head and tail', () => {
    const long = `${'a'.repeat(5000)}[ALERT] at the end`;
    const b = boundOutput(long, 1000);
    expect(b.length).toBeLessThan(1100);
    expect(b).toContain('[ALERT] at the end');
    expect(b.startsWith('aaa')).toBe(true);
    expect(boundOutput('  short \n')).toBe('short');
  });
});
