import type { ClusterSpec } from '../../shared/domain/cluster';
import type { NodeSync } from '../../shared/domain/managed-files';
import type { ClusterStatus } from '../../shared/domain/status';
import type { MetricsStore } from '../metrics/metrics-store';
import type { Connections } from './connections';
import type { VipObserver } from './vip-observer';
import { readClusterStatus } from './status-service';

export interface StatusWatch {
  /** Starts (or joins) the live watch of a cluster; returns the first snapshot. */
  watch(peer: string, cluster: ClusterSpec): Promise<ClusterStatus>;
  unwatch(peer: string, cluster: string): boolean;
  /** A cluster's definition changed (its settings, say): later reads use the new one. */
  update(cluster: ClusterSpec): void;
  /** An SSH link changed state: push every watched cluster that has this host at once. */
  linkChanged(host: string): void;
  /** Reads and pushes a watched cluster now (after an action), instead of at its next interval. */
  refresh(cluster: string): Promise<void>;
  /** Forget a peer entirely (it disconnected). */
  dropPeer(peer: string): void;
  stopAll(): void;
}

/**
 * Re-reads a watched cluster once per heartbeat interval and pushes each snapshot, so renderers
 * never poll. One loop per cluster however many windows watch it; it stops with its last watcher.
 */
export function createStatusWatch(
  conns: Connections,
  publish: (s: ClusterStatus) => void,
  onError: (e: unknown) => void,
  deps: {
    vip?: VipObserver;
    metrics?: MetricsStore;
    /** Node sync summaries to put in each snapshot. */
    sync?: (cluster: string) => Map<string, NodeSync>;
    /** A cluster's watch loop started (true) or stopped (false): the sync service checks files while it runs. */
    onLoop?: (cluster: string, running: boolean) => void;
  } = {},
): StatusWatch {
  // The first read of a watch waits for every connection (its snapshot is complete); later reads
  // report links as they are, so a dead host never holds up the pushes.
  const read = async (cluster: ClusterSpec, first = false): Promise<ClusterStatus> => {
    const s = await readClusterStatus(conns, cluster, { measureRtt: first, ...(deps.vip ? { vip: deps.vip } : {}), ...(deps.sync ? { sync: deps.sync } : {}) });
    deps.metrics?.record(s);
    return s;
  };
  const loops = new Map<string, { peers: Set<string>; timer: ReturnType<typeof setTimeout> | null; cluster: ClusterSpec; stopped: boolean }>();

  const schedule = (name: string): void => {
    const loop = loops.get(name);
    if (!loop || loop.stopped) return;
    loop.timer = setTimeout(async () => {
      if (loop.stopped) return;
      try {
        publish(await read(loop.cluster));
      } catch (e) {
        onError(e);
      }
      schedule(name);
    }, loop.cluster.settings.heartbeatIntervalMs);
    loop.timer.unref?.();
  };

  const pendingPush = new Set<string>();

  const stop = (name: string): void => {
    const loop = loops.get(name);
    if (!loop) return;
    loop.stopped = true;
    if (loop.timer) clearTimeout(loop.timer);
    loops.delete(name);
    deps.onLoop?.(name, false);
  };

  return {
    async watch(peer, cluster) {
      let loop = loops.get(cluster.name);
      if (!loop) {
        loop = { peers: new Set(), timer: null, cluster, stopped: false };
        loops.set(cluster.name, loop);
        schedule(cluster.name);
        deps.onLoop?.(cluster.name, true);
      }
      loop.cluster = cluster;
      loop.peers.add(peer);
      const first = await read(cluster, true);
      publish(first);
      return first;
    },
    unwatch(peer, cluster) {
      const loop = loops.get(cluster);
      if (!loop) return false;
      loop.peers.delete(peer);
      if (loop.peers.size === 0) stop(cluster);
      return true;
    },
    linkChanged(host) {
      for (const [name, loop] of loops) {
        if (![...loop.cluster.nodes, ...loop.cluster.lbs].some((h) => h.name === host)) continue;
        // Coalesce a burst (several links dropping together) into one read.
        if (pendingPush.has(name)) continue;
        pendingPush.add(name);
        setTimeout(() => {
          pendingPush.delete(name);
          void this.refresh(name);
        }, 20).unref?.();
      }
    },
    update(cluster) {
      const loop = loops.get(cluster.name);
      if (loop) loop.cluster = cluster;
    },
    async refresh(name) {
      const loop = loops.get(name);
      if (!loop || loop.stopped) return;
      try {
        publish(await read(loop.cluster));
      } catch (e) {
        onError(e);
      }
    },
    dropPeer(peer) {
      for (const [name, loop] of loops) {
        loop.peers.delete(peer);
        if (loop.peers.size === 0) stop(name);
      }
    },
    stopAll() {
      for (const name of [...loops.keys()]) stop(name);
    },
  };
}
