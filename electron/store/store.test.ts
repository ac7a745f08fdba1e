import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../shared/domain/audit';
import { clusterSpecSchema, type ClusterSpec } from '../../shared/domain/cluster';
import { writeFileAtomic } from './atomic-write';
import { createAuditLog } from './audit-log';
import { createClusterStore } from './cluster-store';
import { defaultDataDir } from './data-dir';
import { createKeyedMutex, withFileLock } from './file-lock';

const tmp = () => mkdtempSync(join(tmpdir(), 'cd-store-'));

const spec = (name: string): ClusterSpec =>
  clusterSpecSchema.parse({
    name,
    nodes: [{ name: 'node1', ssh: { host: '10.0.0.1', user: 'root' }, backend: 'app', server: 'node1' }],
    lbs: [{ name: 'lb1', ssh: { host: '10.0.0.2', user: 'root' }, socket: { kind: 'unix', path: '/run/haproxy/admin.sock' } }],
  });

describe('data directory', () => {
  it("matches Electron's userData for an app named ClusterDeck", () => {
    expect(defaultDataDir('linux', {}, '/home/a')).toBe('/home/a/.config/ClusterDeck');
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '/x/cfg' }, '/home/a')).toBe('/x/cfg/ClusterDeck');
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: 'relative' }, '/home/a')).toBe('/home/a/.config/ClusterDeck');
    expect(defaultDataDir('darwin', {}, '/Users/a')).toBe('/Users/a/Library/Application Support/ClusterDeck');
    expect(defaultDataDir('win32', { APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'C:\\Users\\a')).toMatch(/Roaming[\\/]ClusterDeck$/);
  });
});

describe('atomic write', () => {
  it('replaces the file whole, with mode 0600, leaving no temp file', async () => {
    const dir = tmp();
    const f = join(dir, 'x.json');
    await writeFileAtomic(f, 'one');
    await writeFileAtomic(f, 'two');
    expect(readFileSync(f, 'utf8')).toBe('two');
    expect(statSync(f).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['x.json']);
  });

  it('fails with IO_ERROR and leaves the old file when the target cannot be replaced', async () => {
    const dir = tmp();
    const f = join(dir, 'sub');
    await writeFileAtomic(join(f, 'inner'), 'keep');
    // renaming a file over a non-empty directory fails
    await expect(writeFileAtomic(f, 'new')).rejects.toMatchObject({ code: 'IO_ERROR' });
    expect(readFileSync(join(f, 'inner'), 'utf8')).toBe('keep');
    expect(readdirSync(dir)).toEqual(['sub']);
  });
});

describe('cluster store', () => {
  it('creates, refuses duplicates, replaces, lists and removes', async () => {
    const s = createClusterStore(tmp(), 'test');
    await s.save(spec('b'), 'create');
    await s.save(spec('a'), 'create');
    await expect(s.save(spec('a'), 'create')).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    await expect(s.save(spec('zz'), 'replace')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await s.list()).map((c) => c.name)).toEqual(['a', 'b']);
    expect((await s.get('a')).nodes[0]?.server).toBe('node1');
    expect(await s.remove('a')).toBe(true);
    expect(await s.remove('a')).toBe(false);
    await expect(s.get('a')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses names that would escape the data directory', async () => {
    const s = createClusterStore(tmp(), 'test');
    await expect(s.get('../etc/passwd')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('reports a corrupt file by name and never overwrites it on create', async () => {
    const root = tmp();
    const s = createClusterStore(root, 'test');
    await s.save(spec('c'), 'create');
    const f = join(root, 'clusters', 'c.json');
    writeFileSync(f, '{"name": "c", "nodes": [');
    await expect(s.get('c')).rejects.toMatchObject({ code: 'DATA_CORRUPT', message: expect.stringContaining(f) });
    await expect(s.save(spec('c'), 'create')).rejects.toMatchObject({ code: 'DATA_CORRUPT' });
    expect(readFileSync(f, 'utf8')).toBe('{"name": "c", "nodes": [');
  });
});

describe('audit log', () => {
  const entry = (id: string, node: string): AuditEntry => ({
    kind: 'cluster-change',
    id,
    at: new Date().toISOString(),
    cluster: 'demo',
    actor: { via: 'test', user: 'u', machine: 'm' },
    change: 'updated',
    summary: `touched ${node}`,
  });

  it('keeps entries across instances, newest first, and counts torn lines', async () => {
    const root = tmp();
    await createAuditLog(root).append(entry('1', 'node1'));
    await createAuditLog(root).append(entry('2', 'node2'));
    appendFileSync(join(root, 'audit', 'demo.jsonl'), '{"kind":"node-act');
    const got = await createAuditLog(root).list('demo', { limit: 10 });
    expect(got.entries.map((e) => e.id)).toEqual(['2', '1']);
    expect(got.skippedLines).toBe(1);
  });

  it('keeps every line whole when two processes append large entries at once', async () => {
    const root = tmp();
    const { spawn } = await import('node:child_process');
    const writer = (tag: string) => `
      const { createAuditLog } = await import(${JSON.stringify(join(process.cwd(), 'electron/store/audit-log.ts'))});
      const log = createAuditLog(${JSON.stringify(root)});
      const big = '${tag}'.repeat(20000);
      await Promise.all(Array.from({ length: 150 }, (_, i) => log.append({
        kind: 'cluster-change', id: '${tag}' + i, at: new Date().toISOString(), cluster: 'demo',
        actor: { via: 'test', user: 'u', machine: 'm' }, change: 'updated', summary: big })));
      await log.flush();`;
    const run = (tag: string) =>
      new Promise<number>((resolve) => spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', writer(tag)], { stdio: 'inherit' }).on('exit', (c) => resolve(c ?? 1)));
    expect(await Promise.all([run('a'), run('b')])).toEqual([0, 0]);
    const got = await createAuditLog(root).list('demo', { limit: 1000 });
    expect(got.skippedLines).toBe(0);
    expect(got.entries).toHaveLength(300);
    for (const e of got.entries) expect(e.kind === 'cluster-change' && e.summary === e.id[0]!.repeat(20000)).toBe(true);
  });

  it('refuses an entry that does not match the schema', async () => {
    const log = createAuditLog(tmp());
    await expect(log.append({ kind: 'nope' } as unknown as AuditEntry)).rejects.toThrow();
  });
});

describe('locks', () => {
  it('serializes holders of one file lock and names the holder when waiting gives up', async () => {
    const dir = tmp();
    const path = join(dir, 'locks', 'action-demo');
    const order: string[] = [];
    const first = withFileLock(path, { waitMs: 5000, owner: 'first holder' }, async () => {
      order.push('a-start');
      await new Promise((r) => setTimeout(r, 150));
      order.push('a-end');
    });
    await new Promise((r) => setTimeout(r, 20));
    await expect(withFileLock(path, { waitMs: 50, what: 'cluster demo' }, async () => undefined)).rejects.toMatchObject({
      code: 'LOCKED',
      message: expect.stringContaining('first holder'),
    });
    const second = withFileLock(path, { waitMs: 5000 }, async () => {
      order.push('b');
    });
    await Promise.all([first, second]);
    expect(order).toEqual(['a-start', 'a-end', 'b']);
  });

  it('holds across processes, and takes over the lock of a holder that died', async () => {
    const dir = tmp();
    const path = join(dir, 'lk');
    const { spawn } = await import('node:child_process');
    // A child takes the lock with the same module and holds it for 300 ms.
    const script = `
      const { withFileLock } = await import(${JSON.stringify(join(process.cwd(), 'electron/store/file-lock.ts'))});
      await withFileLock(${JSON.stringify(path)}, { waitMs: 1000, owner: 'child' }, async () => {
        console.log('locked');
        await new Promise((x) => setTimeout(x, 300));
      });`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: process.cwd() });
    await new Promise<void>((resolve) => child.stdout.on('data', () => resolve()));
    const t0 = Date.now();
    await withFileLock(path, { waitMs: 5000 }, async () => undefined);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(100);

    // A lock file left by a process that no longer exists is stale at once.
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => dead.on('exit', r));
    writeFileSync(`${path}.lock`, JSON.stringify({ pid: dead.pid, host: hostname(), owner: 'crashed cli', since: 'earlier' }));
    const t1 = Date.now();
    await withFileLock(path, { waitMs: 50 }, async () => undefined);
    expect(Date.now() - t1).toBeLessThan(50);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keyed mutex runs same-key work one at a time and other keys in parallel', async () => {
    const m = createKeyedMutex();
    const log: string[] = [];
    const job = (k: string, id: string, ms: number) =>
      m(k, async () => {
        log.push(`${id}+`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`${id}-`);
      });
    await Promise.all([job('a', 'a1', 30), job('a', 'a2', 1), job('b', 'b1', 5)]);
    expect(log.indexOf('a1-')).toBeLessThan(log.indexOf('a2+'));
    expect(log.indexOf('b1+')).toBeLessThan(log.indexOf('a1-'));
  });
});
