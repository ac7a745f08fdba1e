import type { Client } from 'ssh2';

interface Ssh2Internals {
  _protocol?: { ping?: () => void };
  _callbacks?: Array<(hadErr: unknown) => void>;
}

/**
 * Sends one `keepalive@openssh.com` global request and calls back on its reply.
 *
 * ssh2 has no public API for a global request with a reply we can time, but its own keepalive does
 * exactly this: push a callback on `_callbacks` (replies are answered in order) and call
 * `_protocol.ping()`. We do the same so the heartbeat costs no channel (it must not eat into
 * MaxSessions) and measures the SSH round trip itself. Returns false if ssh2's internals changed,
 * so the caller can report that instead of silently never beating.
 */
export function sendPing(client: Client, onReply: () => void): boolean {
  const c = client as unknown as Ssh2Internals;
  if (!c._protocol || typeof c._protocol.ping !== 'function' || !Array.isArray(c._callbacks)) return false;
  c._callbacks.push(() => onReply());
  c._protocol.ping();
  return true;
}

export interface BeatState {
  /** Send times of pings not yet answered, oldest first (replies come back in order). */
  outstanding: number[];
  missed: number;
}

/**
 * Heartbeat bookkeeping as pure steps, so the miss-counting rule is testable without a network.
 * A beat is missed when a ping is still unanswered at the next tick. Ticks are one interval apart,
 * so the measured age of that ping hovers around the interval (249.9 ms of 250): comparing it with
 * the full interval would drop a beat now and then; half an interval only guards an early timer.
 */
export function onTick(s: BeatState, now: number, intervalMs: number): BeatState {
  const oldest = s.outstanding[0];
  const late = oldest !== undefined && now - oldest >= intervalMs / 2;
  return { outstanding: [...s.outstanding, now], missed: late ? s.missed + 1 : s.missed };
}

export function onReply(s: BeatState, now: number): { state: BeatState; rttMs: number | null } {
  const [sent, ...rest] = s.outstanding;
  if (sent === undefined) return { state: s, rttMs: null };
  return { state: { outstanding: rest, missed: 0 }, rttMs: now - sent };
}
