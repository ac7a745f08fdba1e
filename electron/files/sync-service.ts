/**
 * The sync matrix of each cluster: cached, re-read on demand, after a push (refreshHosts), and
 * every REFRESH_MS while someone watches the cluster. A check costs one exec per host whatever the
 * number of files. Watchers hear 'sync.changed' only when a cell's state or fingerprint changed.
 */
import type { ClusterSpec } from '../../shared/domain/cluster';
import type { ManagedFile, NodeSync, SyncCell, SyncMatrix } from '../../shared/domain/managed-files';
import { fromErrorData } from '../../shared/errors';
import type { Connections } from '../core/connections';
import type { ClusterStore } from '../store/cluster-store';
import { filesOnHost, hostLink } from './file-hosts';
import type { FileStore } from './file-store';
import { STATE_RANK, checkHostFiles, unknownCells } from './sync-check';

export const SYNC_REFRESH_MS = 15_000;

export interface SyncService {
  /** The cached matrix, or a fresh one when `refresh` or when there is none yet. */
  get(cluster: string, refresh: boolean): Promise<SyncMatrix>;
  /** Re-checks these hosts (all when absent) and merges them into the matrix (after a push). */
  refreshHosts(cluster: string, hosts?: string[]): Promise<SyncMatrix>;
  /** Per host with managed files: the worst state of its files (from the cached matrix). */
  nodeSync(cluster: string): Map<string, NodeSync>;
  /** The file set changed: the cached matrix is dropped (and re-read now when watched). */
  invalidate(cluster: string): void;
  /**
   * A host's SSH link came up: a watched cluster whose matrix says "unknown" for it (its first check
   * ran before the link was up) checks that host now rather than at the next period.
   */
  hostUp(host: string): void;
  /** Starts / stops the periodic check of a cluster (the status watch's lifetime). */
  watch(cluster: string): void;
  unwatch(cluster: string): void;
  dispose(): void;
}

export interface SyncDeps {
  store: ClusterStore;
  files: FileStore;
  conns: Connections;
  /** A check found something new. */
  onChanged: (m: SyncMatrix) => void;
  onError: (e: unknown) => void;
  refreshMs?: number;
}

/** Every host some file is managed on (files naming hosts the inventory lost are tolerated), nodes first. */
export function hostsWithFiles(cluster: ClusterSpec, files: ManagedFile[]): string[] {
  return [...cluster.nodes, ...cluster.lbs].map((h) => h.name).filter((h) => filesOnHost(cluster, files, h).length > 0);
}

/** Worst state per host; hosts without cells are absent. Pure. */
export function summarize(cells: SyncCell[]): Map<string, NodeSync> {
  const out = new Map<string, NodeSync>();
  for (const c of cells) {
    const cur = out.get(c.host) ?? { state: 'in-sync' as const, files: [], checkedAt: 0 };
    out.set(c.host, {
      state: STATE_RANK[c.state] > STATE_RANK[cur.state] ? c.state : cur.state,
      files: c.state === 'in-sync' ? cur.files : [...cur.files, c.file],
      checkedAt: Math.max(cur.checkedAt, c.checkedAt),
    });
  }
  return out;
}

const cellKey = (c: SyncCell): string => `${c.host}\u0000${c.file}`;

/** True when some cell appeared, went, or changed state or fingerprint. Pure. */
export function cellsDiffer(a: SyncCell[], b: SyncCell[]): boolean {
  if (a.length !== b.length) return true;
  const before = new Map(a.map((c) => [cellKey(c), c]));
  return b.some((c) => {
    const p = before.get(cellKey(c));
    return !p || p.state !== c.state || p.sha256 !== c.sha256 || p.desiredSha256 !== c.desiredSha256;
  });
}

/** Identity of the file set: a matrix computed for another set can't be patched host by host. */
const fileSetKey = (files: ManagedFile[]): string => JSON.stringify(files.map((f) => [f.id, f.path, f.hosts, f.current.sha256, f.process]));

export function createSyncService(deps: SyncDeps): SyncService {
  const refreshMs = deps.refreshMs ?? SYNC_REFRESH_MS;
  const cache = new Map<string, { matrix: SyncMatrix; setKey: string; gen: number }>();
  const gens = new Map<string, number>();
  const inflight = new Map<string, { gen: number; p: Promise<SyncMatrix> }>();
  const loops = new Map<string, { timer: ReturnType<typeof setTimeout> | null; stopped: boolean }>();
  // Hosts whose link just came up, per cluster, checked together a moment later (links of a
  // cluster come up in a burst at start).
  const upSoon = new Map<string, Set<string>>();
  let disposed = false;

  const gen = (name: string): number => gens.get(name) ?? 0;

  /** Checks `only` hosts (all when null) and merges with `base` cells for the others. */
  const check = async (name: string, only: string[] | null, live: boolean): Promise<SyncMatrix> => {
    const started = Date.now();
    const myGen = gen(name);
    const cluster = await deps.store.get(name);
    const [files, reloads] = await Promise.all([deps.files.list(name), deps.files.reloads(name)]);
    const hosts = hostsWithFiles(cluster, files);
    const setKey = fileSetKey(files);
    const prev = cache.get(name);
    const patch = only !== null && prev !== undefined && prev.setKey === setKey;
    const todo = patch ? hosts.filter((h) => only.includes(h)) : hosts;
    const fresh = await Promise.all(
      todo.map(async (host) => {
        const mine = filesOnHost(cluster, files, host);
        const link = hostLink(deps.conns, cluster, host);
        // The periodic check never waits on a handshake: a host that is down is reported as such
        // and reconnected in the background (its link keeps retrying).
        if (live && link.status().state !== 'up') {
          void link.connect().catch(() => undefined);
          const e = link.status().lastError;
          return unknownCells(host, mine, e ? fromErrorData(e).message : `${host}: not connected`, Date.now());
        }
        return checkHostFiles(link, host, mine, reloads);
      }),
    );
    // Checks overlap (a periodic one, and one per link that just came up): merge into what the cache
    // holds NOW, and let the newer reading of a cell win, so a slow check never undoes a fresher one.
    const latest = cache.get(name);
    const byKey = new Map((latest && latest.setKey === setKey ? latest.matrix.cells : []).map((c) => [cellKey(c), c]));
    for (const c of fresh.flat()) {
      const old = byKey.get(cellKey(c));
      if (!old || c.checkedAt >= old.checkedAt) byKey.set(cellKey(c), c);
    }
    // Matrix order: hosts in inventory order, files in declaration order.
    const cells = hosts.flatMap((h) => files.map((f) => byKey.get(`${h}\u0000${f.id}`)).filter((c): c is SyncCell => c !== undefined));
    const matrix: SyncMatrix = {
      cluster: name,
      files,
      hosts,
      cells,
      checkedAt: cells.length ? Math.max(...cells.map((c) => c.checkedAt)) : Date.now(),
      durationMs: patch ? (prev.matrix.durationMs ?? null) : Date.now() - started,
    };
    // A check that started before the file set changed must not overwrite the newer state.
    if (myGen === gen(name) && !disposed) {
      const before = cache.get(name)?.matrix.cells;
      cache.set(name, { matrix, setKey, gen: myGen });
      if (!before || cellsDiffer(before, cells)) deps.onChanged(matrix);
    }
    return matrix;
  };

  const full = (name: string, live: boolean): Promise<SyncMatrix> => {
    const cur = inflight.get(name);
    if (cur && cur.gen === gen(name)) return cur.p;
    const p = check(name, null, live).finally(() => {
      if (inflight.get(name)?.p === p) inflight.delete(name);
    });
    inflight.set(name, { gen: gen(name), p });
    return p;
  };

  const schedule = (name: string, delay: number): void => {
    const loop = loops.get(name);
    if (!loop || loop.stopped || disposed) return;
    if (loop.timer) clearTimeout(loop.timer);
    loop.timer = setTimeout(async () => {
      loop.timer = null;
      if (loop.stopped) return;
      try {
        if ((await deps.files.list(name)).length > 0 || cache.has(name)) await full(name, true);
      } catch (e) {
        deps.onError(e);
      }
      schedule(name, refreshMs);
    }, delay);
    loop.timer.unref?.();
  };

  return {
    async get(name, refresh) {
      const hit = cache.get(name);
      if (hit && !refresh && hit.gen === gen(name)) return hit.matrix;
      return full(name, false);
    },
    async refreshHosts(name, hosts) {
      return hosts ? check(name, hosts, false) : full(name, false);
    },
    nodeSync(name) {
      const hit = cache.get(name);
      return hit ? summarize(hit.matrix.cells) : new Map();
    },
    invalidate(name) {
      // The old matrix stays for node summaries until the new one is in; get() won't serve it.
      gens.set(name, gen(name) + 1);
      if (loops.has(name)) schedule(name, 0);
    },
    hostUp(host) {
      for (const name of loops.keys()) {
        const hit = cache.get(name);
        if (hit && !hit.matrix.cells.some((c) => c.host === host && c.state === 'unknown')) continue;
        if (hit && !hit.matrix.hosts.includes(host)) continue;
        let hosts = upSoon.get(name);
        if (hosts) {
          hosts.add(host);
          continue;
        }
        hosts = new Set([host]);
        upSoon.set(name, hosts);
        setTimeout(() => {
          upSoon.delete(name);
          if (!loops.has(name) || disposed) return;
          check(name, [...hosts], true).catch(deps.onError);
        }, 50).unref?.();
      }
    },
    watch(name) {
      if (loops.has(name) || disposed) return;
      loops.set(name, { timer: null, stopped: false });
      schedule(name, 0);
    },
    unwatch(name) {
      const loop = loops.get(name);
      if (!loop) return;
      loop.stopped = true;
      if (loop.timer) clearTimeout(loop.timer);
      loops.delete(name);
    },
    dispose() {
      disposed = true;
      for (const name of [...loops.keys()]) this.unwatch(name);
    },
  };
}
