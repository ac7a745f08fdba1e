import { randomUUID } from 'node:crypto';
import type { ClusterSettings, ClusterSpec, LbSpec } from '../../shared/domain/cluster';
import type { ConfigChangeResult, ConfigProgress } from '../../shared/domain/config-change';
import { failoverBudgetWords } from '../../shared/domain/quorum';
import { CdError } from '../../shared/errors';
import { resolveRoles, type Roles } from '../cluster/roles';
import { applyConfigChange, previewConfigChange, type ConfigJournal, type ConfigTarget } from '../config/config-change';
import type { ServerPlan } from '../config/haproxy-cfg';
import { haproxyServersTarget } from '../config/haproxy-target';
import type { Connections } from './connections';

export interface FailoverView {
  settings: ClusterSettings;
  roles: Roles;
  failoverMs: number;
  budget: string;
}

/** What the LBs run now: a node that is a backup server on any readable LB is standby. */
export async function currentRoles(conns: Connections, cluster: ClusterSpec): Promise<Roles | null> {
  const reads = await conns.readCluster(cluster);
  const ok = reads.filter((r) => r.ok);
  if (!ok.length) return null;
  const standby = cluster.nodes
    .filter((n) => ok.some((r) => r.ok && r.servers.some((s) => s.backend === n.backend && s.server === n.server && s.backup)))
    .map((n) => n.name);
  return { active: cluster.nodes.map((n) => n.name).filter((n) => !standby.includes(n)), standby };
}

function unwrap(roles: Roles | CdError): Roles {
  if (roles instanceof CdError) throw roles;
  return roles;
}

/**
 * The settings with their roles made explicit (standbyNodes listed, activeNodes counted), so what
 * is saved and shown is exactly what the LBs are told.
 */
export async function failoverView(conns: Connections, cluster: ClusterSpec, settings = cluster.settings): Promise<FailoverView> {
  const needsLive = settings.standbyNodes.length === 0 && settings.activeNodes === null;
  const roles = unwrap(resolveRoles(cluster.nodes, settings, needsLive ? await currentRoles(conns, cluster) : null));
  return {
    settings: { ...settings, standbyNodes: roles.standby, activeNodes: roles.active.length },
    roles,
    failoverMs: settings.heartbeatIntervalMs * settings.failoverHeartbeats,
    budget: failoverBudgetWords(settings.heartbeatIntervalMs, settings.failoverHeartbeats),
  };
}

/** One config target per LB: its haproxy.cfg with the backend's server lines rewritten. */
/** One config target per LB: its haproxy.cfg with the cluster's server lines rewritten. */
export function failoverTargets(conns: Connections, cluster: ClusterSpec, view: FailoverView): ConfigTarget[] {
  const { settings, roles } = view;
  const plans: Record<string, ServerPlan> = {};
  for (const n of cluster.nodes) {
    plans[n.backend] = {
      ...plans[n.backend],
      [n.server]: { inter: settings.heartbeatIntervalMs, fall: settings.failoverHeartbeats, rise: settings.riseCount, backup: roles.standby.includes(n.name) },
    };
  }
  return cluster.lbs.map((lb: LbSpec) => haproxyServersTarget({ lb, link: conns.link(cluster, lb, 'lb'), runtime: conns.runtime(cluster, lb), plans }));
}

export async function previewFailover(conns: Connections, cluster: ClusterSpec, settings: ClusterSettings) {
  const view = await failoverView(conns, cluster, settings);
  await Promise.all(cluster.lbs.map((lb) => conns.link(cluster, lb, 'lb').connect()));
  const targets = await previewConfigChange(failoverTargets(conns, cluster, view));
  return { ...view, targets };
}

export async function applyFailover(
  conns: Connections,
  cluster: ClusterSpec,
  settings: ClusterSettings,
  onProgress: (p: ConfigProgress) => void,
  signal?: AbortSignal,
  /** Opens the change's intent journal entry once the settings are known (before any LB is touched). */
  journal?: (id: string, view: FailoverView) => Promise<ConfigJournal>,
): Promise<{ result: ConfigChangeResult; view: FailoverView }> {
  const view = await failoverView(conns, cluster, settings);
  await Promise.all(cluster.lbs.map((lb) => conns.link(cluster, lb, 'lb').connect()));
  const id = randomUUID();
  const hook = journal ? await journal(id, view) : undefined;
  const result = await applyConfigChange({
    id,
    ...(hook ? { journal: hook } : {}),
    cluster: cluster.name,
    kind: 'failover-settings',
    targets: failoverTargets(conns, cluster, view),
    onProgress,
    ...(signal ? { signal } : {}),
  });
  return { result, view };
}
