import type { ConnectConfig, ServerHostKeyAlgorithm } from 'ssh2';
import type { HostKey, PinnedHostKey } from '../../../shared/domain/host-keys';
import { cdError, isCdError, type CdError } from '../../../shared/errors';
import { changedHostKeyError, revokedHostKeyError, unknownHostKeyError } from './host-key-messages';
import type { HostKeyCheck } from './host-key-rules';
import type { HostKeyStore } from './host-key-store';
import { hostKeyAlgorithmsFor, normalizeFingerprint } from './known-hosts-format';
import type { PendingHostKeys } from './pending-host-keys';

/**
 * The ssh2 side of host-key trust. One verifier per connection attempt:
 *
 *   const v = createHostVerifier({ store, host, port, names, approve, pending });
 *   client.connect({ host, port, username, ..., ...(await v.connectOptions()) });
 *   client.on('error', (err) => fail(v.explain(err)));   // HOST_KEY_* CdError instead of "Host denied"
 *
 * ssh2 calls `verify` with the raw host-key blob during key exchange, before authentication; a
 * rejected key ends the handshake ("Host denied (verification failed)") and `outcome()` says why.
 * connectOptions() also restricts `algorithms.serverHostKey` to the pinned key types so a server with
 * several host keys presents the pinned one (otherwise a different-type key reads as "changed").
 *
 * approve() runs while the handshake waits (ssh2's readyTimeout still applies). For interactive
 * review prefer: reject (approve omitted), show the PendingHostKey, and reconnect with
 * approveFingerprints([reviewed fingerprint]).
 */

export type HostKeyApprover = (key: HostKey) => boolean | Promise<boolean>;

export interface HostVerifierOptions {
  store: Pick<HostKeyStore, 'check' | 'pin' | 'pinnedTypes'>;
  /** The address as dialled (not an inventory name). */
  host: string;
  port: number;
  /** Inventory names of the hosts that dial this address (for messages and pending entries). */
  names?: readonly string[];
  /** Asked for unknown keys only; yes pins the key then accepts. Never asked for changed/revoked keys. */
  approve?: HostKeyApprover;
  /** Untrusted keys seen are recorded here for review. */
  pending?: PendingHostKeys;
}

export type VerifyOutcome =
  | { status: 'trusted'; key: HostKey; pin: PinnedHostKey }
  /** Was unknown, approved and pinned during this attempt. */
  | { status: 'pinned'; key: HostKey; pin: PinnedHostKey }
  | { status: 'rejected'; reason: 'unknown' | 'changed' | 'revoked' | 'error'; key: HostKey | null; error: CdError };

export interface HostVerifier {
  /** ssh2 `hostVerifier` (raw-blob form: do not set `hostHash`). */
  readonly verify: (blob: Buffer, cb: (ok: boolean) => void) => void;
  /** The last decision, null before ssh2 asked. */
  outcome(): VerifyOutcome | null;
  /** The rejection error, if the last decision was a rejection. */
  error(): CdError | null;
  /** `algorithms.serverHostKey` for the pinned key types; undefined = ssh2's defaults (nothing pinned). */
  algorithms(): Promise<ServerHostKeyAlgorithm[] | undefined>;
  /**
   * `{ hostVerifier, algorithms: { serverHostKey } }` to spread into ssh2's connect config (merge by
   * hand if you also set other algorithms). restrict=false skips the key-type restriction.
   */
  connectOptions(opts?: { restrict?: boolean }): Promise<Pick<ConnectConfig, 'hostVerifier' | 'algorithms'>>;
  /** Maps a client error to the host-key CdError when this verifier caused it; otherwise returns err. */
  explain(err: unknown): unknown;
}

/** An approver that says yes exactly to the given (reviewed) fingerprints, e.g. --accept-host-key. */
export function approveFingerprints(fingerprints: readonly string[]): HostKeyApprover {
  const ok = new Set(fingerprints.map(normalizeFingerprint));
  return (key) => ok.has(key.fingerprint);
}

/**
 * True for ssh2's "Handshake failed: no matching host key format": the server has none of the
 * pinned key types (e.g. reinstalled with other key types). Retry once with
 * connectOptions({ restrict: false }) to get the HOST_KEY_CHANGED outcome with fingerprints.
 */
export function isHostKeyFormatMismatch(err: unknown): boolean {
  return err instanceof Error && /no matching host key format/i.test(err.message);
}

function asCdError(e: unknown, fallback: string): CdError {
  if (isCdError(e)) return e;
  return cdError('INTERNAL', `${fallback}: ${e instanceof Error ? e.message : String(e)}`);
}

export function createHostVerifier(opts: HostVerifierOptions): HostVerifier {
  const { store, host, port } = opts;
  const names = [...(opts.names ?? [])];
  let last: VerifyOutcome | null = null;

  const remember = (check: Exclude<HostKeyCheck, { status: 'trusted' }>): void => {
    if (!opts.pending) return;
    opts.pending.add({
      ...check.key,
      status: check.status,
      expected: check.status === 'changed' ? check.expected.map((p) => p.fingerprint) : [],
      names,
    });
  };

  async function decide(blob: Buffer): Promise<VerifyOutcome> {
    let check: HostKeyCheck;
    try {
      check = await store.check(host, port, blob);
    } catch (e) {
      return { status: 'rejected', reason: 'error', key: null, error: asCdError(e, 'host key check failed') };
    }
    switch (check.status) {
      case 'trusted':
        return { status: 'trusted', key: check.key, pin: check.pin };
      case 'revoked':
        remember(check);
        return { status: 'rejected', reason: 'revoked', key: check.key, error: revokedHostKeyError(check.key, check.revokedBy, names) };
      case 'changed':
        remember(check);
        return { status: 'rejected', reason: 'changed', key: check.key, error: changedHostKeyError(check.key, check.expected, names) };
      case 'unknown': {
        const key = check.key;
        let yes = false;
        try {
          yes = opts.approve ? (await opts.approve({ ...key })) === true : false;
        } catch (e) {
          return { status: 'rejected', reason: 'error', key, error: asCdError(e, 'host key approval failed') };
        }
        if (!yes) {
          remember(check);
          return { status: 'rejected', reason: 'unknown', key, error: unknownHostKeyError(key, names) };
        }
        try {
          const { pin, added } = await store.pin(key);
          opts.pending?.remove(host, port, key.fingerprint);
          return added ? { status: 'pinned', key, pin } : { status: 'trusted', key, pin };
        } catch (e) {
          // Pinning failed (I/O, lock, or another process pinned a different key meanwhile): fail closed.
          const error = asCdError(e, 'could not pin host key');
          const reason = error.code === 'HOST_KEY_CHANGED' ? 'changed' : error.code === 'HOST_KEY_REVOKED' ? 'revoked' : 'error';
          return { status: 'rejected', reason, key, error };
        }
      }
    }
  }

  const verify = (blob: Buffer, cb: (ok: boolean) => void): void => {
    let done = false;
    const finish = (o: VerifyOutcome): void => {
      if (done) return;
      done = true;
      // A re-key that re-presents the key just pinned keeps the more informative 'pinned'.
      const keepPinned = last?.status === 'pinned' && o.status === 'trusted' && last.key.key === o.key.key;
      if (!keepPinned) last = o;
      cb(o.status !== 'rejected');
    };
    decide(Buffer.from(blob)).then(finish, (e: unknown) =>
      finish({ status: 'rejected', reason: 'error', key: null, error: asCdError(e, 'host key verification failed') }),
    );
  };

  const algorithms = async (): Promise<ServerHostKeyAlgorithm[] | undefined> =>
    hostKeyAlgorithmsFor(await store.pinnedTypes(host, port));

  return {
    verify,
    outcome: () => last,
    error: () => (last?.status === 'rejected' ? last.error : null),
    algorithms,
    async connectOptions(o = {}) {
      const serverHostKey = o.restrict === false ? undefined : await algorithms();
      return serverHostKey ? { hostVerifier: verify, algorithms: { serverHostKey } } : { hostVerifier: verify };
    },
    explain(err) {
      if (last?.status !== 'rejected') return err;
      if (err instanceof Error && !/host denied|verification failed/i.test(err.message)) return err;
      return last.error;
    },
  };
}
