/**
 * Phase 2 of a config change, per target: backup → replace → reload → verify, and the way back
 * (restore + reload) when it or a later target fails. Split from config-change.ts to keep each
 * file readable; the order of targets and the all-or-nothing decision stay there.
 */
import type { ConfigStep, ConfigTargetResult } from '../../shared/domain/config-change';
import { CdError, type ErrorCode } from '../../shared/errors';
import type { ConfigTarget } from './config-change';
import { reloadDetail, reloadPids, type JournaledStep, type ReloadDone, type StepFacts } from './config-journal';
import type { FileOps } from './file-ops';
import type { RemoteFile, StagedFile } from './remote-file';
import { STALE_MINUTES } from './remote-scripts';
import { splitPath } from './shell';

/** Guard around a target's own reload/verify: theirs should be bounded already; this makes sure. */
export const HOOK_TIMEOUT_MS = 120_000;
export const DEFAULT_KEEP_BACKUPS = 5;

export interface Run {
  t: ConfigTarget;
  r: ConfigTargetResult;
  current: RemoteFile | null;
  /** The file did not exist: nothing to back up; undoing the change removes it. */
  absent: boolean;
  /** sha256 of the file renamed into place (what undoing a creation may remove). */
  written: string | null;
  next: string | null;
  /** The temp file on the host, until renamed or removed. */
  staged: StagedFile | null;
  /** 'maybe': the connection went away during the rename, so the file may be old or new (whole either way). */
  renamed: 'no' | 'yes' | 'maybe';
  reloaded: boolean;
  failure: CdError | null;
}

export interface Ctx {
  ops: FileOps;
  signal: AbortSignal | undefined;
  record(run: Run, step: ConfigStep['step'], ok: boolean, detail: string, t0: number): void;
  asError(run: Run, e: unknown): CdError;
  /** Runs fn as one recorded step; returns its value, or the CdError it failed with (already recorded). */
  step<T>(run: Run, step: ConfigStep['step'], fn: () => Promise<T>, detail: (v: T) => string): Promise<T | CdError>;
  fail(run: Run, step: ConfigStep['step'], error: CdError, refusal: boolean, message?: string): void;
  /**
   * Tells the intent journal (if any) that a step starts (facts null) or ended; the CdError when it
   * could not be recorded. Nothing that changes a host runs unrecorded.
   */
  mark(run: Run, step: JournaledStep, facts: StepFacts | null): Promise<CdError | null>;
}

export function newRun(t: ConfigTarget): Run {
  return {
    t,
    r: { target: t.target, path: t.path, diff: '', changed: false, outcome: 'not-touched', steps: [], backup: null, error: null },
    current: null,
    absent: false,
    written: null,
    next: null,
    staged: null,
    renamed: 'no',
    reloaded: false,
    failure: null,
  };
}

export function keepOf(t: ConfigTarget): number {
  return t.keepBackups ?? DEFAULT_KEEP_BACKUPS;
}

/** Errors after which a remote command may or may not have run to its end. */
const UNSURE: ErrorCode[] = ['SSH_DISCONNECTED', 'SSH_TIMEOUT', 'TIMEOUT', 'SSH_CHANNEL_FAILED'];

async function guarded<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CdError('TIMEOUT', `${what} did not finish within ${HOOK_TIMEOUT_MS / 1000} s`)), HOOK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([p, limit]);
  } finally {
    clearTimeout(timer);
  }
}

/** backup → replace → reload → verify on one target; false (with run.failure set) when a step failed. */
export async function applyOne(ctx: Ctx, run: Run): Promise<boolean> {
  const { t } = run;
  const cur = run.current!;
  const staged = run.staged!;
  if (run.absent) {
    ctx.record(run, 'backup', true, `${t.path} did not exist on ${t.target}: nothing to back up (undoing the change removes the new file)`, 0);
  } else {
    if (!(await journalStart(ctx, run, 'backup'))) return false;
    const backup = await ctx.step(run, 'backup', () => ctx.ops.backup(t.link, t.path, cur.sha256), (b) => `copied ${t.path} to ${b} (mode and owner kept, fsynced)`);
    if (backup instanceof CdError) {
      await ctx.mark(run, 'backup', { ok: false });
      ctx.fail(run, 'backup', backup, false);
      return false;
    }
    run.r.backup = backup;
    if (!(await journalEnd(ctx, run, 'backup', { ok: true, backup }))) return false;
  }

  if (!(await journalStart(ctx, run, 'replace'))) return false;
  const sha = await ctx.step(run, 'replace', () => ctx.ops.rename(t.link, staged.tmp, t.path, run.absent ? null : cur.sha256),
    (s) => `renamed ${staged.tmp} over ${t.path} and fsynced ${splitPath(t.path).dir}; sha256 ${s.slice(0, 12)}…${s === staged.sha256 ? ', as validated' : ' — NOT what was validated'}`);
  if (sha instanceof CdError) {
    run.renamed = UNSURE.includes(sha.code) ? 'maybe' : 'no';
    await ctx.mark(run, 'replace', { ok: false });
    ctx.fail(run, 'replace', sha, false);
    return false;
  }
  run.renamed = 'yes';
  run.written = staged.sha256;
  run.staged = null;
  if (!(await journalEnd(ctx, run, 'replace', { ok: sha === staged.sha256, sha256: sha }))) return false;
  if (sha !== staged.sha256) {
    ctx.fail(run, 'replace', new CdError('IO_ERROR', `${t.target}: ${t.path} does not hold the validated content after the rename (sha256 ${sha.slice(0, 12)}…)`), false);
    return false;
  }

  if (t.reload) {
    if (!(await journalStart(ctx, run, 'reload'))) return false;
    run.reloaded = true;
    const d = await ctx.step(run, 'reload', () => guarded<string | ReloadDone>(t.reload!(), `${t.target}: reload`), reloadDetail);
    if (d instanceof CdError) {
      await ctx.mark(run, 'reload', { ok: false, ...reloadPids(d) });
      ctx.fail(run, 'reload', d, false);
      return false;
    }
    if (!(await journalEnd(ctx, run, 'reload', { ok: true, ...reloadPids(d) }))) return false;
  }
  // The file on disk must still be the one written (and so the one the reload loaded): settings a
  // running process does not report (HAProxy 2.6's check inter) are confirmed this way.
  if (!(await journalStart(ctx, run, 'verify'))) return false;
  const v = await ctx.step(run, 'verify', async () => {
    const onDisk = await ctx.ops.sha256(t.link, t.path);
    if (onDisk !== staged.sha256) {
      throw new CdError('NOT_CONFIRMED', `${t.target}: ${t.path} on disk is not the file that was written (sha256 ${onDisk.slice(0, 12)}… instead of ${staged.sha256.slice(0, 12)}…)`);
    }
    const own = t.verify ? await guarded(t.verify(), `${t.target}: verify`) : null;
    return `${t.path} on disk is the file written (sha256 ${onDisk.slice(0, 12)}…)${own ? `; ${own}` : ''}`;
  }, (x) => x);
  if (v instanceof CdError) {
    await ctx.mark(run, 'verify', { ok: false });
    ctx.fail(run, 'verify', v, false);
    return false;
  }
  return journalEnd(ctx, run, 'verify', { ok: true });
}

/** Records a forward step's start; false (the run failed at that step, nothing done) when the journal cannot. */
async function journalStart(ctx: Ctx, run: Run, step: JournaledStep): Promise<boolean> {
  const e = await ctx.mark(run, step, null);
  if (!e) return true;
  ctx.record(run, step, false, `${e.message}; not started`, 0);
  ctx.fail(run, step, e, false);
  return false;
}

/** Records a forward step's end; a journal that cannot fails the run, so the change is undone while it is known. */
async function journalEnd(ctx: Ctx, run: Run, step: JournaledStep, facts: StepFacts): Promise<boolean> {
  const e = await ctx.mark(run, step, facts);
  if (!e) return true;
  ctx.record(run, step, false, e.message, 0);
  ctx.fail(run, step, e, false);
  return false;
}

/** Undoing goes on whatever the journal says; a record it could not write is shown among the steps. */
async function journalUndo(ctx: Ctx, run: Run, step: JournaledStep, facts: StepFacts | null): Promise<void> {
  const e = await ctx.mark(run, step, facts);
  if (e) ctx.record(run, step, false, e.message, 0);
}

/**
 * Puts a target back as it was: its backup renamed over the file, then a reload if the new file had
 * been reloaded. The outcome says whether that worked; a target never replaced needs nothing.
 */
export async function rollback(ctx: Ctx, run: Run, because: string): Promise<void> {
  const { t } = run;
  if (run.renamed === 'no') {
    // Never replaced (its own backup or rename failed, or a target failed before its turn).
    run.r.outcome = run.failure ? 'failed' : 'not-touched';
    return;
  }
  if (run.absent) return undoCreate(ctx, run, because);
  const original = run.current!.sha256;
  await journalUndo(ctx, run, 'restore', null);
  const sha = await ctx.step(run, 'restore', () => ctx.ops.restore(t.link, run.r.backup!, t.path),
    (s) => `restored ${t.path} from ${run.r.backup} ${because}; ${s === original ? 'byte-identical to the file before the change' : `sha256 ${s.slice(0, 12)}… differs from the original ${original.slice(0, 12)}…`}`);
  await journalUndo(ctx, run, 'restore', sha instanceof CdError ? { ok: false } : { ok: sha === original, sha256: sha });
  if (sha instanceof CdError || sha !== original) {
    run.r.outcome = 'failed';
    const err = sha instanceof CdError ? sha : new CdError('IO_ERROR', `${t.target}: the restored ${t.path} differs from the original`);
    run.failure ??= err;
    run.r.error = err.toData();
    return;
  }
  await reloadAfterRestore(ctx, run, 'restored');
}

/** The new file goes again (only while it is the one written); the host is back to having none. */
async function undoCreate(ctx: Ctx, run: Run, because: string): Promise<void> {
  const { t } = run;
  const written = run.written ?? run.staged?.sha256 ?? run.next;
  const sha = written && /^[0-9a-f]{64}$/.test(written) ? written : null;
  await journalUndo(ctx, run, 'restore', null);
  const done = sha
    ? await ctx.step(run, 'restore', () => ctx.ops.removeCreated(t.link, t.path, sha), () => `removed ${t.path} again ${because}: it did not exist before the change`)
    : new CdError('INTERNAL', `${t.target}: no fingerprint of the new ${t.path} to remove it by`);
  await journalUndo(ctx, run, 'restore', { ok: !(done instanceof CdError) });
  if (done instanceof CdError) {
    run.r.outcome = 'failed';
    run.failure ??= done;
    run.r.error = done.toData();
    return;
  }
  await reloadAfterRestore(ctx, run, 'removed');
}

async function reloadAfterRestore(ctx: Ctx, run: Run, what: 'restored' | 'removed'): Promise<void> {
  const { t } = run;
  if (run.reloaded && t.reload) {
    await journalUndo(ctx, run, 'reload', null);
    const d = await ctx.step(run, 'reload', () => guarded<string | ReloadDone>(t.reload!(), `${t.target}: reload after restore`), (x) => `after restore: ${reloadDetail(x)}`);
    await journalUndo(ctx, run, 'reload', { ok: !(d instanceof CdError), ...reloadPids(d) });
    if (d instanceof CdError) {
      run.r.outcome = 'failed';
      const prev = what === 'restored' ? `the previous ${t.path} was restored` : `the new ${t.path} was removed again`;
      const err = new CdError(d.code, `${t.target}: ${prev}, but reloading it failed: ${d.message}`, d.details);
      run.failure ??= err;
      run.r.error = err.toData();
      return;
    }
  }
  run.r.outcome = 'restored';
}

/** Removes the target's temp file if one is (or may be) left; says where it stays if that fails. */
export async function cleanup(ctx: Ctx, run: Run): Promise<void> {
  const staged = run.staged;
  if (!staged) return;
  const { t } = run;
  const t0 = performance.now();
  try {
    await ctx.ops.remove(t.link, staged.tmp);
    run.staged = null;
    ctx.record(run, 'cleanup', true, `removed ${staged.tmp}`, t0);
  } catch (e) {
    const err = ctx.asError(run, e);
    ctx.record(run, 'cleanup', false, `${err.message}; ${staged.tmp} stays until the next change of ${t.path} (leftovers older than ${STALE_MINUTES} min are removed then)`, t0);
  }
}
