import { hostname, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { createCore } from '../core/create-core';
import { defaultDataDir } from '../store/data-dir';
import { newToken } from './auth';
import { startHost, type Host } from './host-server';

export const RENDERER_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'renderer');

export interface RunningHost {
  host: Host;
  stop(): Promise<void>;
}

/** The headless host with its own core (live links, reconnecting), for browsers and the demo. */
export async function runHost(o: { dataDir: string; knownHosts?: string[]; port?: number; staticDir?: string }): Promise<RunningHost> {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry
  }
  const core = createCore({
    dataDir: o.dataDir,
    extraKnownHosts: o.knownHosts ?? [],
    actor: { via: 'ui', user, machine: hostname() },
    reconnect: true,
  });
  const host = await startHost({ core, staticDir: o.staticDir ?? RENDERER_DIR, token: newToken(), ...(o.port ? { port: o.port } : {}) });
  return {
    host,
    async stop() {
      await host.close();
      await core.dispose();
    },
  };
}

async function main(): Promise<void> {
  const program = new Command('clusterdeck-host')
    .description('Serve ClusterDeck to a browser on 127.0.0.1 (the desktop UI without Electron)')
    .option('--data-dir <dir>', 'data directory', process.env.CLUSTERDECK_DATA_DIR ?? defaultDataDir())
    .option('--known-hosts <file...>', 'known_hosts files you already trust, read-only')
    .option('--port <port>', 'port on 127.0.0.1 (default: a free one)', (v) => Number(v))
    .parse();
  const o = program.opts<{ dataDir: string; knownHosts?: string[]; port?: number }>();
  const running = await runHost({ dataDir: resolve(o.dataDir), ...(o.knownHosts ? { knownHosts: o.knownHosts } : {}), ...(o.port ? { port: o.port } : {}) });
  // The URL carries the token in its fragment: it is printed once for the user, and never logged.
  console.log(`ClusterDeck is running at ${running.host.urlWithToken()}`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void running.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && /host[\\/]main\.ts$/.test(process.argv[1])) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
