import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labAvailable, startLab, type Lab } from '../lab';
import { formatStatus } from '../../electron/cli/format-status';
import { openSession } from '../../electron/cli/session';
import { runHost } from '../../electron/host/main';
import { electronBinary } from '../support/electron-binary';

/**
 * The README's launch command: a ready-made local demo cluster "demo" (the lab: node1-3 behind lb1
 * and lb2), a throwaway data directory with its inventory imported and its host keys pinned, and
 * ClusterDeck on top. Stays in the foreground; Ctrl-C stops everything and leaves nothing running.
 */
/** The demo's managed file: the lab app's config, checked and reloaded by the lab's own scripts. */
const DEMO_APP_CONF = {
  id: 'app-conf',
  path: '/srv/app/app.conf',
  hosts: 'nodes' as const,
  validate: '/srv/app/check-conf {file}',
  reload: { kind: 'command' as const, command: '/srv/app/reload' },
  servicePort: 8080,
};
const DEMO_APP_CONF_CONTENT = ['# ClusterDeck demo: the same on every node', 'greeting = hello from the demo', 'feature_x = on', ''].join('\n');

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
      // The demo's LBs share a virtual IP (lb1 holds it): name it so ClusterDeck shows who has it.
      const view = await s.api.call('failover.get', { cluster: 'demo' });
      await s.api.call('failover.apply', { cluster: 'demo', settings: { ...view.settings, vip: lab.vip } });
      // A managed file, pushed once so the Configuration tab starts in sync with a backup to roll back to.
      await s.api.call('files.put', { cluster: 'demo', settings: DEMO_APP_CONF, content: DEMO_APP_CONF_CONTENT, source: 'demo' });
      const push = await s.api.call('push.run', { cluster: 'demo', request: { mode: 'rolling', drainWaitSec: 5, portWaitSec: 10 } });
      if (push.outcome !== 'ok' && push.outcome !== 'unchanged') throw new Error(`demo: the first push of app.conf failed: ${push.message}`);
      log(`app.conf managed on node1-node3 (${push.message}); edit /srv/app/app.conf on a node to see it go out of sync`);
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
  console.log('Starting the demo cluster "demo": node1-node3 behind lb1 and lb2 (real sshd and HAProxy 2.6)...\n');
  const demo = await startDemo();
  const stops: Array<() => Promise<void>> = [];
  let stopping = false;
  const stop = (why: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${why}: stopping ClusterDeck and the demo cluster...`);
    (async () => {
      for (const s of stops.reverse()) await s().catch((e: unknown) => console.error(`while stopping: ${(e as Error).message}`));
      await demo.stop();
    })().then(
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

  const bin = electronBinary();
  if (bin.path) {
    const app = spawn(bin.path, [join(process.cwd(), 'dist', 'electron', 'main.cjs'), '--data-dir', demo.dataDir], { stdio: 'inherit' });
    stops.push(async () => {
      if (app.exitCode === null) app.kill('SIGTERM');
    });
    app.on('exit', () => stop('the app was closed'));
    console.log('ClusterDeck is open on the demo cluster. Ctrl-C here (or closing the window) stops everything.');
  } else {
    console.log(`No Electron binary on this machine (${bin.reason}),`);
    console.log('so ClusterDeck serves the same UI through its headless host instead.\n');
    const running = await runHost({ dataDir: demo.dataDir });
    stops.push(() => running.stop());
    console.log(`Open ClusterDeck: ${running.host.urlWithToken()}\n`);
    console.log('(The link carries a one-time token; anyone without it is refused.)');
  }
  console.log(`
The same cluster from the command line, in another terminal:

  export CLUSTERDECK_DATA_DIR=${demo.dataDir}
  npx clusterdeck status demo
  npx clusterdeck drain demo node1 --wait 10

Ctrl-C here stops ClusterDeck and the demo cluster and removes everything they created.`);
  // A pending promise does not keep Node running; a timer does, until a signal stops the demo.
  setInterval(() => undefined, 1 << 30);
}

if (process.argv[1] && /demo\.ts$/.test(process.argv[1])) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
