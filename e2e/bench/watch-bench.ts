import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTRACT } from '../../shared/contract';
import type { ClusterStatus } from '../../shared/domain/status';
import { createRpcClient } from '../../shared/rpc/client';
import { createMemoryTransportPair } from '../../shared/rpc/memory-transport';
import { createCore } from '../../electron/core/create-core';
import { startLab, type Lab } from '../lab';
import { stats, type Stats } from './drain-bench';

async function withWatchedLab<T>(fn: (o: { lab: Lab; statuses: ClusterStatus[]; api: ReturnType<typeof createRpcClient<typeof CONTRACT>> }) => Promise<T>): Promise<T> {
  const lab = await startLab();
  const dataDir = mkdtempSync(join(tmpdir(), 'cd-bench-'));
  const core = createCore({ dataDir, extraKnownHosts: [lab.knownHostsFile], actor: { via: 'test', user: 'bench', machine: 'lab' }, reconnect: true });
  const [c, s] = createMemoryTransportPair();
  core.attach(s, 'bench');
  const api = createRpcClient(CONTRACT, c);
  const statuses: ClusterStatus[] = [];
  try {
    await api.call('inventory.import', { source: { path: lab.inventoryYaml }, options: { cluster: 'bench' } });
    api.subscribe('status.changed', (st) => statuses.push(st));
    await api.call('status.watch', { cluster: 'bench' });
    return await fn({ lab, statuses, api });
  } finally {
    api.close();
    await core.dispose();
    await lab.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * How long after a node's link is cut (silently: no RST, as a dead switch port) the pushed status
 * says "unreachable", against the budget interval × failover heartbeats + one interval.
 */
export async function benchDetection(trials = 5): Promise<{ detection: Stats; budgetMs: number; samplesMs: number[] }> {
  return withWatchedLab(async ({ lab, statuses }) => {
    const budgetMs = 1000 * 3 + 1000;
    const samples: number[] = [];
    for (let i = 0; i < trials; i++) {
      const host = (['node1', 'node2', 'node3'] as const)[i % 3]!;
      await lab.waitFor(async () => statuses.at(-1)?.nodes.every((n) => n.link.state === 'up') ?? false, { timeoutMs: 30_000, what: 'every link up' });
      // Let a few beats pass so the cut lands at a random point of the heartbeat cycle.
      await new Promise((r) => setTimeout(r, 1000 + Math.random() * 1000));
      await lab.fault.cutLink(host);
      const cutBy = Date.now();
      await lab.waitFor(async () => statuses.at(-1)?.nodes.find((n) => n.node === host)?.merged === 'unreachable', {
        timeoutMs: 20_000,
        what: `${host} unreachable`,
        intervalMs: 10,
      });
      samples.push(Date.now() - cutBy);
      await lab.fault.healLink(host);
    }
    return { detection: stats(samples), budgetMs, samplesMs: samples };
  });
}

/** CPU share and memory of this process (the core) while it watches the lab at a 1 s heartbeat. */
export async function benchWatching(seconds = 60): Promise<{ seconds: number; cpuPercent: number; rssMb: number; heapUsedMb: number; pushes: number }> {
  return withWatchedLab(async ({ statuses }) => {
    await new Promise((r) => setTimeout(r, 5_000)); // connections and JIT settle first
    global.gc?.();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const pushes0 = statuses.length;
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const cpu = process.cpuUsage(cpu0);
    const wallMs = performance.now() - t0;
    const mem = process.memoryUsage();
    const r1 = (x: number) => Math.round(x * 10) / 10;
    return {
      seconds,
      cpuPercent: r1(((cpu.user + cpu.system) / 1000 / wallMs) * 100),
      rssMb: r1(mem.rss / 1048576),
      heapUsedMb: r1(mem.heapUsed / 1048576),
      pushes: statuses.length - pushes0,
    };
  });
}
