import type { Api } from '../../api/client';
import { loadMatrix } from '../ops/files-ops';
import { app, useApp } from '../store';

/** A cheap re-read of the core's last matrix (no host is asked) while the tab is open. */
const POLL_MS = 20_000;

/**
 * The sync matrix and pushes: sync.changed replaces the matrix as the core finds something new;
 * push.progress and (while our push runs) config.progress feed the wizard's per-host bars and logs.
 * The matrix is read when the Configuration tab opens, and after a file or a push was recorded
 * (by us or the CLI).
 */
export function startFilesSync(api: Api): void {
  api.subscribe('sync.changed', (m) => app().setMatrix(m));
  api.subscribe('push.progress', (p) => app().applyPushProgress(p));
  api.subscribe('config.progress', (p) => app().applyPushConfigStep(p));
  api.subscribe('audit.appended', (e) => {
    if ((e.kind === 'managed-file' || e.kind === 'push') && e.cluster === app().selectedCluster) void loadMatrix(e.cluster);
  });
  const shown = (): string | null => {
    const s = app();
    return s.selectedCluster && s.tab === 'configuration' && s.conn === 'open' ? s.selectedCluster : null;
  };
  useApp.subscribe((s, prev) => {
    if (s.selectedCluster !== prev.selectedCluster || s.tab !== prev.tab) {
      const c = shown();
      if (c) void loadMatrix(c);
    }
  });
  setInterval(() => {
    const c = shown();
    if (c) void loadMatrix(c);
  }, POLL_MS);
}
