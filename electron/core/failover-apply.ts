/**
 * failover.apply behind the action lock: the settings into every LB through the config engine,
 * recorded in the intent journal before any LB is touched, and saved to the cluster store only once
 * every LB runs them. The journal entry ends only after that save: a kill in between leaves a change
 * that `recover` finishes by saving the settings, or restores by putting the previous files back.
 */
import type { ClusterSettings, ClusterSpec } from '../../shared/domain/cluster';
import type { ConfigChangeResult } from '../../shared/domain/config-change';
import { endJournal, failoverDraft } from '../journal/journal-drafts';
import type { JournalHandle } from '../journal/journal-handle';
import { selfOwner } from '../journal/process-identity';
import type { CoreContext } from './create-core';
import { applyFailover } from './failover-service';

export async function applyAndSaveFailover(ctx: CoreContext, c: ClusterSpec, settings: ClusterSettings, signal?: AbortSignal): Promise<{ result: ConfigChangeResult; settings: ClusterSettings }> {
  const journal: { h: JournalHandle | null } = { h: null };
  try {
    const { result, view } = await applyFailover(ctx.conns, c, settings, (p) => ctx.server.publish('config.progress', p), signal, async (id, v) => {
      journal.h = await ctx.journal.open(failoverDraft({ id, cluster: c, before: c.settings, after: v.settings, owner: selfOwner(ctx.opts.actor) }));
      return journal.h.engine;
    });
    await ctx.record({ kind: 'config-change', cluster: c.name, result });
    // Saved only once every LB runs them: the settings on file always describe the LBs.
    let saved = c.settings;
    if (result.outcome === 'ok' || result.outcome === 'unchanged') {
      const next = await ctx.store.save({ ...c, settings: view.settings }, 'replace');
      saved = next.settings;
      ctx.watch.update(next);
      // ClusterDeck's own heartbeat follows the new interval and count.
      for (const h of [...next.nodes.map((n) => [n, 'node'] as const), ...next.lbs.map((l) => [l, 'lb'] as const)]) ctx.conns.link(next, h[0], h[1]);
    }
    await endJournal(journal.h, false);
    return { result, settings: saved };
  } catch (e) {
    await endJournal(journal.h, true);
    throw e;
  }
}
