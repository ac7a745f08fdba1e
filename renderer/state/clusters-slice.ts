import type { ClusterSpec } from '../../shared/domain/cluster';
import type { Slice } from './slice';
import type { ClusterSummary, ShownError } from './types';

export interface ClustersSlice {
  clusters: ClusterSummary[];
  clustersLoaded: boolean;
  clustersError: ShownError | null;
  /** Definitions of the clusters opened so far (settings drive the failover budget). */
  specs: Record<string, ClusterSpec>;
  setClusters(list: ClusterSummary[]): void;
  setClustersError(e: ShownError | null): void;
  setSpec(spec: ClusterSpec): void;
}

export const createClustersSlice: Slice<ClustersSlice> = (set) => ({
  clusters: [],
  clustersLoaded: false,
  clustersError: null,
  specs: {},
  setClusters: (clusters) => set({ clusters, clustersLoaded: true, clustersError: null }),
  setClustersError: (clustersError) => set({ clustersError, clustersLoaded: true }),
  setSpec: (spec) => set((s) => ({ specs: { ...s.specs, [spec.name]: spec } })),
});
