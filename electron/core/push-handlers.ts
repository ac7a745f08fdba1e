import { randomUUID } from 'node:crypto';
import type { ClusterDeckContract } from '../../shared/contract';
import { CdError } from '../../shared/errors';
import type { Handlers } from '../../shared/rpc/server';
import { planPush } from '../files/push-plan';
import { previewPush } from '../files/push-preview';
import { runPush } from '../files/push-runner';
import { rollbackFile } from '../files/rollback';
import { endJournal, pushDraft, rollbackDraft } from '../journal/journal-drafts';
import type { JournalHandle } from '../journal/journal-handle';
import { selfOwner } from '../journal/process-identity';
import type { CoreContext } from './create-core';
import type { Serialized } from './files-handlers';

type H = Handlers<ClusterDeckContract>;

/** Runs a journaled change: its entry is done when it returns, left to recovery when it throws part-way. */
async function journaled<T>(journal: JournalHandle, fn: () => Promise<T>): Promise<T> {
  let v: T;
  try {
    v = await fn();
  } catch (e) {
    await endJournal(journal, true);
    throw e;
  }
  await endJournal(journal, false);
  return v;
}

/** Pushing managed files (all at once or rolling) and rolling one back on a host. */
export function pushHandlers(ctx: CoreContext, serialized: Serialized): Pick<H, 'push.preview' | 'push.run' | 'files.rollback'> {
  // The push stands whatever the matrix refresh does; a failed refresh is said where an operator sees it.
  const refresh = (cluster: string, hosts: string[]): Promise<void> =>
    ctx.sync.refreshHosts(cluster, hosts).then(
      () => undefined,
      (e: unknown) => console.error(`clusterdeck: could not refresh the sync matrix of ${cluster} after a change: ${e instanceof Error ? e.message : String(e)}`),
    );

  return {
    'push.preview': async ({ cluster, request }) => {
      const c = await ctx.store.get(cluster);
      return previewPush({ cluster: c, files: await ctx.files.list(c.name), request, conns: ctx.conns, content: (f) => ctx.files.content(c.name, f.id, f.current.version) });
    },
    'push.run': async ({ cluster, request }, hctx) => {
      const c = await ctx.store.get(cluster);
      return serialized(c.name, `push managed files (${request.mode})`, async () => {
        const plan = planPush(c, await ctx.files.list(c.name), request);
        if (plan.refusal) throw new CdError('INVALID_ARGUMENT', `push refused: ${plan.refusal}`, { cluster: c.name });
        // Written before anything is sent to a host; done when the push ended, whatever its outcome.
        const id = randomUUID();
        const journal = await ctx.journal.open(pushDraft({ id, plan, owner: selfOwner(ctx.opts.actor) }));
        // runNodeAction is called directly (not through nodes.act): this lock is already held.
        const { result, commands } = await journaled(journal, () => runPush({
          id,
          journal,
          cluster: c,
          plan,
          request,
          conns: ctx.conns,
          content: (f) => ctx.files.content(c.name, f.id, f.current.version),
          reloads: () => ctx.files.reloads(c.name),
          recordReload: (host, file, at) => ctx.files.recordReload(c.name, host, file, at),
          onProgress: (p) => ctx.server.publish('push.progress', p),
          onConfigProgress: (p) => ctx.server.publish('config.progress', p),
          signal: hctx.signal,
          onNodeChanged: () => void ctx.watch.refresh(c.name),
        }));
        await ctx.record({ kind: 'push', cluster: c.name, result, commands });
        await refresh(c.name, plan.hosts.map((h) => h.host));
        void ctx.watch.refresh(c.name);
        return result;
      });
    },
    'files.rollback': async ({ cluster, host, file, backup }, hctx) => {
      const c = await ctx.store.get(cluster);
      return serialized(c.name, `roll back ${file} on ${host}`, async () => {
        const f = await ctx.files.get(c.name, file);
        const id = randomUUID();
        const journal = await ctx.journal.open(rollbackDraft({ id, cluster: c, host, file: f, backup, owner: selfOwner(ctx.opts.actor) }));
        const { result, commands } = await journaled(journal, () => rollbackFile({
          id,
          journal: journal.engine,
          cluster: c,
          file: f,
          host,
          backup,
          conns: ctx.conns,
          recordReload: (h, id, at) => ctx.files.recordReload(c.name, h, id, at),
          onConfigProgress: (p) => ctx.server.publish('config.progress', p),
          signal: hctx.signal,
        }));
        await ctx.record({ kind: 'config-change', cluster: c.name, result, commands });
        await refresh(c.name, [host]);
        void ctx.watch.refresh(c.name);
        return { result };
      });
    },
  };
}
