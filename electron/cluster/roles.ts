import type { ClusterSettings, NodeSpec } from '../../shared/domain/cluster';
import { CdError } from '../../shared/errors';

export interface Roles {
  active: string[];
  standby: string[];
}

/**
 * Which nodes take traffic and which are HAProxy `backup` servers, from the settings:
 * - standbyNodes named: those are standby, the rest active (activeNodes, when also given, must agree);
 * - only activeNodes given: the first N nodes in inventory order are active, the rest standby;
 * - neither: `current` decides (what the LBs run now), so saving other settings never silently
 *   turns a standby into an active server.
 */
export function resolveRoles(nodes: NodeSpec[], s: Pick<ClusterSettings, 'activeNodes' | 'standbyNodes'>, current: Roles | null = null): Roles | CdError {
  const names = nodes.map((n) => n.name);
  const unknown = s.standbyNodes.filter((n) => !names.includes(n));
  if (unknown.length) return new CdError('INVALID_ARGUMENT', `standby ${unknown.length === 1 ? 'node' : 'nodes'} ${unknown.join(', ')} not in this cluster (nodes: ${names.join(', ')})`);
  if (s.activeNodes !== null && s.activeNodes > names.length) {
    return new CdError('INVALID_ARGUMENT', `${s.activeNodes} active nodes asked for, but the cluster has only ${names.length}`);
  }
  let standby: string[];
  if (s.standbyNodes.length) {
    standby = names.filter((n) => s.standbyNodes.includes(n));
    const active = names.length - standby.length;
    if (s.activeNodes !== null && s.activeNodes !== active) {
      return new CdError(
        'INVALID_ARGUMENT',
        `${names.length} nodes with ${standby.length} standby (${standby.join(', ')}) leave ${active} active, not the ${s.activeNodes} asked for`,
      );
    }
  } else if (s.activeNodes !== null) {
    standby = names.slice(s.activeNodes);
  } else {
    standby = current ? names.filter((n) => current.standby.includes(n)) : [];
  }
  const active = names.filter((n) => !standby.includes(n));
  if (active.length === 0) return new CdError('INVALID_ARGUMENT', 'at least one node must stay active');
  return { active, standby };
}
