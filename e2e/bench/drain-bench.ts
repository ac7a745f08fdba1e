import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTRACT } from '../../shared/contract';
import { createRpcClient } from '../../shared/rpc/client';
import { createMemoryTransportPair } from '../../shared/rpc/memory-transport';
import { createCore } from '../../electron/core/create-core';
import { labAvailable, startLab } from '../lab';

export interface Stats {
  n: number;
  medianMs: number;
  p90Ms: number;
  minMs: number;
  maxMs: number;
}

export function stats(xs: number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  const median = s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { n: s.length, medianMs: r(median), p90Ms: r(at(0.9)), minMs: r(s[0]!), maxMs: r(s[s.length - 1]!) };
}

/**
 * Drains node1 20 times through the contract's client (in-memory transport, as the CLI uses it) and
 * times each call from the call to the confirmed reply: the gate's read of both LBs, the commands,
 * the re-read on each LB, the audit write. Each drain is undone by a ready that is not timed.
 */
export async function benchDrain(iterations = 20): Promise<{ drain: Stats; ready: Stats; samplesMs: number[] }> {
  const lab = await startLab();
  const dataDir = mkdtempSync(join(tmpdir(), 'cd-bench-'));
  const core = createCore({
    dataDir,
    extraKnownHosts: [lab.knownHostsFile],
    actor: { via: 'test', user: 'bench', machine: 'lab' },
    reconnect: true,
  });
  const [c, s] = createMemoryTransportPair();
  core.attach(s, 'bench');
  const api = createRpcClient(CONTRACT, c);
  try {
    await api.call('inventory.import', { source: { path: lab.inventoryYaml }, options: { cluster: 'bench' } });
    await api.call('status.get', { cluster: 'bench' }); // connect every link once: we time actions, not handshakes
    const drains: number[] = [];
    const readies: number[] = [];
    for (let i = 0; i < iterations + 2; i++) {
      const t0 = performance.now();
      const r = await api.call('nodes.act', { cluster: 'bench', node: 'node1', action: 'drain' });
      const t1 = performance.now();
      if (r.outcome !== 'ok') throw new Error(`drain ${i} did not succeed: ${r.message}`);
      const back = await api.call('nodes.act', { cluster: 'bench', node: 'node1', action: 'ready' });
      const t2 = performance.now();
      if (back.outcome !== 'ok') throw new Error(`ready ${i} did not succeed: ${back.message}`);
      if (i >= 2) {
        drains.push(t1 - t0); // the first two warm the runtime channels and the JIT
        readies.push(t2 - t1);
      }
    }
    return { drain: stats(drains), ready: stats(readies), samplesMs: drains.map((x) => Math.round(x * 1000) / 1000) };
  } finally {
    api.close();
    await core.dispose();
    await lab.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const avail = labAvailable();
  if (!avail.ok) {
    console.error(`bench needs the lab: ${avail.reason}`);
    process.exit(2);
  }
  const out = process.argv[2] ?? 'bench-results.json';
  const only = process.argv[3];
  const { benchDetection, benchWatching } = await import('./watch-bench');
  // One bench on its own (`npm run bench -- push`) updates its figures and keeps the others.
  const { existsSync, readFileSync } = await import('node:fs');
  const earlier: Record<string, unknown> = only && existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>) : {};
  const results: Record<string, unknown> = { ...earlier, at: new Date().toISOString(), machine: { node: process.version, cpus: (await import('node:os')).cpus().length } };
  if (!only || only === 'drain') {
    const drain = await benchDrain(20);
    results.drainNode1BothLbs = { ...drain.drain, targetMs: 5, samplesMs: drain.samplesMs };
    results.readyNode1BothLbs = drain.ready;
    console.log(`drain node1 on 2 LBs (gate read + command + re-read, via the contract client), n=${drain.drain.n}:`);
    console.log(`  median ${drain.drain.medianMs} ms, p90 ${drain.drain.p90Ms} ms, min ${drain.drain.minMs} ms, max ${drain.drain.maxMs} ms (target: <= 5 ms)`);
    console.log(`ready  node1 on 2 LBs: median ${drain.ready.medianMs} ms, p90 ${drain.ready.p90Ms} ms`);
  }
  if (!only || only === 'detection') {
    const d = await benchDetection(5);
    results.unreachableDetection = { ...d.detection, budgetMs: d.budgetMs, settings: '1 s x 3 heartbeats', samplesMs: d.samplesMs };
    console.log(`node link cut -> pushed status "unreachable" (1 s x 3 heartbeats), n=${d.detection.n}:`);
    console.log(`  median ${d.detection.medianMs} ms, max ${d.detection.maxMs} ms (budget: ${d.budgetMs} ms = interval x heartbeats + one interval)`);
  }
  if (!only || only === 'watch') {
    const w = await benchWatching(60);
    results.watchingLab1s = w;
    console.log(`core watching the lab (5 links, 2 LBs, 1 s heartbeat) for ${w.seconds} s: CPU ${w.cpuPercent}% of one core, RSS ${w.rssMb} MB, heap ${w.heapUsedMb} MB, ${w.pushes} status pushes`);
  }
  if (!only || only === 'push') {
    const { benchRollingPush } = await import('./push-bench');
    const p = await benchRollingPush(5);
    results.rollingPush3Nodes2Lbs = { ...p.push, samplesMs: p.samplesMs };
    console.log(`rolling push of one small file to 3 nodes behind 2 LBs (drain, push, reload, port, ready per node; via the contract client), n=${p.push.n}:`);
    console.log(`  median ${p.push.medianMs} ms, min ${p.push.minMs} ms, max ${p.push.maxMs} ms`);
  }
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`written to ${out}`);
}

if (process.argv[1] && /drain-bench\.ts$/.test(process.argv[1])) {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e instanceof Error ? e.stack : e);
      process.exit(1);
    },
  );
}
