import type { ClusterMetrics } from '../../shared/domain/metrics';
import type { NodeState } from '../../shared/domain/status';

/** The ranges the charts offer, in seconds (metrics.get's windowSec). */
export const RANGES = { '5m': 300, '1h': 3600 } as const;
export type ChartRange = keyof typeof RANGES;
export const RANGE_WORD: Record<ChartRange, string> = { '5m': '5 min', '1h': '1 h' };

/** At most this many points per series on screen: an hour of 1 s heartbeats is bucketed to 12 s. */
export const MAX_POINTS = 300;

export function bucketMs(windowSec: number): number {
  return Math.max(1000, Math.ceil((windowSec * 1000) / MAX_POINTS / 1000) * 1000);
}

export type Row = { t: number } & Record<string, number | null>;

export interface Bucketed {
  rows: Row[];
  keys: string[];
  /** Raw points that went in (what the e2e waits for). */
  points: number;
  bucket: number;
}

export type Agg = 'max' | 'mean' | 'last';

/**
 * Puts several [t, v] series on one time grid of `bucket` ms (a row per bucket, a column per
 * series), aggregating points that share a bucket. `carry` fills up to that many empty buckets with
 * the previous value (gauges read at slightly different moments per LB), so stacked areas don't
 * tear; beyond it a gap stays a gap. Rows with no value at all are dropped.
 */
export function bucketSeries(series: Record<string, ReadonlyArray<readonly [number, number]>>, from: number, to: number, bucket: number, agg: Agg, carry = 0): Bucketed {
  const keys = Object.keys(series);
  const start = Math.floor(from / bucket) * bucket;
  const n = Math.max(1, Math.floor((to - start) / bucket) + 1);
  const sum = keys.map(() => new Float64Array(n));
  const cnt = keys.map(() => new Uint32Array(n));
  const val = keys.map(() => new Float64Array(n).fill(Number.NaN));
  let points = 0;
  keys.forEach((k, ki) => {
    for (const [t, v] of series[k]!) {
      if (t < from || t > to || !Number.isFinite(v)) continue;
      points++;
      const i = Math.min(n - 1, Math.floor((t - start) / bucket));
      cnt[ki]![i]!++;
      sum[ki]![i]! += v;
      const cur = val[ki]![i]!;
      val[ki]![i] = agg === 'max' ? (Number.isNaN(cur) ? v : Math.max(cur, v)) : v;
    }
  });
  const rows: Row[] = [];
  const lastSeen = keys.map(() => ({ v: Number.NaN, at: -Infinity }));
  for (let i = 0; i < n; i++) {
    const row = { t: start + i * bucket } as Row;
    let any = false;
    keys.forEach((k, ki) => {
      let v: number | null = null;
      if (cnt[ki]![i]! > 0) {
        v = agg === 'mean' ? sum[ki]![i]! / cnt[ki]![i]! : val[ki]![i]!;
        lastSeen[ki] = { v, at: i };
      } else if (carry > 0 && i - lastSeen[ki]!.at <= carry) {
        v = lastSeen[ki]!.v;
      }
      row[k] = v;
      if (v !== null) any = true;
    });
    if (any) rows.push(row);
  }
  return { rows, keys, points, bucket };
}

/** Heartbeat round trips per host (nodes first, then LBs), the highest per bucket: spikes are what matter. */
export function rttData(m: ClusterMetrics, hosts: readonly string[], bucket: number): Bucketed {
  const series: Record<string, ReadonlyArray<readonly [number, number]>> = {};
  for (const h of hosts) series[h] = m.rtt[h] ?? [];
  return bucketSeries(series, m.from, m.to, bucket, 'max');
}

export function lbNames(m: ClusterMetrics): string[] {
  return [...new Set(m.servers.map((s) => s.lb))].sort();
}

/** Sessions (last reading per bucket) or request rate (mean per bucket) per node on one LB, for stacked areas. */
export function serverData(m: ClusterMetrics, lb: string, what: 'sessions' | 'reqRate', nodes: readonly string[], bucket: number): Bucketed {
  const series: Record<string, ReadonlyArray<readonly [number, number]>> = {};
  const on = m.servers.filter((s) => s.lb === lb);
  for (const n of nodes) {
    const s = on.find((x) => x.node === n);
    if (s) series[n] = s[what];
  }
  for (const s of on) if (!(s.node in series)) series[s.node] = s[what];
  return bucketSeries(series, m.from, m.to, bucket, what === 'sessions' ? 'last' : 'mean', 3);
}

export interface Band {
  from: number;
  to: number;
  state: NodeState;
}

/** A gap this short at the end is "still in that state"; longer means no reads (shown empty). */
const EXTEND_MS = 15_000;

/** State bands per node, clipped to the window; the current band runs up to now. */
export function stateBands(m: ClusterMetrics, nodes: readonly string[]): Array<{ node: string; bands: Band[] }> {
  return nodes.map((node) => {
    const raw = m.states[node] ?? [];
    const bands = raw
      .map((b, i): Band => {
        const last = i === raw.length - 1;
        const to = last && m.to - b.to < EXTEND_MS ? m.to : b.to;
        return { from: Math.max(b.from, m.from), to: Math.min(to, m.to), state: b.state };
      })
      .filter((b) => b.to > b.from || raw.length === 1);
    return { node, bands };
  });
}

/** Ticks on whole local minutes: every minute for 5 min, every 10 for an hour. */
export function timeTicks(from: number, to: number): number[] {
  const span = to - from;
  const step = span <= 6 * 60_000 ? 60_000 : span <= 70 * 60_000 ? 10 * 60_000 : 30 * 60_000;
  const offset = -new Date(from).getTimezoneOffset() * 60_000;
  const ticks: number[] = [];
  for (let t = Math.ceil((from + offset) / step) * step - offset; t <= to; t += step) ticks.push(t);
  return ticks;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** 24 h local time: "14:05". */
export function clockHM(t: number): string {
  const d = new Date(t);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** 24 h local time: "14:05:09". */
export function clockHMS(t: number): string {
  const d = new Date(t);
  return `${clockHM(t)}:${pad(d.getSeconds())}`;
}

/** "45 s", "1 min 48 s", "1 h 02 min". */
export function spanWords(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  return `${Math.floor(s / 3600)} h ${pad(Math.floor((s % 3600) / 60))} min`;
}

/** A value as the tooltip prints it, with its unit. */
export function valueWords(v: number | null | undefined, unit: 'ms' | 'sessions' | 'req/s'): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (unit === 'ms') return v < 10 ? `${v.toFixed(2)} ms` : `${Math.round(v)} ms`;
  if (unit === 'sessions') return `${Math.round(v)}`;
  return v < 10 ? `${v.toFixed(2)} req/s` : `${v.toFixed(1)} req/s`;
}

/**
 * At most `max` series, the ones that matter first (highest `score`), kept in their given order;
 * the rest are counted, so the chart can say what it left out (a 500-node cluster).
 */
export function pickSeries(keys: readonly string[], score: (k: string) => number, max: number): { shown: string[]; hidden: number } {
  if (keys.length <= max) return { shown: [...keys], hidden: 0 };
  const top = new Set([...keys].sort((a, b) => score(b) - score(a)).slice(0, max));
  return { shown: keys.filter((k) => top.has(k)), hidden: keys.length - max };
}

export const peak = (pts: ReadonlyArray<readonly [number, number]> | undefined): number => (pts ?? []).reduce((m, [, v]) => Math.max(m, v), 0);
