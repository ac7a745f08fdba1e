import { describe, expect, it } from 'vitest';
import { formatMs, parseCount, parseInterval } from './durations';

describe('CLI durations and counts', () => {
  it.each([
    ['500ms', 500],
    ['500', 500],
    ['1s', 1000],
    ['1.5s', 1500],
    ['60s', 60_000],
  ])('%s → %i ms', (t, ms) => expect(parseInterval(t)).toBe(ms));

  it.each(['0', '-1', '2s5', '1m', 'abc', '', '50ms', '61s', '1e3', '2.5ms', ' 1 s'])('refuses %j with a reason', (t) => {
    expect(() => parseInterval(t)).toThrow(/--interval/);
  });

  it('takes whole counts in range only', () => {
    expect(parseCount('4', '--fall')).toBe(4);
    for (const bad of ['0', '-2', '1.5', 'x', '101']) expect(() => parseCount(bad, '--fall')).toThrow(/--fall/);
  });

  it('formats milliseconds back the way HAProxy reads them', () => {
    expect([formatMs(500), formatMs(1000), formatMs(1500)]).toEqual(['500ms', '1s', '1500ms']);
  });
});
