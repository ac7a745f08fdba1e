import type { ClusterSpec } from '../../shared/domain/cluster';
import type { VipObservation } from '../cluster/derive-state';
import type { Connections } from './connections';

export interface VipObserver {
  /** Who holds the cluster's VIP; checked at most every `maxAgeMs`, over each LB's SSH link. */
  observe(cluster: ClusterSpec): Promise<VipObservation | null>;
}

/** Parses `ip -o -4 addr show` for an exact address (10.0.0.1 must not match 10.0.0.10). */
export function holdsAddress(ipOutput: string, address: string): boolean {
  return ipOutput.split('\n').some((line) => new RegExp(`\\sinet ${address.replace(/\./g, '\\.')}/\\d+\\s`).test(`${line} `));
}

export function createVipObserver(conns: Connections, maxAgeMs = 5_000): VipObserver {
  const cache = new Map<string, { at: number; vip: string; obs: Promise<VipObservation> }>();
  const check = async (cluster: ClusterSpec, vip: string): Promise<VipObservation> => {
    const errors: string[] = [];
    const holders: string[] = [];
    await Promise.all(
      cluster.lbs.map(async (lb) => {
        try {
          const link = conns.link(cluster, lb, 'lb');
          await link.connect();
          const r = await link.exec('ip -o -4 addr show', { timeoutMs: 5_000, maxBytes: 1_000_000 });
          if (r.code !== 0) throw new Error(r.stderr.trim() || `ip exited with ${r.code}`);
          if (holdsAddress(r.stdout, vip)) holders.push(lb.name);
        } catch (e) {
          errors.push(`${lb.name}: ${(e as Error).message}`);
        }
      }),
    );
    holders.sort();
    return { holders, checkedAt: Date.now(), error: errors.length ? `could not check ${errors.join('; ')}` : null };
  };
  return {
    async observe(cluster) {
      const vip = cluster.settings.vip;
      if (!vip) return null;
      const hit = cache.get(cluster.name);
      if (hit && hit.vip === vip && Date.now() - hit.at < maxAgeMs) return hit.obs;
      const obs = check(cluster, vip);
      cache.set(cluster.name, { at: Date.now(), vip, obs });
      return obs;
    },
  };
}
