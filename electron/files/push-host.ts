/**
 * One host of a push: all of its files in ONE call of the config engine (so they stand or fall
 * together, and a failed reload or check puts every one of them back), with its progress.
 */
import type { ClusterSpec } from '../../shared/domain/cluster';
import type { ConfigChangeResult, ConfigProgress } from '../../shared/domain/config-change';
import type { ManagedFile, PushHostResult, PushProgress, SyncCell } from '../../shared/domain/managed-files';
import { CdError } from '../../shared/errors';
import { applyConfigChange } from '../config/config-change';
import type { Connections } from '../core/connections';
import type { JournalHandle } from '../journal/journal-handle';
import type { SshLink } from '../ssh/ssh-link';
import type { CommandLog } from './command-recorder';
import type { PlannedHost } from './push-plan';
import { fileTarget } from './push-target';

export interface PushContext {
  id: string;
  cluster: ClusterSpec;
  conns: Connections;
  /** Desired content per file id (read once from the store, before anything is sent). */
  contents: Map<string, string>;
  portWaitSec: number;
  drainWaitSec: number;
  log: CommandLog;
  signal?: AbortSignal | undefined;
  progress(host: string, phase: PushProgress['phase'], percent: number, detail: string): void;
  onConfigProgress?: ((p: ConfigProgress) => void) | undefined;
  onReloaded?: ((host: string, file: string) => Promise<void> | void) | undefined;
  /** Poll interval of the drain wait (tests shorten it). */
  drainPollMs?: number | undefined;
  onNodeChanged?: (() => void) | undefined;
  /** The push's intent journal entry: every step on a host and every drain is recorded there first. */
  journal?: JournalHandle | undefined;
}

export type HostFiles = PushHostResult['files'];

/** Engine steps as progress within a host's push (40..90 %: the drain and the ready sit around it). */
const STEP_PERCENT: Record<ConfigProgress['step'], number> = { read: 40, stage: 45, validate: 50, backup: 55, replace: 60, reload: 65, verify: 75, restore: 80, cleanup: 88 };

export function hostOutcome(r: ConfigChangeResult): PushHostResult['outcome'] {
  switch (r.outcome) {
    case 'ok':
      return 'done';
    case 'unchanged':
      return 'unchanged';
    case 'refused':
      return 'refused';
    case 'rolled-back':
      return 'restored';
    default:
      return 'failed';
  }
}

/** The engine's per-file results with the managed file's id. */
export function filesOf(r: ConfigChangeResult, files: ManagedFile[]): HostFiles {
  return r.targets.map((t, i) => ({ ...t, file: files[i]?.id ?? t.path }));
}

/** Results for files found in sync by a fingerprint check: nothing was written. */
export function unchangedFiles(host: string, files: ManagedFile[], cells: SyncCell[]): HostFiles {
  return files.map((f) => {
    const c = cells.find((x) => x.file === f.id);
    return {
      file: f.id,
      target: host,
      path: f.path,
      diff: '',
      changed: false,
      outcome: 'unchanged' as const,
      steps: [{ step: 'read' as const, ok: true, detail: `${f.path} has sha256 ${(c?.sha256 ?? '').slice(0, 12)}…, the desired version ${f.current.version}`, ms: 0 }],
      backup: null,
      error: null,
    };
  });
}

/** Runs the engine for every file of one host; never throws (a failure is the host's result). */
export async function pushFiles(pc: PushContext, h: PlannedHost, link: SshLink): Promise<{ engine: ConfigChangeResult | null; files: HostFiles; error: CdError | null }> {
  const withPort = h.files.some((f) => f.servicePort !== null);
  try {
    const targets = h.files.map((file) =>
      fileTarget({
        cluster: pc.cluster,
        host: h.host,
        file,
        content: pc.contents.get(file.id)!,
        link,
        conns: pc.conns,
        portWaitSec: pc.portWaitSec,
        log: pc.log,
        signal: pc.signal,
        onReloaded: pc.onReloaded,
      }),
    );
    const engine = await applyConfigChange({
      id: pc.id,
      cluster: pc.cluster.name,
      kind: 'managed-file',
      targets,
      ...(pc.signal ? { signal: pc.signal } : {}),
      ...(pc.journal ? { journal: pc.journal.engine } : {}),
      onProgress: (p) => {
        pc.onConfigProgress?.(p);
        const phase = p.step === 'verify' && withPort ? 'wait-port' : 'push';
        pc.progress(h.host, phase, STEP_PERCENT[p.step], `${p.step}: ${p.detail.split('\n')[0]!.slice(0, 200)}`);
      },
    });
    const failed = engine.outcome !== 'ok' && engine.outcome !== 'unchanged';
    const err = failed ? (engine.targets.find((t) => t.error)?.error ?? null) : null;
    return {
      engine,
      files: filesOf(engine, h.files),
      error: failed ? new CdError(err?.code ?? 'INTERNAL', engine.message, { host: h.host }) : null,
    };
  } catch (e) {
    const err = e instanceof CdError ? e : new CdError('INTERNAL', `${h.host}: ${e instanceof Error ? e.message : String(e)}`, { host: h.host });
    return { engine: null, files: [], error: err };
  }
}

export function hostResult(host: string, startedAt: number, patch: Partial<PushHostResult> & Pick<PushHostResult, 'outcome'>): PushHostResult {
  return { host, files: [], drained: false, notes: [], error: null, durationMs: Math.round(performance.now() - startedAt), ...patch };
}
