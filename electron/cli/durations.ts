import { CdError } from '../../shared/errors';

/**
 * A heartbeat interval as admins write it: "500ms", "1s", "1.5s", or plain milliseconds ("750").
 * Anything else ("2s5", "1m", "-1", "0") is refused with the reason, never guessed at.
 */
export function parseInterval(text: string, flag = '--interval'): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(text.trim());
  if (!m) throw new CdError('INVALID_ARGUMENT', `${flag} takes a duration like 500ms, 1s or 1.5s, got "${text}"`);
  const ms = Math.round(Number(m[1]) * (m[2] === 's' ? 1000 : 1));
  if (!Number.isFinite(ms) || ms < 100) throw new CdError('INVALID_ARGUMENT', `${flag} must be at least 100ms, got "${text}"`);
  if (ms > 60_000) throw new CdError('INVALID_ARGUMENT', `${flag} must be at most 60s, got "${text}"`);
  if (m[2] !== 's' && m[1]!.includes('.')) throw new CdError('INVALID_ARGUMENT', `${flag}: milliseconds must be a whole number, got "${text}"`);
  return ms;
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
