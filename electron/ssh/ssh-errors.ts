import { CdError } from '../../shared/errors';

interface Ssh2Error extends Error {
  level?: string;
  code?: string;
  reason?: number | string;
  description?: string;
}

/**
 * Turns what ssh2 and the socket layer throw into typed errors an admin can act on.
 * `where` names the host as the admin knows it ("lb1 (root@10.88.0.21:22)").
 */
export function sshError(e: unknown, where: string): CdError {
  if (e instanceof CdError) return e;
  const err = (e instanceof Error ? e : new Error(String(e))) as Ssh2Error;
  const msg = err.message;
  const level = err.level ?? '';
  const code = err.code ?? '';
  if (level === 'client-authentication') {
    return new CdError('SSH_AUTH_FAILED', `${where}: authentication failed (${msg})`, { where });
  }
  if (level === 'client-timeout' || /Timed out while waiting for handshake/i.test(msg)) {
    return new CdError('SSH_TIMEOUT', `${where}: no SSH handshake before the deadline; the host or its link may be down`, { where });
  }
  if (/Keepalive timeout/i.test(msg)) {
    return new CdError('SSH_TIMEOUT', `${where}: the connection stopped answering heartbeats`, { where });
  }
  if (['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EPIPE'].includes(code)) {
    const why: Record<string, string> = {
      ECONNREFUSED: 'connection refused (is sshd running?)',
      EHOSTUNREACH: 'host unreachable',
      ENETUNREACH: 'network unreachable',
      ETIMEDOUT: 'connection timed out',
      ENOTFOUND: 'host name not found',
      EAI_AGAIN: 'host name lookup failed',
      ECONNRESET: 'connection reset by peer',
      EPIPE: 'connection broken',
    };
    return new CdError('SSH_CONNECT_FAILED', `${where}: ${why[code] ?? code}`, { where, errno: code });
  }
  if (/no matching host key format|no matching host key/i.test(msg)) {
    return new CdError(
      'HOST_KEY_CHANGED',
      `${where}: the server no longer offers a host key of the pinned type(s); treat it as a changed key (${msg})`,
      { where },
    );
  }
  if (/Host denied/i.test(msg)) {
    return new CdError('HOST_KEY_CHANGED', `${where}: host key refused (${msg})`, { where });
  }
  if (/Channel open failure|open failed/i.test(msg)) {
    return new CdError('SSH_CHANNEL_FAILED', `${where}: could not open an SSH channel (${msg})`, { where, reason: err.reason ?? null });
  }
  if (/No response from server|Not connected|Connection lost/i.test(msg) || level === 'protocol') {
    return new CdError('SSH_DISCONNECTED', `${where}: the SSH connection was lost (${msg})`, { where });
  }
  if (level === 'client-socket' || level === 'client-dns') {
    return new CdError('SSH_CONNECT_FAILED', `${where}: ${msg}`, { where });
  }
  return new CdError('SSH_CONNECT_FAILED', `${where}: ${msg}`, { where });
}
