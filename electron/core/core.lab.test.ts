import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labAvailable, startLab, type Lab } from '../../e2e/lab';
import { CONTRACT } from '../../shared/contract';
import type { ClusterStatus } from '../../shared/domain/status';
import { createRpcClient } from '../../shared/rpc/client';
import { createMemoryTransportPair } from '../../shared/rpc/memory-transport';
import { createCore, type Core } from './create-core';

const avail = labAvailable();

describe.skipIf(!avail.ok)(`the core over its contract, against the lab (${avail.ok ? 'root' : `skipped: ${avail.reason}`})`, () => {
  let lab: Lab;
  let dataDir: string;
  const cores: Core[] = [];

  const open = (via: 'ui' | 'cli' = 'ui') => {
    const core = createCore({
      dataDir,
      extraKnownHosts: [lab.knownHostsFile],
      actor: { via, user: 'tester', machine: 'lab' },
      reconnect: true,
    });
    cores.push(core);
    const [c, s] = createMemoryTransportPair();
    core.attach(s, via);
    return { core, api: createRpcClient(CONTRACT, c) };
  };

  beforeAll(async () => {
    lab = await startLab();
    dataDir = mkdtempSync(join(tmpdir(), 'cd-core-'));
    const { api } = open();
    await api.call('inventory.import', { source: { path: lab.inventoryYaml }, options: { cluster: 'demo' } });
  });
  afterAll(async () => {
    await Promise.all(cores.map((c) => c.dispose()));
    await lab?.stop();
  });

  it('pushes live status to a watcher, including a change made behind its back', async () => {
    const { api } = open();
    const seen: ClusterStatus[] = [];
    api.subscribe('status.changed', (s) => seen.push(s));
    const first = await api.call('status.watch', { cluster: 'demo' });
    expect(first.nodes.map((n) => n.merged)).toEqual(['active', 'active', 'standby']);
    await lab.runtime('lb2', 'set server app/node2 state drain');
    try {
      await lab.waitFor(async () => seen.some((s) => s.nodes[1]?.merged === 'draining'), { timeoutMs: 5000, what: 'a pushed status with node2 draining' });
      const last = seen.find((s) => s.nodes[1]?.merged === 'draining')!;
      expect(last.nodes[1]).toMatchObject({ disagree: true, disagreement: 'lb1: UP, lb2: DRAIN' });
    } finally {
      await lab.runtime('lb2', 'set server app/node2 state ready');
    }
    await api.call('status.unwatch', { cluster: 'demo' });
  });

  it('serializes actions on a cluster across processes: a CLI waiting on a drain holds the cluster', async () => {
    const held = await lab.hold('lb1', 'node1', 4);
    const bin = join(process.cwd(), 'scripts', 'clusterdeck.mjs');
    const child = spawn(process.execPath, [bin, '--data-dir', dataDir, '--known-hosts', lab.knownHostsFile, 'drain', 'demo', 'node1', '--wait', '2'], { stdio: 'pipe' });
    const childDone = new Promise<{ code: number; at: number }>((resolve) => child.on('exit', (code) => resolve({ code: code ?? -1, at: Date.now() })));
    const lock = join(dataDir, 'locks', 'action-demo.lock');
    await lab.waitFor(async () => existsSync(lock), { timeoutMs: 10_000, what: 'the CLI holding the cluster lock', intervalMs: 10 });
    const { api } = open();
    const r = await api.call('nodes.act', { cluster: 'demo', node: 'node3', action: 'drain' });
    const cli = await childDone;
    expect(cli.code).toBe(5); // the held request outlived --wait 2
    expect(r.outcome).toBe('ok');
    expect(r.startedAt).toBeGreaterThanOrEqual(cli.at - 250); // it could only start once the CLI let go
    await held.done.catch(() => undefined);
    for (const n of ['node1', 'node3']) expect((await api.call('nodes.act', { cluster: 'demo', node: n, action: 'ready' })).outcome).toBe('ok');
  });

  it('keeps the audit log across restarts and filters it by node', async () => {
    const { api } = open();
    const log = await api.call('audit.list', { cluster: 'demo', node: 'node1', limit: 10 });
    const kinds = log.entries.map((e) => (e.kind === 'node-action' ? `${e.actor.via}:${e.result.action}:${e.result.node}` : e.kind));
    expect(kinds).toEqual(['ui:ready:node1', 'cli:drain:node1']);
    const cliEntry = log.entries[1]!;
    expect(cliEntry.kind === 'node-action' && cliEntry.result.outcome).toBe('timeout');
  });

  it('runs concurrent actions on one cluster in call order', async () => {
    const { api } = open();
    // Fired together, as a UI double-click or a runbook loop would: the last one asked must be the state left.
    const asked = ['drain', 'ready', 'maint', 'ready', 'drain', 'ready'] as const;
    const results = await Promise.all(asked.map((action) => api.call('nodes.act', { cluster: 'demo', node: 'node2', action })));
    expect(results.map((r) => r.outcome)).toEqual(asked.map(() => 'ok'));
    const byStart = [...results].sort((a, b) => a.startedAt - b.startedAt || a.durationMs - b.durationMs);
    expect(byStart.map((r) => r.action)).toEqual([...asked]);
    for (const lb of ['lb1', 'lb2'] as const) expect((await lab.serverStatus(lb, 'node2')).admin).toBe(0);
    const audited = (await api.call('audit.list', { cluster: 'demo', node: 'node2', limit: 6 })).entries;
    expect(audited.map((e) => (e.kind === 'node-action' ? e.result.action : e.kind)).reverse()).toEqual([...asked]);
  });
});
