import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labAvailable, startLab, type Lab } from '../../e2e/lab';
import { CONTRACT } from '../../shared/contract';
import type { ClusterStatus } from '../../shared/domain/status';
import { createRpcClient } from '../../shared/rpc/client';
import { createMemoryTransportPair } from '../../shared/rpc/memory-transport';
import { cli } from '../cli/cli-test-support';
import { EXIT } from '../cli/exit-codes';
import { createCore } from './create-core';

const avail = labAvailable();

// Failover settings end to end: CLI → core → both LBs' haproxy.cfg, reloaded with runtime state kept.
describe.skipIf(!avail.ok)(`failover settings against the lab (${avail.ok ? 'root' : `skipped: ${avail.reason}`})`, () => {
  let lab: Lab;
  let dataDir: string;
  const base = () => ['--data-dir', dataDir, '--known-hosts', lab.knownHostsFile];
  const cfgOf = (lb: 'lb1' | 'lb2') => readFileSync(join(lab.dir, lb, 'etc-haproxy', 'haproxy.cfg'), 'utf8');
  const sha = (t: string) => createHash('sha256').update(t).digest('hex');
  const statRow = async (lb: 'lb1' | 'lb2', server: string) => {
    const text = await lab.runtime(lb, 'show stat app 4 -1');
    const [head, ...rows] = text.trim().split('\n');
    const cols = head!.replace(/^# /, '').split(',');
    const row = rows.map((r) => r.split(',')).find((r) => r[1] === server)!;
    return Object.fromEntries(cols.map((c, i) => [c, row[i]]));
  };
  const pid = async (lb: 'lb1' | 'lb2') => Number(/^Pid: (\d+)/m.exec(await lab.runtime(lb, 'show info'))?.[1]);

  beforeAll(async () => {
    lab = await startLab();
    dataDir = mkdtempSync(join(tmpdir(), 'cd-failover-'));
    expect((await cli([...base(), 'import-inventory', lab.inventoryYaml, '--cluster', 'demo'])).code).toBe(EXIT.ok);
  });
  afterAll(async () => {
    await lab?.stop();
  });

  it('shows the settings, the roles the LBs run and the failover budget', async () => {
    const r = await cli([...base(), 'failover', 'demo']);
    expect(r.code, r.err).toBe(EXIT.ok);
    expect(r.out).toContain('fails over after 3 s: 1 s × 3 heartbeats');
    expect(r.out).toMatch(/active nodes\s+2 \(node1, node2\)/);
    expect(r.out).toMatch(/standby nodes\s+node3/);
  });

  it('refuses bad values before anything is sent or written', async () => {
    const before = [sha(cfgOf('lb1')), sha(cfgOf('lb2'))];
    for (const [flag, value] of [
      ['--interval', '0'],
      ['--interval', '2s5'],
      ['--interval', '-1'],
      ['--interval', '10m'],
      ['--fall', '0'],
      ['--fall', 'x'],
      ['--active', '4'],
      ['--standby', 'node9'],
    ] as const) {
      const r = await cli([...base(), 'failover', 'demo', flag, value, '--apply']);
      expect(r.code, `${flag} ${value}`).toBe(EXIT.invalidInput);
      expect(r.err, `${flag} ${value}`).toMatch(/INVALID_ARGUMENT/);
    }
    expect([sha(cfgOf('lb1')), sha(cfgOf('lb2'))]).toEqual(before);
  });

  it('previews the per-LB diff without changing anything', async () => {
    const before = cfgOf('lb1');
    const r = await cli([...base(), 'failover', 'demo', '--interval', '500ms', '--fall', '4']);
    expect(r.code, r.err).toBe(EXIT.ok);
    expect(r.out).toContain('fails over after 2 s: 500 ms × 4 heartbeats');
    expect(r.out).toMatch(/-\s+server node1 [\d.]+:8080 check inter 1s fall 3 rise 2/);
    expect(r.out).toMatch(/\+\s+server node1 [\d.]+:8080 check inter 500ms fall 4 rise 2/);
    expect(cfgOf('lb1')).toBe(before);
  });

  it('applies inter 500ms, fall 4 and node3 standby on both LBs; a drained node1 stays drained across the reload', async () => {
    for (const lb of ['lb1', 'lb2'] as const) await lab.runtime(lb, 'set server app/node1 state drain');
    const pids = [await pid('lb1'), await pid('lb2')];
    const r = await cli([...base(), 'failover', 'demo', '--interval', '500ms', '--fall', '4', '--standby', 'node3', '--apply']);
    expect(r.code, r.out + r.err).toBe(EXIT.ok);
    expect(r.out).toMatch(/^APPLIED: /);
    for (const lb of ['lb1', 'lb2'] as const) {
      const cfg = cfgOf(lb);
      expect(cfg).toMatch(/server node1 \S+ check inter 500ms fall 4 rise 2\n/);
      expect(cfg).toMatch(/server node3 \S+ check inter 500ms fall 4 rise 2 backup\n/);
      const n1 = await statRow(lb, 'node1');
      expect(n1.check_fall).toBe('4');
      expect(n1.status).toMatch(/^DRAIN/); // runtime state survived the reload
      expect((await lab.serverStatus(lb, 'node1')).admin & 0x08).toBe(0x08);
      expect((await statRow(lb, 'node3')).bck).toBe('1');
    }
    expect([await pid('lb1'), await pid('lb2')].every((p, i) => p !== pids[i])).toBe(true);
    const shown = await cli([...base(), 'failover', 'demo']);
    expect(shown.out).toContain('fails over after 2 s: 500 ms × 4 heartbeats');
    const audit = JSON.parse((await cli([...base(), 'audit', 'demo', '--json', '--limit', '1'])).out);
    expect(audit.entries[0]).toMatchObject({ kind: 'config-change', result: { kind: 'failover-settings', outcome: 'ok' } });
    for (const lb of ['lb1', 'lb2'] as const) await lab.runtime(lb, 'set server app/node1 state ready');
  });

  it("a file HAProxy refuses changes nothing on any LB, and HAProxy's message is shown", async () => {
    // Make lb2's current file one that can't be rewritten into a valid config: an unknown keyword
    // elsewhere in the backend, so haproxy -c refuses the new file on lb2 only.
    const lb2Path = join(lab.dir, 'lb2', 'etc-haproxy', 'haproxy.cfg');
    const { writeFileSync } = await import('node:fs');
    const original = cfgOf('lb2');
    writeFileSync(lb2Path, original.replace(/(backend app\n)/, '$1    frobnicate on\n'));
    const broken = [sha(cfgOf('lb1')), sha(cfgOf('lb2'))];
    const pids = [await pid('lb1'), await pid('lb2')];
    try {
      const r = await cli([...base(), 'failover', 'demo', '--fall', '5', '--apply']);
      expect(r.code).toBe(EXIT.invalidInput);
      expect(r.out).toMatch(/^REFUSED: lb2 refused the new file: .*frobnicate.*nothing was changed on any LB/m);
      expect([sha(cfgOf('lb1')), sha(cfgOf('lb2'))]).toEqual(broken);
      expect([await pid('lb1'), await pid('lb2')]).toEqual(pids);
      expect((await statRow('lb1', 'node1')).check_fall).toBe('4');
    } finally {
      writeFileSync(lb2Path, original);
    }
  });

  it('marks a cut node unreachable within interval × failover heartbeats + one interval, and back when healed', async () => {
    const core = createCore({ dataDir, extraKnownHosts: [lab.knownHostsFile], actor: { via: 'test', user: 't', machine: 'm' }, reconnect: true });
    const [c, s] = createMemoryTransportPair();
    core.attach(s, 'test');
    const api = createRpcClient(CONTRACT, c);
    const seen: ClusterStatus[] = [];
    try {
      api.subscribe('status.changed', (st) => seen.push(st));
      const first = await api.call('status.watch', { cluster: 'demo' });
      expect(first.nodes.find((n) => n.node === 'node2')?.link.state).toBe('up');
      await new Promise((r) => setTimeout(r, 700 + Math.random() * 500));
      await lab.fault.cutLink('node2');
      const cutBy = Date.now();
      try {
        await lab.waitFor(async () => seen.at(-1)?.nodes.find((n) => n.node === 'node2')?.merged === 'unreachable', { timeoutMs: 8000, what: 'node2 unreachable', intervalMs: 10 });
        const took = Date.now() - cutBy;
        console.info(`500 ms × 4 heartbeats: node2 pushed as unreachable ${took} ms after its link was cut (budget 2500 ms)`);
        expect(took).toBeLessThanOrEqual(500 * 4 + 500 + 150);
        expect(seen.at(-1)?.nodes.find((n) => n.node === 'node2')?.reason).toMatch(/SSH to the node is lost/);
      } finally {
        await lab.fault.healLink('node2');
      }
      await lab.waitFor(async () => seen.at(-1)?.nodes.find((n) => n.node === 'node2')?.link.state === 'up', { timeoutMs: 20_000, what: 'node2 back' });
    } finally {
      api.close();
      await core.dispose();
    }
  });

  it('reports which LB holds the VIP, and follows it when it moves', async () => {
    const r = await cli([...base(), 'failover', 'demo', '--vip', lab.vip, '--apply']);
    expect(r.code, r.out + r.err).toBe(EXIT.ok);
    const st = JSON.parse((await cli([...base(), 'status', 'demo', '--json'])).out);
    expect(st.vip).toMatchObject({ address: lab.vip, holders: ['lb1'], error: null });
    await lab.fault.moveVip('lb2');
    const moved = JSON.parse((await cli([...base(), 'status', 'demo', '--json'])).out);
    expect(moved.vip.holders).toEqual(['lb2']);
    await lab.fault.moveVip('lb1');
  });

  it('changes the SSH connect deadline alone without touching haproxy.cfg or reloading', async () => {
    const before = [sha(cfgOf('lb1')), sha(cfgOf('lb2'))];
    const pids = [await pid('lb1'), await pid('lb2')];
    const bad = await cli([...base(), 'failover', 'demo', '--connect-timeout', '500ms', '--apply']);
    expect(bad.code).toBe(EXIT.invalidInput);
    expect(bad.err).toMatch(/--connect-timeout must be at least 1s/);
    const preview = await cli([...base(), 'failover', 'demo', '--connect-timeout', '45s']);
    expect(preview.code, preview.err).toBe(EXIT.ok);
    expect(preview.out).toMatch(/^lb1 \S+: unchanged /m);
    expect(preview.out).toMatch(/^lb2 \S+: unchanged /m);
    const r = await cli([...base(), 'failover', 'demo', '--connect-timeout', '45s', '--apply']);
    expect(r.code, r.out + r.err).toBe(EXIT.ok);
    expect(r.out).toMatch(/^UNCHANGED: /);
    expect([sha(cfgOf('lb1')), sha(cfgOf('lb2'))]).toEqual(before);
    expect([await pid('lb1'), await pid('lb2')]).toEqual(pids);
    const shown = await cli([...base(), 'failover', 'demo']);
    expect(shown.out).toMatch(/SSH connect deadline\s+45s/);
    const json = JSON.parse((await cli([...base(), 'failover', 'demo', '--json'])).out);
    expect(json.settings.connectTimeoutMs).toBe(45_000);
  });
});
