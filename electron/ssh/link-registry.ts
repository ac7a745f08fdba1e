import type { SshEndpoint } from '../../shared/domain/cluster';
import type { LinkStatus } from '../../shared/domain/status';
import type { CdError } from '../../shared/errors';
import type { AuthEnv } from './auth';
import { createSshLink, linkKey, type HostKeyGuard, type ManagedSshLink, type SshLink } from './ssh-link';

export interface LinkSpec {
  name: string;
  role: 'node' | 'lb';
  endpoint: SshEndpoint;
  heartbeat: { intervalMs: number; maxMissed: number };
  /** The cluster's connect deadline; the link's default when absent. */
  connectTimeoutMs?: number;
}

export interface LinkRegistry {
  /** The one link for this endpoint (user@host:port), created on first use. */
  ensure(spec: LinkSpec): SshLink;
  byName(name: string): SshLink | undefined;
  list(): LinkStatus[];
  /** Reconnects links to host:port now (e.g. after its key was accepted). */
  retry(host: string, port: number): void;
  closeAll(): Promise<void>;
}

export interface RegistryOptions {
  hostKeys: HostKeyGuard;
  auth?: AuthEnv;
  reconnect: boolean;
  onStatus?: (s: LinkStatus) => void;
  onCommand?: (host: string, c: { command: string; reply: string; ms: number; error: CdError | null }) => void;
}

/** One persistent SSH connection per endpoint, shared by every cluster that names it. */
export function createLinkRegistry(opts: RegistryOptions): LinkRegistry {
  const links = new Map<string, ManagedSshLink>();
  const names = new Map<string, string>();
  const namesByKey = new Map<string, Set<string>>();

  return {
    ensure(spec) {
      const key = linkKey(spec.endpoint);
      names.set(spec.name, key);
      let aliases = namesByKey.get(key);
      if (!aliases) namesByKey.set(key, (aliases = new Set()));
      aliases.add(spec.name);
      let link = links.get(key);
      if (!link) {
        link = createSshLink({
          name: spec.name,
          role: spec.role,
          endpoint: spec.endpoint,
          names: [...aliases],
          hostKeys: opts.hostKeys,
          ...(opts.auth ? { auth: opts.auth } : {}),
          heartbeat: spec.heartbeat,
          ...(spec.connectTimeoutMs !== undefined ? { connectTimeoutMs: spec.connectTimeoutMs } : {}),
          reconnect: opts.reconnect,
          ...(opts.onStatus ? { onStatus: opts.onStatus } : {}),
          onCommand: (c) => opts.onCommand?.(spec.name, c),
        });
        links.set(key, link);
      } else {
        link.setHeartbeat(spec.heartbeat);
        if (spec.connectTimeoutMs !== undefined) link.setConnectTimeout(spec.connectTimeoutMs);
      }
      return link;
    },
    byName(name) {
      const key = names.get(name);
      return key ? links.get(key) : undefined;
    },
    list: () => [...links.values()].map((l) => l.status()),
    retry(host, port) {
      for (const l of links.values()) {
        const s = l.status();
        if (s.target.endsWith(`@${host}:${port}`)) l.retryNow();
      }
    },
    async closeAll() {
      const all = [...links.values()];
      links.clear();
      await Promise.all(all.map((l) => l.close()));
    },
  };
}
