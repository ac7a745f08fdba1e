import { resolve } from 'node:path';
import { hostKeySchema, type HostKey, type PinnedHostKey } from '../../../shared/domain/host-keys';
import { cdError } from '../../../shared/errors';
import { changedHostKeyError, revokedHostKeyError } from './host-key-messages';
import {
  classifyHostKey,
  hostKeyFromBlob,
  pinForListing,
  pinsForHost,
  planAppend,
  planForget,
  validateHostKey,
  type HostKeyCheck,
  type KnownHostsSource,
} from './host-key-rules';
import { createKnownHostsCache, editKnownHostsFile, readKnownHostsFile, type KnownHostsSnapshot } from './known-hosts-file';
import { fingerprintSha256, formatKnownHostsLine } from './known-hosts-format';

/**
 * ClusterDeck's host-key trust store: its own known_hosts file (read-write) plus extra files the
 * admin already trusts (read-only, e.g. ~/.ssh/known_hosts; never written).
 *
 * Every call stats the files and re-parses one whose inode, size, mtime or ctime changed, so a pin
 * made by another process (CLI vs desktop app) is seen on the next call. pin/forget always re-read
 * under the file lock before deciding.
 */

export interface HostKeyStoreOptions {
  /** ClusterDeck's own known_hosts file; created (0600, parent dir 0700) on first pin. */
  ownFile: string;
  /** Other known_hosts files to trust, read-only. A missing file reads as empty. */
  extraFiles?: readonly string[];
  /** Write new pins with hashed host names (`|1|...`) like `HashKnownHosts yes`. Default false. */
  hashOnWrite?: boolean;
}

/** A line that is not used: unparsable ('invalid') or a feature we do not support ('ignored'). */
export interface KnownHostsIssue {
  source: string;
  line: number;
  kind: 'invalid' | 'ignored';
  reason: string;
  text: string;
}

export interface RevokedHostKey {
  keyType: string;
  fingerprint: string;
  key: string;
  source: string;
  line: number;
}

export interface PinResult {
  pin: PinnedHostKey;
  /** false when the key was already pinned (in any file): nothing was written. */
  added: boolean;
}

export interface HostKeyStore {
  readonly ownFile: string;
  readonly extraFiles: readonly string[];
  /** Classifies a key blob presented by host:port (the raw SSH wire-format blob ssh2 hands over). */
  check(host: string, port: number, blob: Buffer): Promise<HostKeyCheck>;
  /** Key types pinned for host:port in any file (to restrict key exchange to them). */
  pinnedTypes(host: string, port: number): Promise<string[]>;
  /** The pins covering host:port, from all files. */
  pinsFor(host: string, port: number): Promise<PinnedHostKey[]>;
  /**
   * Pins an unknown key in the own file. No-op when already pinned anywhere. Refuses (throws
   * HOST_KEY_CHANGED) when host:port already has a different pin, HOST_KEY_REVOKED when revoked.
   */
  pin(key: HostKey): Promise<PinResult>;
  /** Removes the own file's unmarked lines (plain and hashed) covering host:port; returns how many. */
  forget(host: string, port: number): Promise<number>;
  /** Every unmarked entry of every file, one per line (see pinForListing for host/port of patterns). */
  list(): Promise<PinnedHostKey[]>;
  /** Every `@revoked` key of every file. */
  revoked(): Promise<RevokedHostKey[]>;
  /** Skipped lines: corrupt ones and `@cert-authority` lines (unsupported, ignored). */
  issues(): Promise<KnownHostsIssue[]>;
}

export function createHostKeyStore(opts: HostKeyStoreOptions): HostKeyStore {
  const ownFile = resolve(opts.ownFile);
  const extraFiles = (opts.extraFiles ?? []).map((f) => resolve(f)).filter((f) => f !== ownFile);
  const cache = createKnownHostsCache();

  const toSource = (snap: KnownHostsSnapshot, readOnly: boolean): KnownHostsSource => ({
    source: snap.path,
    readOnly,
    entries: snap.parsed.entries,
  });

  /** Snapshots of all files, own first. fresh=true bypasses the cache (used under the lock). */
  async function snapshots(fresh = false): Promise<Array<{ snap: KnownHostsSnapshot; readOnly: boolean }>> {
    const read = fresh ? readKnownHostsFile : cache.read;
    const files = [ownFile, ...extraFiles];
    const snaps = await Promise.all(files.map((f) => read(f)));
    return snaps.map((snap, i) => ({ snap, readOnly: i > 0 }));
  }

  async function sources(): Promise<KnownHostsSource[]> {
    return (await snapshots()).map(({ snap, readOnly }) => toSource(snap, readOnly));
  }

  return {
    ownFile,
    extraFiles,

    async check(host, port, blob) {
      const key = hostKeyFromBlob(host, port, blob);
      return classifyHostKey(await sources(), key);
    },

    async pinnedTypes(host, port) {
      const pins = pinsForHost(await sources(), host, port);
      return [...new Set(pins.map((p) => p.keyType))];
    },

    async pinsFor(host, port) {
      return pinsForHost(await sources(), host, port);
    },

    async pin(input) {
      const parsed = hostKeySchema.safeParse(input);
      if (!parsed.success) throw cdError('INVALID_ARGUMENT', `cannot pin host key: ${parsed.error.message}`);
      const key = validateHostKey(parsed.data);
      const result = await editKnownHostsFile(ownFile, async (own) => {
        const extras = await Promise.all(extraFiles.map((f) => readKnownHostsFile(f)));
        const srcs = [toSource(own, false), ...extras.map((s) => toSource(s, true))];
        const verdict = classifyHostKey(srcs, key);
        switch (verdict.status) {
          case 'trusted':
            return { text: null, result: { pin: verdict.pin, added: false } };
          case 'revoked':
            throw revokedHostKeyError(key, verdict.revokedBy);
          case 'changed':
            throw changedHostKeyError(key, verdict.expected);
          case 'unknown': {
            const line = formatKnownHostsLine(key.host, key.port, key.keyType, key.key, { hash: opts.hashOnWrite === true });
            const next = planAppend(own.text, line);
            const pin: PinnedHostKey = { ...key, source: ownFile, readOnly: false, line: next.line };
            return { text: next.text, result: { pin, added: true } };
          }
        }
      });
      cache.invalidate(ownFile);
      return result;
    },

    async forget(host, port) {
      const removed = await editKnownHostsFile(ownFile, (own) => {
        const plan = planForget(own.text, host, port);
        return { text: plan.removed > 0 ? plan.text : null, result: plan.removed };
      });
      cache.invalidate(ownFile);
      return removed;
    },

    async list() {
      const out: PinnedHostKey[] = [];
      for (const src of await sources()) {
        for (const e of src.entries) if (e.marker === null) out.push(pinForListing(e, src));
      }
      return out;
    },

    async revoked() {
      const out: RevokedHostKey[] = [];
      for (const src of await sources()) {
        for (const e of src.entries) {
          if (e.marker !== 'revoked') continue;
          const fingerprint = fingerprintSha256(Buffer.from(e.key, 'base64'));
          out.push({ keyType: e.keyType, fingerprint, key: e.key, source: src.source, line: e.line });
        }
      }
      return out;
    },

    async issues() {
      const out: KnownHostsIssue[] = [];
      for (const { snap } of await snapshots()) {
        const lines = snap.text.split('\n');
        const mine: KnownHostsIssue[] = snap.parsed.problems.map((p) => ({ source: snap.path, kind: 'invalid', ...p }));
        for (const e of snap.parsed.entries) {
          if (e.marker !== 'cert-authority') continue;
          const text = lines[e.line - 1]?.replace(/\r$/, '') ?? '';
          const reason = '@cert-authority is not supported (ssh2 does not negotiate host certificates); line ignored';
          mine.push({ source: snap.path, line: e.line, kind: 'ignored', reason, text });
        }
        out.push(...mine.sort((a, b) => a.line - b.line));
      }
      return out;
    },
  };
}
