/**
 * Shared by the push lab tests: a core on a fresh data directory talking to a lab through the
 * contract's client, the lab's app.conf as a managed file, and readings taken on the lab directly.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lab, LbName, NodeName } from '../../e2e/lab';
import { parseServersState } from '../../e2e/lab/haproxy-stats';
import { nodeSrv } from '../../e2e/lab/layout';
import { ssh } from '../../e2e/lab/testing';
import { CONTRACT } from '../../shared/contract';
import type { ManagedFileSettingsInput } from '../../shared/domain/managed-files';
import { createRpcClient, type RpcClient } from '../../shared/rpc/client';
import { createMemoryTransportPair } from '../../shared/rpc/memory-transport';
import { createCore, type Core } from '../core/create-core';

export const NODES: NodeName[] = ['node1', 'node2', 'node3'];
export const LBS: LbName[] = ['lb1', 'lb2'];
export const sha = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');

export const APP_CONF: ManagedFileSettingsInput = {
  id: 'app.conf',
  path: '/srv/app/app.conf',
  hosts: 'nodes',
  validate: '/srv/app/check-conf {file}',
  reload: { kind: 'command', command: '/srv/app/reload' },
  check: null,
  servicePort: 8080,
  process: 'app-server.mjs',
  owner: 'root',
  group: 'root',
  mode: '0644',
  keepBackups: 5,
};

export interface PushLab {
  core: Core;
  api: RpcClient<typeof CONTRACT>;
  dataDir: string;
  /** The seeded app.conf of each node, as the lab wrote it. */
  seeded: Record<NodeName, string>;
  close(): Promise<void>;
}

export async function openCore(lab: Lab): Promise<PushLab> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cd-push-'));
  const core = createCore({ dataDir, extraKnownHosts: [lab.knownHostsFile], actor: { via: 'test', user: 't', machine: 'lab' }, reconnect: true });
  const [c, s] = createMemoryTransportPair();
  core.attach(s, 'test');
  const api = createRpcClient(CONTRACT, c);
  await api.call('inventory.import', { source: { path: lab.inventoryYaml }, options: { cluster: 'demo' } });
  const seeded = Object.fromEntries(NODES.map((n) => [n, readFileSync(confPath(lab, n), 'utf8')])) as Record<NodeName, string>;
  return {
    core,
    api,
    dataDir,
    seeded,
    async close() {
      api.close();
      await core.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const appDir = (lab: Lab, n: NodeName): string => join(nodeSrv(lab.dir, n), 'app');
export const confPath = (lab: Lab, n: NodeName): string => join(appDir(lab, n), 'app.conf');
export const onDisk = (lab: Lab, n: NodeName): string => readFileSync(confPath(lab, n), 'utf8');
export const mtimeOf = (lab: Lab, n: NodeName): number => statSync(confPath(lab, n)).mtimeMs;
export const leftovers = (lab: Lab, n: NodeName): string[] => readdirSync(appDir(lab, n)).filter((f) => f.endsWith('.tmp') || f.endsWith('.partial'));
export const backupsOn = (lab: Lab, n: NodeName): string[] => readdirSync(appDir(lab, n)).filter((f) => /^app\.conf\.clusterdeck-.*\.bak$/.test(f));

/** Every node back to its seeded app.conf, loaded; no backups or temps; every server ready on both LBs. */
export async function resetLab(lab: Lab, pl: PushLab): Promise<void> {
  for (const n of NODES) {
    writeFileSync(confPath(lab, n), pl.seeded[n]);
    for (const f of readdirSync(appDir(lab, n)).filter((x) => x.includes('.clusterdeck-') || x === 'new.conf' || x === 'link.conf')) rmSync(join(appDir(lab, n), f), { force: true });
    const r = await ssh(lab, n, '/srv/app/reload');
    if (r.code !== 0) throw new Error(`reset: reload on ${n} failed: ${r.stderr}`);
  }
  for (const lb of LBS) for (const n of NODES) await lab.runtime(lb, `set server app/${n} state ready`);
  if (existsSync(join(nodeSrv(lab.dir, 'node1'), 'linked'))) rmSync(join(nodeSrv(lab.dir, 'node1'), 'linked'), { force: true });
}

export interface StateSample {
  lb: LbName;
  /** performance.now() when the command was sent and when its reply came back. */
  sent: number;
  got: number;
  /** Nodes whose admin state has the drain bit (0x08) on that LB. */
  drained: string[];
}

/** Reads `show servers state app` of both LBs on their admin sockets every `everyMs`, until stopped. */
export function sampleDrains(lab: Lab, everyMs = 50): { stop(): Promise<StateSample[]> } {
  const samples: StateSample[] = [];
  let running = true;
  const loop = (async () => {
    // Bounded: a push in these tests takes seconds, never minutes.
    for (let i = 0; running && i < 20 * 60 * (1000 / everyMs); i++) {
      await Promise.all(
        LBS.map(async (lb) => {
          const sent = performance.now();
          const rows = parseServersState(await lab.runtime(lb, 'show servers state app'));
          const got = performance.now();
          samples.push({ lb, sent, got, drained: rows.filter((r) => (Number(r['srv_admin_state']) & 0x08) === 0x08).map((r) => r['srv_name']!) });
        }),
      );
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return samples;
    },
  };
}
