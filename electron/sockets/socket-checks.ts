/**
 * What is wrong with an LB's runtime sockets beyond their level (which derive-state reads from each
 * session): an admin CLI reachable from the network, named by the inventory or bound by the LB's own
 * haproxy.cfg. The file is read once per HAProxy worker: a reload is when it can change.
 */
import type { ClusterSpec, LbSpec } from '../../shared/domain/cluster';
import { exposedSocketWarning, isLoopbackHost } from '../../shared/domain/socket-exposure';
import type { LbWarning } from '../../shared/domain/status';
import type { LbRead } from '../cluster/lb-read';
import { readRemoteFile } from '../config/remote-file';
import { exposedSockets, statsSockets } from '../config/stats-sockets';
import type { SshLink } from '../ssh/ssh-link';

export interface SocketChecks {
  /** After a read of the LB: (re)checks its haproxy.cfg when the worker is new to us. */
  observe(cluster: ClusterSpec, lb: LbSpec, read: LbRead, link: SshLink): Promise<void>;
  /** The exposure warnings known for this LB. */
  warnings(cluster: string, lb: string): LbWarning[];
}

/** The inventory's own socket, when it points beyond the LB's loopback. */
export function inventoryWarnings(lb: LbSpec): LbWarning[] {
  if (lb.socket.kind !== 'tcp' || isLoopbackHost(lb.socket.host)) return [];
  const w = exposedSocketWarning({ lb: lb.name, address: `${lb.socket.host}:${lb.socket.port}`, level: 'admin', where: `the inventory's haproxy_socket` });
  return [{ code: 'socket-exposed', ...w }];
}

/** The stats sockets of an haproxy.cfg that are reachable from the network. */
export function configWarnings(lb: LbSpec, cfgText: string): LbWarning[] {
  return exposedSockets(statsSockets(cfgText)).map((s) => ({
    code: 'socket-exposed' as const,
    ...exposedSocketWarning({ lb: lb.name, address: s.address, level: s.level, where: `${lb.configPath} line ${s.line}` }),
  }));
}

export function createSocketChecks(onError: (e: unknown) => void): SocketChecks {
  const found = new Map<string, { pid: number; warnings: LbWarning[] }>();
  const key = (cluster: string, lb: string): string => `${cluster}\u0000${lb}`;
  return {
    async observe(cluster, lb, read, link) {
      if (!read.ok || read.info?.pid === null || read.info?.pid === undefined) return;
      const k = key(cluster.name, lb.name);
      const pid = read.info.pid;
      if (found.get(k)?.pid === pid) return;
      // Claimed before the read, so a burst of status reads checks the file once.
      const entry = { pid, warnings: inventoryWarnings(lb) };
      found.set(k, entry);
      try {
        entry.warnings = [...inventoryWarnings(lb), ...configWarnings(lb, (await readRemoteFile(link, lb.configPath)).content)];
      } catch (e) {
        // Not being able to read the file is not a finding about the socket; the next worker retries.
        onError(e);
      }
    },
    warnings: (cluster, lb) => found.get(key(cluster, lb))?.warnings ?? [],
  };
}
