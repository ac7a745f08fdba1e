/**
 * Files on a host, changed only by rename: the new content is staged as a whole temp file beside the
 * target, checked by sha256, fsynced, and renamed over the target (rename(2) is atomic within one
 * filesystem). A connection cut at any point leaves the target either old or new, never truncated
 * or mixed. A script that creates a temp or partial file removes it itself on any failure (disk
 * full, read-only, a signal from a cut session) and says so; only when it could not say (the
 * connection went first) may one remain, and the next change's sweep removes it.
 *
 * Symlinks: a target that is a symlink, or is reached through a symlinked directory, is refused
 * (renaming over a symlink replaces the link, not the file it points to). resolveRemotePath() gives
 * the real path, which callers may then use explicitly: we always operate on the realpath.
 *
 * The SSH user must be able to write the target's directory (root, usually); there is no sudo here.
 */
import { createHash, randomBytes } from 'node:crypto';
import { CdError } from '../../shared/errors';
import type { ExecResult, SshLink } from '../ssh/ssh-link';
import {
  backupPathFor,
  backupScript,
  backupsToPrune,
  boundOutput,
  isTempPath,
  listBackupsScript,
  metaProblem,
  parseStatLine,
  readScript,
  removeCreatedScript,
  removeFilesScript,
  removeScript,
  renameScript,
  restoreScript,
  sha256Script,
  stageScript,
  statScript,
  statusOf,
  sweepScript,
  tempPathFor,
  validateScript,
  backupStampOf,
  writeAtomicScript,
  type FileMeta,
} from './remote-scripts';
import { partialFailure, partialWords, type PartialFile } from './partial-file';
import { remotePathProblem, shq, splitPath } from './shell';

export interface RemoteFile {
  content: string;
  /** The exact bytes (content is their utf8 reading). */
  bytes: Buffer;
  sha256: string;
  /** Octal, as `stat -c %a` prints it ("644"). */
  mode: string;
  owner: string;
  group: string;
  uid: number;
  gid: number;
  size: number;
}

export interface StagedFile {
  tmp: string;
  sha256: string;
}

export interface BackupEntry {
  path: string;
  /** UTC stamp from the name, e.g. 20250611T101530.123Z. */
  stamp: string;
}

const EXEC_MS = 30_000;

export function sha256Of(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Throws INVALID_ARGUMENT naming the host when the path breaks the rules of remotePathProblem(). */
export function assertRemotePath(host: string, path: string): void {
  const problem = remotePathProblem(path);
  if (problem) throw new CdError('INVALID_ARGUMENT', `${host}: refused path: ${problem}`, { host, path });
}

function randomTag(): string {
  return randomBytes(8).toString('hex');
}

async function run(link: SshLink, what: string, path: string, script: string, o: { stdin?: Buffer; timeoutMs?: number; partial?: PartialFile } = {}): Promise<ExecResult> {
  let r: ExecResult;
  try {
    r = await link.exec(script, { timeoutMs: o.timeoutMs ?? EXEC_MS, ...(o.stdin ? { stdin: o.stdin } : {}) });
  } catch (e) {
    // The channel was closed on the script: its trap most likely removed the file, but nothing confirmed it.
    // One line (the link's own message quotes the whole script).
    if (o.partial && e instanceof CdError && e.code === 'TIMEOUT') {
      const p = o.partial;
      throw new CdError(e.code, `${link.name}: could not ${p.doing}: it did not finish within ${(o.timeoutMs ?? EXEC_MS) / 1000} s; ${partialWords(link.name, p, 'unknown')}`, {
        host: link.name,
        path: p.target,
        partial: p.file,
        partialState: 'unknown',
      });
    }
    throw e;
  }
  if (o.partial && r.code !== 0) throw partialFailure(link.name, o.partial, r);
  // No exit status: the channel went away (connection lost) before the script finished.
  if (r.code === null) {
    throw new CdError(
      r.signal ? 'IO_ERROR' : 'SSH_DISCONNECTED',
      `${link.name}: ${what} ${path}: ${r.signal ? `killed by signal ${r.signal}` : 'the connection was lost before it finished'}`,
      { host: link.name, path },
    );
  }
  if (r.code !== 0) {
    throw new CdError('IO_ERROR', `${link.name}: ${what} ${path} failed (exit ${r.code}): ${boundOutput(r.stderr || r.stdout, 500) || 'no output'}`, {
      host: link.name,
      path,
    });
  }
  return r;
}

/** The common refusals of the target checks in remote-scripts, as typed errors naming host and file. */
function targetRefusal(host: string, path: string, status: string, lines: string[]): CdError | null {
  const real = (lines[1] ?? '').trim();
  switch (status) {
    case 'missing':
      return new CdError('NOT_FOUND', `${host}: ${path} does not exist`, { host, path });
    case 'symlink':
      return new CdError('INVALID_ARGUMENT', `${host}: ${path} is a symlink${real ? ` to ${real}` : ''}; ClusterDeck replaces files by rename and works on the real path: use ${real || 'the target'} instead`, { host, path, realPath: real });
    case 'via-link':
      return new CdError('INVALID_ARGUMENT', `${host}: ${path} is reached through a symlinked directory (real path ${real}); use the real path`, { host, path, realPath: real });
    case 'notfile':
      return new CdError('INVALID_ARGUMENT', `${host}: ${path} is not a regular file`, { host, path });
    case 'unreadable':
      return new CdError('IO_ERROR', `${host}: ${path} is not readable by the SSH user`, { host, path });
    default:
      return null;
  }
}

function unexpected(host: string, what: string, path: string, stdout: string): CdError {
  return new CdError('IO_ERROR', `${host}: ${what} ${path}: unexpected reply ${JSON.stringify(stdout.slice(0, 200))}`, { host, path });
}

/** The real path of `path` on the host (`realpath -e`): the explicit way to work on a symlink's target. */
export async function resolveRemotePath(link: SshLink, path: string): Promise<string> {
  assertRemotePath(link.name, path);
  const r = await run(link, 'resolving', path, `realpath -e -- ${shq(path)}`);
  const real = r.stdout.trim();
  assertRemotePath(link.name, real);
  return real;
}

export async function readRemoteFile(link: SshLink, path: string): Promise<RemoteFile> {
  assertRemotePath(link.name, path);
  // Two tries: the sha256 and the bytes are read separately, so a file rewritten between them is read again.
  for (let attempt = 0; attempt < 2; attempt++) {
    const r = await run(link, 'reading', path, readScript(path), { timeoutMs: 60_000 });
    const { status, arg, lines } = statusOf(r.stdout);
    const refused = targetRefusal(link.name, path, status, lines);
    if (refused) throw refused;
    if (status === 'toobig') throw new CdError('INVALID_ARGUMENT', `${link.name}: ${path} is ${arg} bytes; ClusterDeck manages files up to 8 MiB`, { host: link.name, path });
    if (status !== 'ok') throw unexpected(link.name, 'reading', path, r.stdout);
    const st = parseStatLine(lines[1] ?? '');
    const remoteSha = (lines[2] ?? '').trim();
    if (!st || !/^[0-9a-f]{64}$/.test(remoteSha)) throw unexpected(link.name, 'reading', path, r.stdout);
    const bytes = Buffer.from((lines[3] ?? '').trim(), 'base64');
    const sha256 = sha256Of(bytes);
    if (sha256 !== remoteSha) continue;
    return { content: bytes.toString('utf8'), bytes, sha256, mode: st.mode, owner: st.owner, group: st.group, uid: st.uid, gid: st.gid, size: st.size };
  }
  throw new CdError('IO_ERROR', `${link.name}: ${path} changed while it was being read (twice); try again`, { host: link.name, path });
}

/** Mode and owner of a file, or null when it does not exist. */
export async function statRemoteFile(link: SshLink, path: string): Promise<FileMeta | null> {
  assertRemotePath(link.name, path);
  const r = await run(link, 'checking', path, statScript(path));
  const { status, lines } = statusOf(r.stdout);
  if (status === 'missing') return null;
  const refused = targetRefusal(link.name, path, status, lines);
  if (refused) throw refused;
  const m = /^([0-7]{1,4}) (\d+) (\d+)$/.exec((lines[1] ?? '').trim());
  if (status !== 'ok' || !m) throw unexpected(link.name, 'checking', path, r.stdout);
  return { mode: m[1]!, uid: Number(m[2]), gid: Number(m[3]) };
}

export async function remoteSha256(link: SshLink, path: string): Promise<string> {
  assertRemotePath(link.name, path);
  const r = await run(link, 'hashing', path, sha256Script(path));
  const { status, arg, lines } = statusOf(r.stdout);
  const refused = targetRefusal(link.name, path, status, lines);
  if (refused) throw refused;
  if (status !== 'ok' || !/^[0-9a-f]{64}$/.test(arg)) throw unexpected(link.name, 'hashing', path, r.stdout);
  return arg;
}

/**
 * Writes `content` to a new temp file beside `path` (stdin, so any bytes go through), sets the
 * original's mode/owner, fsyncs it and checks its sha256. The target itself is not touched.
 */
export async function stageRemoteFile(link: SshLink, path: string, content: string | Buffer, meta: FileMeta | null): Promise<StagedFile> {
  assertRemotePath(link.name, path);
  if (meta) {
    const bad = metaProblem(meta);
    if (bad) throw new CdError('INVALID_ARGUMENT', `${link.name}: ${path}: ${bad}`, { host: link.name, path });
  }
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const tmp = tempPathFor(path, randomTag());
  const sha256 = sha256Of(bytes);
  const r = await run(link, 'staging', tmp, stageScript(tmp, meta, sha256), {
    stdin: bytes,
    timeoutMs: 60_000,
    partial: { file: tmp, kind: 'temp file', doing: `stage the new ${path}`, target: path },
  });
  const { status, arg } = statusOf(r.stdout);
  if (status !== 'ok' || arg !== sha256) {
    await removeRemote(link, tmp).catch(() => undefined);
    throw new CdError('IO_ERROR', `${link.name}: the staged copy of ${path} does not match what was sent (sha256 ${arg || '?'} instead of ${sha256})`, { host: link.name, path, tmp });
  }
  return { tmp, sha256 };
}

/**
 * Runs the admin's check command against the staged file ('{file}' = its quoted path). The exit
 * status decides; a lost connection is an error, not a refusal.
 */
export async function validateRemote(link: SshLink, command: string, tmpPath: string, o: { timeoutMs?: number } = {}): Promise<{ ok: boolean; output: string }> {
  assertRemotePath(link.name, tmpPath);
  if (!command.includes('{file}')) {
    throw new CdError('INVALID_ARGUMENT', `${link.name}: the validate command must name the staged file as {file}: ${JSON.stringify(command)}`, { host: link.name });
  }
  const r = await link.exec(validateScript(command, tmpPath), { timeoutMs: o.timeoutMs ?? 60_000, maxBytes: 1024 * 1024 });
  const output = boundOutput(`${r.stdout}${r.stderr}`);
  if (r.code === null && r.signal === null) {
    throw new CdError('SSH_DISCONNECTED', `${link.name}: the connection was lost while validating ${tmpPath}`, { host: link.name, path: tmpPath });
  }
  return { ok: r.code === 0, output: r.code === null ? `${output}\n(killed by signal ${r.signal})`.trim() : output };
}

/** Copies the current file to `<path>.clusterdeck-<UTC>.bak` (cp -p keeps mode/owner); refuses if it changed since `expectSha256`. */
export async function backupRemoteFile(link: SshLink, path: string, o: { expectSha256?: string | null; at?: Date } = {}): Promise<string> {
  assertRemotePath(link.name, path);
  const backup = backupPathFor(path, o.at ?? new Date());
  const r = await run(link, 'backing up', path, backupScript(path, backup, o.expectSha256 ?? null), {
    partial: { file: `${backup}.partial`, kind: 'backup', doing: `back up ${path} to ${backup}`, target: path },
  });
  const { status, arg, lines } = statusOf(r.stdout);
  const refused = targetRefusal(link.name, path, status, lines);
  if (refused) throw refused;
  if (status === 'changed') throw changedError(link.name, path, arg);
  if (status === 'exists') throw new CdError('ALREADY_EXISTS', `${link.name}: backup ${backup} already exists`, { host: link.name, path: backup });
  if (status !== 'ok') throw unexpected(link.name, 'backing up', path, r.stdout);
  return backup;
}

function changedError(host: string, path: string, sha: string): CdError {
  return new CdError('IO_ERROR', `${host}: ${path} was changed by someone else since ClusterDeck read it (sha256 now ${sha.slice(0, 12)}…); nothing was replaced`, { host, path });
}

/**
 * Renames the staged temp over the target and fsyncs the directory. Returns the target's new sha256.
 * expectAbsent: the target is being created; refuse if a file appeared there in the meantime.
 */
export async function renameRemoteFile(link: SshLink, tmpPath: string, path: string, o: { expectSha256?: string | null; expectAbsent?: boolean } = {}): Promise<string> {
  assertRemotePath(link.name, path);
  assertRemotePath(link.name, tmpPath);
  if (splitPath(tmpPath).dir !== splitPath(path).dir || !isTempPath(tmpPath)) {
    throw new CdError('INVALID_ARGUMENT', `${link.name}: ${tmpPath} is not a ClusterDeck temp file beside ${path}`, { host: link.name, path });
  }
  const r = await run(link, 'replacing', path, renameScript(tmpPath, path, o.expectSha256 ?? null, o.expectAbsent ?? false));
  const { status, arg, lines } = statusOf(r.stdout);
  const refused = targetRefusal(link.name, path, status, lines);
  if (refused) throw refused;
  if (status === 'notmp') throw new CdError('NOT_FOUND', `${link.name}: the staged file ${tmpPath} is gone; ${path} was not replaced`, { host: link.name, path });
  if (status === 'changed') throw changedError(link.name, path, arg);
  if (status === 'appeared') {
    throw new CdError('ALREADY_EXISTS', `${link.name}: ${path} did not exist when ClusterDeck read it, but does now (sha256 ${arg.slice(0, 12)}…); it was not overwritten`, { host: link.name, path });
  }
  if (status !== 'ok') throw unexpected(link.name, 'replacing', path, r.stdout);
  return arg;
}

/** Backs up, then renames `tmpPath` over `path`, then prunes old backups. Returns the backup path. */
export async function replaceRemoteFile(
  link: SshLink,
  tmpPath: string,
  path: string,
  o: { keepBackups?: number; expectSha256?: string | null } = {},
): Promise<string> {
  const backup = await backupRemoteFile(link, path, { expectSha256: o.expectSha256 ?? null });
  await renameRemoteFile(link, tmpPath, path, { expectSha256: o.expectSha256 ?? null });
  await pruneBackups(link, path, o.keepBackups ?? 5);
  return backup;
}

/** Puts a backup back by the same only-by-rename path. Returns the target's sha256 afterwards. */
export async function restoreRemoteFile(link: SshLink, backup: string, path: string): Promise<string> {
  assertRemotePath(link.name, path);
  assertRemotePath(link.name, backup);
  if (backupStampOf(splitPath(path).name, splitPath(backup).name) === null || splitPath(backup).dir !== splitPath(path).dir) {
    throw new CdError('INVALID_ARGUMENT', `${link.name}: ${backup} is not a ClusterDeck backup of ${path}`, { host: link.name, path });
  }
  const tmp = tempPathFor(path, randomTag());
  const r = await run(link, 'restoring', path, restoreScript(backup, path, tmp), {
    partial: { file: tmp, kind: 'temp file', doing: `restore ${path} from ${backup}`, target: path },
  });
  const { status, arg, lines } = statusOf(r.stdout);
  if (status === 'nobackup') throw new CdError('NOT_FOUND', `${link.name}: backup ${backup} is gone; ${path} was not restored`, { host: link.name, path });
  const refused = targetRefusal(link.name, path, status, lines);
  if (refused) throw refused;
  if (status !== 'ok') throw unexpected(link.name, 'restoring', path, r.stdout);
  return arg;
}

/**
 * Undoes the creation of `path`: removes it only while it still holds `expectSha256` (what was
 * written); a file that is already gone is fine, one changed since is left alone (an error says so).
 */
export async function removeCreatedFile(link: SshLink, path: string, expectSha256: string): Promise<void> {
  assertRemotePath(link.name, path);
  if (!/^[0-9a-f]{64}$/.test(expectSha256)) throw new CdError('INVALID_ARGUMENT', `${link.name}: ${path}: not a sha256: ${JSON.stringify(expectSha256)}`);
  const r = await run(link, 'removing', path, removeCreatedScript(path, expectSha256));
  const { status, arg, lines } = statusOf(r.stdout);
  const refused = targetRefusal(link.name, path, status, lines);
  if (refused) throw refused;
  if (status === 'changed') throw new CdError('IO_ERROR', `${link.name}: ${path} was changed by someone else since ClusterDeck created it (sha256 now ${arg.slice(0, 12)}…); it was not removed`, { host: link.name, path });
  if (status !== 'ok' && status !== 'gone') throw unexpected(link.name, 'removing', path, r.stdout);
}

/** Removes one of our temp files; anything not named like one is refused, so this can never delete a real file. */
export async function removeRemote(link: SshLink, tmp: string): Promise<void> {
  assertRemotePath(link.name, tmp);
  if (!isTempPath(tmp)) throw new CdError('INVALID_ARGUMENT', `${link.name}: refusing to remove ${tmp}: not a ClusterDeck temp file`, { host: link.name, path: tmp });
  await run(link, 'removing', tmp, removeScript(tmp));
}

/** Leftover temp/partial files of this target older than a few minutes; returns what was removed. */
export async function sweepStale(link: SshLink, path: string): Promise<string[]> {
  assertRemotePath(link.name, path);
  const r = await run(link, 'sweeping leftovers of', path, sweepScript(path));
  return r.stdout.split('\n').filter((l) => l.trim() !== '');
}

/** This target's backups, newest first. */
export async function listBackups(link: SshLink, path: string): Promise<BackupEntry[]> {
  assertRemotePath(link.name, path);
  const { dir, name } = splitPath(path);
  const r = await run(link, 'listing backups of', path, listBackupsScript(path));
  const base = dir === '/' ? '' : dir;
  return r.stdout
    .split('\0')
    .map((f) => ({ f, stamp: backupStampOf(name, f) }))
    .filter((x): x is { f: string; stamp: string } => x.stamp !== null)
    .sort((a, b) => (a.stamp < b.stamp ? 1 : a.stamp > b.stamp ? -1 : 0))
    .map((x) => ({ path: `${base}/${x.f}`, stamp: x.stamp }));
}

/** Deletes all but the `keep` newest backups (at least one is always kept). Returns the removed paths. */
export async function pruneBackups(link: SshLink, path: string, keep: number): Promise<string[]> {
  const all = await listBackups(link, path);
  const { dir, name } = splitPath(path);
  const drop = backupsToPrune(name, all.map((b) => splitPath(b.path).name), keep);
  if (drop.length === 0) return [];
  await run(link, 'pruning backups of', path, removeFilesScript(dir, drop));
  const base = dir === '/' ? '' : dir;
  return drop.map((n) => `${base}/${n}`);
}

/**
 * Creates or replaces a small file by stage + rename in ONE command (so a failure anywhere removes
 * the temp on the host), keeping an existing file's mode/owner (no backup). Returns its sha256.
 */
export async function writeRemoteFileAtomic(link: SshLink, path: string, content: string | Buffer, o: { mode?: string } = {}): Promise<string> {
  if (o.mode !== undefined && !/^[0-7]{3,4}$/.test(o.mode)) throw new CdError('INVALID_ARGUMENT', `${link.name}: mode ${JSON.stringify(o.mode)} is not octal`);
  const meta = await statRemoteFile(link, path);
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const sha256 = sha256Of(bytes);
  const tmp = tempPathFor(path, randomTag());
  const r = await run(link, 'writing', path, writeAtomicScript(tmp, path, sha256, meta, meta ? null : (o.mode ?? null)), {
    stdin: bytes,
    timeoutMs: 60_000,
    partial: { file: tmp, kind: 'temp file', doing: `write ${path}`, target: path },
  });
  const { status, arg, lines } = statusOf(r.stdout);
  const refused = targetRefusal(link.name, path, status, lines);
  if (refused) throw refused;
  if (status !== 'ok' || arg !== sha256) throw unexpected(link.name, 'writing', path, r.stdout);
  return arg;
}
