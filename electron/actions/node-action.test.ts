import { describe, expect, it } from 'vitest';
import type { CommandRecord } from '../../shared/domain/action';
import { clusterSpecSchema, type LbSpec } from '../../shared/domain/cluster';
import { CdError } from '../../shared/errors';
import { read, stat } from '../cluster/test-support';
import type { LbRead } from '../cluster/lb-read';
import { runNodeAction, type LbPort } from './node-action';

const cluster = clusterSpecSchema.parse({
  name: 'demo',
  nodes: ['node1', 'node2', 'node3'].map((n) => ({ name: n, ssh: { host: n, user: 'root' }, backend: 'app', server: n })),
  lbs: ['lb1', 'lb2'].map((n) => ({ name: n, ssh: { host: n, user: 'root' }, socket: { kind: 'unix', path: '/run/haproxy/admin.sock' } })),
});

/**
 * A scripted LB: keeps admin state per server, answers reads from it, applies `set server ... state`,
 * and can be told to fail. Only for orchestration logic; the real protocol is tested against the lab.
 */
function fakeLbs(opts: { fail?: Record<string, CdError>; ignoreSet?: string[]; sessions?: Record<string, number[]>; levels?: Record<string, 'admin' | 'operator' | 'user'> } = {}) {
  const admin: Record<string, Record<string, number>> = { lb1: {}, lb2: {} };
  const sent: Array<{ lb: string; commands: string[] }> = [];
  const reads: Record<string, number> = { lb1: 0, lb2: 0 };
  const view = (lb: string): LbRead => {
    const n = reads[lb]!++;
    const statusOf = (s: string) => {
      const a = admin[lb]![s] ?? 0;
      return a & 1 ? 'MAINT' : a & 8 ? 'DRAIN' : 'UP';
    };
    const sess = opts.sessions?.[lb];
    const r = read(
      lb,
      ['node1', 'node2', 'node3'].map((s) =>
        stat(s, statusOf(s), { backup: s === 'node3', adminState: admin[lb]![s] ?? 0, sessions: s === 'node1' && sess ? (sess[Math.min(n, sess.length - 1)] ?? 0) : 0 }),
      ),
    );
    return r.ok ? { ...r, level: opts.levels?.[lb] ?? 'admin' } : r;
  };
  const port: LbPort = {
    connect: async (lb: LbSpec) => {
      const f = opts.fail?.[lb.name];
      if (f && f.code.startsWith('HOST_KEY')) throw f;
    },
    run: async (lb, commands) => {
      sent.push({ lb: lb.name, commands });
      const f = opts.fail?.[lb.name];
      if (f) throw f;
      return commands.map((command): CommandRecord => {
        const m = /^set server app\/(\w+) state (\w+)$/.exec(command);
        if (m && !opts.ignoreSet?.includes(lb.name)) admin[lb.name]![m[1]!] = m[2] === 'maint' ? 1 : m[2] === 'drain' ? 8 : 0;
        return { at: 0, command, reply: '', ms: 0.1, error: null };
      });
    },
    parse: (lb) => view(lb.name),
    readCommands: (b) => [`show stat ${b} 6 -1`, `show servers state ${b}`],
  };
  return { port, admin, sent };
}

describe('node action orchestration', () => {
  it('refuses before sending anything when an LB socket is below level admin (no split between LBs)', async () => {
    const f = fakeLbs({ levels: { lb2: 'operator' } });
    const r = await runNodeAction(cluster, { node: 'node1', action: 'drain' }, { port: f.port });
    expect(r.outcome).toBe('refused');
    expect(r.error?.code).toBe('HAPROXY_PERMISSION');
    expect(r.message).toMatch(/^refused: lb2's runtime socket is at level operator, and drain, maint and ready need level admin; nothing was sent to any LB/);
    expect(f.sent.flatMap((s) => s.commands).filter((c) => c.startsWith('set '))).toEqual([]);
    expect(r.lbs.map((l) => l.outcome)).toEqual(['not-sent', 'not-sent']);
  });

  it('reads, applies on every LB and confirms by the admin bits', async () => {
    const f = fakeLbs();
    const r = await runNodeAction(cluster, { node: 'node1', action: 'drain' }, { port: f.port });
    expect(r.outcome).toBe('ok');
    expect(r.message).toBe('node1 is draining on lb1 and lb2');
    expect(r.lbs.map((l) => [l.lb, l.outcome, l.statusAfter])).toEqual([
      ['lb1', 'applied', 'DRAIN'],
      ['lb2', 'applied', 'DRAIN'],
    ]);
    expect(r.lbs[0]!.commands.map((c) => c.command)).toEqual([
      'show stat app 6 -1',
      'show servers state app',
      'set server app/node1 state drain',
      'show stat app 6 -1',
      'show servers state app',
    ]);
  });

  it('keeps the other LB applied when one fails, and names the failure', async () => {
    const f = fakeLbs({ fail: { lb2: new CdError('SOCKET_FORWARD_FAILED', 'lb2: could not reach the unix socket') } });
    const r = await runNodeAction(cluster, { node: 'node1', action: 'maint' }, { port: f.port });
    expect(r.outcome).toBe('partial');
    expect(r.message).toBe('node1 is in maintenance on lb1; FAILED on lb2 (lb2: could not reach the unix socket)');
    expect(f.admin.lb1!.node1).toBe(1);
    expect(r.lbs[1]).toMatchObject({ lb: 'lb2', outcome: 'failed', error: { code: 'SOCKET_FORWARD_FAILED' } });
  });

  it('calls an LB that accepted the command but still shows the old state not confirmed', async () => {
    const f = fakeLbs({ ignoreSet: ['lb1'] });
    const r = await runNodeAction(cluster, { node: 'node1', action: 'drain' }, { port: f.port });
    expect(r.outcome).toBe('partial');
    expect(r.lbs[0]).toMatchObject({ outcome: 'failed', error: { code: 'NOT_CONFIRMED' } });
    expect(r.lbs[1]).toMatchObject({ outcome: 'applied' });
  });

  it('sends nothing anywhere when any LB presents a changed host key', async () => {
    const f = fakeLbs({ fail: { lb2: new CdError('HOST_KEY_CHANGED', 'lb2 presented another key') } });
    const r = await runNodeAction(cluster, { node: 'node1', action: 'drain' }, { port: f.port });
    expect(r.outcome).toBe('refused');
    expect(r.error?.code).toBe('HOST_KEY_CHANGED');
    expect(f.sent.flatMap((s) => s.commands).filter((c) => c.startsWith('set '))).toEqual([]);
    expect(r.lbs.map((l) => l.outcome)).toEqual(['not-sent', 'not-sent']);
  });

  it('refuses through the gate before sending, and proceeds when overridden by name', async () => {
    const f = fakeLbs();
    f.admin.lb1!.node2 = 1;
    f.admin.lb2!.node2 = 1;
    const refused = await runNodeAction(cluster, { node: 'node1', action: 'maint' }, { port: f.port });
    expect(refused.outcome).toBe('refused');
    expect(refused.error?.code).toBe('GATE_REFUSED');
    expect(f.admin.lb1!.node1).toBeUndefined();
    await expect(runNodeAction(cluster, { node: 'node1', action: 'maint', forceGate: 'node2' }, { port: f.port })).rejects.toMatchObject({
      code: 'GATE_OVERRIDE_MISMATCH',
    });
    const forced = await runNodeAction(cluster, { node: 'node1', action: 'maint', forceGate: 'node1' }, { port: f.port });
    expect(forced).toMatchObject({ outcome: 'ok', forced: true, gate: { allowed: false } });
    expect(forced.message).toContain('(safety gate overridden)');
  });

  it('waits for sessions to reach 0 on every LB, or reports the deadline and leaves the node draining', async () => {
    const drains = fakeLbs({ sessions: { lb1: [3, 3, 2, 0], lb2: [1, 0] } });
    const ok = await runNodeAction(cluster, { node: 'node1', action: 'drain', waitSeconds: 5 }, { port: drains.port, pollMs: 10 });
    expect(ok.outcome).toBe('ok');
    expect(ok.wait).toEqual({ seconds: 5, drained: true, sessions: { lb1: 0, lb2: 0 } });

    const stuck = fakeLbs({ sessions: { lb1: [4], lb2: [0] } });
    const t0 = Date.now();
    const r = await runNodeAction(cluster, { node: 'node1', action: 'drain', waitSeconds: 0.3 }, { port: stuck.port, pollMs: 50 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(r.outcome).toBe('timeout');
    expect(r.error?.code).toBe('DRAIN_TIMEOUT');
    expect(r.message).toMatch(/sessions remained after 0.3 s \(4 on lb1\); it was left draining/);
    expect(stuck.admin.lb1!.node1).toBe(8);
  });

  it('retries only the LBs asked for, and refuses unknown names', async () => {
    const f = fakeLbs();
    const r = await runNodeAction(cluster, { node: 'node1', action: 'drain', lbs: ['lb2'] }, { port: f.port });
    expect(r.lbs.map((l) => l.lb)).toEqual(['lb2']);
    expect(f.sent.every((s) => s.lb === 'lb2')).toBe(true);
    await expect(runNodeAction(cluster, { node: 'node1', action: 'drain', lbs: ['lb9'] }, { port: f.port })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(runNodeAction(cluster, { node: 'node9', action: 'drain' }, { port: f.port })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
