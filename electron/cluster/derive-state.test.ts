import { describe, expect, it } from 'vitest';
import { clusterSpecSchema } from '../../shared/domain/cluster';
import { deriveClusterStatus, deriveNodeStatus, lbViewState } from './derive-state';
import { link, node, read, stat, unreadable } from './test-support';

describe('one LB view of a server', () => {
  it.each([
    ['UP', false, 'active'],
    ['UP', true, 'standby'],
    ['UP 1/3', false, 'active'],
    ['DOWN', false, 'down'],
    ['DOWN 1/2', false, 'down'],
    ['DRAIN', false, 'draining'],
    ['NOLB', false, 'draining'],
    ['MAINT', false, 'maintenance'],
    ['MAINT (via app/node2)', false, 'maintenance'],
    ['no check', false, 'active'],
    ['no check', true, 'standby'],
  ] as const)('%s (backup %s) → %s', (status, backup, expected) => {
    expect(lbViewState(stat('node1', status, { backup }))).toBe(expected);
  });
});

describe('merged node state', () => {
  it('is the worst across LBs and flags the disagreement', () => {
    const s = deriveNodeStatus(node('node1'), [read('lb1', [stat('node1', 'DRAIN', { sessions: 3 })]), read('lb2', [stat('node1', 'UP')])], link('node1'));
    expect(s.merged).toBe('draining');
    expect(s.reason).toBe('DRAIN on lb1; 3 sessions left');
    expect(s.disagree).toBe(true);
    expect(s.disagreement).toBe('lb1: DRAIN, lb2: UP');
  });

  it('explains DOWN with how long and the check result', () => {
    const s = deriveNodeStatus(
      node('node1'),
      [read('lb1', [stat('node1', 'DOWN', { lastChangeSec: 12, checkStatus: 'L4CON', lastCheck: 'Connection refused' })]), read('lb2', [stat('node1', 'DOWN')])],
      link('node1'),
    );
    expect(s.merged).toBe('down');
    expect(s.reason).toBe('DOWN on lb1 and lb2 for 12 s: L4CON, Connection refused');
    expect(s.disagree).toBe(false);
  });

  it("is unreachable only when the node's own SSH link says so, whatever the LBs say", () => {
    const reads = [read('lb1', [stat('node1', 'UP')]), read('lb2', [stat('node1', 'UP')])];
    expect(deriveNodeStatus(node('node1'), reads, link('node1', 'unreachable')).merged).toBe('unreachable');
    expect(deriveNodeStatus(node('node1'), reads, link('node1', 'auth-failed')).merged).toBe('active');
    const downEverywhere = [read('lb1', [stat('node1', 'DOWN')])];
    expect(deriveNodeStatus(node('node1'), downEverywhere, link('node1')).merged).toBe('down');
  });

  it('ignores an unreadable LB for the merge but says so', () => {
    const s = deriveNodeStatus(node('node1'), [unreadable('lb1'), read('lb2', [stat('node1', 'MAINT')])], link('node1'));
    expect(s.merged).toBe('maintenance');
    expect(s.reason).toBe('MAINT on lb2; lb1 unreadable');
    expect(s.perLb[0]).toMatchObject({ lb: 'lb1', stat: null, state: 'unknown', error: { code: 'SOCKET_FORWARD_FAILED' } });
    const none = deriveNodeStatus(node('node1'), [unreadable('lb1')], link('node1'));
    expect(none.merged).toBe('unknown');
    expect(none.reason).toMatch(/^no LB could report it/);
  });

  it('reports a server missing from an LB', () => {
    const s = deriveNodeStatus(node('node1'), [read('lb1', [stat('node2', 'UP')])], link('node1'));
    expect(s.perLb[0]?.error).toMatchObject({ code: 'SERVER_NOT_FOUND' });
    expect(s.merged).toBe('unknown');
  });

  it('says a server failing its checks ("UP 1/3") is still active but going down', () => {
    const s = deriveNodeStatus(node('node1'), [read('lb1', [stat('node1', 'UP 1/3', { checkStatus: 'L4TOUT' })])], link('node1'));
    expect(s.merged).toBe('active');
    expect(s.reason).toBe('UP 1/3 on lb1: failing checks: L4TOUT');
  });

  it('flags LBs that disagree on the backup flag or check settings', () => {
    const s = deriveNodeStatus(
      node('node3'),
      [read('lb1', [stat('node3', 'UP', { backup: true })]), read('lb2', [stat('node3', 'UP', { checkFall: 5 })])],
      link('node3'),
    );
    expect(s.merged).toBe('standby');
    expect(s.role).toBe('standby');
    expect(s.disagreement).toMatch(/lb1: UP, lb2: UP|backup on lb1 only/);
    expect(s.disagreement).toContain('backup on lb1 only');
    expect(s.disagreement).toContain('check settings differ');
  });
});

describe('cluster status', () => {
  it('counts active and standby nodes and picks the worst state', () => {
    const cluster = clusterSpecSchema.parse({
      name: 'demo',
      nodes: [node('node1'), node('node2'), node('node3')],
      lbs: [{ name: 'lb1', ssh: { host: 'lb1', user: 'root' }, socket: { kind: 'unix', path: '/run/haproxy/admin.sock' } }],
    });
    const st = deriveClusterStatus(
      cluster,
      [read('lb1', [stat('node1', 'UP'), stat('node2', 'DOWN'), stat('node3', 'UP', { backup: true })])],
      (h) => link(h),
      1000,
    );
    expect(st.counts).toEqual({ active: 1, standby: 1, total: 3 });
    expect(st.worst).toBe('down');
    expect(st.lbs[0]).toMatchObject({ lb: 'lb1', socket: '/run/haproxy/admin.sock', runtime: { ok: true }, backends: { app: 'UP' } });
  });
});
