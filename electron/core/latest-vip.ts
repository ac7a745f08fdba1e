import type { VipObservation } from '../cluster/derive-state';
import type { VipObserver } from './vip-observer';

/**
 * The VIP as last checked, without waiting for a check under way: a check runs a command on every
 * LB, and one slow LB must not hold up the live snapshots. A new check starts whenever none runs
 * (the inner observer keeps its own cache, so that costs nothing while its answer is fresh). Only
 * when this address was never answered does it wait, as a one-shot read would.
 */
export function latestVip(inner: VipObserver): VipObserver {
  const last = new Map<string, { vip: string; obs: VipObservation | null }>();
  const running = new Map<string, Promise<VipObservation | null>>();
  return {
    observe(cluster) {
      const vip = cluster.settings.vip;
      if (!vip) return Promise.resolve(null);
      let check = running.get(cluster.name);
      if (!check) {
        check = inner
          .observe(cluster)
          .then((obs) => {
            last.set(cluster.name, { vip, obs });
            return obs;
          })
          .catch((e: unknown) => ({ holders: [], checkedAt: Date.now(), error: `could not check the VIP: ${(e as Error).message}` }))
          .finally(() => running.delete(cluster.name));
        running.set(cluster.name, check);
      }
      const known = last.get(cluster.name);
      return known && known.vip === vip ? Promise.resolve(known.obs) : check;
    },
  };
}
