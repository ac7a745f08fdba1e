import type { OutsideReload } from '../../shared/domain/reloads';
import type { ClusterStatus, LbWarning } from '../../shared/domain/status';

/**
 * Adds to a snapshot what the LB reads alone do not say, from caches kept by other services (a
 * snapshot is built every heartbeat: no I/O here): the journal's counts, exposed sockets and
 * outside reloads per LB. Pure.
 */
export function decorateStatus(
  s: ClusterStatus,
  changes: ClusterStatus['changes'],
  exposure: (lb: string) => LbWarning[],
  reloads: Map<string, OutsideReload>,
): ClusterStatus {
  return {
    ...s,
    changes,
    lbs: s.lbs.map((l) => ({
      ...l,
      warnings: [...l.warnings.filter((w) => w.code !== 'socket-exposed'), ...exposure(l.lb)],
      reload: reloads.get(l.lb) ?? null,
    })),
  };
}
