import type { ClusterDeckContract } from '../../shared/contract';
import type { Handlers } from '../../shared/rpc/server';
import type { CoreContext } from './create-core';

type H = Handlers<ClusterDeckContract>;

/** Outside reloads: what the reload service noticed, and the admin's acknowledgement. */
export function reloadsHandlers(ctx: CoreContext): Pick<H, 'reloads.list' | 'reloads.acknowledge'> {
  return {
    'reloads.list': async ({ cluster }) => {
      const c = await ctx.store.get(cluster);
      return { reloads: [...(await ctx.reloads.refresh(c.name)).values()] };
    },
    'reloads.acknowledge': async ({ cluster, lb }) => {
      const c = await ctx.store.get(cluster);
      const acknowledged = await ctx.reloads.acknowledge(c.name, lb ?? null);
      void ctx.watch.refresh(c.name);
      return { acknowledged };
    },
  };
}
