import type { Api } from '../../api/client';
import { explainError, toErrorLike } from '../../errors/explain';
import { app, useApp } from '../store';

/** Loads a cluster's definition (settings for the failover budget) whenever it is opened. */
async function loadSpec(api: Api, name: string): Promise<void> {
  try {
    app().setSpec(await api.call('clusters.get', { name }));
  } catch (e) {
    app().setStatusError(name, explainError(toErrorLike(e)));
  }
}

export async function reloadClusters(api: Api): Promise<void> {
  try {
    const list = await api.call('clusters.list', {});
    app().setClusters(list);
    const sel = app().selectedCluster;
    // Open something useful: the first cluster, or nothing (empty state) when there is none.
    if (!sel || !list.some((c) => c.name === sel)) app().selectCluster(list[0]?.name ?? null);
  } catch (e) {
    app().setClustersError(explainError(toErrorLike(e)));
  }
}

export function startClustersSync(api: Api): void {
  useApp.subscribe((s, prev) => {
    if (s.selectedCluster && s.selectedCluster !== prev.selectedCluster) void loadSpec(api, s.selectedCluster);
  });
  // A cluster imported or removed elsewhere (the CLI) shows up in the audit stream: refresh the rail.
  api.subscribe('audit.appended', (e) => {
    if (e.kind === 'cluster-change') void reloadClusters(api);
  });
  void reloadClusters(api);
}
