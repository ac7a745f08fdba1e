import type { PendingHostKey } from '../../../shared/domain/host-keys';
import { normalizeFingerprint } from './known-hosts-format';

/**
 * In-memory registry of host keys seen during connection attempts and not trusted (yet), for the
 * UI/CLI to review ("accept SHA256:..."). Deduplicated by host:port:fingerprint (a repeat sighting
 * refreshes seenAt/status/expected and merges names); bounded: the least recently seen go first.
 */

export type PendingHostKeyInput = Omit<PendingHostKey, 'seenAt'> & { seenAt?: number };

export interface PendingHostKeys {
  add(entry: PendingHostKeyInput): PendingHostKey;
  /** Newest first. */
  list(): PendingHostKey[];
  /** All pending keys with this fingerprint (`SHA256:` prefix optional); several hosts may share a key. */
  find(fingerprint: string): PendingHostKey[];
  get(host: string, port: number, fingerprint: string): PendingHostKey | undefined;
  /** Removes one key of host:port, or all of host:port when fingerprint is omitted; returns how many. */
  remove(host: string, port: number, fingerprint?: string): number;
  clear(): void;
  readonly size: number;
}

export interface PendingHostKeysOptions {
  /** Default 200. */
  max?: number;
  now?: () => number;
}

const keyOf = (host: string, port: number, fingerprint: string) => `${host.toLowerCase()}\u0000${port}\u0000${fingerprint}`;

function copy(p: PendingHostKey): PendingHostKey {
  return { ...p, expected: [...p.expected], names: [...p.names] };
}

export function createPendingHostKeys(opts: PendingHostKeysOptions = {}): PendingHostKeys {
  const max = Math.max(1, opts.max ?? 200);
  const now = opts.now ?? Date.now;
  // Map order = least recently seen first.
  const items = new Map<string, PendingHostKey>();

  return {
    add(entry) {
      const fingerprint = normalizeFingerprint(entry.fingerprint);
      const k = keyOf(entry.host, entry.port, fingerprint);
      const prev = items.get(k);
      const names = [...new Set([...(prev?.names ?? []), ...entry.names])];
      const item: PendingHostKey = {
        host: entry.host,
        port: entry.port,
        keyType: entry.keyType,
        fingerprint,
        key: entry.key,
        status: entry.status,
        expected: [...entry.expected],
        names,
        seenAt: entry.seenAt ?? now(),
      };
      items.delete(k);
      items.set(k, item);
      while (items.size > max) {
        const oldest = items.keys().next();
        if (oldest.done) break;
        items.delete(oldest.value);
      }
      return copy(item);
    },
    list() {
      return [...items.values()].reverse().map(copy);
    },
    find(fingerprint) {
      const fp = normalizeFingerprint(fingerprint);
      return [...items.values()].filter((p) => p.fingerprint === fp).reverse().map(copy);
    },
    get(host, port, fingerprint) {
      const p = items.get(keyOf(host, port, normalizeFingerprint(fingerprint)));
      return p ? copy(p) : undefined;
    },
    remove(host, port, fingerprint) {
      if (fingerprint !== undefined) return items.delete(keyOf(host, port, normalizeFingerprint(fingerprint))) ? 1 : 0;
      let n = 0;
      for (const [k, p] of items) {
        if (p.host.toLowerCase() === host.toLowerCase() && p.port === port) {
          items.delete(k);
          n++;
        }
      }
      return n;
    },
    clear() {
      items.clear();
    },
    get size() {
      return items.size;
    },
  };
}
