import type { ConfigChangeResult, ConfigProgress } from '../../shared/domain/config-change';
import type { FileBackup, FileDiff, PushPreview, PushProgress, PushRequest, PushResult, SyncMatrix } from '../../shared/domain/managed-files';
import { progressLine, type WizardChoice, type WizardStep } from '../configuration/push-view';
import type { Slice } from './slice';
import type { ShownError } from './types';

/** A cell opened from the matrix: its diff as read from the host. */
export interface CellState {
  host: string;
  file: string;
  diff: FileDiff | null;
  loading: boolean;
  error: ShownError | null;
}

export interface RollbackState {
  host: string;
  file: string;
  backups: FileBackup[] | null;
  loading: boolean;
  error: ShownError | null;
  chosen: string | null;
  running: boolean;
  result: ConfigChangeResult | null;
  runError: ShownError | null;
}

/** The push wizard of one cluster: kept in the store, so it can be left (another tab) and resumed. */
export interface WizardState {
  open: boolean;
  step: WizardStep;
  choice: WizardChoice;
  /** The preview asked for, with the exact request it was computed for. */
  preview: { request: PushRequest; result: PushPreview | null; loading: boolean; error: ShownError | null } | null;
  run: { request: PushRequest; running: boolean; startedAt: number; result: PushResult | null; error: ShownError | null } | null;
}

/** A running (or the last) push as push.progress and config.progress report it, per host. */
export interface PushLive {
  id: string | null;
  hosts: Record<string, { phase: PushProgress['phase']; percent: number; detail: string; log: string[] }>;
}

export interface FilesState {
  matrix: SyncMatrix | null;
  loading: boolean;
  refreshing: boolean;
  error: ShownError | null;
  /** Show one host only (the node table's Sync cell opens the tab filtered). */
  hostFilter: string | null;
  cell: CellState | null;
  rollback: RollbackState | null;
  /** The add/edit dialog: null closed; '' adding; an id editing. */
  editing: string | null;
  wizard: WizardState;
  live: PushLive | null;
}

export const emptyChoice = (): WizardChoice => ({ files: [], hosts: [], mode: 'all-at-once', drainWaitSec: '30', portWaitSec: '30' });
export const closedWizard = (): WizardState => ({ open: false, step: 'choose', choice: emptyChoice(), preview: null, run: null });

const EMPTY: FilesState = { matrix: null, loading: false, refreshing: false, error: null, hostFilter: null, cell: null, rollback: null, editing: null, wizard: closedWizard(), live: null };

export const filesOf = (s: { files: Record<string, FilesState> }, cluster: string): FilesState => s.files[cluster] ?? EMPTY;

const MAX_LOG = 200;

export interface FilesSlice {
  files: Record<string, FilesState>;
  patchFiles(cluster: string, p: Partial<FilesState> | ((cur: FilesState) => Partial<FilesState>)): void;
  /** A matrix from sync.get or sync.changed: the newest check wins. */
  setMatrix(m: SyncMatrix): void;
  applyPushProgress(p: PushProgress): void;
  /** A configuration step on a host while our push runs: into that host's log. */
  applyPushConfigStep(p: ConfigProgress): void;
}

const append = (log: string[], line: string): string[] => (log.length >= MAX_LOG ? [...log.slice(-(MAX_LOG - 1)), line] : [...log, line]);

export const createFilesSlice: Slice<FilesSlice> = (set) => {
  const patch = (s: { files: Record<string, FilesState> }, cluster: string, p: Partial<FilesState>) => ({ files: { ...s.files, [cluster]: { ...filesOf(s, cluster), ...p } } });
  return {
    files: {},
    patchFiles: (cluster, p) => set((s) => patch(s, cluster, typeof p === 'function' ? p(filesOf(s, cluster)) : p)),
    setMatrix: (m) =>
      set((s) => {
        const cur = filesOf(s, m.cluster).matrix;
        if (cur && cur.checkedAt !== null && m.checkedAt !== null && m.checkedAt < cur.checkedAt) return {};
        return patch(s, m.cluster, { matrix: m, error: null });
      }),
    applyPushProgress: (p) =>
      set((s) => {
        const cur = filesOf(s, p.cluster);
        // A new push id starts fresh; another client's push is followed too (the CLI on the same core).
        const live: PushLive = cur.live && (cur.live.id === p.id || cur.live.id === null) ? { ...cur.live, id: p.id } : { id: p.id, hosts: {} };
        const h = live.hosts[p.host] ?? { phase: p.phase, percent: 0, detail: '', log: [] };
        const line = progressLine(p);
        const log = h.log[h.log.length - 1] === line ? h.log : append(h.log, line);
        return patch(s, p.cluster, { live: { ...live, hosts: { ...live.hosts, [p.host]: { phase: p.phase, percent: p.percent, detail: p.detail, log } } } });
      }),
    applyPushConfigStep: (p) =>
      set((s) => {
        const cur = filesOf(s, p.cluster);
        if (!cur.live || !cur.wizard.run?.running) return {};
        const h = cur.live.hosts[p.target] ?? { phase: 'push' as const, percent: 0, detail: '', log: [] };
        const line = `${p.step} ${p.ok ? 'ok' : 'FAILED'}${p.detail ? `: ${p.detail}` : ''}`;
        return patch(s, p.cluster, { live: { ...cur.live, hosts: { ...cur.live.hosts, [p.target]: { ...h, log: append(h.log, line) } } } });
      }),
  };
};
