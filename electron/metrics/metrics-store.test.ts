import { describe, expect, it } from 'vitest';
import type { ClusterStatus, NodeState } from '../../shared/domain/status';
import { link, stat } from '../cluster/test-support';
import { createMetricsStore } from './metrics-store';
import { createSeries } from './series';

function snapshot(at: number, state: NodeState, sessions: number, reqTotal: number): ClusterStatus {
  return {
    cluster: 'demo',
    at,
    nodes: [
      {
        node: 'node1',
        address: 'n1:22',
        backend: 'app',
        server: 'node1',
        perLb: [{ lb: 'lb1', stat: stat('node1', 'UP', { sessions, reqTotal }), state, admin: 'ready', at, error: null }],
        merged: state,
        reason: '',
        disagree: false,
        disagreement: null,
        role: 'active',
        link: link('node1'),
        healthy: true,
        sync: null,
        admin: 'ready',
        asOf: at,
      },
    ],
    lbs: [],
    worst: state,
    counts: { active: 1, standby: 0, total: 1 },
    quorum: { size: 1, majority: 1, faultTolerance: 0, healthy: 1, spare: 0, hasQuorum: true },
    vip: null,
    actions: { allowed: true, reason: null },
    changes: { running: 0, interrupted: 0 },
  };
}

describe('time series', () => {
  it('keeps at most its capacity, newest last', () => {
    const s = createSeries(3);
    for (let i = 1; i <= 5; i++) s.push(i, i * 10);
    expect(s.since(0)).toEqual([
      [3, 30],
      [4, 40],
      [5, 50],
    ]);
    expect(s.since(4)).toEqual([
      [4, 40],
      [5, 50],
    ]);
    expect(s.last()).toEqual([5, 50]);
  });
});

describe('metrics store', () => {
  it('records sessions, derives the request rate from the counter, and bands states', () => {
    const m = createMetricsStore();
    m.record(snapshot(1000, 'active', 2, 100));
    m.record(snapshot(2000, 'active', 3, 150));
    m.record(snapshot(3000, 'draining', 1, 170));
    m.record(snapshot(4000, 'draining', 0, 170));
    const got = m.get('demo', 60, () => [{ at: 3500, ms: 0.4 }], ['node1'], 4000);
    expect(got.servers).toEqual([
      {
        lb: 'lb1',
        server: 'node1',
        node: 'node1',
        sessions: [
          [1000, 2],
          [2000, 3],
          [3000, 1],
          [4000, 0],
        ],
        reqRate: [
          [2000, 50],
          [3000, 20],
          [4000, 0],
        ],
      },
    ]);
    expect(got.states.node1).toEqual([
      { from: 1000, to: 3000, state: 'active' },
      { from: 3000, to: 4000, state: 'draining' },
    ]);
    expect(got.rtt).toEqual({ node1: [[3500, 0.4]] });
  });

  it("plots a slow LB's answer once, at the time it arrived, however many snapshots show it", () => {
    const m = createMetricsStore();
    const asOf = (snapAt: number, lbAt: number, sessions: number, reqTotal: number): ClusterStatus => {
      const s = snapshot(snapAt, 'active', sessions, reqTotal);
      s.nodes[0]!.perLb[0]!.at = lbAt;
      return s;
    };
    m.record(asOf(1000, 1000, 2, 100));
    m.record(asOf(2000, 1000, 2, 100));
    m.record(asOf(3000, 1000, 2, 100));
    m.record(asOf(3500, 3200, 4, 200));
    const got = m.get('demo', 60, () => [], ['node1'], 4000);
    expect(got.servers[0]?.sessions).toEqual([
      [1000, 2],
      [3200, 4],
    ]);
    expect(got.servers[0]?.reqRate).toEqual([[3200, (100 * 1000) / 2200]]);
    expect(got.states.node1).toEqual([{ from: 1000, to: 3500, state: 'active' }]);
  });

  it('answers only for the window asked, and an unknown cluster with empty data', () => {
    const m = createMetricsStore();
    m.record(snapshot(1_000, 'active', 1, 1));
    m.record(snapshot(100_000, 'active', 1, 1));
    const got = m.get('demo', 10, () => [], [], 100_000);
    expect(got.servers[0]?.sessions).toEqual([[100_000, 1]]);
    expect(got.states.node1).toEqual([{ from: 90_000, to: 100_000, state: 'active' }]);
    expect(m.get('other', 10, () => [], [], 0)).toMatchObject({ servers: [], states: {} });
  });
});
