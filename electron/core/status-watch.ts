import type { ClusterSpec, LbSpec } from '../../shared/domain/cluster';
import type { NodeSync } from '../../shared/domain/managed-files';
import type { ClusterStatus } from '../../shared/domain/status';
import type { MetricsStore } from '../metrics/metrics-store';
import type { Connections } from './connections';
import { latestVip } from './latest-vip';
import { createLbAnswers, type LbAnswers } from './lb-answers';
import { readClusterStatus } from './status-service';
import type { VipObserver } from './vip-observer';

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

/** Bursts (several links dropping together, answers landing together) become one push. */
const COALESCE_MS = 20;

/**
 * How long a cycle waits for its LB reads before it pushes what it has: long enough for any LB on
 * a normal network, short against the interval so a slow LB's old answer is shown, with its age,
 * instead of holding the fast ones back. A read that lands later pushes on its own.
 */
export function settleMs(intervalMs: number): number {
  return Math.min(250, Math.max(10, Math.round(intervalMs / 4)));
}

interface Loop {
  peers: Set<string>;
  cluster: ClusterSpec;
  answers: LbAnswers;
  timer: ReturnType<typeof setTimeout> | null;
  late: ReturnType<typeof setTimeout> | null;
  stopped: boolean;
  /** Cycles waiting for their reads: they push what lands meanwhile themselves. */
  settling: number;
  /** Answers (LbAnswers.version) the last push held. */
  pushed: number;
  /** Pushes in order, one at a time; `queued` is the one not started yet, which later asks join. */
  tail: Promise<unknown>;
  queued: Promise<ClusterStatus> | null;
}

const lbKey = (lb: LbSpec): string => JSON.stringify([lb.ssh, lb.socket]);

/**
 * Keeps each watched cluster's LBs read once per heartbeat interval and pushes snapshots, so
 * renderers never poll. One loop per cluster however many windows watch it; it stops with its last
 * watcher. Each LB is read on its own (LbAnswers): every interval starts a read of each LB that has
 * none in flight, and the snapshot goes out once they all answered or after settleMs, whichever
 * comes first, built from each LB's latest answer with the time it arrived. A slow LB's answer
 * then pushes again when it lands. The first snapshot of a watch waits for every LB.
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
  const loops = new Map<string, Loop>();
  const liveVip = deps.vip ? latestVip(deps.vip) : undefined;
  const pendingPush = new Set<string>();

  // The first snapshot waits for every connection (it is complete, and measures each round trip
  // once); later ones report links as they are, so a dead host never holds up the pushes.
  const snapshot = async (loop: Loop, first: boolean): Promise<ClusterStatus> => {
    const version = loop.answers.version();
    const vip = first ? deps.vip : liveVip;
    const s = await readClusterStatus(conns, loop.cluster, {
      measureRtt: first,
      reads: loop.answers.latest(loop.cluster.lbs),
      ...(vip ? { vip } : {}),
      ...(deps.sync ? { sync: deps.sync } : {}),
    });
    loop.pushed = Math.max(loop.pushed, version);
    deps.metrics?.record(s);
    if (!loop.stopped) publish(s);
    return s;
  };

  /** Queues a push after the one running; a push asked for before the queued one starts joins it. */
  const push = (loop: Loop, first = false): Promise<ClusterStatus> => {
    if (!first && loop.queued) return loop.queued;
    const run = loop.tail.then(() => {
      if (loop.queued === run) loop.queued = null;
      return snapshot(loop, first);
    });
    if (!first) loop.queued = run;
    loop.tail = run.catch(() => undefined);
    return run;
  };

  const pushLive = (loop: Loop): Promise<void> =>
    push(loop).then(
      () => undefined,
      (e: unknown) => onError(e),
    );

  /** A read landed outside any cycle's wait: push it now rather than at the next interval. */
  const answered = (loop: Loop): void => {
    if (loop.stopped || loop.settling > 0 || loop.late) return;
    loop.late = setTimeout(() => {
      loop.late = null;
      if (!loop.stopped && loop.answers.version() > loop.pushed) void pushLive(loop);
    }, COALESCE_MS);
    loop.late.unref?.();
  };

  /** Asks every LB (joining reads in flight), waits at most settleMs for them, and pushes. */
  const cycle = async (loop: Loop, again: boolean): Promise<void> => {
    const reads = loop.cluster.lbs.map((lb) => loop.answers.read(lb, { live: true, again }));
    loop.settling++;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([Promise.all(reads), new Promise<void>((resolve) => (timer = setTimeout(resolve, settleMs(loop.cluster.settings.heartbeatIntervalMs))))]);
    } finally {
      clearTimeout(timer);
      loop.settling--;
    }
    if (!loop.stopped) await pushLive(loop);
  };

  const schedule = (loop: Loop): void => {
    if (loop.stopped) return;
    loop.timer = setTimeout(() => {
      loop.timer = null;
      void cycle(loop, false).finally(() => schedule(loop));
    }, loop.cluster.settings.heartbeatIntervalMs);
    loop.timer.unref?.();
  };

  const stop = (name: string): void => {
    const loop = loops.get(name);
    if (!loop) return;
    loop.stopped = true;
    loop.answers.stop();
    if (loop.timer) clearTimeout(loop.timer);
    if (loop.late) clearTimeout(loop.late);
    loops.delete(name);
    deps.onLoop?.(name, false);
  };

  const newLoop = (cluster: ClusterSpec): Loop => {
    const loop: Loop = {
      peers: new Set(),
      cluster,
      answers: createLbAnswers((lb, live) => conns.readLb(loop.cluster, lb, { live }), () => answered(loop)),
      timer: null,
      late: null,
      stopped: false,
      settling: 0,
      pushed: 0,
      tail: Promise.resolve(),
      queued: null,
    };
    return loop;
  };

  const update = (cluster: ClusterSpec): void => {
    const loop = loops.get(cluster.name);
    if (!loop) return;
    // An answer from an LB that left the cluster, or from its old address, is not this LB's state.
    const now = new Map(cluster.lbs.map((lb) => [lb.name, lbKey(lb)]));
    const before = new Map(loop.cluster.lbs.map((lb) => [lb.name, lbKey(lb)]));
    loop.answers.retain((name) => now.has(name) && now.get(name) === before.get(name));
    loop.cluster = cluster;
  };

  const refresh = async (name: string): Promise<void> => {
    const loop = loops.get(name);
    if (!loop || loop.stopped) return;
    // After an action: a read in flight may predate it, so one more follows it.
    await cycle(loop, true);
  };

  return {
    async watch(peer, cluster) {
      let loop = loops.get(cluster.name);
      const fresh = !loop;
      if (!loop) {
        loop = newLoop(cluster);
        loops.set(cluster.name, loop);
        deps.onLoop?.(cluster.name, true);
      }
      update(cluster);
      loop.peers.add(peer);
      const l = loop;
      l.settling++;
      try {
        // Complete: waits for each LB's connection and answer (joining a read already in flight).
        await Promise.all(cluster.lbs.map((lb) => l.answers.read(lb, { live: false })));
        return await push(l, true);
      } finally {
        l.settling--;
        if (fresh) schedule(l);
      }
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
        if (pendingPush.has(name)) continue;
        pendingPush.add(name);
        setTimeout(() => {
          pendingPush.delete(name);
          void refresh(name);
        }, COALESCE_MS).unref?.();
      }
    },
    update,
    refresh,
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
