import { CONNECT_TIMEOUT_MAX_MS } from '../../shared/domain/cluster';
import { CdError } from '../../shared/errors';

/**
 * Round trips an SSH handshake may need: TCP, banners, KEXINIT, ECDH, NEWKEYS, the userauth service
 * request, then per key a publickey query and its signature (about seven for one key), with room
 * for a second key or the agent and for a slow server.
 */
export const HANDSHAKE_ROUND_TRIPS = 12;

/** Round trips looked at: the slowest of the last few, so one quick beat does not shrink the deadline. */
const RECENT = 10;

/**
 * The deadline for one connection attempt. The cluster's setting, but never shorter than a
 * handshake needs at the round trip this link has measured (a link that was up at 3 s round trips
 * must not be given up on after 20 s of reconnecting), and never past the setting's own ceiling.
 */
export function connectDeadlineMs(settingMs: number, recentRttMs: readonly number[]): number {
  const recent = recentRttMs.slice(-RECENT).filter((ms) => Number.isFinite(ms) && ms > 0);
  const rtt = recent.length ? Math.max(...recent) : 0;
  return Math.min(CONNECT_TIMEOUT_MAX_MS, Math.max(settingMs, Math.ceil(rtt * HANDSHAKE_ROUND_TRIPS)));
}

/** "2.5 s": how the deadline reads in messages. */
const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;

/**
 * ssh2's "Timed out while waiting for handshake", said so the admin can tell a dead host from one
 * too slow for the deadline, and knows which setting to raise.
 */
export function handshakeTimeoutError(where: string, deadlineMs: number): CdError {
  return new CdError(
    'SSH_TIMEOUT',
    `${where}: no SSH handshake within ${seconds(deadlineMs)} (the connect deadline); the host or its link may be down, or too slow for that deadline: raise the cluster's connect deadline (clusterdeck failover CLUSTER --connect-timeout 60s)`,
    { where, deadlineMs },
  );
}
