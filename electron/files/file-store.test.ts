import { chmodSync, mkdirSync, mkdtempSync, rmdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clusterSpecSchema } from '../../shared/domain/cluster';
import { managedFileSettingsSchema, type ManagedFileSettingsInput } from '../../shared/domain/managed-files';
import { CdError } from '../../shared/errors';
import { createFileStore } from './file-store';
import { fileHosts, matrixHosts } from './file-hosts';

const tmp = () => mkdtempSync(join(tmpdir(), 'cd-files-'));
const settings = (s: Partial<ManagedFileSettingsInput> = {}) => managedFileSettingsSchema.parse({ id: 'app', path: '/srv/app/app.conf', hosts: 'nodes', ...s });

describe('file store', () => {
  it('keeps each new content as a new immutable version, same content makes none', async () => {
    const dir = tmp();
    const store = createFileStore(dir);
    const a = await store.put('demo', settings(), 'a = 1\n', '/home/x/app.conf', 'cli root@m');
    expect(a.change).toBe('added');
    expect(a.file.current).toMatchObject({ version: 1, size: 6, source: '/home/x/app.conf', by: 'cli root@m' });
    expect((await store.put('demo', settings(), 'a = 1\n', 'again', 'x')).change).toBe('unchanged');
    const b = await store.put('demo', settings(), 'a = 2\n', 'v2', 'x');
    expect(b.change).toBe('updated');
    expect(b.file.versions.map((v) => v.version)).toEqual([1, 2]);
    expect(await store.content('demo', 'app')).toBe('a = 2\n');
    expect(await store.content('demo', 'app', 1)).toBe('a = 1\n');
    // Settings only: no new version.
    const c = await store.put('demo', settings({ mode: '0600' }), undefined, undefined, 'x');
    expect(c.change).toBe('updated');
    expect(c.file.versions).toHaveLength(2);
    expect(c.file.mode).toBe('0600');
    const v1 = join(dir, 'files', 'demo', 'app', 'v1');
    expect(statSync(v1).mode & 0o777).toBe(0o600);
    expect(readFileSync(v1, 'utf8')).toBe('a = 1\n');
    expect((await store.list('demo')).map((f) => f.id)).toEqual(['app']);
    expect(await store.list('other')).toEqual([]);
  });

  it('refuses bad input and loses nothing', async () => {
    const dir = tmp();
    const store = createFileStore(dir);
    await store.put('demo', settings(), 'a = 1\n', 's', 'x');
    const manifest = readFileSync(join(dir, 'files', 'demo', 'manifest.json'), 'utf8');
    await expect(store.put('demo', settings({ id: 'new' }), undefined, undefined, 'x')).rejects.toThrow(/needs its content/);
    await expect(store.put('demo', { ...settings(), path: '/srv/../etc/passwd' }, 'x', 's', 'x')).rejects.toThrow(/path.*'\.\.'/);
    await expect(store.put('demo', settings({ id: 'big' }), 'x'.repeat(1024 * 1024 + 1), 's', 'x')).rejects.toThrow(/at most 1048576 bytes/);
    await expect(store.put('demo', settings({ id: 'other' }), 'b', 's', 'x')).rejects.toThrow(/already managed as "app"/);
    await expect(store.put('bad name!', settings(), 'x', 's', 'x')).rejects.toThrow(/cluster name/);
    expect(readFileSync(join(dir, 'files', 'demo', 'manifest.json'), 'utf8')).toBe(manifest);
    expect(readdirSync(join(dir, 'files', 'demo')).sort()).toEqual(['app', 'manifest.json']);
  });

  it('leaves the store as it was when a write fails', async () => {
    const dir = tmp();
    const store = createFileStore(dir);
    await store.put('demo', settings(), 'a = 1\n', 's', 'x');
    const cdir = join(dir, 'files', 'demo');
    const manifest = readFileSync(join(cdir, 'manifest.json'), 'utf8');
    // The next version's content cannot be written (its name is taken by a directory).
    mkdirSync(join(cdir, 'app', 'v2'));
    await expect(store.put('demo', settings(), 'a = 2\n', 's', 'x')).rejects.toMatchObject({ code: 'IO_ERROR' });
    expect(readFileSync(join(cdir, 'manifest.json'), 'utf8')).toBe(manifest);
    rmdirSync(join(cdir, 'app', 'v2'));
    if (process.getuid?.() !== 0) {
      // The manifest cannot be replaced: the version written just before is removed again (root writes through 0500).
      chmodSync(cdir, 0o500);
      try {
        await expect(store.put('demo', settings(), 'a = 2\n', 's', 'x')).rejects.toThrow();
      } finally {
        chmodSync(cdir, 0o700);
      }
    }
    expect(readdirSync(join(cdir, 'app'))).toEqual(['v1']);
    expect((await store.get('demo', 'app')).versions).toHaveLength(1);
    expect(await store.content('demo', 'app')).toBe('a = 1\n');
  });

  it('says which file is missing, refuses a corrupt manifest without touching it, detects tampered content', async () => {
    const dir = tmp();
    const store = createFileStore(dir);
    await expect(store.get('demo', 'nope')).rejects.toThrow(/demo: no managed file "nope"/);
    await store.put('demo', settings(), 'a = 1\n', 's', 'x');
    writeFileSync(join(dir, 'files', 'demo', 'app', 'v1'), 'tampered');
    await expect(store.content('demo', 'app')).rejects.toMatchObject({ code: 'DATA_CORRUPT' });
    writeFileSync(join(dir, 'files', 'demo', 'manifest.json'), '{oops');
    const e = await store.list('demo').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CdError);
    expect((e as CdError).code).toBe('DATA_CORRUPT');
    expect(readFileSync(join(dir, 'files', 'demo', 'manifest.json'), 'utf8')).toBe('{oops');
  });

  it('removes a file and its versions; records reload times', async () => {
    const dir = tmp();
    const store = createFileStore(dir);
    await store.put('demo', settings(), 'a = 1\n', 's', 'x');
    await store.recordReload('demo', 'node1', 'app', 1234);
    await store.recordReload('demo', 'node2', 'app', 5678);
    expect(await store.reloads('demo')).toEqual(new Map([['node1\u0000app', 1234], ['node2\u0000app', 5678]]));
    expect(await store.remove('demo', 'app')).toBe(true);
    expect(await store.remove('demo', 'app')).toBe(false);
    expect(await store.list('demo')).toEqual([]);
    expect(readdirSync(join(dir, 'files', 'demo')).sort()).toEqual(['manifest.json', 'reloads.json']);
    // Re-adding starts a fresh history.
    expect((await store.put('demo', settings(), 'b\n', 's', 'x')).file.current.version).toBe(1);
  });
});

describe('file hosts', () => {
  const cluster = clusterSpecSchema.parse({
    name: 'demo',
    nodes: ['node1', 'node2'].map((n, i) => ({ name: n, ssh: { host: `10.0.0.${i + 1}`, user: 'root' }, backend: 'app', server: n })),
    lbs: [{ name: 'lb1', ssh: { host: '10.0.0.9', user: 'root' }, socket: { kind: 'unix', path: '/run/haproxy/admin.sock' } }],
  });
  it('resolves nodes, lbs and a list (inventory order)', () => {
    expect(fileHosts(cluster, settings())).toEqual(['node1', 'node2']);
    expect(fileHosts(cluster, settings({ hosts: 'lbs' }))).toEqual(['lb1']);
    expect(fileHosts(cluster, settings({ hosts: ['lb1', 'node2'] }))).toEqual(['node2', 'lb1']);
    expect(matrixHosts(cluster, [settings({ hosts: 'lbs' }), settings({ id: 'b', hosts: ['node2'] })])).toEqual(['node2', 'lb1']);
  });
  it('names unknown hosts and refuses an HAProxy reload off the LBs', () => {
    expect(() => fileHosts(cluster, settings({ hosts: ['node1', 'node9', 'x'] }))).toThrow(/not in the cluster: node9, x/);
    expect(() => fileHosts(cluster, settings({ reload: { kind: 'haproxy' } }))).toThrow(/load balancers only; not on node1, node2/);
    expect(fileHosts(cluster, settings({ hosts: 'lbs', reload: { kind: 'haproxy' } }))).toEqual(['lb1']);
  });
});
