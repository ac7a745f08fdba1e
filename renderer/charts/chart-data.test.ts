import { describe, expect, it } from 'vitest';
import type { ClusterMetrics } from '../../shared/domain/metrics';
import { bucketMs, bucketSeries, clockHM, clockHMS, peak, pickSeries, rttData, serverData, spanWords, stateBands, timeTicks, valueWords } from './chart-data';

const T0 = new Date(2025, 2, 3, 14, 0, 0).getTime();

const metrics = (): ClusterMetrics => ({
  cluster: 'demo',
  from: T0,
  to: T0 + 300_000,
  rtt: { node1: [[T0 + 1000, 0.5], [T0 + 1400, 0.9], [T0 + 2000, 0.6]], lb1: [[T0 + 1000, 1.2]] },
  servers: [
    { lb: 'lb1', server: 'node1', node: 'node1', sessions: [[T0 + 1000, 2], [T0 + 5000, 3]], reqRate: [[T0 + 1000, 4], [T0 + 1500, 6]] },
    { lb: 'lb1', server: 'node2', node: 'node2', sessions: [[T0 + 1100, 1]], reqRate: [] },
    { lb: 'lb2', server: 'node1', node: 'node1', sessions: [[T0 + 1000, 7]], reqRate: [] },
  ],
  states: { node1: [{ from: T0 - 50_000, to: T0 + 100_000, state: 'active' }, { from: T0 + 100_000, to: T0 + 295_000, state: 'draining' }], node2: [] },
});

describe('chart data', () => {
  it('buckets to at most 300 points: 1 s for 5 min, 12 s for an hour', () => {
    expect(bucketMs(300)).toBe(1000);
    expect(bucketMs(3600)).toBe(12_000);
  });

  it('RTT: the highest round trip per bucket, per host, on one grid', () => {
    const d = rttData(metrics(), ['node1', 'lb1', 'node2'], 1000);
    expect(d.points).toBe(4);
    expect(d.keys).toEqual(['node1', 'lb1', 'node2']);
    expect(d.rows).toEqual([
      { t: T0 + 1000, node1: 0.9, lb1: 1.2, node2: null },
      { t: T0 + 2000, node1: 0.6, lb1: null, node2: null },
    ]);
  });

  it('sessions: last reading per bucket, carried over short gaps so stacks do not tear', () => {
    const d = serverData(metrics(), 'lb1', 'sessions', ['node1', 'node2'], 1000);
    expect(d.rows.map((r) => [r.t - T0, r.node1, r.node2])).toEqual([
      [1000, 2, 1],
      [2000, 2, 1],
      [3000, 2, 1],
      [4000, 2, 1],
      [5000, 3, null],
      // a reading stands for up to 3 buckets, then the area ends
      [6000, 3, null],
      [7000, 3, null],
      [8000, 3, null],
    ]);
  });

  it('request rate: the mean per bucket', () => {
    const d = serverData(metrics(), 'lb1', 'reqRate', ['node1', 'node2'], 1000);
    expect(d.rows[0]).toMatchObject({ t: T0 + 1000, node1: 5 });
  });

  it('ignores points outside the window', () => {
    const d = bucketSeries({ a: [[T0 - 1, 1], [T0 + 10, 2], [T0 + 400_000, 3]] }, T0, T0 + 300_000, 1000, 'max');
    expect(d.points).toBe(1);
    expect(d.rows).toEqual([{ t: T0, a: 2 }]);
  });

  it('state bands are clipped to the window; the current one runs to now', () => {
    const b = stateBands(metrics(), ['node1', 'node2']);
    expect(b[0]!.bands).toEqual([
      { from: T0, to: T0 + 100_000, state: 'active' },
      { from: T0 + 100_000, to: T0 + 300_000, state: 'draining' },
    ]);
    expect(b[1]!.bands).toEqual([]);
  });

  it('time axis in local 24 h time on whole minutes', () => {
    expect(timeTicks(T0 + 30_000, T0 + 330_000).map(clockHM)).toEqual(['14:01', '14:02', '14:03', '14:04', '14:05']);
    expect(timeTicks(T0 - 3_600_000 + 5000, T0 + 5000).map(clockHM)).toEqual(['13:10', '13:20', '13:30', '13:40', '13:50', '14:00']);
    expect(clockHMS(new Date(2025, 2, 3, 23, 5, 9).getTime())).toBe('23:05:09');
  });

  it('words for spans and values', () => {
    expect(spanWords(45_000)).toBe('45 s');
    expect(spanWords(108_000)).toBe('1 min 48 s');
    expect(spanWords(3_720_000)).toBe('1 h 02 min');
    expect(valueWords(0.456, 'ms')).toBe('0.46 ms');
    expect(valueWords(12.4, 'ms')).toBe('12 ms');
    expect(valueWords(null, 'ms')).toBe('—');
    expect(valueWords(3, 'sessions')).toBe('3');
    expect(valueWords(2.5, 'req/s')).toBe('2.50 req/s');
  });
});

describe('big clusters', () => {
  it('keeps the series that matter, in their order, and counts the rest', () => {
    const score: Record<string, number> = { a: 1, b: 9, c: 5, d: 7 };
    expect(pickSeries(['a', 'b', 'c', 'd'], (k) => score[k]!, 2)).toEqual({ shown: ['b', 'd'], hidden: 2 });
    expect(pickSeries(['a', 'b'], (k) => score[k]!, 5)).toEqual({ shown: ['a', 'b'], hidden: 0 });
    expect(peak([[1, 2], [2, 7], [3, 1]])).toBe(7);
    expect(peak(undefined)).toBe(0);
  });
});
