import { explainError, toErrorLike } from '../../errors/explain';
import { AUDIT_PAGE } from '../activity-slice';
import { core } from '../core';
import { app } from '../store';

let generation = 0;

/** Loads a cluster's audit log, newest first, optionally one node's; later pushes are prepended. */
export async function loadAudit(cluster: string, node: string | null): Promise<void> {
  const mine = ++generation;
  app().setAudit({ cluster, node, loading: true, error: null, ...(app().audit.cluster !== cluster ? { entries: [] } : {}) });
  try {
    const page = await core().call('audit.list', { cluster, limit: AUDIT_PAGE, ...(node ? { node } : {}) });
    if (mine !== generation) return;
    app().setAudit({ entries: page.entries, skippedLines: page.skippedLines, loading: false });
  } catch (e) {
    if (mine !== generation) return;
    app().setAudit({ loading: false, error: explainError(toErrorLike(e)) });
  }
}
