/**
 * The shell scripts behind remote-file.ts, and the parsing of their replies. Pure: built here so
 * the exact text sent to a host can be unit-tested, and every interpolated value is either shq()'d
 * or checked against a strict pattern first.
 *
 * Scripts answer with a status word on their first stdout line ("ok", "missing", "symlink"...) for
 * the outcomes we expect, and a non-zero exit only for the unexpected ones (the stderr says why).
 */
import { KEEP_PARTIAL, ownPartial, STALE_MINUTES } from './partial-file';
import { globEscape, reEscape, shq, splitPath, syncCmd } from './shell';

/** Config files are small; refusing large ones keeps a mistaken path (a log, a disk image) from being slurped. */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

export { STALE_MINUTES } from './partial-file';

const TEMP_TAG = 'clusterdeck-';

/** `.<name>.clusterdeck-<random>.tmp` beside the target: same directory, so the final rename stays in one filesystem. */
export function tempPathFor(path: string, random: string): string {
  if (!/^[0-9a-z]{6,32}$/.test(random)) throw new Error(`temp tag must be [0-9a-z]{6,32}, got ${JSON.stringify(random)}`);
  const { dir, name } = splitPath(path);
  return `${dir === '/' ? '' : dir}/.${name}.${TEMP_TAG}${random}.tmp`;
}

/** True when `tmp` is a temp file name this module would create for some target in its directory. */
export function isTempPath(tmp: string): boolean {
  const { name } = splitPath(tmp);
  return /^\..+\.clusterdeck-[0-9a-z]{6,32}\.tmp$/.test(name);
}

/** UTC timestamp that sorts as text: 2025-06-11T10:15:30.123Z → 20250611T101530.123Z. */
export function backupStamp(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '');
}

/** `<path>.clusterdeck-<UTC timestamp>.bak`, same directory as the target. */
export function backupPathFor(path: string, at: Date): string {
  return `${path}.${TEMP_TAG}${backupStamp(at)}.bak`;
}

const STAMP = '(\\d{8}T\\d{6}(?:\\.\\d{3})?Z)';

/** The backup's timestamp when `fileName` is one of `targetName`'s backups, else null. */
export function backupStampOf(targetName: string, fileName: string): string | null {
  const m = new RegExp(`^${reEscape(targetName)}\\.clusterdeck-${STAMP}\\.bak$`).exec(fileName);
  return m?.[1] ?? null;
}

/** Backups to delete so that only the `keep` newest remain (names sort by their UTC stamp). */
export function backupsToPrune(targetName: string, fileNames: string[], keep: number): string[] {
  const ours = fileNames
    .map((f) => ({ f, stamp: backupStampOf(targetName, f) }))
    .filter((x): x is { f: string; stamp: string } => x.stamp !== null)
    .sort((a, b) => (a.stamp < b.stamp ? 1 : a.stamp > b.stamp ? -1 : 0));
  return ours.slice(Math.max(1, keep)).map((x) => x.f);
}

/**
 * Mode, owner and group as `stat -c '%a %u %g'` prints them (ids), or as an admin declares them for a
 * managed file (names); checked before they go into chmod/chown.
 */
export interface FileMeta {
  mode: string;
  uid: number | string;
  gid: number | string;
}

const ACCOUNT_NAME = /^[a-z_][a-z0-9_-]{0,31}\$?$/i;

function ownerProblem(v: number | string): boolean {
  return typeof v === 'number' ? !Number.isInteger(v) || v < 0 : !ACCOUNT_NAME.test(v);
}

export function metaProblem(m: FileMeta): string | null {
  if (!/^[0-7]{1,4}$/.test(m.mode)) return `mode ${JSON.stringify(m.mode)} is not octal`;
  if (ownerProblem(m.uid) || ownerProblem(m.gid)) return 'owner and group must be whole-number ids or plain account names';
  return null;
}

// `[ -L ]` first: every other test follows symlinks. realpath -m resolves every existing component,
// so it also catches a symlinked parent directory (we only ever operate on the real path); it runs
// before the existence test so a file about to be created under a symlinked directory is refused too.
const targetChecks = (p: string, allowMissing = false): string[] => [
  `p=${shq(p)}`,
  `if [ -L "$p" ]; then printf 'symlink\\n'; realpath -m -- "$p" || true; exit 0; fi`,
  `r=$(realpath -m -- "$p")`,
  `if [ "$r" != "$p" ]; then printf 'via-link\\n%s\\n' "$r"; exit 0; fi`,
  allowMissing ? ':' : `if [ ! -e "$p" ]; then printf 'missing\\n'; exit 0; fi`,
  `if [ -e "$p" ] && [ ! -f "$p" ]; then printf 'notfile\\n'; exit 0; fi`,
];

/** Status, `stat`, sha256 and the bytes as base64 (binary-safe through a utf8 exec channel). */
export function readScript(path: string): string {
  return [
    'set -eu',
    ...targetChecks(path),
    `if [ ! -r "$p" ]; then printf 'unreadable\\n'; exit 0; fi`,
    `size=$(stat -c %s -- "$p")`,
    `if [ "$size" -gt ${MAX_FILE_BYTES} ]; then printf 'toobig %s\\n' "$size"; exit 0; fi`,
    `printf 'ok\\n'`,
    `stat -c '%a %u %g %U %G %s' -- "$p"`,
    `s=$(sha256sum < "$p"); printf '%s\\n' "\${s%% *}"`,
    `base64 -w0 < "$p"`,
    `printf '\\n'`,
  ].join('\n');
}

/** Leftover temp and partial-backup files of this target older than STALE_MINUTES; prints the removed names. */
export function sweepScript(path: string): string {
  const { dir, name } = splitPath(path);
  const g = globEscape(name);
  return [
    'set -eu',
    `find ${shq(dir)} -maxdepth 1 -type f \\( -name ${shq(`.${g}.${TEMP_TAG}*.tmp`)} -o -name ${shq(`${g}.${TEMP_TAG}*.bak.partial`)} \\) -mmin +${STALE_MINUTES} -print -delete`,
  ].join('\n');
}

function attrLines(meta: FileMeta | null, v: string): string[] {
  return meta ? [`chown ${meta.uid}:${meta.gid} -- "$${v}"`, `chmod ${meta.mode} -- "$${v}"`] : [];
}

/** A short upload (stdin closed early by a cut connection) must fail here, not look like a whole file. */
function checkSha(v: string, expectSha256: string): string[] {
  return [
    `s=$(sha256sum < "$${v}"); s=\${s%% *}`,
    `if [ "$s" != ${shq(expectSha256)} ]; then printf 'the copy on the host has sha256 %s, not %s as sent: the upload was cut short\\n' "$s" ${shq(expectSha256)} >&2; exit 1; fi`,
  ];
}

/**
 * Content arrives on stdin into a temp file that is removed again on any failure; with
 * `expectSha256` the script itself refuses (and removes) a copy that is not what was sent.
 */
export function stageScript(tmp: string, meta: FileMeta | null, expectSha256: string | null = null): string {
  return [
    'set -eu',
    `t=${shq(tmp)}`,
    ...ownPartial('t'),
    'cat > "$t"',
    ...attrLines(meta, 't'),
    syncCmd('"$t"'),
    ...(expectSha256 ? checkSha('t', expectSha256) : [`s=$(sha256sum < "$t"); s=\${s%% *}`]),
    `printf 'ok %s\\n' "$s"`,
    KEEP_PARTIAL,
  ].join('\n');
}

/**
 * Stage + rename in one command, for small files ClusterDeck writes itself (no validate, no backup):
 * a failure anywhere removes the temp. `chmodOnly` sets the mode of a new file (no chown).
 */
export function writeAtomicScript(tmp: string, path: string, expectSha256: string, meta: FileMeta | null, chmodOnly: string | null = null): string {
  const { dir } = splitPath(path);
  return [
    'set -eu',
    ...targetChecks(path, true),
    `t=${shq(tmp)}`,
    ...ownPartial('t'),
    'cat > "$t"',
    ...attrLines(meta, 't'),
    ...(chmodOnly ? [`chmod ${chmodOnly} -- "$t"`] : []),
    syncCmd('"$t"'),
    ...checkSha('t', expectSha256),
    'mv -f -- "$t" "$p"',
    KEEP_PARTIAL,
    syncCmd(shq(dir)),
    `printf 'ok %s\\n' "$s"`,
  ].join('\n');
}

/** Only what the admin's command prints; stderr folded into stdout so the order of lines is kept. */
export function validateScript(command: string, tmp: string): string {
  return `exec 2>&1\n${command.split('{file}').join(shq(tmp))}`;
}

/** Copy the current file to its backup (through a .partial, so a cut copy never looks like a backup, and a failed one is removed). */
export function backupScript(path: string, backup: string, expectSha256: string | null): string {
  return [
    'set -eu',
    ...targetChecks(path),
    `b=${shq(backup)}`,
    ...(expectSha256 ? [`s=$(sha256sum < "$p"); if [ "\${s%% *}" != ${shq(expectSha256)} ]; then printf 'changed %s\\n' "\${s%% *}"; exit 0; fi`] : []),
    `if [ -e "$b" ]; then printf 'exists\\n'; exit 0; fi`,
    'pb="$b.partial"',
    ...ownPartial('pb'),
    'cp -p -- "$p" "$pb"',
    syncCmd('"$pb"'),
    'mv -f -- "$pb" "$b"',
    KEEP_PARTIAL,
    `printf 'ok\\n'`,
  ].join('\n');
}

/**
 * The one command that changes the target: rename(2) of a whole file over it (mv within one
 * directory), then fsync of the directory so the rename itself survives a crash.
 */
export function renameScript(tmp: string, path: string, expectSha256: string | null, expectAbsent = false): string {
  const { dir } = splitPath(path);
  return [
    'set -eu',
    `t=${shq(tmp)}`,
    `if [ ! -f "$t" ] || [ -L "$t" ]; then printf 'notmp\\n'; exit 0; fi`,
    ...targetChecks(path, true),
    // A file that did not exist when it was read and exists now was made by someone else: never overwrite it.
    ...(expectAbsent ? [`if [ -e "$p" ]; then s=$(sha256sum < "$p"); printf 'appeared %s\\n' "\${s%% *}"; exit 0; fi`] : []),
    ...(expectSha256 ? [`if [ -e "$p" ]; then s=$(sha256sum < "$p"); if [ "\${s%% *}" != ${shq(expectSha256)} ]; then printf 'changed %s\\n' "\${s%% *}"; exit 0; fi; fi`] : []),
    'mv -f -- "$t" "$p"',
    syncCmd(shq(dir)),
    `s=$(sha256sum < "$p"); printf 'ok %s\\n' "\${s%% *}"`,
  ].join('\n');
}

/** Backup → temp beside the target → rename: the same only-by-rename path as a change; the temp is removed on any failure. */
export function restoreScript(backup: string, path: string, tmp: string): string {
  const { dir } = splitPath(path);
  return [
    'set -eu',
    `b=${shq(backup)}`,
    `t=${shq(tmp)}`,
    `if [ ! -f "$b" ]; then printf 'nobackup\\n'; exit 0; fi`,
    ...targetChecks(path, true),
    ...ownPartial('t'),
    'cp -p -- "$b" "$t"',
    syncCmd('"$t"'),
    'mv -f -- "$t" "$p"',
    KEEP_PARTIAL,
    syncCmd(shq(dir)),
    `s=$(sha256sum < "$p"); printf 'ok %s\\n' "\${s%% *}"`,
  ].join('\n');
}

/** Undoes the creation of a file: removes it only while it still holds what was written (then fsyncs the directory). */
export function removeCreatedScript(path: string, expectSha256: string): string {
  const { dir } = splitPath(path);
  return [
    'set -eu',
    ...targetChecks(path, true),
    `if [ ! -e "$p" ]; then printf 'gone\\n'; exit 0; fi`,
    `s=$(sha256sum < "$p"); if [ "\${s%% *}" != ${shq(expectSha256)} ]; then printf 'changed %s\\n' "\${s%% *}"; exit 0; fi`,
    'rm -f -- "$p"',
    syncCmd(shq(dir)),
    `printf 'ok\\n'`,
  ].join('\n');
}

export function removeScript(tmp: string): string {
  return `set -eu\nrm -f -- ${shq(tmp)}\nprintf 'ok\\n'`;
}

/** NUL-separated names: a name with a newline cannot split into two entries. */
export function listBackupsScript(path: string): string {
  const { dir, name } = splitPath(path);
  return `set -eu\nfind ${shq(dir)} -maxdepth 1 -type f -name ${shq(`${globEscape(name)}.${TEMP_TAG}*.bak`)} -printf '%f\\0'`;
}

export function removeFilesScript(dir: string, names: string[]): string {
  const base = dir === '/' ? '' : dir;
  return `set -eu\nrm -f -- ${names.map((n) => shq(`${base}/${n}`)).join(' ')}\nprintf 'ok\\n'`;
}

/** `stat` of a file that may not exist: "missing" or "ok" + `%a %u %g`. */
export function statScript(path: string): string {
  return ['set -eu', ...targetChecks(path), `printf 'ok\\n'`, `stat -c '%a %u %g' -- "$p"`].join('\n');
}

export function sha256Script(path: string): string {
  return ['set -eu', ...targetChecks(path), `s=$(sha256sum < "$p"); printf 'ok %s\\n' "\${s%% *}"`].join('\n');
}

/** First stdout line split into its status word and the rest. */
export function statusOf(stdout: string): { status: string; arg: string; lines: string[] } {
  const lines = stdout.split('\n');
  const first = lines[0] ?? '';
  const sp = first.indexOf(' ');
  return sp < 0 ? { status: first, arg: '', lines } : { status: first.slice(0, sp), arg: first.slice(sp + 1), lines };
}

export interface StatLine {
  mode: string;
  uid: number;
  gid: number;
  owner: string;
  group: string;
  size: number;
}

/** `%a %u %g %U %G %s` → its parts, or null when the line does not have that shape. */
export function parseStatLine(line: string): StatLine | null {
  const m = /^([0-7]{1,4}) (\d+) (\d+) (\S+) (\S+) (\d+)$/.exec(line.trim());
  if (!m) return null;
  return { mode: m[1]!, uid: Number(m[2]), gid: Number(m[3]), owner: m[4]!, group: m[5]!, size: Number(m[6]) };
}

/** Output for a step detail: trimmed, at most `max` characters, head and tail kept (an [ALERT] may sit at either end). */
export function boundOutput(text: string, max = 4000): string {
  const t = text.trim();
  if (t.length <= max) return t;
  const head = Math.floor(max * 0.7);
  return `${t.slice(0, head)}\n… (${t.length - max} characters left out) …\n${t.slice(t.length - (max - head))}`;
}
