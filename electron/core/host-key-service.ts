import type { HostKey, PendingHostKey, PinnedHostKey } from '../../shared/domain/host-keys';
import { CdError } from '../../shared/errors';
import {
  createHostKeyStore,
  createHostVerifier,
  createPendingHostKeys,
  normalizeFingerprint,
  type HostKeyStore,
  type PendingHostKeys,
} from '../ssh/host-keys';
import type { HostKeyGuard } from '../ssh/ssh-link';

export interface HostKeyService {
  guard: HostKeyGuard;
  store: HostKeyStore;
  list(): Promise<PinnedHostKey[]>;
  pending(): PendingHostKey[];
  /** Pins a pending unknown key with this fingerprint, or remembers it for the host that will present it. */
  accept(fingerprint: string, host?: string, port?: number): Promise<{ pinned: HostKey | null; preapproved: boolean }>;
  forget(host: string, port: number): Promise<number>;
}

export interface HostKeyServiceOptions {
  ownFile: string;
  extraFiles: string[];
  /** Fingerprints the admin approved up front (the CLI's --accept-host-key). */
  preapproved?: string[];
  onPending?: (p: PendingHostKey) => void;
  onPinned?: (k: HostKey) => void;
}

/**
 * Trust decisions for every SSH link: known keys pass, unknown keys wait for the admin (pending, or
 * approved by fingerprint), changed and revoked keys are refused and can only be cleared by
 * deliberately forgetting the old pin.
 */
export function createHostKeyService(opts: HostKeyServiceOptions): HostKeyService {
  const store = createHostKeyStore({ ownFile: opts.ownFile, extraFiles: opts.extraFiles });
  const inner = createPendingHostKeys();
  const pending: PendingHostKeys = {
    ...inner,
    add(entry) {
      const p = inner.add(entry);
      opts.onPending?.(p);
      return p;
    },
  };
  // Approvals that don't name a host apply to whichever host presents that fingerprint.
  const anyHost = new Set((opts.preapproved ?? []).map(normalizeFingerprint));
  const perHost = new Map<string, Set<string>>();

  const approve = (key: HostKey): boolean =>
    anyHost.has(key.fingerprint) || perHost.get(`${key.host}:${key.port}`)?.has(key.fingerprint) === true;

  return {
    store,
    guard: async (host, port, names, { restrict }) => {
      const v = createHostVerifier({ store, host, port, names, approve, pending });
      const algorithms = restrict ? await v.algorithms() : undefined;
      const verify = (blob: Buffer, cb: (ok: boolean) => void): void =>
        v.verify(blob, (ok) => {
          const o = v.outcome();
          if (ok && o?.status === 'pinned') opts.onPinned?.(o.key);
          cb(ok);
        });
      return { algorithms, verify, outcome: () => v.error() };
    },
    list: () => store.list(),
    pending: () => inner.list(),
    async accept(fingerprint, host, port) {
      const fp = normalizeFingerprint(fingerprint);
      const seen = inner.find(fp).filter((p) => (host === undefined || p.host === host) && (port === undefined || p.port === port));
      const refused = seen.find((p) => p.status !== 'unknown');
      if (refused) {
        throw new CdError(
          'HOST_KEY_CHANGED',
          `${fp} was presented by ${refused.host}:${refused.port} in place of a pinned key (${refused.expected.join(', ') || 'revoked'}); ClusterDeck never accepts a changed key. If the host was really reinstalled, forget its old pin first: clusterdeck host-keys forget ${refused.host} --port ${refused.port}`,
          { host: refused.host, port: refused.port, fingerprint: fp, expected: refused.expected },
        );
      }
      const unknown = seen.find((p) => p.status === 'unknown');
      if (unknown) {
        const key: HostKey = { host: unknown.host, port: unknown.port, keyType: unknown.keyType, fingerprint: unknown.fingerprint, key: unknown.key };
        await store.pin(key);
        inner.remove(key.host, key.port, fp);
        opts.onPinned?.(key);
        return { pinned: key, preapproved: false };
      }
      if (host !== undefined) {
        const k = `${host}:${port ?? 22}`;
        if (!perHost.has(k)) perHost.set(k, new Set());
        perHost.get(k)!.add(fp);
      } else {
        anyHost.add(fp);
      }
      return { pinned: null, preapproved: true };
    },
    async forget(host, port) {
      const n = await store.forget(host, port);
      inner.remove(host, port);
      return n;
    },
  };
}
