import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
    await createAuditLog(root, 'a').append(entry('1', 'node1'));
    await createAuditLog(root, 'b').append(entry('2', 'node2'));
    appendFileSync(join(root, 'audit', 'demo.jsonl'), '{"kind":"node-act');
    const got = await createAuditLog(root, 'c').list('demo', { limit: 10 });
    expect(got.entries.map((e) => e.id)).toEqual(['2', '1']);
    expect(got.skippedLines).toBe(1);
  });

  it('refuses an entry that does not match the schema', async () => {
    const log = createAuditLog(tmp(), 'a');
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

  it('holds across processes', async () => {
    const dir = tmp();
    const path = join(dir, 'lk');
    const script = `
      import lockfile from 'proper-lockfile';
      const r = await lockfile.lock(${JSON.stringify(path)}, { realpath: false, retries: 0 });
      console.log('locked');
      await new Promise((x) => setTimeout(x, 300));
      await r();`;
    const child = import('node:child_process').then(({ spawn }) =>
      new Promise<void>((resolve) => {
        const p = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: process.cwd() });
        p.stdout.on('data', () => resolve());
      }),
    );
    await child;
    const t0 = Date.now();
    await withFileLock(path, { waitMs: 5000 }, async () => undefined);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(100);
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
