/**
 * Which files go to which hosts, in which order, and why a push would be refused. Pure.
 *
 * Order: nodes in inventory order, then load balancers in inventory order. Rolling drains each
 * node on every LB around its update (the seed's playbook); a load balancer is never drained (it
 * is not a server of any backend): it is updated after the nodes, one at a time, and says so.
 */
import type { ClusterSpec } from '../../shared/domain/cluster';
import type { ManagedFile, PushRequest } from '../../shared/domain/managed-files';
import { CdError } from '../../shared/errors';
import { fileHosts } from './file-hosts';

export interface PlannedHost {
  host: string;
  role: 'node' | 'lb';
  /** The chosen files managed on this host, in the cluster's file order. */
  files: ManagedFile[];
  /** Rolling only, nodes only: drained on every LB around its update. */
  drain: boolean;
  /** Said in the preview and the result (e.g. why an LB is not drained). */
  note: string | null;
}

export interface PushPlan {
  cluster: string;
  mode: PushRequest['mode'];
  files: ManagedFile[];
  /** In the order they are done. */
  hosts: PlannedHost[];
  /** Why the push cannot run as asked, or null. */
  refusal: string | null;
}

const list = (xs: string[]): string => (xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

export function planPush(cluster: ClusterSpec, all: ManagedFile[], req: Pick<PushRequest, 'files' | 'hosts' | 'mode'>): PushPlan {
  const empty = (refusal: string): PushPlan => ({ cluster: cluster.name, mode: req.mode, files: [], hosts: [], refusal });
  if (all.length === 0) return empty(`cluster ${cluster.name} has no managed files; add one first (clusterdeck files add)`);

  const unknownFiles = (req.files ?? []).filter((id) => !all.some((f) => f.id === id));
  if (unknownFiles.length) {
    return empty(`cluster ${cluster.name} has no managed file ${list(unknownFiles.map((f) => `"${f}"`))} (files: ${all.map((f) => f.id).join(', ')})`);
  }
  const files = req.files ? all.filter((f) => req.files!.includes(f.id)) : all;

  const where = new Map<string, string[]>();
  for (const f of files) {
    try {
      where.set(f.id, fileHosts(cluster, f));
    } catch (e) {
      return empty(e instanceof CdError ? e.message : String(e));
    }
  }

  const order = [...cluster.nodes.map((n) => ({ host: n.name, role: 'node' as const })), ...cluster.lbs.map((l) => ({ host: l.name, role: 'lb' as const }))];
  if (req.hosts) {
    const unknown = req.hosts.filter((h) => !order.some((o) => o.host === h));
    if (unknown.length) return empty(`cluster ${cluster.name} has no host ${list(unknown)} (hosts: ${order.map((o) => o.host).join(', ')})`);
    const bare = req.hosts.filter((h) => !files.some((f) => where.get(f.id)!.includes(h)));
    if (bare.length) {
      const which = files.length === 1 ? `"${files[0]!.id}" is not managed on` : `none of the chosen files (${files.map((f) => f.id).join(', ')}) is managed on`;
      return empty(`${which} ${list(bare)}`);
    }
  }
  const chosen = req.hosts ? order.filter((o) => req.hosts!.includes(o.host)) : order;

  const rolling = req.mode === 'rolling';
  const hosts: PlannedHost[] = [];
  for (const o of chosen) {
    const mine = files.filter((f) => where.get(f.id)!.includes(o.host));
    if (mine.length === 0) continue;
    const note = rolling && o.role === 'lb' ? `${o.host} is a load balancer, not a node: it is updated after the nodes, one at a time, without draining` : null;
    hosts.push({ host: o.host, role: o.role, files: mine, drain: rolling && o.role === 'node', note });
  }
  if (hosts.length === 0) return { ...empty(`the chosen files (${files.map((f) => f.id).join(', ')}) are not managed on any host of ${cluster.name}`), files };
  return { cluster: cluster.name, mode: req.mode, files, hosts, refusal: null };
}
