import { CONNECT_TIMEOUT_MAX_MS, CONNECT_TIMEOUT_MIN_MS } from '../../shared/domain/cluster';
import { CdError } from '../../shared/errors';

/**
 * A duration as admins write it: "500ms", "1s", "1.5s", or plain milliseconds ("750"), within
 * [minMs, maxMs]. Anything else ("2s5", "1m", "-1", "0") is refused with the reason, never guessed at.
 */
export function parseDuration(text: string, flag: string, minMs: number, maxMs: number): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(text.trim());
  if (!m) throw new CdError('INVALID_ARGUMENT', `${flag} takes a duration like 500ms, 1s or 1.5s, got "${text}"`);
  const ms = Math.round(Number(m[1]) * (m[2] === 's' ? 1000 : 1));
  if (!Number.isFinite(ms) || ms < minMs) throw new CdError('INVALID_ARGUMENT', `${flag} must be at least ${formatMs(minMs)}, got "${text}"`);
  if (ms > maxMs) throw new CdError('INVALID_ARGUMENT', `${flag} must be at most ${formatMs(maxMs)}, got "${text}"`);
  if (m[2] !== 's' && m[1]!.includes('.')) throw new CdError('INVALID_ARGUMENT', `${flag}: milliseconds must be a whole number, got "${text}"`);
  return ms;
}

/** A heartbeat interval: 100 ms to 60 s. */
export function parseInterval(text: string, flag = '--interval'): number {
  return parseDuration(text, flag, 100, 60_000);
}

/** The SSH connect deadline: the contract's bounds (1 s to 120 s). */
export function parseConnectTimeout(text: string, flag = '--connect-timeout'): number {
  return parseDuration(text, flag, CONNECT_TIMEOUT_MIN_MS, CONNECT_TIMEOUT_MAX_MS);
}

export function parseCount(text: string, flag: string, max = 100): number {
  if (!/^\d+$/.test(text.trim())) throw new CdError('INVALID_ARGUMENT', `${flag} takes a whole number, got "${text}"`);
  const n = Number(text);
  if (n < 1) throw new CdError('INVALID_ARGUMENT', `${flag} must be at least 1, got "${text}"`);
  if (n > max) throw new CdError('INVALID_ARGUMENT', `${flag} must be at most ${max}, got "${text}"`);
  return n;
}

export function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
