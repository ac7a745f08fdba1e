import type { Api } from '../../api/client';
import { app } from '../store';

/** New audit entries appear at the top of the Activity list when they match what it shows. */
export function startAuditSync(api: Api): void {
  api.subscribe('audit.appended', (e) => {
    const { cluster, node } = app().audit;
    if (e.cluster !== cluster) return;
    if (node && !(e.kind === 'node-action' && e.result.node === node)) return;
    app().prependAudit(e);
  });
}
