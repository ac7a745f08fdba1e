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
