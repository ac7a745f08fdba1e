import { describe, expect, it } from 'vitest';
import { formatMs, parseConnectTimeout, parseCount, parseInterval } from './durations';

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

  it.each([
    ['20s', 20_000],
    ['1s', 1000],
    ['2.5s', 2500],
    ['90000', 90_000],
    ['120s', 120_000],
  ])('connect deadline %s → %i ms', (t, ms) => expect(parseConnectTimeout(t)).toBe(ms));

  it.each([
    ['0', /at least 1s/],
    ['999ms', /at least 1s/],
    ['121s', /at most 120s/],
    ['2m', /takes a duration/],
    ['-1s', /takes a duration/],
  ])('refuses the connect deadline %j with a reason', (t, why) => {
    expect(() => parseConnectTimeout(t)).toThrow(/--connect-timeout/);
    expect(() => parseConnectTimeout(t)).toThrow(why);
  });

  it('takes whole counts in range only', () => {
    expect(parseCount('4', '--fall')).toBe(4);
    for (const bad of ['0', '-2', '1.5', 'x', '101']) expect(() => parseCount(bad, '--fall')).toThrow(/--fall/);
  });

  it('formats milliseconds back the way HAProxy reads them', () => {
    expect([formatMs(500), formatMs(1000), formatMs(1500)]).toEqual(['500ms', '1s', '1500ms']);
  });
});
