import { hostname, userInfo } from 'node:os';
import { resolve } from 'node:path';
import { CONTRACT, type ClusterDeckContract } from '../../shared/contract';
import { createRpcClient, type RpcClient } from '../../shared/rpc/client';
import { createMemoryTransportPair } from '../../shared/rpc/memory-transport';
import { createCore, type Core } from '../core/create-core';
import { defaultDataDir } from '../store/data-dir';

export interface GlobalOptions {
  dataDir?: string;
  knownHosts?: string[];
  acceptHostKey?: string[];
}

export interface CliSession {
  api: RpcClient<ClusterDeckContract>;
  core: Core;
  close(): Promise<void>;
}

/**
 * The CLI reaches the core only through the contract, over an in-memory transport: exactly the API
 * the desktop UI gets, with the same argument and result validation.
 */
export function openSession(g: GlobalOptions): CliSession {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (containers): keep 'unknown'
  }
  const core = createCore({
    dataDir: resolve(g.dataDir ?? process.env.CLUSTERDECK_DATA_DIR ?? defaultDataDir()),
    extraKnownHosts: (g.knownHosts ?? []).map((f) => resolve(f)),
    acceptHostKeys: g.acceptHostKey ?? [],
    actor: { via: 'cli', user, machine: hostname() },
    reconnect: false,
  });
  const [client, server] = createMemoryTransportPair();
  core.attach(server, 'cli');
  const api = createRpcClient(CONTRACT, client);
  return {
    api,
    core,
    async close() {
      api.close();
      await core.dispose();
    },
  };
}

/** Opens the core for one command and always closes it (links, then the audit flush). */
export async function withSession(g: GlobalOptions, fn: (s: CliSession) => Promise<number>): Promise<number> {
  const s = openSession(g);
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}
