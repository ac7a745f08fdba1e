import type { Api } from '../../api/client';
import { loadFailover } from '../ops/failover-ops';
import { app } from '../store';

/**
 * Per-LB steps of a configuration change (ours, or the CLI's on the same core), and a change
 * applied elsewhere: the open cluster's definition and settings are read again so the top bar and
 * the form never show settings that no longer run.
 */
export function startConfigSync(api: Api): void {
  api.subscribe('config.progress', (p) => app().applyConfigProgress(p));
  api.subscribe('audit.appended', (e) => {
    if (e.kind !== 'config-change' || e.cluster !== app().selectedCluster) return;
    if (e.result.outcome !== 'ok' && e.result.outcome !== 'unchanged') return;
    api.call('clusters.get', { name: e.cluster }).then((spec) => app().setSpec(spec), () => undefined);
    void loadFailover(e.cluster);
  });
}
