import type { HostKey, PinnedHostKey } from '../../../shared/domain/host-keys';
import { cdError } from '../../../shared/errors';
import {
  decodeBase64Strict,
  entryMatches,
  fingerprintSha256,
  parseKeyBlob,
  parseKnownHostsLine,
  type KnownHostsEntry,
} from './known-hosts-format';

/**
 * Pure trust rules over parsed known_hosts files: classification of a presented key, pins for a
 * host, and the text edits behind pin/forget. The store does the I/O around these.
 */

/** One parsed known_hosts file. */
export interface KnownHostsSource {
  source: string;
  readOnly: boolean;
  entries: readonly KnownHostsEntry[];
}

export interface RevokedBy {
  source: string;
  line: number;
}

export type HostKeyCheck =
  | { status: 'trusted'; key: HostKey; pin: PinnedHostKey }
  | { status: 'unknown'; key: HostKey }
  | { status: 'changed'; key: HostKey; expected: PinnedHostKey[] }
  | { status: 'revoked'; key: HostKey; revokedBy: RevokedBy };

/** The HostKey for a blob a server presented. Throws DATA_CORRUPT when the blob is malformed. */
export function hostKeyFromBlob(host: string, port: number, blob: Buffer): HostKey {
  const info = parseKeyBlob(blob);
  if (!info.ok) {
    throw cdError('DATA_CORRUPT', `host ${host}:${port} presented a malformed host key (${info.reason})`, { host, port });
  }
  return { host, port, keyType: info.keyType, fingerprint: fingerprintSha256(blob), key: blob.toString('base64') };
}

/**
 * Validates a HostKey handed to pin(): canonical base64, a well-formed blob of the stated type, and
 * the stated fingerprint (what the admin approved) equal to the key's. Throws INVALID_ARGUMENT.
 */
export function validateHostKey(key: HostKey): HostKey {
  const bad = (why: string) => cdError('INVALID_ARGUMENT', `cannot pin host key for ${key.host}:${key.port}: ${why}`);
  if (key.host === '' || /[\s,*?!#|@[\]]/.test(key.host)) throw bad('host must be a plain address or name');
  if (!Number.isInteger(key.port) || key.port < 1 || key.port > 65535) throw bad('port out of range');
  const blob = decodeBase64Strict(key.key);
  if (blob === null) throw bad('key is not valid base64');
  const info = parseKeyBlob(blob);
  if (!info.ok) throw bad(info.reason);
  if (info.keyType !== key.keyType) throw bad(`key type ${key.keyType} does not match the key (${info.keyType})`);
  const fp = fingerprintSha256(blob);
  if (fp !== key.fingerprint) throw bad(`fingerprint ${key.fingerprint} does not match the key (${fp})`);
  return key;
}

/** A pin as seen for a concrete host:port (the entry matched that lookup). */
export function pinFor(entry: KnownHostsEntry, src: KnownHostsSource, host: string, port: number): PinnedHostKey {
  return {
    host,
    port,
    keyType: entry.keyType,
    fingerprint: fingerprintSha256(Buffer.from(entry.key, 'base64')),
    key: entry.key,
    source: src.source,
    readOnly: src.readOnly,
    line: entry.line,
  };
}

/**
 * A pin as listed without a lookup: one per line. A single literal pattern gives its host and port
 * (`[h]:p` parsed); anything else (several patterns, wildcards, negations, hashed names) gives the
 * raw host field as `host` and port 0, meaning "pattern, not one address".
 */
export function pinForListing(entry: KnownHostsEntry, src: KnownHostsSource): PinnedHostKey {
  let host: string;
  let port = 0;
  if (entry.hosts.kind === 'hashed') {
    host = `|1|${entry.hosts.salt.toString('base64')}|${entry.hosts.hash.toString('base64')}`;
  } else {
    const pats = entry.hosts.patterns;
    const only = pats.length === 1 ? pats[0] : undefined;
    if (only !== undefined && !/[*?!]/.test(only)) {
      const m = /^\[(.+)\]:(\d{1,5})$/.exec(only);
      host = m?.[1] ?? only;
      port = m ? Number(m[2]) : 22;
    } else {
      host = pats.join(',');
    }
  }
  return pinFor(entry, src, host, port);
}

function sameKey(entry: KnownHostsEntry, key: HostKey): boolean {
  return entry.keyType === key.keyType && entry.key === key.key;
}

/** Normal (unmarked) entries of all sources that cover host:port, as pins for that host:port. */
export function pinsForHost(sources: readonly KnownHostsSource[], host: string, port: number): PinnedHostKey[] {
  const out: PinnedHostKey[] = [];
  for (const src of sources) {
    for (const e of src.entries) {
      if (e.marker === null && entryMatches(e, host, port)) out.push(pinFor(e, src, host, port));
    }
  }
  return out;
}

/**
 * Classifies a presented key:
 *  - revoked: any `@revoked` line of any source carries this key (type and blob), whatever its host
 *    field says — a revoked key is never trusted for any host (stricter than OpenSSH, which only
 *    honours `@revoked` lines whose host pattern matches);
 *  - trusted: an unmarked entry for host:port has the same type and blob;
 *  - changed: host:port has unmarked entries, none with this type and blob (a different *type*
 *    counts too: restrict key exchange to the pinned types to avoid seeing another type);
 *  - unknown: nothing pinned for host:port.
 * `@cert-authority` lines are ignored: ssh2 does not negotiate certificates.
 */
export function classifyHostKey(sources: readonly KnownHostsSource[], key: HostKey): HostKeyCheck {
  for (const src of sources) {
    for (const e of src.entries) {
      if (e.marker === 'revoked' && sameKey(e, key)) {
        return { status: 'revoked', key, revokedBy: { source: src.source, line: e.line } };
      }
    }
  }
  const pins: PinnedHostKey[] = [];
  for (const src of sources) {
    for (const e of src.entries) {
      if (e.marker !== null || !entryMatches(e, key.host, key.port)) continue;
      const pin = pinFor(e, src, key.host, key.port);
      if (sameKey(e, key)) return { status: 'trusted', key, pin };
      pins.push(pin);
    }
  }
  return pins.length > 0 ? { status: 'changed', key, expected: pins } : { status: 'unknown', key };
}

/** Appends one line; returns the new text and the new line's 1-based number. */
export function planAppend(text: string, line: string): { text: string; line: number } {
  const base = text === '' || text.endsWith('\n') ? text : `${text}\n`;
  return { text: `${base}${line}\n`, line: base.split('\n').length };
}

/**
 * Removes the unmarked lines (plain or hashed) that cover host:port. `@revoked` and
 * `@cert-authority` lines, comments and unparsable lines are kept byte for byte.
 */
export function planForget(text: string, host: string, port: number): { text: string; removed: number } {
  const lines = text.split('\n');
  const kept: string[] = [];
  let removed = 0;
  lines.forEach((raw, i) => {
    const parsed = parseKnownHostsLine(raw, i + 1);
    if (parsed !== null && !('reason' in parsed) && parsed.marker === null && entryMatches(parsed, host, port)) {
      removed++;
      return;
    }
    kept.push(raw);
  });
  return { text: kept.join('\n'), removed };
}
