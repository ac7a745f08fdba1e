/**
 * The backups the config engine keeps beside a file (`<name>.clusterdeck-<UTC stamp>.bak`, see
 * remote-scripts.ts), with their fingerprints: one exec, newest first.
 */
import type { FileBackup, FileVersion } from '../../shared/domain/managed-files';
import { CdError } from '../../shared/errors';
import { assertRemotePath } from '../config/remote-file';
import { backupStampOf } from '../config/remote-scripts';
import { shq, splitPath } from '../config/shell';
import type { SshLink } from '../ssh/ssh-link';

/** The glob is outside the quotes, the path inside: only `<path>.clusterdeck-*.bak` can match. */
export function backupsScript(path: string): string {
  return [
    'set -u',
    "nl='",
    "'",
    `for b in ${shq(path)}.clusterdeck-*.bak; do`,
    '  [ -f "$b" ] && [ ! -L "$b" ] || continue',
    // A name with a newline could forge a second line of the reply: such a file is not ours anyway.
    '  case $b in *"$nl"*) continue;; esac',
    '  s=$(sha256sum < "$b") || continue',
    '  z=$(stat -c %s -- "$b") || continue',
    '  printf \'B %s %s %s\\n\' "${s%% *}" "$z" "${b##*/}"',
    'done',
    "printf 'end\\n'",
  ].join('\n');
}

/** `20250611T101530.123Z` → epoch ms. */
export function stampToMs(stamp: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\.\d{3})?Z$/.exec(stamp);
  if (!m) return NaN;
  return Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ?? ''}Z`);
}

/** The reply → backups of `path`, newest first, each matched to the newest desired version with its sha256. Pure. */
export function parseBackups(path: string, stdout: string, versions: FileVersion[]): FileBackup[] {
  const { dir, name } = splitPath(path);
  const base = dir === '/' ? '' : dir;
  if (!stdout.split('\n').includes('end')) throw new Error('the reply was cut short');
  const out: Array<FileBackup & { stamp: string }> = [];
  for (const line of stdout.split('\n')) {
    const m = /^B ([0-9a-f]{64}) (\d+) (.+)$/.exec(line);
    if (!m) continue;
    const file = m[3]!;
    const stamp = backupStampOf(name, file);
    if (stamp === null) continue;
    const sha256 = m[1]!;
    const match = versions.filter((v) => v.sha256 === sha256).sort((a, b) => b.version - a.version)[0];
    out.push({ id: file, path: `${base}/${file}`, sha256, size: Number(m[2]), at: stampToMs(stamp), version: match?.version ?? null, stamp });
  }
  return out.sort((a, b) => (a.stamp < b.stamp ? 1 : a.stamp > b.stamp ? -1 : 0)).map(({ stamp: _s, ...b }) => b);
}

export async function listBackups(link: SshLink, path: string, versions: FileVersion[]): Promise<FileBackup[]> {
  assertRemotePath(link.name, path);
  await link.connect();
  const r = await link.exec(backupsScript(path), { timeoutMs: 30_000, maxBytes: 1024 * 1024 });
  if (r.code === null) throw new CdError('SSH_DISCONNECTED', `${link.name}: the connection was lost while listing the backups of ${path}`, { host: link.name, path });
  if (r.code !== 0) throw new CdError('IO_ERROR', `${link.name}: listing the backups of ${path} failed (exit ${r.code}): ${(r.stderr || r.stdout).trim().slice(0, 300) || 'no output'}`, { host: link.name, path });
  try {
    return parseBackups(path, r.stdout, versions);
  } catch (e) {
    throw new CdError('IO_ERROR', `${link.name}: listing the backups of ${path}: ${(e as Error).message}`, { host: link.name, path });
  }
}
