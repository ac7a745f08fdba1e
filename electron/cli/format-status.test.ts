import { describe, expect, it } from 'vitest';
import { clusterSpecSchema } from '../../shared/domain/cluster';
import { deriveClusterStatus } from '../cluster/derive-state';
import type { LbRead } from '../cluster/lb-read';
import { link, node, read, stat, unreadable } from '../cluster/test-support';
import { formatStatus } from './format-status';

const NOW = 1_700_000_000_000;
const cluster = clusterSpecSchema.parse({
  name: 'demo',
  nodes: [node('node1'), node('node2')],
  lbs: ['lb1', 'lb2'].map((name) => ({ name, ssh: { host: `${name}.example`, user: 'root' }, socket: { kind: 'unix', path: '/run/haproxy/admin.sock' } })),
});
const servers = [stat('node1', 'UP'), stat('node2', 'UP')];
const answered = (lb: string, ageMs: number, readMs: number): LbRead => ({ ...(read(lb, servers) as Extract<LbRead, { ok: true }>), at: NOW - ageMs, readMs });
const status = (reads: LbRead[]) => deriveClusterStatus(cluster, reads, (h) => link(h), NOW);
const row = (text: string, first: string) => text.split('\n').find((l) => l.startsWith(`${first} `)) ?? '';

describe('status: how old the data is', () => {
  it('gives each LB its own age and read time, and says how old a slow LB makes each node row', () => {
    const text = formatStatus(status([answered('lb1', 3_400, 1_900), answered('lb2', 5, 3)]));
    expect(row(text, 'lb1')).toMatch(/as of 3\.4 s ago, read 1\.9 s/);
    expect(row(text, 'lb2')).toMatch(/just now, read 3 ms/);
    expect(text).toMatch(/^NODE .* SSH\s+DATA$/m);
    expect(row(text, 'node1')).toMatch(/up 0\.4 ms\s+as of 3\.4 s ago$/);
  });

  it('keeps the node table as it was while every answer is fresh', () => {
    const text = formatStatus(status([answered('lb1', 900, 2), answered('lb2', 5, 3)]));
    expect(text).not.toMatch(/DATA$/m);
    expect(row(text, 'node1')).toMatch(/up 0\.4 ms$/);
    expect(row(text, 'lb1')).toMatch(/just now, read 2 ms/);
  });

  it('measures against the heartbeat interval: 3.4 s is not old when checks are 5 s apart', () => {
    const text = formatStatus(status([answered('lb1', 3_400, 10), answered('lb2', 5, 3)]), { intervalMs: 5_000 });
    expect(text).not.toMatch(/DATA$/m);
  });

  it('shows no age for an LB that did not answer: its error, not old data', () => {
    const text = formatStatus(status([unreadable('lb1'), answered('lb2', 5, 3)]));
    expect(row(text, 'lb1')).toMatch(/FAILED: lb1: could not reach the unix socket\s+-\s/);
  });
});
