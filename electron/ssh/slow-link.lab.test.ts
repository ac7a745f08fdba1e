import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labAvailable, NODE_NAMES, startLab, type Lab } from '../../e2e/lab';
import { startDelayProxy, type DelayProxy } from '../../e2e/support/delay-proxy';
import { isStale } from '../../shared/domain/age';
import { clusterSpecSchema, type ClusterSpec } from '../../shared/domain/cluster';
import type { ClusterStatus, LinkState } from '../../shared/domain/status';
import { createConnections, type Connections } from '../core/connections';
import { createHostKeyService, type HostKeyService } from '../core/host-key-service';
import { createStatusWatch, settleMs } from '../core/status-watch';
import { createLinkRegistry } from './link-registry';
import { createSshLink, type SshLink, type SshLinkOptions } from './ssh-link';

const avail = labAvailable();

/** Half of a 1 s round trip: a far data centre, a VPN, a satellite link. */
const ONE_WAY_MS = 500;
/** What the connect deadline was before it had its own setting: heartbeat 1 s × (3 + 1). */
const OLD_DEADLINE_MS = 4_000;

describe.skipIf(!avail.ok)(`slow links: lb1 behind a 1 s round trip (${avail.ok ? 'root' : `skipped: ${avail.reason}`})`, () => {
  let lab: Lab;
  let proxy: DelayProxy;
  let trust: HostKeyService;
  const links: SshLink[] = [];
  const cleanups: Array<() => Promise<void> | void> = [];

  beforeAll(async () => {
    lab = await startLab();
    proxy = await startDelayProxy({ target: { host: lab.hosts.lb1.ip, port: 22 }, delayMs: ONE_WAY_MS });
    // Keys are pinned by host:port: the proxy's address presents lb1's keys.
    const lb1Prefix = `${lab.hosts.lb1.ip} `;
    const proxied = lab
      .knownHostsLines()
      .filter((l) => l.startsWith(lb1Prefix))
      .map((l) => `[${proxy.host}]:${proxy.port} ${l.slice(lb1Prefix.length)}`);
    const dir = mkdtempSync(join(tmpdir(), 'cd-slow-'));
    const known = join(dir, 'known_hosts');
    writeFileSync(known, `${[...lab.knownHostsLines(), ...proxied].join('\n')}\n`);
    trust = createHostKeyService({ ownFile: join(dir, 'own'), extraFiles: [known] });
  });
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
    await Promise.all(links.map((l) => l.close()));
    await proxy?.close();
    await lab?.stop();
  });

  const slowLb1 = (o: Partial<SshLinkOptions> = {}): SshLink => {
    const l = createSshLink({
      name: 'lb1',
      role: 'lb',
      endpoint: { host: proxy.host, port: proxy.port, user: 'root', keyFile: lab.keyFile },
      hostKeys: trust.guard,
      auth: { agentSocket: null },
      heartbeat: { intervalMs: 1000, maxMissed: 3 },
      reconnect: false,
      ...o,
    });
    links.push(l);
    return l;
  };

  it('reproduces the issue: with the old 4 s deadline lb1 is reported unreachable', async () => {
    const l = slowLb1({ connectTimeoutMs: OLD_DEADLINE_MS });
    const t0 = Date.now();
    const err = await l.connect().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SSH_TIMEOUT', message: expect.stringMatching(/no SSH handshake within 4 s \(the connect deadline\)/) });
    expect(l.status().state).toBe('unreachable');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(OLD_DEADLINE_MS - 50);
  });

  it('connects with the default deadline, and its heartbeat keeps the link up at a 1 s round trip', async () => {
    const states: LinkState[] = [];
    const l = slowLb1({ onStatus: (s) => states.push(s.state) });
    const t0 = Date.now();
    await l.connect();
    const took = Date.now() - t0;
    console.info(`lb1 through a ${2 * ONE_WAY_MS} ms round trip: connected in ${took} ms (default deadline 20 s)`);
    expect(took).toBeGreaterThan(OLD_DEADLINE_MS); // what the old deadline cut off
    expect(l.status().state).toBe('up');
    // Five beats at about 1 s each: the heartbeat's own budget (1 s × 3) holds for a link that is up.
    await lab.waitFor(async () => l.status().recentRttMs.length >= 5, { timeoutMs: 20_000, what: 'five heartbeats over the slow link', intervalMs: 100 });
    const rtts = l.status().recentRttMs;
    expect(Math.min(...rtts)).toBeGreaterThanOrEqual(2 * ONE_WAY_MS - 10);
    expect(l.status().missedBeats).toBeLessThan(3);
    expect((await l.exec('hostname -I', { timeoutMs: 15_000 })).stdout).toContain(lab.hosts.lb1.ip);
    expect(states).not.toContain('unreachable');
    expect(l.status().state).toBe('up');
  });

  it('a live watch pushes lb2 fresh while lb1 is shown with its true age, and never as down', async () => {
    const lbStates: Record<string, LinkState[]> = { lb1: [], lb2: [] };
    const registry = createLinkRegistry({ hostKeys: trust.guard, auth: { agentSocket: null }, reconnect: true, onStatus: (s) => lbStates[s.host]?.push(s.state) });
    const conns: Connections = createConnections(registry);
    cleanups.push(() => conns.closeAll());
    const ep = (host: 'node1' | 'node2' | 'node3' | 'lb2') => ({ host: lab.hosts[host].ip, port: 22, user: 'root', keyFile: lab.keyFile });
    const socket = { kind: 'unix' as const, path: '/run/haproxy/admin.sock' };
    const cluster: ClusterSpec = clusterSpecSchema.parse({
      name: 'far',
      nodes: NODE_NAMES.map((n) => ({ name: n, ssh: ep(n), backend: 'app', server: n })),
      lbs: [
        { name: 'lb1', ssh: { host: proxy.host, port: proxy.port, user: 'root', keyFile: lab.keyFile }, socket },
        { name: 'lb2', ssh: ep('lb2'), socket },
      ],
      settings: { standbyNodes: ['node3'] },
    });
    expect(cluster.settings.connectTimeoutMs).toBe(20_000);
    const seen: ClusterStatus[] = [];
    const errors: unknown[] = [];
    const watch = createStatusWatch(conns, (s) => seen.push(s), (e) => errors.push(e));
    cleanups.push(() => watch.stopAll());

    const first = await watch.watch('test', cluster);
    expect(first.lbs.map((l) => [l.lb, l.link.state, l.runtime.ok])).toEqual([
      ['lb1', 'up', true],
      ['lb2', 'up', true],
    ]);
    const from = seen.length;
    await lab.waitFor(async () => seen.length - from >= 12, { timeoutMs: 30_000, what: 'a dozen pushed snapshots', intervalMs: 100 });
    watch.stopAll();
    const live = seen.slice(from);
    const lb = (s: ClusterStatus, name: string) => s.lbs.find((l) => l.lb === name)!;

    for (const s of live) {
      // never down nor unreachable: slow is not dead
      expect(lb(s, 'lb1').link.state).toBe('up');
      expect(lb(s, 'lb1').runtime.ok).toBe(true);
      expect(s.nodes.map((n) => n.merged)).toEqual(['active', 'active', 'standby']);
      // lb2 answers in milliseconds: read every interval, it is never stale
      expect(isStale(lb(s, 'lb2').runtime.readAt, s.at, 1000)).toBe(false);
      // lb1's answer is never shown as newer than it is, and each node view carries its own age
      expect(lb(s, 'lb1').runtime.readAt!).toBeLessThanOrEqual(s.at);
      for (const n of s.nodes) {
        expect(n.perLb.map((v) => v.at)).toEqual([lb(s, 'lb1').runtime.readAt, lb(s, 'lb2').runtime.readAt]);
        expect(n.asOf).toBe(Math.min(...n.perLb.map((v) => v.at!)));
      }
    }
    // Each of lb1's answers takes a round trip: its data is about a second old between answers...
    const lb1Answers = [...new Set(live.map((s) => lb(s, 'lb1').runtime.readAt!))];
    const gaps = lb1Answers.slice(1).map((t, i) => t - lb1Answers[i]!);
    expect(gaps.length).toBeGreaterThanOrEqual(3);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(2 * ONE_WAY_MS - 100);
    // ...and snapshots go out each interval with lb2 just read and lb1 visibly older, not held back for it.
    const lb2JustRead = live.filter((s) => s.at - lb(s, 'lb2').runtime.readAt! <= settleMs(1000) + 150);
    expect(lb2JustRead.length).toBeGreaterThanOrEqual(live.length / 3);
    const lb1Behind = live.map((s) => lb(s, 'lb2').runtime.readAt! - lb(s, 'lb1').runtime.readAt!);
    expect(Math.max(...lb1Behind)).toBeGreaterThanOrEqual(ONE_WAY_MS);
    const lb1Ages = live.map((s) => s.at - lb(s, 'lb1').runtime.readAt!);
    console.info(`lb1 data age in pushed snapshots: ${lb1Ages.map((a) => `${(a / 1000).toFixed(2)} s`).join(', ')}`);
    expect(Math.max(...lb1Ages)).toBeLessThanOrEqual(5_000);
    expect(lbStates.lb1).not.toContain('unreachable');
    expect(errors).toEqual([]);
  });
});
