import type { HostKey, PinnedHostKey } from '../../../shared/domain/host-keys';
import { cdError, type CdError } from '../../../shared/errors';
import type { RevokedBy } from './host-key-rules';
import { formatHostPort } from './known-hosts-format';

/**
 * The operator-facing errors for untrusted host keys. Messages say what was presented, what is
 * pinned and what to do; details carry the same facts for UIs (never branch on the message).
 */

/** CLI flag that accepts a reviewed unknown key. */
export const ACCEPT_FLAG = '--accept-host-key';
/** CLI command that deliberately drops the pins of a host:port from ClusterDeck's own file. */
export const FORGET_COMMAND = 'clusterdeck host-keys forget';

function who(host: string, port: number, names: readonly string[]): string {
  const hp = formatHostPort(host, port);
  return names.length > 0 ? `${hp} (${names.join(', ')})` : hp;
}

function expectedDetails(expected: readonly PinnedHostKey[]) {
  return expected.map((p) => ({
    keyType: p.keyType,
    fingerprint: p.fingerprint,
    source: p.source,
    line: p.line,
    readOnly: p.readOnly,
  }));
}

export function unknownHostKeyError(key: HostKey, names: readonly string[] = []): CdError {
  return cdError(
    'HOST_KEY_UNKNOWN',
    `host ${who(key.host, key.port, names)} is not known; its ${key.keyType} key fingerprint is ${key.fingerprint}; ` +
      `accept it with ${ACCEPT_FLAG} ${key.fingerprint}`,
    { host: key.host, port: key.port, names: [...names], keyType: key.keyType, fingerprint: key.fingerprint },
  );
}

export function changedHostKeyError(
  key: HostKey,
  expected: readonly PinnedHostKey[],
  names: readonly string[] = [],
): CdError {
  const pinned = expected
    .map((p) => `${p.keyType} ${p.fingerprint} (${p.source} line ${p.line}${p.readOnly ? ', read-only' : ''})`)
    .join('; ');
  const own = expected.filter((p) => !p.readOnly);
  const ro = expected.filter((p) => p.readOnly);
  const howTo: string[] = [];
  if (own.length > 0) howTo.push(`forget the old pin deliberately with "${FORGET_COMMAND} ${formatHostPort(key.host, key.port)}"`);
  for (const p of ro) howTo.push(`remove line ${p.line} of ${p.source} yourself (ClusterDeck never writes that file)`);
  return cdError(
    'HOST_KEY_CHANGED',
    `HOST KEY CHANGED for ${who(key.host, key.port, names)}: it presented ${key.keyType} ${key.fingerprint}, ` +
      `but the pinned key is ${pinned}. This can be a man-in-the-middle attack or a reinstalled host; ` +
      `the new key will not be trusted automatically. If the change is expected, ${howTo.join(' and ')}, ` +
      `then connect again to review the new key.`,
    {
      host: key.host,
      port: key.port,
      names: [...names],
      keyType: key.keyType,
      fingerprint: key.fingerprint,
      expectedFingerprints: expected.map((p) => p.fingerprint),
      expected: expectedDetails(expected),
    },
  );
}

export function revokedHostKeyError(key: HostKey, revokedBy: RevokedBy, names: readonly string[] = []): CdError {
  return cdError(
    'HOST_KEY_REVOKED',
    `host ${who(key.host, key.port, names)} presented ${key.keyType} ${key.fingerprint}, which is marked @revoked ` +
      `in ${revokedBy.source} line ${revokedBy.line}; refusing to connect`,
    {
      host: key.host,
      port: key.port,
      names: [...names],
      keyType: key.keyType,
      fingerprint: key.fingerprint,
      source: revokedBy.source,
      line: revokedBy.line,
    },
  );
}
