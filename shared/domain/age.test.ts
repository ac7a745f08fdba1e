import { describe, expect, it } from 'vitest';
import { ageMs, ageWords, durationWords, isStale } from './age';

const NOW = 1_700_000_000_000;

describe('data age in words', () => {
  it.each([
    [0, 'just now'],
    [350, 'just now'],
    [999, 'just now'],
    [1000, 'as of 1.0 s ago'],
    [1234, 'as of 1.2 s ago'],
    [1299, 'as of 1.2 s ago'],
    [9_999, 'as of 9.9 s ago'],
    [12_345, 'as of 12 s ago'],
    [60_000, 'as of 1 min ago'],
    [125_000, 'as of 2 min 5 s ago'],
    [7_500_000, 'as of 2 h 5 min ago'],
  ])('%i ms old → %j', (age, words) => {
    expect(ageWords(NOW - age, NOW)).toBe(words);
  });

  it('never calls data from a clock a hair ahead "in the future"', () => {
    expect(ageMs(NOW + 40, NOW)).toBe(0);
    expect(ageWords(NOW + 40, NOW)).toBe('just now');
  });

  it('says when nothing arrived', () => {
    expect(ageWords(null, NOW)).toBe('no answer yet');
  });

  it('words durations on their own for compact cells', () => {
    expect([durationWords(50), durationWords(1500), durationWords(59_999), durationWords(3_600_000)]).toEqual(['0.0 s', '1.5 s', '59 s', '1 h']);
  });
});

describe('stale data', () => {
  it('is older than two heartbeat intervals', () => {
    expect(isStale(NOW - 2000, NOW, 1000)).toBe(false);
    expect(isStale(NOW - 2001, NOW, 1000)).toBe(true);
    expect(isStale(NOW - 9000, NOW, 5000)).toBe(false);
    expect(isStale(NOW - 10_001, NOW, 5000)).toBe(true);
  });

  it('is never called stale within two seconds, however short the interval', () => {
    expect(isStale(NOW - 1500, NOW, 100)).toBe(false);
    expect(isStale(NOW - 2500, NOW, 100)).toBe(true);
  });

  it('includes data that never arrived', () => {
    expect(isStale(null, NOW, 1000)).toBe(true);
  });
});
