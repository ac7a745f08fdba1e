import type { ActionProgress, ActionResult, NodeAction } from '../../shared/domain/action';
import type { Slice } from './slice';
import type { NodePreview, ShownError } from './types';

/** The confirm dialog: what was clicked and what the core says it would do. */
export interface ConfirmState {
  cluster: string;
  node: string;
  action: NodeAction;
  preview: NodePreview | null;
  loading: boolean;
  error: ShownError | null;
}

/** An action in flight on a node, ours or another client's (the CLI in a runbook). */
export interface RunningAction {
  cluster: string;
  node: string;
  action: NodeAction;
  ours: boolean;
  progress: ActionProgress | null;
  startedAt: number;
  waitSeconds: number | null;
}

/** A drain whose wait passed its deadline: the admin picks what happens next. */
export interface DeadlineState {
  result: ActionResult;
  /** 'force' once "Force maintenance" was picked: the gate for maintenance is read and shown. */
  step: 'choose' | 'force';
  maintPreview: NodePreview | null;
  loading: boolean;
  error: ShownError | null;
}

/** A split result (some LBs applied, some failed): stays until dismissed, retry per failed LB. */
export interface SplitState {
  result: ActionResult;
  retrying: string | null;
}

export const runKey = (cluster: string, node: string): string => `${cluster}/${node}`;

export interface ActingSlice {
  confirm: ConfirmState | null;
  running: Record<string, RunningAction>;
  deadline: DeadlineState | null;
  splits: SplitState[];
  setConfirm(c: ConfirmState | null): void;
  patchConfirm(p: Partial<ConfirmState>): void;
  startRunning(r: RunningAction): void;
  applyProgress(p: ActionProgress): void;
  stopRunning(cluster: string, node: string): void;
  setDeadline(d: DeadlineState | null): void;
  patchDeadline(p: Partial<DeadlineState>): void;
  addSplit(result: ActionResult): void;
  patchSplit(id: string, p: Partial<SplitState>): void;
  dismissSplit(id: string): void;
}

export const createActingSlice: Slice<ActingSlice> = (set) => ({
  confirm: null,
  running: {},
  deadline: null,
  splits: [],
  setConfirm: (confirm) => set({ confirm }),
  patchConfirm: (p) => set((s) => (s.confirm ? { confirm: { ...s.confirm, ...p } } : {})),
  startRunning: (r) => set((s) => ({ running: { ...s.running, [runKey(r.cluster, r.node)]: r } })),
  applyProgress: (p) =>
    set((s) => {
      const key = runKey(p.cluster, p.node);
      const cur = s.running[key];
      if (p.phase === 'done') {
        // Ours stay until nodes.act answers (the result decides what to show); others' end here.
        if (!cur || cur.ours) return cur ? { running: { ...s.running, [key]: { ...cur, progress: p } } } : {};
        const { [key]: _gone, ...rest } = s.running;
        return { running: rest };
      }
      const next: RunningAction = cur
        ? { ...cur, progress: p }
        : { cluster: p.cluster, node: p.node, action: p.action, ours: false, progress: p, startedAt: Date.now(), waitSeconds: null };
      return { running: { ...s.running, [key]: next } };
    }),
  stopRunning: (cluster, node) =>
    set((s) => {
      const { [runKey(cluster, node)]: _gone, ...rest } = s.running;
      return { running: rest };
    }),
  setDeadline: (deadline) => set({ deadline }),
  patchDeadline: (p) => set((s) => (s.deadline ? { deadline: { ...s.deadline, ...p } } : {})),
  addSplit: (result) => set((s) => ({ splits: [...s.splits.filter((x) => x.result.node !== result.node || x.result.cluster !== result.cluster), { result, retrying: null }] })),
  patchSplit: (id, p) => set((s) => ({ splits: s.splits.map((x) => (x.result.id === id ? { ...x, ...p } : x)) })),
  dismissSplit: (id) => set((s) => ({ splits: s.splits.filter((x) => x.result.id !== id) })),
});
