import type { Api } from '../../api/client';
import { explainError, toErrorLike } from '../../errors/explain';
import { app, useApp } from '../store';

/**
 * Keeps exactly one live watch: the selected cluster's. status.watch answers with the first
 * snapshot, then the core pushes status.changed every heartbeat; leaving the cluster unwatches it.
 */
export function startStatusSync(api: Api): void {
  api.subscribe('status.changed', (s) => app().setStatus(s));

  let watching: string | null = null;
  const follow = async (name: string | null): Promise<void> => {
    if (watching === name) return;
    const prev = watching;
    watching = name;
    if (prev) api.call('status.unwatch', { cluster: prev }).catch(() => undefined);
    if (!name) return;
    try {
      const first = await api.call('status.watch', { cluster: name });
      if (watching === name) app().setStatus(first);
    } catch (e) {
      if (watching === name) app().setStatusError(name, explainError(toErrorLike(e)));
    }
  };

  useApp.subscribe((s, prev) => {
    if (s.selectedCluster !== prev.selectedCluster) void follow(s.selectedCluster);
  });
  void follow(app().selectedCluster);
}
