import type { ClusterStatus } from '../../shared/domain/status';
import type { Slice } from './slice';
import type { ShownError } from './types';

export interface StatusSlice {
  /** Latest snapshot per cluster (kept after leaving a cluster, for the rail's health dot). */
  status: Record<string, ClusterStatus>;
  statusError: Record<string, ShownError | null>;
  setStatus(s: ClusterStatus): void;
  setStatusError(cluster: string, e: ShownError | null): void;
}

export const createStatusSlice: Slice<StatusSlice> = (set) => ({
  status: {},
  statusError: {},
  setStatus: (st) =>
    set((s) => {
      // Pushes can arrive out of order with the watch's own first reply: keep the newest.
      const prev = s.status[st.cluster];
      if (prev && prev.at > st.at) return {};
      return { status: { ...s.status, [st.cluster]: st }, statusError: { ...s.statusError, [st.cluster]: null } };
    }),
  setStatusError: (cluster, e) => set((s) => ({ statusError: { ...s.statusError, [cluster]: e } })),
});
