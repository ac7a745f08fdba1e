import type { ActionResult, NodeAction } from '../../../shared/domain/action';
import { actionGerund } from '../../acting/acting-view';
import { outcomeView } from '../../acting/outcome';
import { explainError, toErrorLike } from '../../errors/explain';
import { core } from '../core';
import { app } from '../store';

export interface ActRequest {
  cluster: string;
  node: string;
  action: NodeAction;
  waitSeconds?: number;
  forceGate?: string;
  lbs?: string[];
}

let previewSeq = 0;

/** Opens the confirm dialog at once and fills in the core's preview (gate verdict, consequence). */
export async function requestAction(cluster: string, node: string, action: NodeAction): Promise<void> {
  const mine = ++previewSeq;
  app().setConfirm({ cluster, node, action, preview: null, loading: true, error: null });
  try {
    const preview = await core().call('nodes.preview', { cluster, node, action });
    if (mine === previewSeq) app().patchConfirm({ preview, loading: false });
  } catch (e) {
    if (mine === previewSeq) app().patchConfirm({ loading: false, error: explainError(toErrorLike(e), node) });
  }
}

export function cancelConfirm(): void {
  previewSeq++;
  app().setConfirm(null);
}

/** The confirm dialog's primary button. */
export function confirmAction(opts: { waitSeconds?: number | undefined; forceGate?: string | undefined }): void {
  const c = app().confirm;
  if (!c) return;
  app().setConfirm(null);
  void runAction({
    cluster: c.cluster,
    node: c.node,
    action: c.action,
    ...(opts.waitSeconds !== undefined ? { waitSeconds: opts.waitSeconds } : {}),
    ...(opts.forceGate !== undefined ? { forceGate: opts.forceGate } : {}),
  });
}

/** Runs nodes.act and turns its result into what the admin sees: a toast, the deadline choice or a split card. */
export async function runAction(req: ActRequest): Promise<ActionResult | null> {
  app().startRunning({ cluster: req.cluster, node: req.node, action: req.action, ours: true, progress: null, startedAt: Date.now(), waitSeconds: req.waitSeconds ?? null });
  try {
    const r = await core().call('nodes.act', req);
    showResult(r);
    return r;
  } catch (e) {
    const shown = explainError(toErrorLike(e), req.node);
    app().pushToast({
      tone: 'error',
      title: `${actionGerund(req.action)} ${req.node} failed: ${shown.title}`,
      body: `${shown.detail}\nNothing was changed by this request.`,
      next: shown.next,
      sticky: true,
    });
    return null;
  } finally {
    app().stopRunning(req.cluster, req.node);
  }
}

function showResult(r: ActionResult): void {
  const v = outcomeView(r);
  if (v.kind === 'toast') app().pushToast(v.toast);
  else if (v.kind === 'deadline') app().setDeadline({ result: r, step: 'choose', maintPreview: null, loading: false, error: null });
  else app().addSplit(r);
}

/** Retry of a split result on one failed LB: the same action the admin already confirmed, on that LB only. */
export async function retrySplit(id: string, lb: string): Promise<void> {
  const split = app().splits.find((s) => s.result.id === id);
  if (!split) return;
  app().patchSplit(id, { retrying: lb });
  const { cluster, node, action } = split.result;
  const r = await runAction({ cluster, node, action, lbs: [lb] });
  if (!r) {
    app().patchSplit(id, { retrying: null });
    return;
  }
  // Success on that LB settles it: the split card goes, the toast says so. Otherwise the new card replaces it.
  if (r.outcome === 'ok') app().dismissSplit(id);
  else app().patchSplit(id, { retrying: null });
}

export function dismissSplit(id: string): void {
  app().dismissSplit(id);
}

/** Deadline dialog: "Force maintenance" first shows the gate for maintenance, read now. */
export async function deadlineForceStep(): Promise<void> {
  const d = app().deadline;
  if (!d) return;
  app().patchDeadline({ step: 'force', loading: true, error: null, maintPreview: null });
  try {
    const p = await core().call('nodes.preview', { cluster: d.result.cluster, node: d.result.node, action: 'maint' });
    app().patchDeadline({ maintPreview: p, loading: false });
  } catch (e) {
    app().patchDeadline({ loading: false, error: explainError(toErrorLike(e), d.result.node) });
  }
}

export function deadlineBack(): void {
  app().patchDeadline({ step: 'choose', maintPreview: null, error: null });
}

export function deadlineChoose(choice: { kind: 'force'; forceGate?: string } | { kind: 'keep'; waitSeconds: number } | { kind: 'revert' }): void {
  const d = app().deadline;
  if (!d) return;
  app().setDeadline(null);
  const { cluster, node } = d.result;
  if (choice.kind === 'force') void runAction({ cluster, node, action: 'maint', ...(choice.forceGate ? { forceGate: choice.forceGate } : {}) });
  else if (choice.kind === 'keep') void runAction({ cluster, node, action: 'drain', waitSeconds: choice.waitSeconds });
  else void runAction({ cluster, node, action: 'ready' });
}

/** Closing the deadline dialog without choosing leaves the node draining, and says so. */
export function deadlineDismiss(): void {
  const d = app().deadline;
  if (!d) return;
  app().setDeadline(null);
  app().pushToast({ tone: 'warn', title: `${d.result.node} was left draining`, body: d.result.message, sticky: true });
}
