import type { ClusterMetrics } from '../../shared/domain/metrics';
import type { ClusterStatus, NodeState } from '../../shared/domain/status';
import { createSeries, type Series } from './series';

export const HISTORY_MS = 3_600_000;

interface Band {
  from: number;
  to: number;
  state: NodeState;
}

interface ClusterHistory {
  servers: Map<string, { lb: string; server: string; node: string; sessions: Series; reqRate: Series; lastReqTotal: [number, number] | null }>;
  states: Map<string, Band[]>;
}

export interface MetricsStore {
  /** Adds one status snapshot (the live watch calls this on every read). */
  record(s: ClusterStatus): void;
  /** The charts' data; RTT comes from the links' own heartbeat history. */
  get(cluster: string, windowSec: number, rtt: (host: string) => ReadonlyArray<{ at: number; ms: number }>, hosts: string[], now?: number): ClusterMetrics;
  /** Series held, for the memory figures in the bench. */
  seriesCount(): number;
}

/**
 * The last hour of what the charts show, in bounded memory: one point per read per server (an hour
 * at the fastest 100 ms heartbeat is capped by `capacity`), and state bands that only grow on change.
 */
export function createMetricsStore(capacity = 7200): MetricsStore {
  const clusters = new Map<string, ClusterHistory>();
  const MAX_BANDS = 2000;

  return {
    record(s) {
      let h = clusters.get(s.cluster);
      if (!h) clusters.set(s.cluster, (h = { servers: new Map(), states: new Map() }));
      for (const n of s.nodes) {
        for (const v of n.perLb) {
          if (!v.stat) continue;
          const key = `${v.lb}/${n.backend}/${n.server}`;
          let srv = h.servers.get(key);
          if (!srv) h.servers.set(key, (srv = { lb: v.lb, server: n.server, node: n.node, sessions: createSeries(capacity), reqRate: createSeries(capacity), lastReqTotal: null }));
          // A point is as of the LB's answer, not the snapshot: the live watch shows a slow LB's
          // last answer in several snapshots, and counting it again would fake a flat spell and a spike.
          const at = v.at ?? s.at;
          const last = srv.sessions.last();
          if (last && at <= last[0]) continue;
          srv.sessions.push(at, v.stat.sessions);
          // HAProxy gives servers a request counter, not a rate: the rate is its slope between reads.
          const tot = v.stat.reqTotal;
          if (tot !== null) {
            const prev = srv.lastReqTotal;
            if (prev && at > prev[0] && tot >= prev[1]) srv.reqRate.push(at, ((tot - prev[1]) * 1000) / (at - prev[0]));
            srv.lastReqTotal = [at, tot];
          }
        }
        let bands = h.states.get(n.node);
        if (!bands) h.states.set(n.node, (bands = []));
        const last = bands[bands.length - 1];
        if (last && last.state === n.merged) last.to = s.at;
        else {
          if (last) last.to = s.at;
          bands.push({ from: s.at, to: s.at, state: n.merged });
          if (bands.length > MAX_BANDS) bands.splice(0, bands.length - MAX_BANDS);
        }
        // Drop what is older than the history window.
        while (bands.length > 1 && bands[0]!.to < s.at - HISTORY_MS) bands.shift();
      }
    },
    get(cluster, windowSec, rtt, hosts, now = Date.now()) {
      const from = now - windowSec * 1000;
      const h = clusters.get(cluster);
      return {
        cluster,
        from,
        to: now,
        rtt: Object.fromEntries(hosts.map((host) => [host, rtt(host).filter((p) => p.at >= from).map((p): [number, number] => [p.at, p.ms])])),
        servers: h
          ? [...h.servers.values()].map((x) => ({ lb: x.lb, server: x.server, node: x.node, sessions: x.sessions.since(from), reqRate: x.reqRate.since(from) }))
          : [],
        states: h
          ? Object.fromEntries([...h.states].map(([node, bands]) => [node, bands.filter((b) => b.to >= from).map((b) => ({ ...b, from: Math.max(b.from, from) }))]))
          : {},
      };
    },
    seriesCount: () => [...clusters.values()].reduce((n, h) => n + h.servers.size * 2, 0),
  };
}
