import type { ClusterSettings } from '../../../shared/domain/cluster';
import { OUTCOME_TONE, resultView } from '../../failover/apply-view';
import { draftFromSettings, failoverFieldsFromServer, sameSettings, type FailoverDraft } from '../../failover/settings-form';
import { explainError, toErrorLike } from '../../errors/explain';
import { failoverBudget } from '../../frame/budget';
import { core } from '../core';
import { failoverOf } from '../failover-slice';
import { app } from '../store';

/** The cluster's nodes in inventory order: the definition's, else the live status', else the roles'. */
export function clusterNodes(cluster: string): string[] {
  const s = app();
  const spec = s.specs[cluster];
  if (spec) return spec.nodes.map((n) => n.name);
  const st = s.status[cluster];
  if (st) return st.nodes.map((n) => n.node);
  const v = failoverOf(s, cluster).view;
  return v ? [...v.roles.active, ...v.roles.standby] : [];
}

let loadSeq = 0;

/**
 * Reads the settings in force (failover.get). The draft is replaced only when it was not edited
 * (or `reset`): an admin's half-typed change survives a refresh.
 */
export async function loadFailover(cluster: string, opts: { reset?: boolean } = {}): Promise<void> {
  const mine = ++loadSeq;
  app().patchFailover(cluster, { loading: true, error: null });
  try {
    const view = await core().call('failover.get', { cluster });
    if (mine !== loadSeq) return;
    const nodes = clusterNodes(cluster).length ? clusterNodes(cluster) : [...view.roles.active, ...view.roles.standby];
    app().patchFailover(cluster, (cur) => {
      const pristine = !cur.draft || !cur.view || JSON.stringify(cur.draft) === JSON.stringify(draftFromSettings(cur.view.settings, nodes));
      return { view, loading: false, ...(opts.reset || pristine ? { draft: draftFromSettings(view.settings, nodes), serverErrors: {} } : {}) };
    });
  } catch (e) {
    if (mine !== loadSeq) return;
    app().patchFailover(cluster, { loading: false, error: explainError(toErrorLike(e)) });
  }
}

/** Every edit of the form goes through here; the core's earlier refusals no longer apply to it. */
export function editFailoverDraft(cluster: string, fn: (d: FailoverDraft) => FailoverDraft): void {
  app().patchFailover(cluster, (cur) => (cur.draft ? { draft: fn(cur.draft), serverErrors: {} } : {}));
}

/** Back to the settings in force: the draft, the preview and the last result go. */
export function resetFailoverDraft(cluster: string): void {
  const v = failoverOf(app(), cluster).view;
  if (!v) return;
  app().patchFailover(cluster, { draft: draftFromSettings(v.settings, clusterNodes(cluster)), serverErrors: {}, preview: null, apply: null });
}

let previewSeq = 0;

/** failover.preview: per LB, the diff of haproxy.cfg and whether HAProxy accepts it. Changes nothing. */
export async function previewFailover(cluster: string, settings: ClusterSettings): Promise<void> {
  const mine = ++previewSeq;
  app().patchFailover(cluster, { preview: { settings, result: null, loading: true, error: null }, apply: null });
  try {
    const result = await core().call('failover.preview', { cluster, settings });
    if (mine !== previewSeq) return;
    app().patchFailover(cluster, { preview: { settings, result, loading: false, error: null } });
  } catch (e) {
    if (mine !== previewSeq) return;
    const err = toErrorLike(e);
    if (err.code === 'INVALID_ARGUMENT') {
      const { errors, rest } = failoverFieldsFromServer(err.message);
      // Refusals that name a field go by that field; the preview area only says what names none.
      app().patchFailover(cluster, { serverErrors: errors, preview: rest ? { settings, result: null, loading: false, error: explainError({ ...err, message: rest }) } : null });
      return;
    }
    app().patchFailover(cluster, { preview: { settings, result: null, loading: false, error: explainError(err) } });
  }
}

/**
 * failover.apply with exactly the settings that were previewed. Progress arrives per LB through
 * config.progress; the result says applied / refused / rolled back. On success the definition and
 * the settings in force are read again (the top bar's budget, the form).
 */
export async function applyFailover(cluster: string): Promise<void> {
  const st = failoverOf(app(), cluster);
  const p = st.preview;
  if (!p?.result || st.apply?.running) return;
  const settings = p.settings;
  const priorRunId = app().configRuns[cluster]?.id ?? null;
  const startedAt = Date.now();
  app().patchFailover(cluster, { apply: { settings, running: true, startedAt, priorRunId, result: null, error: null } });
  try {
    const r = await core().call('failover.apply', { cluster, settings });
    app().patchFailover(cluster, { apply: { settings, running: false, startedAt, priorRunId, result: r, error: null } });
    const v = resultView(r.result);
    const tone = OUTCOME_TONE[r.result.outcome];
    app().pushToast({
      tone,
      title: `${cluster}: ${v.title}`,
      body: r.result.outcome === 'ok' || r.result.outcome === 'unchanged' ? `Now ${failoverBudget(r.settings)}.` : v.lines.join('\n'),
      sticky: tone === 'warn' || tone === 'error',
    });
    if (r.result.outcome === 'ok' || r.result.outcome === 'unchanged') {
      try {
        app().setSpec(await core().call('clusters.get', { name: cluster }));
      } catch {
        // the top bar keeps the old budget until the next open; the result above is what counts
      }
      await loadFailover(cluster, { reset: true });
      // The form now matches what runs: the preview was of a change that is done.
      app().patchFailover(cluster, (cur) => (sameSettings(cur.preview?.settings, r.settings) ? { preview: null } : {}));
    }
  } catch (e) {
    const shown = explainError(toErrorLike(e));
    app().patchFailover(cluster, { apply: { settings, running: false, startedAt, priorRunId, result: null, error: shown } });
    app().pushToast({ tone: 'error', title: `Applying failover settings to ${cluster} failed: ${shown.title}`, body: shown.detail, next: shown.next, sticky: true });
  }
}
