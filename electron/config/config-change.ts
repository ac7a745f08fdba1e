/**
 * The one engine every configuration change goes through (failover settings into haproxy.cfg on
 * each LB now, managed files on nodes later). It knows nothing about HAProxy: a target says how to
 * render, validate, reload and verify its file; the engine decides the order and what to undo.
 *
 * All or nothing across targets:
 *  1. everywhere (in parallel, nothing changes yet): read, render, diff, stage a temp beside the
 *     file, validate it there. Any refusal or error → every temp removed, nothing replaced.
 *  2. then one target at a time (an LB pair keeps serving through the other one): backup, rename
 *     the validated temp over the file, reload, verify. A failure → that target and every target
 *     already done get their backup back (by rename again) and are reloaded.
 *  3. temps never stay behind (cleanup step); old backups are pruned only once the whole change stood.
 */
import { createHash } from 'node:crypto';
import { createTwoFilesPatch } from 'diff';
import type { ConfigChangeResult, ConfigProgress, ConfigStep, ConfigTargetResult } from '../../shared/domain/config-change';
import { CdError } from '../../shared/errors';
import type { SshLink } from '../ssh/ssh-link';
import { diffStat, summarize, validatorSummary, type Failure } from './config-report';
import { applyOne, cleanup, keepOf, newRun, rollback, type Ctx, type Run } from './config-apply';
import type { ConfigJournal, JournaledStep, ReloadDone, StepFacts } from './config-journal';
import { sshFileOps, type FileOps } from './file-ops';
import type { RemoteFile } from './remote-file';
import { metaProblem, type FileMeta } from './remote-scripts';
import { remotePathProblem } from './shell';

export { sshFileOps, type FileOps } from './file-ops';
export type { ConfigJournal, ReloadDone } from './config-journal';

export interface ConfigTarget {
  /** Inventory name (lb1, node2...). */
  target: string;
  link: SshLink;
  path: string;
  /** The new content from the current one; a CdError refuses the change. */
  render(current: string): string | CdError;
  /** Run on the host against the staged file, '{file}' = its path (e.g. 'haproxy -c -f {file}'). */
  validate?: string;
  /** After the replace; returns a detail line (HAProxy: with the old and new worker pid); throws CdError on failure. */
  reload?(): Promise<string | ReloadDone>;
  /** After reload; throws CdError when the running state does not match. */
  verify?(): Promise<string>;
  keepBackups?: number;
  /**
   * Create the file when it does not exist yet (a managed file new to this host): render gets '',
   * there is nothing to back up, and undoing the change removes the new file again. Without it, a
   * missing file is an error.
   */
  create?: boolean;
  /**
   * Owner, group (names or ids) and octal mode of the new file (a managed file declares them).
   * Without: the current file's are copied; a created file keeps the SSH user and mode 0600.
   */
  attrs?: { owner: string; group: string; mode: string };
}

export interface PreviewEntry {
  target: string;
  path: string;
  diff: string;
  changed: boolean;
  /** null when unchanged or there is no validate command. */
  valid: boolean | null;
  message: string;
}

export interface ApplyOptions {
  id: string;
  cluster: string;
  kind: ConfigChangeResult['kind'];
  targets: ConfigTarget[];
  onProgress?: (p: ConfigProgress) => void;
  signal?: AbortSignal;
  /** The file operations; SSH by default (tests pass an in-memory host). */
  ops?: FileOps;
  /** The intent journal: told before and after every step that changes a host. None: nothing recorded. */
  journal?: ConfigJournal;
}

/** `labels` name the two sides in the diff's header (a sync diff says "on node2" and "desired"). */
export function unifiedDiff(path: string, before: string, after: string, labels: [string, string] = ['current', 'new']): string {
  return before === after ? '' : createTwoFilesPatch(path, path, before, after, labels[0], labels[1], { context: 3 });
}

/** The file's content, or null when it does not exist and the target may create it. */
async function readOrAbsent(ops: FileOps, t: ConfigTarget): Promise<RemoteFile | null> {
  try {
    return await ops.read(t.link, t.path);
  } catch (e) {
    if (t.create && e instanceof CdError && e.code === 'NOT_FOUND') return null;
    throw e;
  }
}

/** Mode and owner of the staged file: the declared ones, else the current file's (null: a new file keeps the defaults). */
function stageMeta(t: ConfigTarget, cur: RemoteFile | null): FileMeta | null {
  if (t.attrs) return { mode: t.attrs.mode, uid: t.attrs.owner, gid: t.attrs.group };
  return cur ? { mode: cur.mode, uid: cur.uid, gid: cur.gid } : null;
}

function metaWords(t: ConfigTarget, cur: RemoteFile | null): string {
  if (t.attrs) return `mode ${t.attrs.mode} ${t.attrs.owner}:${t.attrs.group} as declared`;
  return cur ? `mode ${cur.mode} ${cur.owner}:${cur.group} as the original` : 'mode 0600, owned by the SSH user (a new file)';
}

/** Problems found without contacting any host: paths, duplicates, keepBackups, the validate command. */
export function inputProblems(targets: ConfigTarget[]): Array<string | null> {
  const seen = new Set<string>();
  return targets.map((t) => {
    const p = remotePathProblem(t.path);
    if (p) return `${t.target}: refused path: ${p}`;
    const key = `${t.link.key}\u0000${t.path}`;
    if (seen.has(key)) return `${t.target}: ${t.path} is listed twice for the same host`;
    seen.add(key);
    if (t.keepBackups !== undefined && !(Number.isInteger(t.keepBackups) && t.keepBackups >= 1 && t.keepBackups <= 100)) {
      return `${t.target}: keepBackups must be a whole number from 1 to 100 (a backup is needed to roll back)`;
    }
    if (t.validate !== undefined && !t.validate.includes('{file}')) return `${t.target}: the validate command must name the staged file as {file}`;
    if (t.attrs) {
      const bad = metaProblem({ mode: t.attrs.mode, uid: t.attrs.owner, gid: t.attrs.group });
      if (bad) return `${t.target}: ${t.path}: ${bad}`;
    }
    return null;
  });
}

/** What a change would do, without changing anything: diff, and the validator's verdict on a staged copy. */
export async function previewConfigChange(targets: ConfigTarget[], o: { ops?: FileOps } = {}): Promise<PreviewEntry[]> {
  const ops = o.ops ?? sshFileOps;
  const problems = inputProblems(targets);
  return Promise.all(
    targets.map(async (t, i): Promise<PreviewEntry> => {
      const base = { target: t.target, path: t.path, diff: '', changed: false, valid: false as boolean | null };
      const problem = problems[i];
      if (problem) return { ...base, message: problem };
      let file: RemoteFile | null;
      try {
        file = await readOrAbsent(ops, t);
      } catch (e) {
        return { ...base, message: `could not read ${t.path} on ${t.target}: ${(e as Error).message}` };
      }
      const current = file?.content ?? '';
      let next: string | CdError;
      try {
        next = t.render(current);
      } catch (e) {
        next = e instanceof CdError ? e : new CdError('INTERNAL', String((e as Error).message ?? e));
      }
      if (next instanceof CdError) return { ...base, message: `could not build the new file for ${t.target}: ${next.message}` };
      const diff = unifiedDiff(t.path, current, next);
      if (!diff && file) return { ...base, valid: null, message: `${t.target}: ${t.path} already has this configuration` };
      const changed = { ...base, diff, changed: true };
      const what = file ? `would change ${t.path} (${diffStat(diff)})` : `would create ${t.path} (${diffStat(diff)})`;
      if (!t.validate) return { ...changed, valid: null, message: `${t.target}: ${what}; no validate command` };
      let tmp: string | null = null;
      try {
        tmp = (await ops.stage(t.link, t.path, next, stageMeta(t, file))).tmp;
        const v = await ops.validate(t.link, t.validate, tmp);
        return v.ok
          ? { ...changed, valid: true, message: `${t.target}: ${what}; the new file passes validation` }
          : { ...changed, valid: false, message: `${t.target} would refuse the new file: ${validatorSummary(v.output, tmp, t.path)}` };
      } catch (e) {
        return { ...changed, message: `could not validate the new ${t.path} on ${t.target}: ${(e as Error).message}` };
      } finally {
        if (tmp) await ops.remove(t.link, tmp).catch(() => undefined);
      }
    }),
  );
}

/** Read, render, diff, stage, validate one target. Sets run.failure when it cannot go on. */
async function prepare(ctx: Ctx, run: Run): Promise<void> {
  const { t } = run;
  const read = await ctx.step(run, 'read', async () => {
    // Leftovers of an earlier cut connection go first, so they never pile up.
    const swept = await ctx.ops.sweep(t.link, t.path).catch(() => [] as string[]);
    return { file: await readOrAbsent(ctx.ops, t), swept };
  }, ({ file: f, swept }) =>
    `${f ? `read ${t.path}: ${f.size} bytes, sha256 ${f.sha256.slice(0, 12)}…, mode ${f.mode} ${f.owner}:${f.group}` : `${t.path} does not exist yet: it will be created`}${swept.length ? `; removed leftovers ${swept.join(', ')}` : ''}`);
  if (read instanceof CdError) return ctx.fail(run, 'read', read, false);
  const cur = read.file ?? absentFile();
  run.absent = read.file === null;
  run.current = cur;

  let next: string | CdError;
  if (!Buffer.from(cur.content, 'utf8').equals(cur.bytes)) {
    next = new CdError('INVALID_ARGUMENT', `${t.target}: ${t.path} is not UTF-8 text; ClusterDeck edits text files only`, { host: t.target, path: t.path });
  } else {
    try {
      next = t.render(cur.content);
    } catch (e) {
      next = e instanceof CdError ? e : new CdError('INTERNAL', `${t.target}: ${(e as Error).message ?? String(e)}`);
    }
  }
  if (next instanceof CdError) {
    const message = `could not build the new ${t.path} for ${t.target}: ${next.message}`;
    ctx.record(run, 'stage', false, message, 0);
    return ctx.fail(run, 'stage', new CdError(next.code, message, next.details), true);
  }
  run.next = next;
  run.r.changed = run.absent || next !== cur.content;
  run.r.diff = unifiedDiff(t.path, cur.content, next);
  if (!run.r.changed) {
    run.r.outcome = 'unchanged';
    return;
  }
  if (ctx.signal?.aborted) return;

  const staged = await ctx.step(run, 'stage', () => ctx.ops.stage(t.link, t.path, next, stageMeta(t, run.absent ? null : cur)),
    (s) => `staged ${s.tmp} (${Buffer.byteLength(next)} bytes, sha256 ${s.sha256.slice(0, 12)}…, fsynced; ${metaWords(t, run.absent ? null : cur)})`);
  // A temp cut short here has a name only the host knows: the next change's sweep removes it.
  if (staged instanceof CdError) return ctx.fail(run, 'stage', staged, false);
  run.staged = staged;
  if (!t.validate) return;

  const t0 = performance.now();
  try {
    const v = await ctx.ops.validate(t.link, t.validate, staged.tmp);
    ctx.record(run, 'validate', v.ok, v.output || (v.ok ? 'passed (no output)' : 'failed (no output)'), t0);
    if (!v.ok) {
      const err = new CdError('INVALID_ARGUMENT', `${t.target} refused the new ${t.path}: ${validatorSummary(v.output, staged.tmp, t.path)}`, { host: t.target, path: t.path, output: v.output });
      ctx.fail(run, 'validate', err, true, validatorSummary(v.output, staged.tmp, t.path));
    }
  } catch (e) {
    const err = ctx.asError(run, e);
    ctx.record(run, 'validate', false, err.message, t0);
    ctx.fail(run, 'validate', err, false);
  }
}

/** Stands for a file that does not exist yet: empty content, so the diff shows the whole new file. */
function absentFile(): RemoteFile {
  const bytes = Buffer.alloc(0);
  return { content: '', bytes, sha256: createHash('sha256').update(bytes).digest('hex'), mode: '', owner: '', group: '', uid: -1, gid: -1, size: 0 };
}

export async function applyConfigChange(o: ApplyOptions): Promise<ConfigChangeResult> {
  const startedAt = Date.now();
  const failures: Failure[] = [];
  const ctx = createCtx(o, failures);
  const runs = o.targets.map(newRun);

  const problems = inputProblems(o.targets);
  if (problems.some((p) => p !== null)) {
    problems.forEach((p, i) => {
      const run = runs[i]!;
      if (!p) return;
      ctx.record(run, 'read', false, `${p}; nothing was sent to ${run.t.target}`, 0);
      ctx.fail(run, 'read', new CdError('INVALID_ARGUMENT', p, { host: run.t.target, path: run.t.path }), true, p);
    });
    return finish(o, runs, failures, startedAt, {});
  }

  await Promise.all(runs.map((run) => prepare(ctx, run)));
  const changed = runs.filter((r) => r.r.changed && !r.failure);
  if (failures.length > 0 || o.signal?.aborted) {
    await Promise.all(runs.map((run) => cleanup(ctx, run)));
    return finish(o, runs, failures, startedAt, { cancelled: !!o.signal?.aborted });
  }

  // Written down before the first backup: a kill from here on leaves a record of what was meant.
  const unrecorded = changed.length ? await journalPrepared(o, runs) : null;
  if (unrecorded) {
    const run = changed[0]!;
    ctx.record(run, 'backup', false, `${unrecorded.message}; nothing was replaced`, 0);
    ctx.fail(run, 'backup', unrecorded, false);
    await Promise.all(runs.map((r) => cleanup(ctx, r)));
    return finish(o, runs, failures, startedAt, {});
  }

  const done: Run[] = [];
  let failed: Run | null = null;
  let cancelled = false;
  for (const run of changed) {
    if (o.signal?.aborted) {
      cancelled = true;
      break;
    }
    if (!(await applyOne(ctx, run))) {
      failed = run;
      break;
    }
    done.push(run);
  }

  if (failed || cancelled) {
    const because = failed ? `because ${failures[0]?.step ?? 'a step'} failed on ${failed.t.target}` : 'because the change was cancelled';
    if (failed) await rollback(ctx, failed, because);
    for (const run of [...done].reverse()) await rollback(ctx, run, because);
  } else {
    for (const run of done) {
      run.r.outcome = 'applied';
      await ctx.step(run, 'cleanup', () => ctx.ops.prune(run.t.link, run.t.path, keepOf(run.t)),
        (gone) => (gone.length ? `kept the ${keepOf(run.t)} newest backups; removed ${gone.join(', ')}` : `no backups beyond the ${keepOf(run.t)} newest to remove`));
    }
  }
  await Promise.all(runs.map((run) => cleanup(ctx, run)));
  const reloads = runs.some((r) => r.r.outcome === 'restored' && r.t.reload !== undefined);
  return finish(o, runs, failures, startedAt, { cancelled, reloads });
}

/** Tells the journal what every target holds and will hold; the CdError when it cannot be recorded. */
async function journalPrepared(o: ApplyOptions, runs: Run[]): Promise<CdError | null> {
  if (!o.journal) return null;
  const ready = runs.filter((r) => r.current && r.next !== null && !r.failure);
  try {
    await o.journal.prepared(
      ready.map((r) => ({
        target: r.t.target,
        path: r.t.path,
        shaBefore: r.absent ? null : r.current!.sha256,
        shaNew: r.staged?.sha256 ?? createHash('sha256').update(r.next!, 'utf8').digest('hex'),
        unchanged: !r.r.changed,
      })),
    );
    return null;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return new CdError(e instanceof CdError ? e.code : 'IO_ERROR', `could not record the change in the intent journal: ${msg}`);
  }
}

function createCtx(o: ApplyOptions, failures: Failure[]): Ctx {
  const emit = (p: ConfigProgress): void => {
    try {
      o.onProgress?.(p);
    } catch {
      // a broken listener must not break a change half-way
    }
  };
  const record = (run: Run, step: ConfigStep['step'], ok: boolean, detail: string, t0: number): void => {
    const ms = t0 === 0 ? 0 : Math.round((performance.now() - t0) * 10) / 10;
    run.r.steps.push({ step, ok, detail, ms });
    emit({ id: o.id, cluster: o.cluster, target: run.t.target, step, ok, detail });
  };
  const asError = (run: Run, e: unknown): CdError => {
    if (e instanceof CdError) return e.message.includes(run.t.target) ? e : new CdError(e.code, `${run.t.target}: ${e.message}`, e.details);
    return new CdError('INTERNAL', `${run.t.target}: ${e instanceof Error ? e.message : String(e)}`, { host: run.t.target });
  };
  return {
    ops: o.ops ?? sshFileOps,
    signal: o.signal,
    record,
    asError,
    async step(run, step, fn, detail) {
      const t0 = performance.now();
      try {
        const v = await fn();
        record(run, step, true, detail(v), t0);
        return v;
      } catch (e) {
        const err = asError(run, e);
        record(run, step, false, err.message, t0);
        return err;
      }
    },
    fail(run, step, error, refusal, message) {
      run.failure = error;
      run.r.error = error.toData();
      failures.push({ target: run.t.target, step, refusal, message: message ?? error.message });
    },
    async mark(run: Run, step: JournaledStep, facts: StepFacts | null) {
      if (!o.journal) return null;
      try {
        if (facts) await o.journal.ended(run.t.target, run.t.path, step, facts);
        else await o.journal.starting(run.t.target, run.t.path, step);
        return null;
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        return new CdError(e instanceof CdError ? e.code : 'IO_ERROR', `${run.t.target}: could not record the ${step} of ${run.t.path} in the intent journal: ${msg}`, { host: run.t.target, path: run.t.path });
      }
    },
  };
}

function finish(o: ApplyOptions, runs: Run[], failures: Failure[], startedAt: number, flags: { cancelled?: boolean; reloads?: boolean }): ConfigChangeResult {
  for (const run of runs) {
    if (run.failure && run.r.outcome === 'not-touched') run.r.outcome = failures.some((f) => f.target === run.t.target && f.refusal) ? 'refused' : 'failed';
  }
  const targets: ConfigTargetResult[] = runs.map((r) => r.r);
  const { outcome, message } = summarize(o.kind, targets, failures, flags);
  return { id: o.id, cluster: o.cluster, kind: o.kind, outcome, message, targets, startedAt, durationMs: Date.now() - startedAt };
}
