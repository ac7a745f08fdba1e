/**
 * Temp and partial files a remote script creates beside a target: the shell lines that own one
 * (created exclusively, removed again by a trap on every way out of the script), the marker lines
 * the script prints about it, and the words for what became of it when the script failed. Pure.
 */
import type { ExecResult } from '../ssh/ssh-link';
import { CdError } from '../../shared/errors';

/** Temp and partial files older than this are leftovers of a cut connection, removed at the next read. */
export const STALE_MINUTES = 10;

/**
 * Marker lines a script prints on stderr about the temp or partial file it made, so the caller can
 * say whether a failure left anything behind. Paths never hold a newline (remotePathProblem).
 */
export const PARTIAL_MARKS = {
  removed: 'clusterdeck: removed partial ',
  notRemoved: 'clusterdeck: could not remove partial ',
  notCreated: 'clusterdeck: could not create ',
} as const;

/**
 * Creates the file named by shell variable `v` exclusively, then makes every way out of the script
 * remove it again: a failing command under `set -e`, `exit`, and the signals a cut SSH session or a
 * kill sends (trapped so they end through the EXIT trap instead of killing the shell outright).
 * noclobber opens with O_EXCL, so a name collision fails here and never deletes someone else's file.
 * umask 077: the file never exposes its content before its real mode is set.
 * A signal in the instant between the creation and the trap can still leave an empty file: the sweep
 * of the next change covers that.
 */
export function ownPartial(v: string): string[] {
  return [
    'umask 077',
    'set -C',
    `if ! true > "$${v}"; then printf '${PARTIAL_MARKS.notCreated}%s\\n' "$${v}" >&2; exit 1; fi`,
    'set +C',
    // PIPE ignored first: with the connection gone, reporting must not stop the removal.
    `clusterdeck_drop() { trap '' PIPE; if rm -f -- "$1"; then printf '${PARTIAL_MARKS.removed}%s\\n' "$1" >&2; else printf '${PARTIAL_MARKS.notRemoved}%s\\n' "$1" >&2; fi; }`,
    `trap 'clusterdeck_drop "$${v}"' EXIT`,
    "trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 141' PIPE; trap 'exit 143' TERM",
  ];
}

/** Once the file is whole and handed over (renamed, or its name reported), it is no longer ours to remove. */
export const KEEP_PARTIAL = 'trap - EXIT HUP INT PIPE TERM';

export type PartialFate = 'removed' | 'not-removed' | 'not-created' | 'unknown';

// "bash: line 7: " / "sh: 1: " before a shell's own message says nothing an admin needs.
const SHELL_PREFIX = /^(?:\S*\/)?(?:ba|da)?sh: (?:line )?\d+: /;

/**
 * What a failed script says became of its temp/partial `file` (by its marker lines; 'unknown' when
 * it said nothing, e.g. the connection went first), and the rest of its stderr as one line.
 */
export function partialOutcome(stderr: string, file: string): { fate: PartialFate; cause: string } {
  const lines = stderr.split('\n');
  const said = (mark: string): boolean => lines.includes(`${mark}${file}`);
  const fate: PartialFate = said(PARTIAL_MARKS.notCreated) ? 'not-created' : said(PARTIAL_MARKS.notRemoved) ? 'not-removed' : said(PARTIAL_MARKS.removed) ? 'removed' : 'unknown';
  const marks = Object.values(PARTIAL_MARKS);
  const cause = lines
    .filter((l) => !marks.some((m) => l.startsWith(m)))
    .map((l) => l.replace(SHELL_PREFIX, '').trim())
    .filter((l) => l !== '')
    .join('; ');
  return { fate, cause: cause.length > 400 ? `${cause.slice(0, 397)}...` : cause };
}

/** A temp or `.partial` file a script creates and removes again on any failure, with the words for its failure. */
export interface PartialFile {
  file: string;
  kind: 'temp file' | 'backup';
  /** What could not be done: "stage the new /etc/app.conf". */
  doing: string;
  /** The target whose next change sweeps leftovers of it. */
  target: string;
}

export function partialWords(host: string, p: PartialFile, fate: PartialFate): string {
  const sweep = `the next change of ${p.target} removes leftovers older than ${STALE_MINUTES} min`;
  switch (fate) {
    case 'removed':
      return `the partial ${p.kind} ${p.file} was removed`;
    case 'not-created':
      return `no ${p.kind} was created, so none is left behind`;
    case 'not-removed':
      return `the partial ${p.kind} ${p.file} could NOT be removed and remains on ${host}: ${sweep}`;
    default:
      return `the partial ${p.kind} ${p.file} may remain on ${host}: ${sweep}`;
  }
}

/** One line naming the host, the file, what failed and what became of the partial file. */
export function partialFailure(host: string, p: PartialFile, r: ExecResult): CdError {
  const { fate, cause } = partialOutcome(r.stderr, p.file);
  const lost = r.code === null && r.signal === null;
  const why = r.code === null ? (r.signal ? `killed by signal ${r.signal}` : 'the connection was lost before it finished') : cause || `exit ${r.code}, no output`;
  return new CdError(lost ? 'SSH_DISCONNECTED' : 'IO_ERROR', `${host}: could not ${p.doing}: ${why}; ${partialWords(host, p, fate)}`, {
    host,
    path: p.target,
    partial: p.file,
    partialState: fate,
  });
}

