import { randomUUID } from 'node:crypto';
import type { ClusterSettings, ClusterSpec, LbSpec } from '../../shared/domain/cluster';
import type { ConfigChangeResult, ConfigProgress } from '../../shared/domain/config-change';
import { failoverBudgetWords } from '../../shared/domain/quorum';
import { CdError } from '../../shared/errors';
import { resolveRoles, type Roles } from '../cluster/roles';
import type { ConfigTarget } from '../config/config-change';
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
// TEMPORARY: loaded lazily until electron/config lands, so the rest of the core keeps running.
const engine = async () => ({
  ...(await import('../config/config-change')),
  ...(await import('../config/haproxy-cfg')),
  ...(await import('../config/haproxy-reload')),
});

export async function failoverTargets(conns: Connections, cluster: ClusterSpec, view: FailoverView): Promise<ConfigTarget[]> {
  const { rewriteBackendServers, reloadHaproxy, verifyServers } = await engine();
  const { settings, roles } = view;
  const byBackend = new Map<string, Record<string, { inter: number; fall: number; rise: number; backup: boolean }>>();
  for (const n of cluster.nodes) {
    const plan = byBackend.get(n.backend) ?? {};
    plan[n.server] = { inter: settings.heartbeatIntervalMs, fall: settings.failoverHeartbeats, rise: settings.riseCount, backup: roles.standby.includes(n.name) };
    byBackend.set(n.backend, plan);
  }
  return cluster.lbs.map((lb: LbSpec): ConfigTarget => {
    const link = conns.link(cluster, lb, 'lb');
    const runtime = conns.runtime(cluster, lb);
    return {
      target: lb.name,
      link,
      path: lb.configPath,
      render: (current) => {
        let text = current;
        for (const [backend, plan] of byBackend) {
          const r = rewriteBackendServers(text, backend, plan);
          if (r instanceof CdError) return new CdError(r.code, `${lb.name} ${lb.configPath}: ${r.message}`, r.details);
          text = r.text;
        }
        return text;
      },
      validate: 'haproxy -c -f {file}',
      reload: async () => (await reloadHaproxy({ link, lb, runtime })).detail,
      verify: async () => {
        const details: string[] = [];
        for (const [backend, plan] of byBackend) {
          details.push(await verifyServers(runtime, backend, Object.fromEntries(Object.entries(plan).map(([s, p]) => [s, { backup: p.backup, fall: p.fall, rise: p.rise }]))));
        }
        return details.join('; ');
      },
    };
  });
}

export async function previewFailover(conns: Connections, cluster: ClusterSpec, settings: ClusterSettings) {
  const view = await failoverView(conns, cluster, settings);
  await Promise.all(cluster.lbs.map((lb) => conns.link(cluster, lb, 'lb').connect()));
  const targets = await (await engine()).previewConfigChange(await failoverTargets(conns, cluster, view));
  return { ...view, targets };
}

export async function applyFailover(
  conns: Connections,
  cluster: ClusterSpec,
  settings: ClusterSettings,
  onProgress: (p: ConfigProgress) => void,
  signal?: AbortSignal,
): Promise<{ result: ConfigChangeResult; view: FailoverView }> {
  const view = await failoverView(conns, cluster, settings);
  await Promise.all(cluster.lbs.map((lb) => conns.link(cluster, lb, 'lb').connect()));
  const result = await (await engine()).applyConfigChange({
    id: randomUUID(),
    cluster: cluster.name,
    kind: 'failover-settings',
    targets: await failoverTargets(conns, cluster, view),
    onProgress,
    ...(signal ? { signal } : {}),
  });
  return { result, view };
}
