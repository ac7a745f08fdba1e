import { describe, expect, it } from 'vitest';
import { CONNECT_TIMEOUT_DEFAULT_MS, clusterSettingsSchema } from '../../shared/domain/cluster';
import { connectDeadlineMs, handshakeTimeoutError, HANDSHAKE_ROUND_TRIPS } from './connect-deadline';

describe('the connect deadline', () => {
  it('defaults to 20 s, no longer tied to the heartbeat (which gave 4 s at 1 s × 3)', () => {
    expect(CONNECT_TIMEOUT_DEFAULT_MS).toBe(20_000);
    expect(clusterSettingsSchema.parse({}).connectTimeoutMs).toBe(20_000);
    expect(clusterSettingsSchema.parse({ heartbeatIntervalMs: 250, failoverHeartbeats: 2 }).connectTimeoutMs).toBe(20_000);
  });

  it('leaves room for a handshake of about seven round trips at 1 s each', () => {
    expect(connectDeadlineMs(CONNECT_TIMEOUT_DEFAULT_MS, [])).toBeGreaterThanOrEqual(7 * 1000 * 2);
  });

  it('is the setting while the link has measured nothing, or only quick round trips', () => {
    expect(connectDeadlineMs(20_000, [])).toBe(20_000);
    expect(connectDeadlineMs(5_000, [0.4, 0.8, 1.2])).toBe(5_000);
  });

  it('is never shorter than a handshake needs at the slowest recent round trip', () => {
    expect(HANDSHAKE_ROUND_TRIPS).toBeGreaterThanOrEqual(10);
    expect(connectDeadlineMs(4_000, [950, 1020, 980])).toBe(1020 * HANDSHAKE_ROUND_TRIPS);
    expect(connectDeadlineMs(20_000, [2_500])).toBe(30_000);
  });

  it('looks at the last ten round trips only: an old slow spell does not stretch it for ever', () => {
    const history = [5_000, ...Array(10).fill(10)];
    expect(connectDeadlineMs(20_000, history)).toBe(20_000);
  });

  it('stops at the setting’s ceiling, and ignores nonsense', () => {
    expect(connectDeadlineMs(20_000, [60_000])).toBe(120_000);
    expect(connectDeadlineMs(20_000, [Number.NaN, -5, Number.POSITIVE_INFINITY])).toBe(20_000);
  });

  it('names the deadline and the setting to raise when a handshake runs out of time', () => {
    const e = handshakeTimeoutError('lb1 (root@127.0.0.1:4022)', 4_000);
    expect(e.code).toBe('SSH_TIMEOUT');
    expect(e.message).toMatch(/^lb1 \(root@127\.0\.0\.1:4022\): no SSH handshake within 4 s \(the connect deadline\).*--connect-timeout/);
    expect(e.details).toEqual({ where: 'lb1 (root@127.0.0.1:4022)', deadlineMs: 4_000 });
  });
});
