import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTRACT } from '../../shared/contract';
import { createRpcClient } from '../../shared/rpc/client';
import { createMemoryTransportPair } from '../../shared/rpc/memory-transport';
import { createCore } from '../../electron/core/create-core';
import { startLab } from '../lab';
import { stats, type Stats } from './drain-bench';

/**
 * The rolling push of one small file (the lab app's app.conf) to 3 nodes behind 2 LBs, end to end
 * through the contract's client: per node the fingerprint check, the drain on both LBs (gate read,
 * command, re-read), validate, backup, rename, the app's reload (SIGHUP, acknowledged), the port
 * wait through SSH, the ready on both LBs; then the read-back and the audit write. Each run pushes
 * a new version (the store update is not timed), so every node really changes each time.
 */
export async function benchRollingPush(runs = 5): Promise<{ push: Stats; samplesMs: number[] }> {
  const lab = await startLab();
  const dataDir = mkdtempSync(join(tmpdir(), 'cd-bench-push-'));
  const core = createCore({ dataDir, extraKnownHosts: [lab.knownHostsFile], actor: { via: 'test', user: 'bench', machine: 'lab' }, reconnect: true });
  const [c, s] = createMemoryTransportPair();
  core.attach(s, 'bench');
  const api = createRpcClient(CONTRACT, c);
  try {
    await api.call('inventory.import', { source: { path: lab.inventoryYaml }, options: { cluster: 'bench' } });
    await api.call('status.get', { cluster: 'bench' }); // connect every link once: we time the push, not handshakes
    const times: number[] = [];
    for (let i = 0; i < runs + 1; i++) {
      await api.call('files.put', {
        cluster: 'bench',
        settings: {
          id: 'app.conf',
          path: '/srv/app/app.conf',
          hosts: 'nodes',
          validate: '/srv/app/check-conf {file}',
          reload: { kind: 'command', command: '/srv/app/reload' },
          servicePort: 8080,
          process: 'app-server.mjs',
        },
        content: `# bench run ${i}\ngreeting = hello ${i}\n`,
        source: 'bench',
      });
      const t0 = performance.now();
      const r = await api.call('push.run', { cluster: 'bench', request: { mode: 'rolling', drainWaitSec: 5, portWaitSec: 10 } });
      const ms = performance.now() - t0;
      if (r.outcome !== 'ok' || r.hosts.some((h) => h.outcome !== 'done')) throw new Error(`push ${i} did not succeed: ${r.message}`);
      if (i >= 1) times.push(ms); // the first run warms the runtime channels and the JIT
    }
    return { push: stats(times), samplesMs: times.map((x) => Math.round(x)) };
  } finally {
    api.close();
    await core.dispose();
    await lab.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
