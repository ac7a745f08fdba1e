/**
 * Fingerprints of the managed files on one host, in ONE exec: per path its sha256, size and mtime
 * (or why it is missing or unreadable), the host's clock, and for files with a `process` pattern
 * when the newest matching process started. The script is built and its reply parsed by pure
 * functions (unit-tested); checkHostFiles() is the only side effect.
 */
import type { ManagedFile, SyncCell, SyncState } from '../../shared/domain/managed-files';
import { CdError } from '../../shared/errors';
import { remotePathProblem, shq } from '../config/shell';
import type { SshLink } from '../ssh/ssh-link';
import { reloadKey } from './file-store';

export type FileProbe =
  | { kind: 'ok'; sha256: string; size: number; mtime: number }
  | { kind: 'missing' }
  | { kind: 'unreadable'; reason: string };

export interface HostProbe {
  /** The host's clock when the script ran, epoch ms. */
  now: number;
  files: FileProbe[];
  /** Per file index: start of the newest matching process on the host's clock (epoch ms), null when none matched, undefined without a pattern. */
  procStart: Array<number | null | undefined>;
}

const EXEC_MS = 15_000;

/**
 * The probe script for these paths. Patterns travel base64-encoded: `pgrep -f` matches whole
 * command lines, and the shell running this script has the script itself as its command line, so a
 * pattern written in clear would always find us.
 */
export function syncScript(items: Array<{ path: string; process: string | null }>): string {
  const lines = [
    'set -u',
    "printf 'now %s\\n' \"$(date +%s.%N)\"",
    'one() {',
    '  p=$2; d=${p%/*}; [ -n "$d" ] || d=/',
    '  if [ -L "$p" ] && [ ! -e "$p" ]; then printf \'F %s unreadable dangling symlink to %s\\n\' "$1" "$(readlink -- "$p" | tr \'\\n\' \' \')"; return; fi',
    '  if [ -d "$d" ] && [ ! -x "$d" ]; then printf \'F %s unreadable permission denied (directory %s)\\n\' "$1" "$d"; return; fi',
    '  if [ ! -e "$p" ]; then printf \'F %s missing\\n\' "$1"; return; fi',
    '  if [ -d "$p" ]; then printf \'F %s unreadable is a directory\\n\' "$1"; return; fi',
    '  if [ ! -f "$p" ]; then printf \'F %s unreadable not a regular file\\n\' "$1"; return; fi',
    '  if [ ! -r "$p" ]; then printf \'F %s unreadable permission denied\\n\' "$1"; return; fi',
    '  if ! s=$(sha256sum < "$p" 2>&1); then printf \'F %s unreadable %s\\n\' "$1" "$(printf %s "$s" | tr \'\\n\' \' \')"; return; fi',
    // Fractional mtime where stat knows it (coreutils >= 8.26), whole seconds elsewhere.
    '  m=$(stat -L -c \'%s %.3Y\' -- "$p" 2>/dev/null) || m=$(stat -L -c \'%s %Y\' -- "$p")',
    '  printf \'F %s ok %s %s\\n\' "$1" "${s%% *}" "$m"',
    '}',
    'proc() {',
    '  pat=$(printf %s "$2" | base64 -d)',
    '  pid=$(pgrep -n -f -- "$pat" 2>/dev/null) || { printf \'P %s none\\n\' "$1"; return; }',
    '  e=$(ps -o etimes= -p "$pid" 2>/dev/null | tr -d \' \')',
    '  if [ -n "$e" ]; then printf \'P %s %s\\n\' "$1" "$e"; else printf \'P %s none\\n\' "$1"; fi',
    '}',
  ];
  items.forEach((it, i) => {
    const bad = remotePathProblem(it.path);
    if (bad) throw new CdError('INVALID_ARGUMENT', `refused path: ${bad}`, { path: it.path });
    lines.push(`one ${i} ${shq(it.path)}`);
    if (it.process) lines.push(`proc ${i} ${shq(Buffer.from(it.process, 'utf8').toString('base64'))}`);
  });
  lines.push("printf 'end\\n'");
  return lines.join('\n');
}

const secToMs = (s: string): number => Math.round(Number(s) * 1000);

/** The script's reply → one probe per item. Throws when the reply is not whole (cut short or garbled). */
export function parseSyncOutput(stdout: string, count: number): HostProbe {
  const files: Array<FileProbe | undefined> = new Array(count).fill(undefined);
  const etimes: Array<number | null | undefined> = new Array(count).fill(undefined);
  let now: number | null = null;
  let end = false;
  for (const raw of stdout.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line === '') continue;
    if (line === 'end') {
      end = true;
      continue;
    }
    let m = /^now (\d+(?:\.\d+)?)$/.exec(line);
    if (m) {
      now = secToMs(m[1]!);
      continue;
    }
    m = /^F (\d+) (ok|missing|unreadable)(?: (.*))?$/.exec(line);
    if (m) {
      const i = Number(m[1]);
      if (i >= count) throw new Error(`reply names file ${i} of ${count}`);
      if (m[2] === 'missing') files[i] = { kind: 'missing' };
      else if (m[2] === 'unreadable') files[i] = { kind: 'unreadable', reason: (m[3] ?? '').trim() || 'unreadable' };
      else {
        const ok = /^([0-9a-f]{64}) (\d+) (\d+(?:\.\d+)?)$/.exec(m[3] ?? '');
        if (!ok) throw new Error(`bad fingerprint line ${JSON.stringify(line.slice(0, 200))}`);
        files[i] = { kind: 'ok', sha256: ok[1]!, size: Number(ok[2]), mtime: secToMs(ok[3]!) };
      }
      continue;
    }
    m = /^P (\d+) (none|\d+)$/.exec(line);
    if (m) {
      const i = Number(m[1]);
      if (i >= count) throw new Error(`reply names process ${i} of ${count}`);
      etimes[i] = m[2] === 'none' ? null : Number(m[2]);
      continue;
    }
    throw new Error(`unexpected line ${JSON.stringify(line.slice(0, 200))}`);
  }
  if (now === null || !end) throw new Error('the reply was cut short');
  const missing = files.findIndex((f) => f === undefined);
  if (missing >= 0) throw new Error(`no answer for file ${missing}`);
  const hostNow = now;
  return {
    now: hostNow,
    files: files as FileProbe[],
    // etimes is whole seconds, rounded down: the start computed from it is at most 1 s late, so a
    // file written in the second after a restart can be missed, but a restart is never taken for stale.
    procStart: etimes.map((e) => (e === undefined ? undefined : e === null ? null : hostNow - e * 1000)),
  };
}

const short = (sha: string): string => `${sha.slice(0, 8)}…`;
const clock = (ms: number): string => new Date(ms).toISOString().slice(11, 19);

/**
 * One cell from a probe. `reloadAt` is when ClusterDeck last reloaded the file's service here,
 * already on the host's clock. The service last (re)loaded at the later of that and the process
 * start; a file on disk newer than that is in place but not yet in use.
 */
export function classifyCell(
  host: string,
  f: Pick<ManagedFile, 'id' | 'path' | 'current' | 'process'>,
  probe: FileProbe,
  procStart: number | null | undefined,
  reloadAt: number | null,
  checkedAt: number,
): SyncCell {
  const base = { host, file: f.id, path: f.path, desiredSha256: f.current.sha256, checkedAt };
  if (probe.kind === 'missing') return { ...base, state: 'missing', sha256: null, size: null, mtime: null, detail: `${f.path} does not exist` };
  if (probe.kind === 'unreadable') return { ...base, state: 'unreadable', sha256: null, size: null, mtime: null, detail: `${f.path}: ${probe.reason}` };
  const have = { sha256: probe.sha256, size: probe.size, mtime: probe.mtime };
  if (probe.sha256 !== f.current.sha256) {
    return { ...base, ...have, state: 'out-of-sync', detail: `has sha256 ${short(probe.sha256)} should be ${short(f.current.sha256)}` };
  }
  const loads = [procStart ?? null, reloadAt].filter((x): x is number => x !== null);
  const loaded = loads.length ? Math.max(...loads) : null;
  if (loaded !== null && probe.mtime > loaded) {
    return { ...base, ...have, state: 'pending-restart', detail: `changed ${clock(probe.mtime)}, service loaded ${clock(loaded)} (UTC)` };
  }
  const note = f.process && procStart === null ? ` (no process matches ${JSON.stringify(f.process)})` : '';
  return { ...base, ...have, state: 'in-sync', detail: `sha256 ${short(probe.sha256)}${note}` };
}

/** Cells for a host that could not be asked. */
export function unknownCells(host: string, files: ManagedFile[], reason: string, checkedAt: number): SyncCell[] {
  return files.map((f) => ({ host, file: f.id, path: f.path, state: 'unknown' as const, desiredSha256: f.current.sha256, sha256: null, size: null, mtime: null, detail: reason, checkedAt }));
}

/** Probe results → cells (pure; reloads are keyed `${host}\0${id}` on ClusterDeck's clock). */
export function cellsFromProbe(host: string, files: ManagedFile[], probe: HostProbe, reloads: Map<string, number>, localNow: number): SyncCell[] {
  // The host's clock may differ from ours; reload times we recorded are moved onto the host's.
  const offset = probe.now - localNow;
  return files.map((f, i) => {
    const r = reloads.get(reloadKey(host, f.id));
    return classifyCell(host, f, probe.files[i]!, probe.procStart[i], r === undefined ? null : r + offset, localNow);
  });
}

/** ONE exec for every file of the host; never throws: a host that can't be asked gives `unknown` cells. */
export async function checkHostFiles(link: SshLink, host: string, files: ManagedFile[], reloads: Map<string, number>): Promise<SyncCell[]> {
  if (files.length === 0) return [];
  const sent = Date.now();
  try {
    const script = syncScript(files.map((f) => ({ path: f.path, process: f.process })));
    await link.connect();
    const r = await link.exec(script, { timeoutMs: EXEC_MS, maxBytes: 1024 * 1024 });
    if (r.code === null) return unknownCells(host, files, r.signal ? `the check was killed by signal ${r.signal}` : 'the connection was lost during the check', Date.now());
    if (r.code !== 0) return unknownCells(host, files, `the check failed (exit ${r.code}): ${(r.stderr || r.stdout).trim().slice(0, 300) || 'no output'}`, Date.now());
    const now = Date.now();
    let probe: HostProbe;
    try {
      probe = parseSyncOutput(r.stdout, files.length);
    } catch (e) {
      return unknownCells(host, files, `unexpected reply to the check: ${(e as Error).message}`, now);
    }
    // Halfway through the round trip is our best guess of when the host's clock was read.
    return cellsFromProbe(host, files, probe, reloads, Math.round((sent + now) / 2)).map((c) => ({ ...c, checkedAt: now }));
  } catch (e) {
    return unknownCells(host, files, e instanceof Error ? e.message : String(e), Date.now());
  }
}

/**
 * Higher is worse: what a node's summary shows when its files differ. A known difference outranks
 * `unknown` (a host that can't be asked already shows as unreachable in the status).
 */
export const STATE_RANK: Record<SyncState, number> = { missing: 5, 'out-of-sync': 4, unreadable: 3, 'pending-restart': 2, unknown: 1, 'in-sync': 0 };
