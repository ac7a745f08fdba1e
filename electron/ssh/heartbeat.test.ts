import { describe, expect, it } from 'vitest';
import { onReply, onTick, type BeatState } from './heartbeat';

describe('heartbeat bookkeeping', () => {
  const start: BeatState = { outstanding: [], missed: 0 };

  it('counts a miss for each tick while the oldest ping is at least one interval old', () => {
    let s = onTick(start, 0, 1000);
    expect(s.missed).toBe(0);
    s = onTick(s, 1000, 1000);
    expect(s.missed).toBe(1);
    s = onTick(s, 2000, 1000);
    s = onTick(s, 3000, 1000);
    expect(s.missed).toBe(3);
    expect(s.outstanding).toEqual([0, 1000, 2000, 3000]);
  });

  it('counts a ping still unanswered at the next tick even when that tick comes a hair early', () => {
    let s = onTick(start, 0, 250);
    s = onTick(s, 249.9, 250);
    expect(s.missed).toBe(1);
    s = onTick(s, 499.8, 250);
    s = onTick(s, 749.7, 250);
    expect(s.missed).toBe(3);
  });

  it('a reply resets the misses and measures the round trip of the oldest ping', () => {
    let s = onTick(start, 0, 1000);
    s = onTick(s, 1000, 1000);
    const r = onReply(s, 1250);
    expect(r.rttMs).toBe(1250);
    expect(r.state).toEqual({ outstanding: [1000], missed: 0 });
    const r2 = onReply(r.state, 1251);
    expect(r2.rttMs).toBe(251);
  });

  it('ignores a reply nobody asked for', () => {
    expect(onReply(start, 5)).toEqual({ state: start, rttMs: null });
  });
});

/**
 * A link that is up but far away: ticks every `intervalMs`, each ping answered `rttMs(i)` later,
 * events in time order (a tick before a reply due at the same instant: the worst case). Returns the
 * most misses counted at once, and the tick at which `maxMissed` would have marked the link lost.
 */
function steadyLink(intervalMs: number, maxMissed: number, rttMs: (i: number) => number, ticks = 60): { worst: number; lostAt: number | null } {
  let s: BeatState = { outstanding: [], missed: 0 };
  const replies: number[] = [];
  let worst = 0;
  for (let i = 0; i < ticks; i++) {
    const now = i * intervalMs;
    s = onTick(s, now, intervalMs);
    worst = Math.max(worst, s.missed);
    if (s.missed >= maxMissed) return { worst, lostAt: i };
    replies.push(now + rttMs(i));
    // replies come back in order; deliver those due before the next tick
    while (replies.length && replies[0]! < (i + 1) * intervalMs) s = onReply(s, replies.shift()!).state;
  }
  return { worst, lostAt: null };
}

describe('heartbeat on a slow link that is up', () => {
  it('a steady 1 s round trip with the default 1 s × 3 never marks the link lost', () => {
    expect(steadyLink(1000, 3, () => 1000)).toEqual({ worst: 1, lostAt: null });
    expect(steadyLink(1000, 3, () => 1200)).toEqual({ worst: 1, lostAt: null });
  });

  it('tolerates jitter around 1 s, and round trips up to just under the failover time', () => {
    const jitter = [900, 1400, 1100, 1800, 950, 1600];
    expect(steadyLink(1000, 3, (i) => jitter[i % jitter.length]!).lostAt).toBeNull();
    expect(steadyLink(1000, 3, () => 2900)).toEqual({ worst: 2, lostAt: null });
  });

  it('marks it lost once round trips exceed interval × failover heartbeats', () => {
    expect(steadyLink(1000, 3, () => 3100).lostAt).toBe(3);
  });
});

