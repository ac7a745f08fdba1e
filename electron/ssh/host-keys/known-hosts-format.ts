import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ServerHostKeyAlgorithm } from 'ssh2';

/**
 * OpenSSH known_hosts format, pure: parsing, host matching (plain patterns and hashed names),
 * formatting, fingerprints and key-blob validation. No file I/O here.
 *
 * Matching follows OpenSSH's hostfile.c / match.c:
 *  - the lookup name is `host` for port 22 and `[host]:port` otherwise, lowercased;
 *  - a plain host field is a comma-separated pattern list, `*` and `?` wildcards, `!` negation;
 *    a negated match excludes the entry even when another pattern matches;
 *  - a hashed host field is `|1|<base64 salt>|<base64 HMAC-SHA1(salt, name)>`.
 */

export type KnownHostsMarker = null | 'revoked' | 'cert-authority';

export type KnownHostsHosts =
  | { kind: 'plain'; patterns: string[] }
  | { kind: 'hashed'; salt: Buffer; hash: Buffer };

export interface KnownHostsEntry {
  /** 1-based line number in the text. */
  line: number;
  marker: KnownHostsMarker;
  hosts: KnownHostsHosts;
  /** The key type field as written (ssh-ed25519, ecdsa-sha2-nistp256, ...); unknown types are kept. */
  keyType: string;
  /** Canonical base64 of the public key blob. */
  key: string;
  /** Whatever follows the key on the line, trimmed ('' when none). */
  comment: string;
}

/** A line that is not a usable entry. Such lines are skipped, never fatal. */
export interface KnownHostsProblem {
  line: number;
  reason: string;
  /** The raw line (without line terminator). */
  text: string;
}

export interface ParsedKnownHosts {
  entries: KnownHostsEntry[];
  problems: KnownHostsProblem[];
}

export type KeyBlobInfo =
  | { ok: true; keyType: string; /** false for types we cannot validate further (sk-*, certificates...) */ supported: boolean }
  | { ok: false; reason: string };

const HASH_MAGIC = '|1|';
const SHA1_LEN = 20;

// ---------------------------------------------------------------------------------------------
// Parsing

/** Parses known_hosts text. Never throws: blank and `#` lines are skipped, bad lines reported. */
export function parseKnownHosts(text: string): ParsedKnownHosts {
  const entries: KnownHostsEntry[] = [];
  const problems: KnownHostsProblem[] = [];
  const lines = text.split('\n');
  // A trailing newline yields one empty last element: harmless (blank lines are skipped).
  lines.forEach((raw, i) => {
    const r = parseKnownHostsLine(raw, i + 1);
    if (r === null) return;
    if ('reason' in r) problems.push(r);
    else entries.push(r);
  });
  return { entries, problems };
}

/** One line: an entry, a problem, or null for blank/comment lines. */
export function parseKnownHostsLine(raw: string, line: number): KnownHostsEntry | KnownHostsProblem | null {
  const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  const problem = (reason: string): KnownHostsProblem => ({ line, reason, text });
  let rest = text.replace(/^[ \t]+/, '');
  if (rest === '' || rest.startsWith('#')) return null;

  let marker: KnownHostsMarker = null;
  if (rest.startsWith('@')) {
    const [tok, after] = nextToken(rest);
    if (tok === '@revoked') marker = 'revoked';
    else if (tok === '@cert-authority') marker = 'cert-authority';
    else return problem(`unknown marker ${JSON.stringify(tok)}`);
    rest = after;
    if (rest.startsWith('@')) return problem('only one marker is allowed');
  }

  const [hostField, afterHosts] = nextToken(rest);
  if (hostField === '') return problem('missing host field');
  let hosts: KnownHostsHosts;
  if (hostField.startsWith('|')) {
    const hashed = parseHashedHost(hostField);
    if (typeof hashed === 'string') return problem(hashed);
    hosts = hashed;
  } else {
    hosts = { kind: 'plain', patterns: hostField.split(',') };
  }

  const [keyType, afterType] = nextToken(afterHosts);
  if (keyType === '') return problem('missing key type');
  if (/^\d+$/.test(keyType)) return problem('SSH protocol 1 RSA keys are not supported');
  const [keyB64, afterKey] = nextToken(afterType);
  if (keyB64 === '') return problem('missing key');
  const blob = decodeBase64Strict(keyB64);
  if (blob === null) return problem('key is not valid base64');
  const info = parseKeyBlob(blob);
  if (!info.ok) return problem(`invalid key blob: ${info.reason}`);
  if (info.keyType !== keyType) return problem(`key type field ${keyType} does not match the key's type ${info.keyType}`);

  return { line, marker, hosts, keyType, key: blob.toString('base64'), comment: afterKey.trim() };
}

function nextToken(s: string): [string, string] {
  const m = /^([^ \t]*)[ \t]*/.exec(s);
  const tok = m?.[1] ?? '';
  return [tok, s.slice(m?.[0].length ?? 0)];
}

function parseHashedHost(field: string): KnownHostsHosts | string {
  const parts = field.split('|');
  if (parts.length !== 4 || parts[0] !== '' || parts[1] !== '1') return 'unsupported hashed host format';
  const salt = decodeBase64Strict(parts[2] ?? '');
  const hash = decodeBase64Strict(parts[3] ?? '');
  if (salt === null || salt.length !== SHA1_LEN) return 'hashed host has an invalid salt';
  if (hash === null || hash.length !== SHA1_LEN) return 'hashed host has an invalid hash';
  return { kind: 'hashed', salt, hash };
}

/** Base64 with padding as OpenSSH writes it; null when it is not. */
export function decodeBase64Strict(s: string): Buffer | null {
  if (s.length === 0 || s.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(s)) return null;
  const buf = Buffer.from(s, 'base64');
  return buf.toString('base64') === s ? buf : null;
}

// ---------------------------------------------------------------------------------------------
// Matching

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise; lowercased. */
export function knownHostsName(host: string, port: number): string {
  const h = host.toLowerCase();
  return port === 22 ? h : `[${h}]:${port}`;
}

/** OpenSSH match_pattern: `*` any run, `?` any one character. Case-sensitive; callers lowercase. */
export function matchPattern(name: string, pattern: string): boolean {
  // Iterative glob with single-star backtracking (linear-ish, no regex construction).
  let n = 0;
  let p = 0;
  let starP = -1;
  let starN = 0;
  while (n < name.length) {
    const pc = pattern[p];
    if (pc === '*') {
      starP = p++;
      starN = n;
    } else if (pc !== undefined && (pc === '?' || pc === name[n])) {
      p++;
      n++;
    } else if (starP >= 0) {
      p = starP + 1;
      n = ++starN;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/** OpenSSH match_pattern_list: 1 positive, 0 none, -1 negated match (which excludes). */
export function matchPatternList(name: string, patterns: readonly string[]): -1 | 0 | 1 {
  let positive = false;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const pat = (negated ? raw.slice(1) : raw).toLowerCase();
    if (matchPattern(name, pat)) {
      if (negated) return -1;
      positive = true;
    }
  }
  return positive ? 1 : 0;
}

export function hashedNameMatches(salt: Buffer, hash: Buffer, name: string): boolean {
  const mac = createHmac('sha1', salt).update(name).digest();
  return mac.length === hash.length && timingSafeEqual(mac, hash);
}

/** Whether an entry's host field covers `host:port` (markers are not considered here). */
export function entryMatches(entry: Pick<KnownHostsEntry, 'hosts'>, host: string, port: number): boolean {
  const name = knownHostsName(host, port);
  if (entry.hosts.kind === 'hashed') return hashedNameMatches(entry.hosts.salt, entry.hosts.hash, name);
  return matchPatternList(name, entry.hosts.patterns) === 1;
}

/** `|1|salt|hash` for a lookup name (as `ssh-keygen -H` writes it). */
export function hashKnownHostsName(name: string, salt: Buffer = randomBytes(SHA1_LEN)): string {
  const mac = createHmac('sha1', salt).update(name).digest();
  return `${HASH_MAGIC}${salt.toString('base64')}|${mac.toString('base64')}`;
}

// ---------------------------------------------------------------------------------------------
// Formatting

export interface FormatLineOptions {
  /** Write the host hashed (`|1|...`) instead of plain. */
  hash?: boolean;
  /** Salt for hashing (tests); random otherwise. */
  salt?: Buffer;
  comment?: string;
}

/** One known_hosts line (no line terminator). */
export function formatKnownHostsLine(
  host: string,
  port: number,
  keyType: string,
  keyB64: string,
  opts: FormatLineOptions = {},
): string {
  const name = knownHostsName(host, port);
  if (!isSafeHostName(name)) throw new Error(`host ${JSON.stringify(host)} cannot be written to known_hosts`);
  if (!/^[\x21-\x7e]+$/.test(keyType) || !/^[A-Za-z0-9+/=]+$/.test(keyB64)) throw new Error('invalid key');
  const hostField = opts.hash ? hashKnownHostsName(name, opts.salt) : name;
  const comment = opts.comment?.replace(/[\r\n]+/g, ' ').trim();
  return `${hostField} ${keyType} ${keyB64}${comment ? ` ${comment}` : ''}`;
}

/** A name that round-trips as a single literal pattern: no whitespace, commas, wildcards, negation, markers, hashes. */
function isSafeHostName(name: string): boolean {
  return name.length > 0 && !/[\s,*?!#|]/.test(name) && !name.startsWith('@');
}

/** `host:port`, or `[v6]:port` for IPv6 literals, for messages. */
export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

// ---------------------------------------------------------------------------------------------
// Keys

/** OpenSSH's `SHA256:<base64 without padding>` fingerprint, as `ssh-keygen -lf` prints it. */
export function fingerprintSha256(blob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

/** Accepts `SHA256:xxx` or bare `xxx`; returns the `SHA256:` form. */
export function normalizeFingerprint(fp: string): string {
  const t = fp.trim();
  return t.startsWith('SHA256:') ? t : `SHA256:${t.replace(/=+$/, '')}`;
}

const ECDSA_POINT_LEN: Record<string, number> = { nistp256: 65, nistp384: 97, nistp521: 133 };

/**
 * Reads the key type (the first SSH string of the wire-format blob) and validates the structure of
 * the types ssh2 can negotiate; other types (sk-*, certificates) are reported with supported=false.
 */
export function parseKeyBlob(blob: Buffer): KeyBlobInfo {
  const r = new BlobReader(blob);
  const typeBuf = r.string();
  if (typeBuf === null) return { ok: false, reason: 'truncated key type' };
  const keyType = typeBuf.toString('latin1');
  if (!/^[\x21-\x7e]{1,64}$/.test(keyType)) return { ok: false, reason: 'key type is not printable' };

  const fail = (reason: string): KeyBlobInfo => ({ ok: false, reason: `${keyType}: ${reason}` });
  if (keyType === 'ssh-ed25519') {
    const pk = r.string();
    if (pk === null || pk.length !== 32) return fail('public key must be 32 bytes');
  } else if (keyType === 'ssh-rsa') {
    const e = r.string();
    const n = r.string();
    if (e === null || n === null || e.length === 0 || n.length === 0) return fail('malformed RSA key');
  } else if (keyType.startsWith('ecdsa-sha2-') && ECDSA_POINT_LEN[keyType.slice(11)] !== undefined) {
    const curve = keyType.slice(11);
    const curveField = r.string();
    const q = r.string();
    if (curveField === null || curveField.toString('latin1') !== curve) return fail('curve does not match key type');
    if (q === null || q.length !== ECDSA_POINT_LEN[curve] || q[0] !== 0x04) return fail('malformed curve point');
  } else if (keyType === 'ssh-dss') {
    for (let i = 0; i < 4; i++) if (r.string() === null) return fail('malformed DSA key');
  } else {
    return { ok: true, keyType, supported: false };
  }
  if (!r.atEnd()) return fail('trailing bytes after key');
  return { ok: true, keyType, supported: true };
}

class BlobReader {
  private off = 0;
  constructor(private readonly buf: Buffer) {}
  string(): Buffer | null {
    if (this.off + 4 > this.buf.length) return null;
    const len = this.buf.readUInt32BE(this.off);
    if (this.off + 4 + len > this.buf.length) return null;
    const out = this.buf.subarray(this.off + 4, this.off + 4 + len);
    this.off += 4 + len;
    return out;
  }
  atEnd(): boolean {
    return this.off === this.buf.length;
  }
}

/** ssh2's host key algorithms, in ssh2's own preference order, per pinned key type. */
const ALGORITHMS_BY_KEY_TYPE: ReadonlyArray<readonly [string, readonly ServerHostKeyAlgorithm[]]> = [
  ['ssh-ed25519', ['ssh-ed25519']],
  ['ecdsa-sha2-nistp256', ['ecdsa-sha2-nistp256']],
  ['ecdsa-sha2-nistp384', ['ecdsa-sha2-nistp384']],
  ['ecdsa-sha2-nistp521', ['ecdsa-sha2-nistp521']],
  ['ssh-rsa', ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']],
  ['ssh-dss', ['ssh-dss']],
];

/**
 * The `algorithms.serverHostKey` list that makes the server present one of the pinned key types.
 * undefined means "no restriction, ssh2's defaults": nothing pinned, or only types ssh2 cannot
 * negotiate (then the presented key cannot match and is reported as changed, which is the safe side).
 */
export function hostKeyAlgorithmsFor(keyTypes: readonly string[]): ServerHostKeyAlgorithm[] | undefined {
  const wanted = new Set(keyTypes);
  const out: ServerHostKeyAlgorithm[] = [];
  for (const [type, algos] of ALGORITHMS_BY_KEY_TYPE) if (wanted.has(type)) out.push(...algos);
  return out.length > 0 ? out : undefined;
}
