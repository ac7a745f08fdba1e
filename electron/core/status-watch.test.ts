import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clusterSpecSchema, type LbSpec } from '../../shared/domain/cluster';
import type { ClusterStatus } from '../../shared/domain/status';
import { CdError } from '../../shared/errors';
import type { LbRead } from '../cluster/lb-read';
import { link, node, stat } from '../cluster/test-support';
import type { SshLink } from '../ssh/ssh-link';
import type { Connections } from './connections';
import { createStatusWatch, settleMs } from './status-watch';

const cluster = clusterSpecSchema.parse({
  name: 'demo',
  nodes: [node('node1'), node('node2')],
  lbs: ['lb1', 'lb2'].map((name) => ({ name, ssh: { host: `${name}.example`, user: 'root' }, socket: { kind: 'unix', path: '/run/haproxy/admin.sock' } })),
});

/**
 * LBs that answer at once, or hold their answer until the test lets it go (a slow link), or fail.
 * Every read is counted, and an answer is stamped with the (fake) time it is given.
 */
function fakeLbs() {
  type Lb = 'lb1' | 'lb2';
  const mode: Record<Lb, 'fast' | 'held' | 'failing'> = { lb1: 'fast', lb2: 'fast' };
  const held: Record<Lb, Array<() => void>> = { lb1: [], lb2: [] };
  const calls: Record<Lb, Array<{ live: boolean }>> = { lb1: [], lb2: [] };
  const answer = (lb: string): LbRead => ({
    lb,
    ok: true,
    servers: [stat('node1', 'UP'), stat('node2', 'UP')],
    backends: { app: 'UP' },
    info: { version: '2.6', pid: 1, uptimeSec: 100 },
    readMs: 1,
    at: Date.now(),
    level: 'admin',
  });
  const readLb = (_c: unknown, lb: LbSpec, o: { live?: boolean } = {}): Promise<LbRead> => {
    const name = lb.name as Lb;
    calls[name].push({ live: !!o.live });
    if (mode[name] === 'failing') return Promise.resolve({ lb: lb.name, ok: false, error: new CdError('HAPROXY_TIMEOUT', `${lb.name}: no complete reply`) });
    if (mode[name] === 'fast') return Promise.resolve(answer(name));
    return new Promise((resolve) => held[name].push(() => resolve(answer(name))));
  };
  const fakeLink = (name: string) => ({ status: () => link(name), connect: async () => undefined, ping: async () => 0.4 }) as unknown as SshLink;
  const conns = {
    link: (_c: unknown, h: { name: string }) => fakeLink(h.name),
    readLb,
    readCluster: (c: typeof cluster, o?: { live?: boolean }) => Promise.all(c.lbs.map((lb) => readLb(c, lb, o))),
  } as unknown as Connections;
  /** Lets the oldest held read of this LB answer now. */
  const release = (lb: Lb) => held[lb].shift()!();
  return { conns, mode, calls, release, pending: (lb: Lb) => held[lb].length };
}

const lbOf = (s: ClusterStatus, lb: string) => s.lbs.find((l) => l.lb === lb)!;
const ageOf = (s: ClusterStatus, lb: string) => s.at - lbOf(s, lb).runtime.readAt!;

describe('the live status watch reads each LB on its own', () => {
  const T0 = 1_700_000_000_000;
  let fake: ReturnType<typeof fakeLbs>;
  let seen: ClusterStatus[];
  let errors: unknown[];
  let watch: ReturnType<typeof createStatusWatch>;

  beforeEach(() => {
    vi.useFakeTimers({ now: T0 });
    fake = fakeLbs();
    seen = [];
    errors = [];
    watch = createStatusWatch(fake.conns, (s) => seen.push(s), (e) => errors.push(e));
  });
  afterEach(() => {
    watch.stopAll();
    vi.useRealTimers();
  });

  it('waits for every LB before the first snapshot', async () => {
    fake.mode.lb1 = 'held';
    let first: ClusterStatus | null = null;
    void watch.watch('ui', cluster).then((s) => (first = s));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(first).toBeNull();
    expect(seen).toEqual([]);
    fake.release('lb1');
    await vi.advanceTimersByTimeAsync(0);
    expect(first).not.toBeNull();
    expect(seen).toHaveLength(1);
    expect(fake.calls.lb1).toEqual([{ live: false }]);
  });

  it('publishes a fast LB fresh while a slow LB read is in flight, with the slow one at its true age', async () => {
    await watch.watch('ui', cluster);
    fake.mode.lb1 = 'held';
    seen.length = 0;

    // one interval, then the bounded wait: lb2 answered, lb1 has not
    await vi.advanceTimersByTimeAsync(1000 + settleMs(1000));
    expect(seen).toHaveLength(1);
    const s1 = seen[0]!;
    expect(ageOf(s1, 'lb2')).toBeLessThanOrEqual(settleMs(1000));
    expect(lbOf(s1, 'lb1').runtime.readAt).toBe(T0); // the first answer, never restamped
    expect(ageOf(s1, 'lb1')).toBe(1000 + settleMs(1000));
    expect(lbOf(s1, 'lb1').runtime.ok).toBe(true);
    const n1 = s1.nodes[0]!;
    expect(n1.perLb.map((v) => [v.lb, v.at])).toEqual([
      ['lb1', T0],
      ['lb2', T0 + 1000],
    ]);
    expect(n1.asOf).toBe(T0); // a row is only as fresh as its oldest answer
    expect(n1.merged).toBe('active');

    // two more intervals: lb2 is read each time, lb1's read still in flight is not started again
    await vi.advanceTimersByTimeAsync(2 * (1000 + settleMs(1000)));
    expect(fake.calls.lb1).toHaveLength(2);
    expect(fake.calls.lb2).toHaveLength(4);
    expect(fake.pending('lb1')).toBe(1);
    const s3 = seen.at(-1)!;
    expect(ageOf(s3, 'lb2')).toBeLessThanOrEqual(settleMs(1000));
    expect(lbOf(s3, 'lb1').runtime.readAt).toBe(T0);

    // lb1 answers between intervals: pushed now, not at the next interval
    const before = seen.length;
    fake.release('lb1');
    await vi.advanceTimersByTimeAsync(50);
    expect(seen.length).toBe(before + 1);
    const late = seen.at(-1)!;
    expect(lbOf(late, 'lb1').runtime.readAt).toBe(T0 + 3 * (1000 + settleMs(1000)));
    expect(ageOf(late, 'lb1')).toBeLessThanOrEqual(50);
    expect(errors).toEqual([]);
  });

  it('starts the next read of the slow LB only once its last one answered', async () => {
    await watch.watch('ui', cluster);
    fake.mode.lb1 = 'held';
    await vi.advanceTimersByTimeAsync(1000 + settleMs(1000));
    expect(fake.calls.lb1).toHaveLength(2);
    fake.release('lb1');
    await vi.advanceTimersByTimeAsync(1000 + settleMs(1000));
    expect(fake.calls.lb1).toHaveLength(3);
    expect(fake.calls.lb1.slice(1)).toEqual([{ live: true }, { live: true }]);
  });

  it('shows an LB whose read failed as failed (state unknown), not its old data', async () => {
    await watch.watch('ui', cluster);
    fake.mode.lb1 = 'failing';
    await vi.advanceTimersByTimeAsync(1000 + settleMs(1000));
    const s = seen.at(-1)!;
    expect(lbOf(s, 'lb1').runtime).toMatchObject({ ok: false, readAt: null, error: { code: 'HAPROXY_TIMEOUT' } });
    expect(s.nodes[0]!.perLb[0]).toMatchObject({ lb: 'lb1', state: 'unknown', at: null, stat: null });
    expect(s.nodes[0]!.asOf).toBe(lbOf(s, 'lb2').runtime.readAt);
  });

  it('refresh() pushes at once, and reads a slow LB once more after the read that may predate the action', async () => {
    await watch.watch('ui', cluster);
    // every LB answers: the push needs no timer at all
    await watch.refresh('demo');
    expect(seen).toHaveLength(2);
    fake.mode.lb1 = 'held';
    await vi.advanceTimersByTimeAsync(1000 + settleMs(1000));
    const before = seen.length;
    const lb2Reads = fake.calls.lb2.length;
    const lb1Reads = fake.calls.lb1.length;
    expect(fake.pending('lb1')).toBe(1);
    // a slow LB holds it for the bounded wait only
    const done = watch.refresh('demo');
    await vi.advanceTimersByTimeAsync(settleMs(1000));
    await done;
    expect(seen.length).toBe(before + 1);
    expect(fake.calls.lb2.length).toBe(lb2Reads + 1);
    expect(fake.calls.lb1).toHaveLength(lb1Reads); // still the one in flight
    fake.release('lb1');
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.calls.lb1).toHaveLength(lb1Reads + 1); // the one the refresh asked for
    expect(fake.pending('lb1')).toBe(1);
  });

  it('stops reading and pushing with its last watcher', async () => {
    await watch.watch('ui', cluster);
    expect(watch.unwatch('ui', 'demo')).toBe(true);
    const n = seen.length;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(seen.length).toBe(n);
    expect(fake.calls.lb2).toHaveLength(1);
  });
});
