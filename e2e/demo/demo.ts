import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labAvailable, startLab, type Lab } from '../lab';
import { formatStatus } from '../../electron/cli/format-status';
import { openSession } from '../../electron/cli/session';

/**
 * The README's launch command: a ready-made local demo cluster "demo" (the lab: node1-3 behind lb1
 * and lb2), a throwaway data directory with its inventory imported and its host keys pinned, and
 * ClusterDeck on top. Stays in the foreground; Ctrl-C stops everything and leaves nothing running.
 */
export interface Demo {
  lab: Lab;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startDemo(log: (s: string) => void = console.log): Promise<Demo> {
  const lab = await startLab();
  const dataDir = mkdtempSync(join(tmpdir(), 'clusterdeck-demo-'));
  try {
    const s = openSession({ dataDir });
    try {
      await s.api.call('inventory.import', { source: { path: lab.inventoryYaml }, options: { cluster: 'demo' } });
      // Pin exactly the keys the lab generated: the demo's hosts are known, nothing is trusted blindly.
      for (const host of ['node1', 'node2', 'node3', 'lb1', 'lb2'] as const) {
        await s.api.call('hostKeys.accept', { fingerprint: lab.hostKeyFingerprint(host, 'ssh-ed25519'), host: lab.hosts[host].ip, port: 22 });
      }
      log(formatStatus(await s.api.call('status.get', { cluster: 'demo' })));
    } finally {
      await s.close();
    }
  } catch (e) {
    await lab.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  return {
    lab,
    dataDir,
    async stop() {
      await lab.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function main(): Promise<void> {
  const avail = labAvailable();
  if (!avail.ok) {
    console.error(`The demo cluster runs real sshd and HAProxy in network namespaces: ${avail.reason}`);
    process.exit(2);
  }
  console.log('Starting the demo cluster (3 app nodes, 2 HAProxy load balancers)...\n');
  const demo = await startDemo();
  let stopping = false;
  const stop = (sig: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${sig}: stopping the demo cluster...`);
    demo.stop().then(
      () => {
        console.log('stopped; nothing is left running.');
        process.exit(0);
      },
      (e: unknown) => {
        console.error(`stop failed: ${(e as Error).message}; run \`npm run lab -- down --all\``);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('Ctrl-C'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  console.log(`
The desktop UI comes with the next release. Meanwhile drive the demo cluster from another terminal:

  export CLUSTERDECK_DATA_DIR=${demo.dataDir}
  npx clusterdeck status demo
  npx clusterdeck drain demo node1 --wait 10
  npx clusterdeck ready demo node1
  npx clusterdeck maint demo node2          # refused by the safety gate while node1 is drained
  npx clusterdeck audit demo

Ctrl-C here stops the cluster and removes everything it created.`);
  // A pending promise does not keep Node running; a timer does, until a signal stops the demo.
  setInterval(() => undefined, 1 << 30);
}

if (process.argv[1] && /demo\.ts$/.test(process.argv[1])) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
