import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ManagedFile } from '../../shared/domain/managed-files';
import { cellsFromProbe, classifyCell, parseSyncOutput, syncScript } from './sync-check';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

function managed(id: string, path: string, content: string, process: string | null = null): ManagedFile {
  const v = { version: 1, sha256: sha(content), size: Buffer.byteLength(content), addedAt: 0, source: 'x', by: 't' };
  return {
    id,
    path,
    hosts: 'nodes',
    validate: null,
    reload: { kind: 'none' },
    check: null,
    servicePort: null,
    process,
    owner: 'root',
    group: 'root',
    mode: '0644',
    keepBackups: 5,
    current: v,
    versions: [v],
  };
}

describe('sync script', () => {
  it('quotes every path and never puts a process pattern in clear', () => {
    const s = syncScript([{ path: "/srv/it's $(rm -rf)/a b", process: 'node app-server.mjs' }]);
    expect(s).toContain(`one 0 '/srv/it'\\''s $(rm -rf)/a b'`);
    expect(s).not.toContain('app-server.mjs');
    expect(s).toContain(Buffer.from('node app-server.mjs').toString('base64'));
  });
  it('refuses a path with ..', () => {
    expect(() => syncScript([{ path: '/srv/../etc/passwd', process: null }])).toThrow(/\.\./);
  });

  it('reports ok, missing, directory, dangling symlink and a running process when run by a real shell', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cd-sync-'));
    writeFileSync(join(dir, 'a.conf'), 'x = 1\n');
    utimesSync(join(dir, 'a.conf'), 1_700_000_000.25, 1_700_000_000.25);
    mkdirSync(join(dir, 'adir'));
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling'));
    const items = [
      { path: join(dir, 'a.conf'), process: 'no-such-process-pattern-xyzzy' },
      { path: join(dir, 'gone.conf'), process: null },
      { path: join(dir, 'adir'), process: null },
      { path: join(dir, 'dangling'), process: 'vitest' },
    ];
    const out = execFileSync('sh', ['-c', syncScript(items)], { encoding: 'utf8' });
    const p = parseSyncOutput(out, items.length);
    expect(Math.abs(p.now - Date.now())).toBeLessThan(5_000);
    expect(p.files[0]).toEqual({ kind: 'ok', sha256: sha('x = 1\n'), size: 6, mtime: 1_700_000_000_250 });
    expect(p.files[1]).toEqual({ kind: 'missing' });
    expect(p.files[2]).toEqual({ kind: 'unreadable', reason: 'is a directory' });
    expect(p.files[3]).toMatchObject({ kind: 'unreadable', reason: expect.stringMatching(/^dangling symlink to .*nowhere/) });
    // The script's own shell must not count as a match.
    expect(p.procStart[0]).toBeNull();
    expect(p.procStart[1]).toBeUndefined();
    // vitest itself is running: it started before now.
    expect(p.procStart[3]).toBeLessThanOrEqual(p.now);
  });
});

describe('sync output parser', () => {
  const S = 'a'.repeat(64);
  it('parses every kind of line', () => {
    const p = parseSyncOutput(`now 1700000100.500000000\nF 0 ok ${S} 12 1700000000\nP 0 30\nF 1 unreadable permission denied\nend\n`, 2);
    expect(p.now).toBe(1_700_000_100_500);
    expect(p.files).toEqual([{ kind: 'ok', sha256: S, size: 12, mtime: 1_700_000_000_000 }, { kind: 'unreadable', reason: 'permission denied' }]);
    expect(p.procStart).toEqual([1_700_000_070_500, undefined]);
  });
  it('refuses a reply cut short, a missing answer, or garbage', () => {
    expect(() => parseSyncOutput(`now 1\nF 0 missing\n`, 1)).toThrow(/cut short/);
    expect(() => parseSyncOutput(`now 1\nF 0 missing\nend\n`, 2)).toThrow(/file 1/);
    expect(() => parseSyncOutput(`now 1\nF 0 ok nothex 1 1\nend\n`, 1)).toThrow(/fingerprint/);
    expect(() => parseSyncOutput(`now 1\nhello\nend\n`, 1)).toThrow(/unexpected/);
    expect(() => parseSyncOutput(`now 1\nF 3 missing\nend\n`, 1)).toThrow(/file 3 of 1/);
  });
});

describe('cell state', () => {
  const f = managed('app', '/srv/app/app.conf', 'a = 1\n', 'app-server');
  const ok = (content: string, mtime: number) => ({ kind: 'ok' as const, sha256: sha(content), size: content.length, mtime });
  it('out of sync names both fingerprints like confd', () => {
    const c = classifyCell('node2', f, ok('a = 2\n', 1000), null, null, 5);
    expect(c.state).toBe('out-of-sync');
    expect(c.detail).toBe(`has sha256 ${sha('a = 2\n').slice(0, 8)}… should be ${sha('a = 1\n').slice(0, 8)}…`);
    expect(c.sha256).toBe(sha('a = 2\n'));
  });
  it('missing and unreadable keep their reason', () => {
    expect(classifyCell('n', f, { kind: 'missing' }, null, null, 0)).toMatchObject({ state: 'missing', sha256: null });
    expect(classifyCell('n', f, { kind: 'unreadable', reason: 'is a directory' }, null, null, 0)).toMatchObject({ state: 'unreadable', detail: '/srv/app/app.conf: is a directory' });
  });
  it('pending restart when the file is newer than the last (re)load, whichever is known', () => {
    expect(classifyCell('n', f, ok('a = 1\n', 2000), 1000, null, 0).state).toBe('pending-restart');
    expect(classifyCell('n', f, ok('a = 1\n', 2000), 1000, 3000, 0).state).toBe('in-sync');
    expect(classifyCell('n', f, ok('a = 1\n', 2000), 3000, null, 0).state).toBe('in-sync');
    expect(classifyCell('n', f, ok('a = 1\n', 2000), null, 1500, 0).state).toBe('pending-restart');
    expect(classifyCell('n', { ...f, process: null }, ok('a = 1\n', 2000), undefined, null, 0).state).toBe('in-sync');
  });
  it('moves recorded reload times onto the host clock', () => {
    // Host clock 10 s ahead; reload recorded at local 1000 = host 11000; file written at host 10500 → loaded after.
    const probe = { now: 20_000, files: [ok('a = 1\n', 10_500)], procStart: [undefined] };
    const cells = cellsFromProbe('n', [{ ...f, process: null }], probe, new Map([['n\u0000app', 1000]]), 10_000);
    expect(cells[0]!.state).toBe('in-sync');
    const late = cellsFromProbe('n', [{ ...f, process: null }], { ...probe, files: [ok('a = 1\n', 11_500)] }, new Map([['n\u0000app', 1000]]), 10_000);
    expect(late[0]!.state).toBe('pending-restart');
  });
});
