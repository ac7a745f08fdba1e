import type { CommandRecord } from '../../shared/domain/action';
import type { ClusterSpec, LbSpec, NodeSpec } from '../../shared/domain/cluster';
import type { CliLevel } from '../../shared/domain/reloads';
import type { LinkStatus } from '../../shared/domain/status';
import { CdError, fromErrorData } from '../../shared/errors';
import type { LbRead } from '../cluster/lb-read';
import type { LbPort } from '../actions/node-action';
import { parseShowInfo } from '../haproxy/parse/show-info';
import { toServerStats } from '../haproxy/parse/server-stat';
import { createRuntimeClient, socketLabel, type RuntimeClient } from '../haproxy/runtime-client';
import type { LinkRegistry } from '../ssh/link-registry';
import type { SshLink } from '../ssh/ssh-link';

export interface Connections {
  link(cluster: ClusterSpec, host: NodeSpec | LbSpec, role: 'node' | 'lb'): SshLink;
  runtime(cluster: ClusterSpec, lb: LbSpec): RuntimeClient;
  /** The LB access an action or a status read needs, bound to one cluster. */
  lbPort(cluster: ClusterSpec): LbPort;
  /**
   * Reads every LB of the cluster in parallel (all its backends, plus `show info`). With `live`, an
   * LB whose link is not up is reported as it is at once (and reconnected in the background)
   * instead of holding the whole read for a handshake timeout.
   */
  readCluster(cluster: ClusterSpec, opts?: { live?: boolean }): Promise<LbRead[]>;
  /** One LB of readCluster(): its backends and `show info`, with when the answer arrived. */
  readLb(cluster: ClusterSpec, lb: LbSpec, opts?: { live?: boolean }): Promise<LbRead>;
  links(): LinkStatus[];
  /** Reconnects links to host:port now (after its key was accepted). */
  retry(host: string, port: number): void;
  closeAll(): Promise<void>;
}

export function readCommands(backend: string): string[] {
  return [`show stat ${backend} 6 -1`, `show servers state ${backend}`];
}

/** Turns the replies of readCommands() for each backend (and an optional trailing `show info`) into an LbRead. */
export function parseLbReplies(lb: string, records: CommandRecord[], withInfo: boolean, level: CliLevel | null = null, at = Date.now()): LbRead {
  const failed = records.find((r) => r.error);
  if (failed?.error) return { lb, ok: false, error: fromErrorData(failed.error) };
  try {
    const pairs = withInfo ? records.slice(0, -1) : records;
    const servers = [];
    const backends: Record<string, string> = {};
    for (let i = 0; i + 1 < pairs.length; i += 2) {
      const r = toServerStats(pairs[i]!.reply, pairs[i + 1]!.reply);
      servers.push(...r.servers);
      Object.assign(backends, r.backends);
    }
    const info = withInfo ? parseShowInfo(records[records.length - 1]!.reply) : null;
    const readMs = records.reduce((m, r) => Math.max(m, r.ms), 0);
    return {
      lb,
      ok: true,
      servers,
      backends,
      info: info ? { version: info.version, pid: info.pid, uptimeSec: info.uptimeSec } : null,
      readMs,
      at,
      level,
    };
  } catch (e) {
    return { lb, ok: false, error: e instanceof CdError ? e : new CdError('HAPROXY_PROTOCOL', `${lb}: ${(e as Error).message}`) };
  }
}

export interface ConnectionHooks {
  /** After every good read of an LB: the reload observer and the socket checks look at it here. */
  onLbRead?(cluster: ClusterSpec, lb: LbSpec, read: LbRead, link: SshLink): Promise<void>;
}

export function createConnections(
  registry: LinkRegistry,
  onRuntimeCommand?: (cluster: string, lb: string, r: CommandRecord) => void,
  hooks: ConnectionHooks = {},
): Connections {
  const runtimes = new Map<string, RuntimeClient>();

  const link: Connections['link'] = (cluster, host, role) =>
    registry.ensure({
      name: host.name,
      role,
      endpoint: host.ssh,
      heartbeat: { intervalMs: cluster.settings.heartbeatIntervalMs, maxMissed: cluster.settings.failoverHeartbeats },
      connectTimeoutMs: cluster.settings.connectTimeoutMs,
    });

  const runtime: Connections['runtime'] = (cluster, lb) => {
    const l = link(cluster, lb, 'lb');
    const key = `${l.key}|${socketLabel(lb.socket)}`;
    let rt = runtimes.get(key);
    if (!rt) {
      rt = createRuntimeClient({
        lb: lb.name,
        link: l,
        socket: lb.socket,
        onCommand: (r) => onRuntimeCommand?.(cluster.name, lb.name, r),
      });
      runtimes.set(key, rt);
    }
    return rt;
  };

  const lbPort = (cluster: ClusterSpec): LbPort => ({
    connect: (lb) => link(cluster, lb, 'lb').connect(),
    run: (lb, commands) => runtime(cluster, lb).run(commands),
    // The session's level rides along: an action refuses before sending when an LB is not admin.
    parse: (lb, records) => parseLbReplies(lb.name, records, false, runtime(cluster, lb).level(), records[0]?.at ?? Date.now()),
    readCommands,
  });

  const readLb: Connections['readLb'] = async (cluster, lb, opts = {}) => {
    try {
      const l = link(cluster, lb, 'lb');
      if (opts.live && l.status().state !== 'up') {
        void l.connect().catch(() => undefined);
        const e = l.status().lastError;
        return { lb: lb.name, ok: false, error: e ? fromErrorData(e) : new CdError('SSH_DISCONNECTED', `${lb.name}: connecting…`) };
      }
      await l.connect();
      const backends = [...new Set(cluster.nodes.map((n) => n.backend))];
      const rt = runtime(cluster, lb);
      const recs = await rt.run([...backends.flatMap(readCommands), 'show info']);
      // Stamped when it was asked: the answer is at least that old, so an age is never understated.
      const read = parseLbReplies(lb.name, recs, true, rt.level(), recs[0]?.at ?? Date.now());
      if (read.ok) await hooks.onLbRead?.(cluster, lb, read, l);
      return read;
    } catch (e) {
      return { lb: lb.name, ok: false, error: e instanceof CdError ? e : new CdError('INTERNAL', (e as Error).message) };
    }
  };

  return {
    link,
    runtime,
    lbPort,
    readLb,
    async readCluster(cluster, opts = {}) {
      return Promise.all(cluster.lbs.map((lb) => readLb(cluster, lb, opts)));
    },
    links: () => registry.list(),
    retry: (host, port) => registry.retry(host, port),
    async closeAll() {
      for (const rt of runtimes.values()) rt.close();
      runtimes.clear();
      await registry.closeAll();
    },
  };
}
