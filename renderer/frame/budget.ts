import type { ClusterSettings } from '../../shared/domain/cluster';

/** 1000 → "1 s", 500 → "500 ms", 1500 → "1.5 s", 90000 → "90 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1).replace(/\.0$/, '')} s`;
}

/** The failover budget in words: "fails over after 3 s: 1 s × 3 heartbeats". */
export function failoverBudget(s: Pick<ClusterSettings, 'heartbeatIntervalMs' | 'failoverHeartbeats'>): string {
  const total = s.heartbeatIntervalMs * s.failoverHeartbeats;
  const beats = `${s.failoverHeartbeats} heartbeat${s.failoverHeartbeats === 1 ? '' : 's'}`;
  return `fails over after ${formatDuration(total)}: ${formatDuration(s.heartbeatIntervalMs)} × ${beats}`;
}
