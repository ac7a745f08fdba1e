import type { RecoverAction, RecoveryResult, UnfinishedChange } from '../../shared/contract/recover';
import type { Slice } from './slice';
import type { ShownError } from './types';

/** The interrupted-change banner of one cluster: the listing, the confirm being asked, and the last resolution. */
export interface RecoverState {
  changes: UnfinishedChange[] | null;
  loading: boolean;
  error: ShownError | null;
  confirm: { id: string; action: RecoverAction } | null;
  running: boolean;
  result: RecoveryResult | null;
  runError: ShownError | null;
}

const EMPTY: RecoverState = { changes: null, loading: false, error: null, confirm: null, running: false, result: null, runError: null };

export interface RecoverSlice {
  recover: Record<string, RecoverState>;
  patchRecover(cluster: string, p: Partial<RecoverState> | ((cur: RecoverState) => Partial<RecoverState>)): void;
}

export const recoverOf = (s: { recover: Record<string, RecoverState> }, cluster: string): RecoverState => s.recover[cluster] ?? EMPTY;

export const createRecoverSlice: Slice<RecoverSlice> = (set) => ({
  recover: {},
  patchRecover: (cluster, p) =>
    set((s) => {
      const cur = recoverOf(s, cluster);
      return { recover: { ...s.recover, [cluster]: { ...cur, ...(typeof p === 'function' ? p(cur) : p) } } };
    }),
});
