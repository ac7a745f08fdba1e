import type { ClusterDeckContract } from '../../shared/contract';
import type { Handlers } from '../../shared/rpc/server';
import type { CoreContext } from './create-core';
import type { Serialized } from './files-handlers';

type H = Handlers<ClusterDeckContract>;

/** Unfinished changes from the intent journal, and resolving an interrupted one (under the cluster's action lock). */
export function recoverHandlers(ctx: CoreContext, serialized: Serialized): Pick<H, 'recover.list' | 'recover.resolve'> {
  return {
    'recover.list': async ({ cluster, probe }) => ctx.recover.list((await ctx.store.get(cluster)).name, probe),
    'recover.resolve': async ({ cluster, id, action }) => {
      const c = await ctx.store.get(cluster);
      return serialized(c.name, `${action} the interrupted change ${id}`, async () => {
        const r = await ctx.recover.resolve(c.name, id, action);
        // The matrix and the table show the settled hosts now; a failed refresh is said, the result stands.
        await ctx.sync.refreshHosts(c.name, [...new Set(r.targets.map((t) => t.host))]).catch((e: unknown) =>
          console.error(`clusterdeck: could not refresh the sync matrix of ${c.name} after a recovery: ${e instanceof Error ? e.message : String(e)}`),
        );
        void ctx.watch.refresh(c.name);
        return r;
      });
    },
  };
}
