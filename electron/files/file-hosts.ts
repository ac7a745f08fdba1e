import type { ClusterSpec, LbSpec, NodeSpec } from '../../shared/domain/cluster';
import type { ManagedFile, ManagedFileSettings } from '../../shared/domain/managed-files';
import { CdError } from '../../shared/errors';
import type { Connections } from '../core/connections';
import type { SshLink } from '../ssh/ssh-link';

/** The hosts of the cluster a file is managed on, in inventory order (nodes first). Pure. */
export function fileHosts(cluster: ClusterSpec, f: Pick<ManagedFileSettings, 'id' | 'hosts' | 'reload'>): string[] {
  const nodes = cluster.nodes.map((n) => n.name);
  const lbs = cluster.lbs.map((l) => l.name);
  let hosts: string[];
  if (f.hosts === 'nodes') hosts = nodes;
  else if (f.hosts === 'lbs') hosts = lbs;
  else {
    const unknown = f.hosts.filter((h) => !nodes.includes(h) && !lbs.includes(h));
    if (unknown.length) {
      throw new CdError('INVALID_ARGUMENT', `${cluster.name}: managed file "${f.id}" names ${unknown.length === 1 ? 'a host' : 'hosts'} not in the cluster: ${unknown.join(', ')}`, {
        cluster: cluster.name,
        file: f.id,
        hosts: unknown,
      });
    }
    const wanted = new Set(f.hosts);
    hosts = [...nodes, ...lbs].filter((h) => wanted.has(h));
  }
  if (f.reload.kind === 'haproxy') {
    const notLb = hosts.filter((h) => !lbs.includes(h));
    if (notLb.length) {
      throw new CdError('INVALID_ARGUMENT', `${cluster.name}: managed file "${f.id}" reloads HAProxy, which runs on the load balancers only; not on ${notLb.join(', ')}`, {
        cluster: cluster.name,
        file: f.id,
        hosts: notLb,
      });
    }
  }
  return hosts;
}

/** Every host some file is managed on, nodes first, in inventory order. */
export function matrixHosts(cluster: ClusterSpec, files: ManagedFileSettings[]): string[] {
  const used = new Set(files.flatMap((f) => fileHosts(cluster, f)));
  return [...cluster.nodes, ...cluster.lbs].map((h) => h.name).filter((h) => used.has(h));
}

/** The files managed on one host (files naming hosts the cluster no longer has are skipped, not fatal). */
export function filesOnHost(cluster: ClusterSpec, files: ManagedFile[], host: string): ManagedFile[] {
  return files.filter((f) => {
    try {
      return fileHosts(cluster, f).includes(host);
    } catch {
      // The file names a host that was removed from the inventory: it is shown as such by the handlers.
      return false;
    }
  });
}

export function hostSpec(cluster: ClusterSpec, host: string): { spec: NodeSpec | LbSpec; role: 'node' | 'lb' } {
  const node = cluster.nodes.find((n) => n.name === host);
  if (node) return { spec: node, role: 'node' };
  const lb = cluster.lbs.find((l) => l.name === host);
  if (lb) return { spec: lb, role: 'lb' };
  throw new CdError('NOT_FOUND', `${cluster.name}: no host named "${host}"`, { cluster: cluster.name, host });
}

/** The core's SSH link to a host of the cluster (shared with the status watch and the actions). */
export function hostLink(conns: Connections, cluster: ClusterSpec, host: string): SshLink {
  const { spec, role } = hostSpec(cluster, host);
  return conns.link(cluster, spec, role);
}
