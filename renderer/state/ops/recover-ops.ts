import type { RecoverAction } from '../../../shared/contract/recover';
import { resultTitle, resultTone } from '../../recover/recover-view';
import { explainError, toErrorLike } from '../../errors/explain';
import { core } from '../core';
import { recoverOf } from '../recover-slice';
import { app } from '../store';

let loadSeq = 0;

/** recover.list: the unfinished changes, each interrupted one with what its hosts hold now (read over SSH). */
export async function loadRecover(cluster: string): Promise<void> {
  const mine = ++loadSeq;
  app().patchRecover(cluster, { loading: true, error: null });
  try {
    const { changes } = await core().call('recover.list', { cluster, probe: true });
    if (mine === loadSeq) app().patchRecover(cluster, { changes, loading: false });
  } catch (e) {
    if (mine === loadSeq) app().patchRecover(cluster, { loading: false, error: explainError(toErrorLike(e)) });
  }
}

export const askResolve = (cluster: string, id: string, action: RecoverAction): void =>
  app().patchRecover(cluster, (cur) => (cur.running ? {} : { confirm: { id, action }, result: null, runError: null }));

export const cancelResolve = (cluster: string): void => app().patchRecover(cluster, (cur) => (cur.running ? {} : { confirm: null }));

export const dismissRecoverResult = (cluster: string): void => app().patchRecover(cluster, { result: null, runError: null });

/** recover.resolve of the confirmed change; the listing is read again after (the banner goes when nothing is left). */
export async function runResolve(cluster: string): Promise<void> {
  const st = recoverOf(app(), cluster);
  if (!st.confirm || st.running) return;
  const { id, action } = st.confirm;
  app().patchRecover(cluster, { running: true, result: null, runError: null });
  try {
    const result = await core().call('recover.resolve', { cluster, id, action });
    app().patchRecover(cluster, { running: false, confirm: null, result });
    const tone = resultTone(result);
    app().pushToast({ tone, title: `${cluster}: ${resultTitle(result)}`, body: result.message, sticky: tone !== 'ok' });
  } catch (e) {
    app().patchRecover(cluster, { running: false, runError: explainError(toErrorLike(e)) });
  }
  await loadRecover(cluster);
}
