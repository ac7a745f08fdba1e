import type { ClusterSettings } from '../../shared/domain/cluster';
import type { ConfigProgress } from '../../shared/domain/config-change';
import type { FailoverDraft, FailoverErrors } from '../failover/settings-form';
import type { Slice } from './slice';
import type { FailoverApplied, FailoverPreview, FailoverView, ShownError } from './types';

/** A preview asked for: the exact settings it was computed for (Apply sends those, never the form's later edits). */
export interface PreviewState {
  settings: ClusterSettings;
  result: FailoverPreview | null;
  loading: boolean;
  error: ShownError | null;
}

export interface ApplyState {
  settings: ClusterSettings;
  running: boolean;
  startedAt: number;
  /** The cluster's last config run when this apply started: its steps are not this apply's. */
  priorRunId: string | null;
  result: FailoverApplied | null;
  error: ShownError | null;
}

/** The Failover settings tab of one cluster: what runs now, the admin's draft, the preview and the apply. */
export interface FailoverState {
  view: FailoverView | null;
  loading: boolean;
  error: ShownError | null;
  /** What the admin typed; null until the current settings are loaded. Kept across tab switches. */
  draft: FailoverDraft | null;
  /** The core's refusals put back on their fields (INVALID_ARGUMENT). */
  serverErrors: FailoverErrors;
  preview: PreviewState | null;
  apply: ApplyState | null;
}

/** A configuration change as config.progress reports it, per host, in arrival order. */
export interface ConfigRun {
  id: string;
  cluster: string;
  steps: Record<string, ConfigProgress[]>;
}

const EMPTY: FailoverState = { view: null, loading: false, error: null, draft: null, serverErrors: {}, preview: null, apply: null };

export interface FailoverSlice {
  failover: Record<string, FailoverState>;
  /** The latest configuration change per cluster (ours or another client's). */
  configRuns: Record<string, ConfigRun>;
  patchFailover(cluster: string, p: Partial<FailoverState> | ((cur: FailoverState) => Partial<FailoverState>)): void;
  applyConfigProgress(p: ConfigProgress): void;
}

export const failoverOf = (s: { failover: Record<string, FailoverState> }, cluster: string): FailoverState => s.failover[cluster] ?? EMPTY;

export const createFailoverSlice: Slice<FailoverSlice> = (set) => ({
  failover: {},
  configRuns: {},
  patchFailover: (cluster, p) =>
    set((s) => {
      const cur = failoverOf(s, cluster);
      const patch = typeof p === 'function' ? p(cur) : p;
      return { failover: { ...s.failover, [cluster]: { ...cur, ...patch } } };
    }),
  applyConfigProgress: (p) =>
    set((s) => {
      const cur = s.configRuns[p.cluster];
      // A new change id starts a fresh run: the previous one's steps are its own.
      const run: ConfigRun = cur && cur.id === p.id ? cur : { id: p.id, cluster: p.cluster, steps: {} };
      return {
        configRuns: {
          ...s.configRuns,
          [p.cluster]: { ...run, steps: { ...run.steps, [p.target]: [...(run.steps[p.target] ?? []), p] } },
        },
      };
    }),
});
