import { describe, expect, it } from 'vitest';
import type { ClusterSpec } from '../../shared/domain/cluster';
import { DEFAULT_CLUSTER_SETTINGS } from '../../shared/domain/cluster';
import type { ManagedFile, ManagedFileSettings } from '../../shared/domain/managed-files';
import { node } from '../cluster/test-support';
import { planPush } from './push-plan';

const lb = (name: string) => ({
  name,
  ssh: { host: `${name}.example`, port: 22, user: 'root' },
  socket: { kind: 'unix' as const, path: '/run/haproxy/admin.sock' },
  configPath: '/etc/haproxy/haproxy.cfg',
  masterSocket: '/run/haproxy/master.sock',
});
const cluster: ClusterSpec = {
  name: 'demo',
  nodes: [node('node1'), node('node2'), node('node3')],
  lbs: [lb('lb1'), lb('lb2')],
  settings: DEFAULT_CLUSTER_SETTINGS,
  source: { kind: 'manual' },
};

function managed(id: string, o: Partial<ManagedFileSettings> = {}): ManagedFile {
  const v = { version: 1, sha256: '0'.repeat(64), size: 1, addedAt: 0, source: 'x', by: 't' };
  return {
    id,
    path: `/srv/app/${id}`,
    hosts: 'nodes',
    validate: null,
    reload: { kind: 'none' },
    check: null,
    servicePort: null,
    process: null,
    owner: 'root',
    group: 'root',
    mode: '0644',
    keepBackups: 5,
    ...o,
    current: v,
    versions: [v],
  };
}

const app = managed('app.conf');
const cfg = managed('haproxy.cfg', { path: '/etc/haproxy/haproxy.cfg', hosts: 'lbs', reload: { kind: 'haproxy' } });
const only2 = managed('extra.conf', { hosts: ['node2'] });
const order = (p: ReturnType<typeof planPush>) => p.hosts.map((h) => `${h.host}${h.drain ? '*' : ''}:${h.files.map((f) => f.id).join('+')}`);

describe('planPush', () => {
  it('every file to every host it is managed on: nodes in inventory order, then the LBs', () => {
    const p = planPush(cluster, [cfg, app, only2], { mode: 'all-at-once' });
    expect(p.refusal).toBeNull();
    expect(order(p)).toEqual(['node1:app.conf', 'node2:app.conf+extra.conf', 'node3:app.conf', 'lb1:haproxy.cfg', 'lb2:haproxy.cfg']);
    expect(p.hosts.every((h) => h.note === null)).toBe(true);
  });

  it('rolling drains nodes only; an LB goes after the nodes, undrained, and the plan says so', () => {
    const p = planPush(cluster, [cfg, app], { mode: 'rolling', hosts: ['lb2', 'node3', 'node1'] });
    expect(p.refusal).toBeNull();
    expect(order(p)).toEqual(['node1*:app.conf', 'node3*:app.conf', 'lb2:haproxy.cfg']);
    expect(p.hosts[2]!.note).toBe('lb2 is a load balancer, not a node: it is updated after the nodes, one at a time, without draining');
  });

  it('chosen files and hosts narrow the pairs', () => {
    const p = planPush(cluster, [cfg, app, only2], { mode: 'rolling', files: ['extra.conf', 'app.conf'], hosts: ['node2', 'node1'] });
    expect(order(p)).toEqual(['node1*:app.conf', 'node2*:app.conf+extra.conf']);
    expect(p.files.map((f) => f.id)).toEqual(['app.conf', 'extra.conf']);
  });

  it('refuses unknown files and hosts, and a host none of the chosen files is managed on', () => {
    expect(planPush(cluster, [], { mode: 'all-at-once' }).refusal).toBe('cluster demo has no managed files; add one first (clusterdeck files add)');
    expect(planPush(cluster, [app], { mode: 'all-at-once', files: ['nope', 'app.conf'] }).refusal).toBe('cluster demo has no managed file "nope" (files: app.conf)');
    expect(planPush(cluster, [app], { mode: 'all-at-once', hosts: ['node9', 'lb3'] }).refusal).toBe('cluster demo has no host node9 and lb3 (hosts: node1, node2, node3, lb1, lb2)');
    expect(planPush(cluster, [app], { mode: 'all-at-once', hosts: ['lb1'] }).refusal).toBe('"app.conf" is not managed on lb1');
    expect(planPush(cluster, [app, only2], { mode: 'all-at-once', hosts: ['node1', 'lb1'] }).refusal).toBe('none of the chosen files (app.conf, extra.conf) is managed on lb1');
    const gone = managed('old.conf', { hosts: ['node7'] });
    expect(planPush(cluster, [gone], { mode: 'all-at-once' }).refusal).toContain('names a host not in the cluster: node7');
    const p = planPush(cluster, [app], { mode: 'all-at-once', hosts: ['lb1'] });
    expect(p.hosts).toEqual([]);
  });
});
