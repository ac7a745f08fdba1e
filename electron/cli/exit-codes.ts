import type { ErrorCode } from '../../shared/errors';

/** Exit codes runbooks and CI can branch on; listed in `clusterdeck --help`. */
export const EXIT = {
  ok: 0,
  error: 1,
  usage: 2,
  partial: 3,
  refused: 4,
  drainTimeout: 5,
  hostKey: 6,
  invalidInput: 7,
  outOfSync: 8,
  interrupted: 9,
} as const;

export const EXIT_HELP = `Exit codes:
  0  done, confirmed on every LB (push: every host done or already in sync)
  1  error (connection, I/O, HAProxy; push: a host failed, the output names it)
  2  usage error
  3  applied on some LBs, failed on others (push: some hosts done, others failed, or a
     rolling push stopped after some hosts; the output names them)
  4  refused by the safety gate, or an LB's runtime socket is below level admin (nothing was
     sent; push: a node could not be drained)
  5  sessions did not drain before --wait ran out (the node was left draining)
  6  a host key is unknown, changed or revoked
  7  invalid input (inventory problems, bad values; push: a validate command refused the new file,
     nothing was written)
  8  sync: some managed file is not in sync on some host (out of sync, missing, unreadable,
     pending restart, or the host could not be asked)
  9  recover: a change was interrupted (its process is gone) and waits for --finish or --restore`;

export function exitForError(code: ErrorCode): number {
  switch (code) {
    case 'GATE_REFUSED':
    case 'GATE_OVERRIDE_MISMATCH':
      return EXIT.refused;
    case 'HOST_KEY_UNKNOWN':
    case 'HOST_KEY_CHANGED':
    case 'HOST_KEY_REVOKED':
      return EXIT.hostKey;
    case 'ACTION_PARTIAL':
      return EXIT.partial;
    case 'DRAIN_TIMEOUT':
      return EXIT.drainTimeout;
    case 'INVALID_ARGUMENT':
    case 'INVENTORY_INVALID':
      return EXIT.invalidInput;
    default:
      return EXIT.error;
  }
}
