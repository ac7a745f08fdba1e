import type { ClusterSpec } from '../../shared/domain/cluster';
import type { NodeSync } from '../../shared/domain/managed-files';
import type { ClusterStatus } from '../../shared/domain/status';
import { deriveClusterStatus } from '../cluster/derive-state';
import type { LbRead } from '../cluster/lb-read';
import type { SshLink } from '../ssh/ssh-link';
import type { Connections } from './connections';
import type { VipObserver } from './vip-observer';

/**
 * One heartbeat on every connected link after all handshakes are done, so a one-shot read shows a
 * true RTT. A link that doesn't answer is left to its heartbeat, which marks it.
 */
async function measureRtt(links: SshLink[]): Promise<void> {
  await Promise.all(links.filter((l) => l.status().state === 'up').map((l) => l.ping().catch(() => undefined)));
}

/**
 * One fresh status of a cluster: every LB read in parallel, every node's own SSH link connected (it
 * alone decides "unreachable"), then the pure derivation. `reads`: the LBs' answers as the live
 * watch keeps them, each with its own age, instead of reading every LB now.
 */
export async function readClusterStatus(
  conns: Connections,
  cluster: ClusterSpec,
  opts: { measureRtt: boolean; vip?: VipObserver; sync?: (cluster: string) => Map<string, NodeSync>; reads?: LbRead[] } = { measureRtt: true },
): Promise<ClusterStatus> {
  const nodeLinks = cluster.nodes.map((n) => conns.link(cluster, n, 'node'));
  // A node that can't be reached is a result, not a failure: its link keeps the error and state.
  // A live watch reports links as they are and lets them reconnect in the background; a one-shot
  // read (the CLI) waits for every connection so its answer is complete.
  const live = !opts.measureRtt;
  const connects = nodeLinks.map((l) => l.connect().catch(() => undefined));
  const [reads, vip] = await Promise.all([
    opts.reads ?? conns.readCluster(cluster, { live }),
    opts.vip ? opts.vip.observe(cluster) : Promise.resolve(null),
    ...(live ? [] : connects),
  ]);
  const lbLinks = cluster.lbs.map((lb) => conns.link(cluster, lb, 'lb'));
  // A live watch has heartbeats measuring all the time; a one-shot read measures once, now.
  if (opts.measureRtt) await measureRtt([...nodeLinks, ...lbLinks]);
  const linkOf = (name: string) => {
    const host = [...cluster.nodes, ...cluster.lbs].find((h) => h.name === name)!;
    return conns.link(cluster, host, cluster.nodes.some((n) => n.name === name) ? 'node' : 'lb').status();
  };
  const status = deriveClusterStatus(cluster, reads, linkOf, Date.now(), vip ?? null);
  // The managed files' verdicts come from the sync service's last check (its own cadence: a file
  // check every heartbeat would cost an exec per node per second).
  if (opts.sync) {
    const sync = opts.sync(cluster.name);
    for (const n of status.nodes) n.sync = sync.get(n.node) ?? null;
  }
  return status;
}
