import { describe, expect, it } from 'vitest';
import { failoverBudget, formatDuration } from './budget';

describe('failover budget', () => {
  it('says it in words from the settings', () => {
    expect(failoverBudget({ heartbeatIntervalMs: 1000, failoverHeartbeats: 3 })).toBe('fails over after 3 s: 1 s × 3 heartbeats');
    expect(failoverBudget({ heartbeatIntervalMs: 500, failoverHeartbeats: 3 })).toBe('fails over after 1.5 s: 500 ms × 3 heartbeats');
    expect(failoverBudget({ heartbeatIntervalMs: 2000, failoverHeartbeats: 1 })).toBe('fails over after 2 s: 2 s × 1 heartbeat');
  });

  it('formats durations', () => {
    expect(formatDuration(250)).toBe('250 ms');
    expect(formatDuration(1250)).toBe('1.3 s');
    expect(formatDuration(60_000)).toBe('60 s');
  });
});
