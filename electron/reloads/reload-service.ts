/**
 * Keeps an eye on each LB's worker across reads: a worker replaced by someone else (an Ansible
 * handler, `systemctl reload`, a restart) is reported once, with what it did to the servers' admin
 * states, in the status the UI and the CLI show and in the audit log. ClusterDeck's own reloads
 * are known from the intent journal and raise nothing.
 */
import type { ClusterSpec } from '../../shared/domain/cluster';
import type { OutsideReload } from '../../shared/domain/reloads';
import type { LbRead } from '../cluster/lb-read';
import { outsideReload, seenChanged, seenOf, type LbSeen, type OwnReload } from './detect-reload';
import type { ReloadStore } from './reload-store';

export interface ReloadService {
  /** Compares one LB's fresh read with what was last seen; records (and audits) an outside reload once. */
  observe(cluster: ClusterSpec, read: LbRead): Promise<OutsideReload | null>;
  /** The unacknowledged outside reloads of a cluster, by LB, as last loaded (no I/O: status is derived often). */
  current(cluster: string): Map<string, OutsideReload>;
  /** Reloads the notices from the data directory (another process may have added or acknowledged some). */
  refresh(cluster: string): Promise<Map<string, OutsideReload>>;
  /** The admin has seen it: drops the notice of one LB, or of every LB; returns how many were dropped. */
  acknowledge(cluster: string, lb: string | null): Promise<number>;
}

export interface ReloadServiceDeps {
  store: ReloadStore;
  /** ClusterDeck's own HAProxy reloads of an LB (the intent journal; every process on the data dir). */
  ownReloads(cluster: string, lb: string): Promise<OwnReload[]>;
  /** Audits a newly noticed outside reload. */
  record(cluster: string, reload: OutsideReload): Promise<void>;
  now?: () => number;
}

export function createReloadService(deps: ReloadServiceDeps): ReloadService {
  const now = deps.now ?? Date.now;
  // Per cluster: what this process last saw of each LB (so an unchanged read costs no I/O), and the notices.
  const seen = new Map<string, Map<string, LbSeen>>();
  const notices = new Map<string, Map<string, OutsideReload>>();
  const loaded = new Map<string, Promise<void>>();

  const load = (cluster: string): Promise<void> => {
    let p = loaded.get(cluster);
    if (!p) {
      p = deps.store.read(cluster).then((f) => {
        seen.set(cluster, new Map(Object.entries(f.lbs)));
        notices.set(cluster, new Map(Object.entries(f.notices)));
      });
      p.catch(() => loaded.delete(cluster));
      loaded.set(cluster, p);
    }
    return p;
  };

  const nodeNamer = (cluster: ClusterSpec) => (backend: string, server: string) =>
    cluster.nodes.find((n) => n.backend === backend && n.server === server)?.name ?? null;

  return {
    async observe(cluster, read) {
      const cur = seenOf(read);
      if (!cur) return null;
      await load(cluster.name);
      const mine = seen.get(cluster.name)!;
      const before = mine.get(read.lb) ?? null;
      if (!seenChanged(before, cur)) return null;
      const newWorker = before !== null && before.pid !== cur.pid;
      const own = newWorker ? await deps.ownReloads(cluster.name, read.lb) : [];
      // Decided under the lock against the file, not this process's memory: another process may
      // have seen this worker first (and audited it), or seen a newer one.
      const { found, file } = await deps.store.update(cluster.name, (f) => {
        const prev = f.lbs[read.lb] ?? before;
        if (prev && prev.seenAt > cur.seenAt) return { found: null, file: f };
        const r = prev && prev.pid !== cur.pid ? outsideReload(read.lb, prev, cur, own, now(), nodeNamer(cluster)) : null;
        if (r) f.notices[read.lb] = r;
        f.lbs[read.lb] = cur;
        return { found: r, file: structuredClone(f) };
      });
      seen.set(cluster.name, new Map(Object.entries(file.lbs)));
      notices.set(cluster.name, new Map(Object.entries(file.notices)));
      if (found) await deps.record(cluster.name, found);
      return found;
    },
    current: (cluster) => notices.get(cluster) ?? new Map(),
    async refresh(cluster) {
      loaded.delete(cluster);
      await load(cluster);
      return notices.get(cluster) ?? new Map();
    },
    async acknowledge(cluster, lb) {
      const { dropped, file } = await deps.store.update(cluster, (f) => {
        const names = lb === null ? Object.keys(f.notices) : Object.keys(f.notices).filter((n) => n === lb);
        for (const n of names) delete f.notices[n];
        return { dropped: names.length, file: structuredClone(f) };
      });
      notices.set(cluster, new Map(Object.entries(file.notices)));
      seen.set(cluster, new Map(Object.entries(file.lbs)));
      return dropped;
    },
  };
}
