import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClusterSpec } from '../../shared/domain/cluster';
import type { OutsideReload } from '../../shared/domain/reloads';
import { read, stat } from '../cluster/test-support';
import type { LbRead } from '../cluster/lb-read';
import type { OwnReload } from './detect-reload';
import { createReloadService } from './reload-service';
import { createReloadStore } from './reload-store';

const cluster = {
  name: 'demo',
  nodes: [{ name: 'node1', backend: 'app', server: 'node1', ssh: { host: 'n1', port: 22, user: 'root' } }],
  lbs: [],
} as unknown as ClusterSpec;

const T0 = Date.UTC(2026, 11, 4, 10, 0, 0);

function lbRead(pid: number, uptimeSec: number, at: number, status: string, adminState: number): LbRead {
  const r = read('lb1', [stat('node1', status, { adminState })]);
  return r.ok ? { ...r, info: { version: '2.6', pid, uptimeSec }, at } : r;
}

describe('reload service', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cd-reloads-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const service = (own: OwnReload[] = [], audited: OutsideReload[] = []) =>
    createReloadService({
      store: createReloadStore(dir, 'test'),
      ownReloads: async () => own,
      record: async (_c, r) => {
        audited.push(r);
      },
    });

  it('notices a new worker once, across processes sharing the data directory, and forgets it when acknowledged', async () => {
    const audited: OutsideReload[] = [];
    const app = service([], audited);
    const cli = service([], audited);
    expect(await app.observe(cluster, lbRead(100, 50, T0, 'DRAIN', 0x08))).toBeNull();
    expect(await app.observe(cluster, lbRead(100, 51, T0 + 1_000, 'DRAIN', 0x08))).toBeNull();

    // The CLI starts later and sees the new worker first: it reports it, from the file the app wrote.
    const r = await cli.observe(cluster, lbRead(200, 2, T0 + 10_000, 'UP', 0));
    expect(r?.message).toMatch(/pid 100 → 200\); runtime state may have been lost: node1 was DRAIN, is now UP$/);
    // The app then reads the same worker: no second report.
    expect(await app.observe(cluster, lbRead(200, 3, T0 + 11_000, 'UP', 0))).toBeNull();
    expect(audited).toHaveLength(1);
    expect([...(await app.refresh('demo')).keys()]).toEqual(['lb1']);
    expect(app.current('demo').get('lb1')?.newPid).toBe(200);

    expect(await app.acknowledge('demo', 'lb1')).toBe(1);
    expect(app.current('demo').size).toBe(0);
    expect((await cli.refresh('demo')).size).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'reloads', 'demo.json'), 'utf8')).lbs.lb1.pid).toBe(200);
  });

  it("raises nothing for ClusterDeck's own reload", async () => {
    const audited: OutsideReload[] = [];
    const s = service([{ startedAt: T0 + 9_000, endedAt: null, oldPid: 100, newPid: null }], audited);
    await s.observe(cluster, lbRead(100, 50, T0, 'DRAIN', 0x08));
    expect(await s.observe(cluster, lbRead(200, 1, T0 + 10_000, 'DRAIN', 0x08))).toBeNull();
    expect(audited).toEqual([]);
    expect(s.current('demo').size).toBe(0);
  });

  it('writes nothing while nothing changes', async () => {
    const s = service();
    await s.observe(cluster, lbRead(100, 50, T0, 'UP', 0));
    const file = join(dir, 'reloads', 'demo.json');
    const before = readFileSync(file, 'utf8');
    await s.observe(cluster, lbRead(100, 55, T0 + 5_000, 'UP', 0));
    expect(readFileSync(file, 'utf8')).toBe(before);
  });
});
