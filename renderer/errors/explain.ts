import type { ShownError } from '../state/types';

/** Anything thrown by a call or carried in a result: the core's code and message. */
export interface ErrorLike {
  code?: string;
  message: string;
  details?: Record<string, unknown> | undefined;
}

/** Normalises what a rejected call hands us (a CdError, a plain Error, anything). */
export function toErrorLike(e: unknown): ErrorLike {
  if (e && typeof e === 'object' && 'message' in e) {
    const o = e as { code?: unknown; message: unknown; details?: unknown };
    return {
      ...(typeof o.code === 'string' ? { code: o.code } : {}),
      message: String(o.message),
      ...(o.details && typeof o.details === 'object' ? { details: o.details as Record<string, unknown> } : {}),
    };
  }
  return { message: String(e) };
}

const NEXT: Record<string, string> = {
  HOST_KEY_UNKNOWN: 'Check the fingerprint on the host itself (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub) and accept it in the host-key dialog.',
  HOST_KEY_CHANGED:
    'Do not work around this. Find out why the key changed (reinstall? someone in the middle?). Only when you are sure, run `clusterdeck host-keys forget HOST` in a terminal and accept the new key.',
  HOST_KEY_REVOKED: 'The key is marked revoked in a known_hosts file. Find out why before touching this host again.',
  SSH_AUTH_FAILED: 'Check the user and key file in the cluster definition, or load the key into ssh-agent, then try again.',
  SSH_CONNECT_FAILED: 'Check that the host is up and sshd listens on that address and port; ClusterDeck keeps retrying in the background.',
  SSH_TIMEOUT: 'The host or the network is slow or dropping packets; ClusterDeck keeps retrying. Check the host, then try again.',
  SSH_DISCONNECTED: 'The SSH connection dropped; ClusterDeck reconnects by itself. Try again in a few seconds.',
  SSH_CHANNEL_FAILED: 'The SSH server refused a channel (MaxSessions?). Try again; if it persists, check sshd on that host.',
  SOCKET_FORWARD_FAILED: "HAProxy's admin socket could not be reached through SSH: check that HAProxy runs on that LB (systemctl status haproxy) and the socket path is right, then retry.",
  HAPROXY_ERROR: 'HAProxy refused the command; its reply is shown. Check the backend and server names.',
  HAPROXY_PERMISSION: 'The runtime socket is not `level admin`: change the `stats socket` line in haproxy.cfg and reload HAProxy.',
  HAPROXY_TIMEOUT: 'HAProxy did not answer in time; it may be overloaded or restarting. Check it, then retry.',
  HAPROXY_PROTOCOL: 'HAProxy answered something ClusterDeck could not read. Check the HAProxy version on that LB.',
  SERVER_NOT_FOUND: "That LB's HAProxy has no such server line: check the backend and server names in the cluster definition against haproxy.cfg.",
  GATE_REFUSED: "Bring another node back to UP first, or override by typing the node's name if you are sure.",
  GATE_OVERRIDE_MISMATCH: "Type the node's name exactly as shown to override the gate.",
  ACTION_PARTIAL: 'Retry on the LBs that failed once the cause is fixed; the others keep their new state.',
  DRAIN_TIMEOUT: 'Force maintenance, keep waiting, or make the node ready again.',
  NOT_CONFIRMED: 'The LB accepted the command but did not show the new state on re-read. Look at the LB, then retry.',
  LOCKED: 'Another ClusterDeck (or the CLI) is acting on this cluster right now. Wait for it to finish, then try again.',
  INVENTORY_INVALID: 'Fix the lines listed in the preview, then import again.',
  ALREADY_EXISTS: 'Choose another name, or remove the existing cluster first.',
  NOT_FOUND: 'Reload the cluster list; it may have been removed or renamed elsewhere.',
  INVALID_ARGUMENT: 'Correct the value named above and try again.',
  TIMEOUT: 'ClusterDeck did not answer in time. Check the command drawer for what was sent, then try again.',
  CANCELLED: 'The connection to ClusterDeck closed. Reload the page (or restart ClusterDeck).',
  UNAUTHORIZED: 'Open ClusterDeck with the link it printed when it started.',
  DATA_CORRUPT: "A file in ClusterDeck's data directory could not be read; the message names it. Fix or remove it.",
  IO_ERROR: "ClusterDeck could not read or write its data directory; check disk space and permissions.",
};

const TITLE: Record<string, string> = {
  HOST_KEY_UNKNOWN: 'Host key not trusted yet',
  HOST_KEY_CHANGED: 'Host key changed: refused',
  HOST_KEY_REVOKED: 'Host key revoked: refused',
  SSH_AUTH_FAILED: 'SSH login refused',
  SSH_CONNECT_FAILED: 'SSH connection failed',
  SSH_TIMEOUT: 'SSH timed out',
  SSH_DISCONNECTED: 'SSH connection lost',
  SSH_CHANNEL_FAILED: 'SSH channel refused',
  SOCKET_FORWARD_FAILED: "HAProxy's admin socket unreachable",
  HAPROXY_ERROR: 'HAProxy refused the command',
  HAPROXY_PERMISSION: 'HAProxy socket lacks admin level',
  HAPROXY_TIMEOUT: 'HAProxy did not answer',
  HAPROXY_PROTOCOL: 'Unreadable HAProxy reply',
  SERVER_NOT_FOUND: 'Server not found in HAProxy',
  GATE_REFUSED: 'Refused by the safety gate',
  GATE_OVERRIDE_MISMATCH: 'Override name does not match',
  ACTION_PARTIAL: 'Applied on some LBs only',
  DRAIN_TIMEOUT: 'Sessions did not drain in time',
  NOT_CONFIRMED: 'Not confirmed by the LB',
  LOCKED: 'Cluster busy',
  INVENTORY_INVALID: 'Inventory has errors',
  ALREADY_EXISTS: 'Name already taken',
  NOT_FOUND: 'Not found',
  INVALID_ARGUMENT: 'Invalid value',
  TIMEOUT: 'No answer in time',
  CANCELLED: 'Connection closed',
  UNAUTHORIZED: 'Not authorized',
  DATA_CORRUPT: 'Data file unreadable',
  IO_ERROR: 'Data directory error',
};

/**
 * Turns a core error into the three things an admin acts on: what failed (and where), the core's own
 * words (which already say what ClusterDeck did), and the next step. `where` names the host or LB
 * when the caller knows it and the message doesn't.
 */
export function explainError(e: ErrorLike, where?: string): ShownError {
  const code = e.code ?? 'INTERNAL';
  const base = TITLE[code] ?? 'Something went wrong';
  const title = where && !base.includes(where) ? `${where}: ${base}` : base;
  const next = NEXT[code] ?? 'Check the command drawer for what was sent and replied, then try again.';
  return { code, title, detail: e.message, next };
}
