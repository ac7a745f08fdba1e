import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labAvailable, startLab, type Lab } from '../../e2e/lab';
import { isAlive } from '../../e2e/lab/exec';
import { ssh } from '../../e2e/lab/testing';
import { CONTRACT } from '../../shared/contract';
import type { ClusterStatus } from '../../shared/domain/status';
import { createRpcClient } from '../../shared/rpc/client';
import { createMemoryTransportPair } from '../../shared/rpc/memory-transport';
import { cli } from '../cli/cli-test-support';
import { EXIT } from '../cli/exit-codes';
import { createCore, type Core } from '../core/create-core';

const avail = labAvailable();

// HAProxy reloaded by someone else (an Ansible handler, systemctl, a restart) while ClusterDeck watches,
// and while it does not: the live view moves to the new worker at once, never holds the old one, and
// says what the reload did to the servers' admin states — once, in the status, the CLI and the audit log.
describe.skipIf(!avail.ok)(`outside reloads against the lab (${avail.ok ? 'root' : `skipped: ${avail.reason}`})`, () => {
  let lab: Lab;
  let dataDir: string;
  const cores: Core[] = [];
  const base = () => ['--data-dir', dataDir, '--known-hosts', lab.knownHostsFile];
  const pidOf = async (lb: 'lb1' | 'lb2') => Number(/^Pid: (\d+)/m.exec(await lab.runtime(lb, 'show info'))?.[1]);

  const open = () => {
    const core = createCore({ dataDir, extraKnownHosts: [lab.knownHostsFile], actor: { via: 'ui', user: 'tester', machine: 'lab' }, reconnect: true });
    cores.push(core);
    const [c, s] = createMemoryTransportPair();
    core.attach(s, 'ui');
    return createRpcClient(CONTRACT, c);
  };

  /** Reloads lb1 through its master CLI, as `systemctl reload` does; waits for the new worker. */
  const outsideReload = async (): Promise<{ oldPid: number; newPid: number }> => {
    const oldPid = await pidOf('lb1');
    await lab.runtime('lb1', 'reload', { master: true });
    await lab.waitFor(async () => (await pidOf('lb1')) !== oldPid, { timeoutMs: 10_000, what: 'lb1 reloaded' });
    return { oldPid, newPid: await pidOf('lb1') };
  };

  const outsideReloadsAudited = async (api: ReturnType<typeof open>) =>
    (await api.call('audit.list', { cluster: 'demo', limit: 1000 })).entries.filter((e) => e.kind === 'outside-reload');

  beforeAll(async () => {
    lab = await startLab();
    dataDir = mkdtempSync(join(tmpdir(), 'cd-reloads-'));
    expect((await cli([...base(), 'import-inventory', lab.inventoryYaml, '--cluster', 'demo'])).code).toBe(EXIT.ok);
  });
  afterAll(async () => {
    await Promise.all(cores.map((c) => c.dispose()));
    await lab?.stop();
  });

  it('without saved state: the watch shows the new worker at once, lets the old one go, and says node1 was DRAIN, is now UP', async () => {
    const api = open();
    const seen: ClusterStatus[] = [];
    api.subscribe('status.changed', (s) => seen.push(s));
    await api.call('status.watch', { cluster: 'demo' });
    expect((await api.call('nodes.act', { cluster: 'demo', node: 'node1', action: 'drain' })).outcome).toBe('ok');
    await lab.waitFor(async () => seen.some((s) => s.nodes[0]!.perLb.every((v) => v.admin === 'drain')), { timeoutMs: 5_000, what: 'node1 drained in the watch' });

    // The state file holds nothing: the new worker starts with node1 UP, as after a restart that lost it.
    expect((await ssh(lab, 'lb1', ': > /var/lib/haproxy/server-state')).code).toBe(0);
    const { oldPid, newPid } = await outsideReload();
    const from = seen.length;
    await lab.waitFor(async () => seen.slice(from).some((s) => s.lbs[0]!.reload?.newPid === newPid), { timeoutMs: 5_000, what: 'the outside reload in a pushed status' });
    const snap = seen.slice(from).find((s) => s.lbs[0]!.reload?.newPid === newPid)!;
    expect(snap.lbs[0]!.reload!.message).toMatch(
      new RegExp(`^lb1 was reloaded outside ClusterDeck at \\d\\d:\\d\\d:\\d\\d \\(pid ${oldPid} → ${newPid}\\); runtime state may have been lost: node1 was DRAIN, is now UP$`),
    );
    expect(snap.lbs[0]!.runtime.pid).toBe(newPid);
    expect(snap.nodes[0]!.perLb[0]).toMatchObject({ admin: 'ready', stat: { status: 'UP' } });
    expect(snap.nodes[0]!.perLb[1]!.admin).toBe('drain');
    // Once the new worker was seen, no later snapshot shows the old one.
    const firstNew = seen.findIndex((s) => s.lbs[0]!.runtime.pid === newPid);
    expect(seen.slice(firstNew).filter((s) => s.lbs[0]!.runtime.ok && s.lbs[0]!.runtime.pid !== newPid)).toEqual([]);
    // Only our session could have kept the old worker alive: it is gone.
    await lab.waitFor(async () => !isAlive(oldPid), { timeoutMs: 10_000, what: `old worker ${oldPid} exited` });

    // Audited once, even with a second process (the CLI) reading the same LB afterwards.
    const st = await cli([...base(), 'status', 'demo']);
    expect(st.out).toContain(`RELOADED lb1 was reloaded outside ClusterDeck at`);
    expect(st.out).toContain('node1 was DRAIN, is now UP');
    expect(await outsideReloadsAudited(api)).toHaveLength(1);

    const ack = await cli([...base(), 'reloads', 'demo', '--ack', 'lb1']);
    expect(ack.out).toContain('1 outside reload marked as seen on demo');
    expect((await api.call('status.get', { cluster: 'demo' })).lbs[0]!.reload).toBeNull();
    expect((await api.call('reloads.list', { cluster: 'demo' })).reloads).toEqual([]);
    expect((await api.call('nodes.act', { cluster: 'demo', node: 'node1', action: 'ready' })).outcome).toBe('ok');
    await api.call('status.unwatch', { cluster: 'demo' });
  });

  it('with saved state, while no ClusterDeck runs: the next CLI status says the state was kept', async () => {
    expect((await cli([...base(), 'drain', 'demo', 'node2'])).code).toBe(EXIT.ok);
    expect((await cli([...base(), 'status', 'demo'])).code).toBe(EXIT.ok);
    // What a careful reload script does: save the states, then reload.
    expect((await ssh(lab, 'lb1', 'echo "show servers state" | socat stdio /run/haproxy/admin.sock > /var/lib/haproxy/server-state')).code).toBe(0);
    const { oldPid, newPid } = await outsideReload();
    expect((await lab.serverStatus('lb1', 'node2')).status).toBe('DRAIN');
    const st = await cli([...base(), 'status', 'demo']);
    expect(st.out).toContain(`RELOADED lb1 was reloaded outside ClusterDeck at`);
    expect(st.out).toMatch(new RegExp(`\\(pid ${oldPid} → ${newPid}\\); runtime state was kept: node2 still DRAIN`));
    const api = open();
    expect(await outsideReloadsAudited(api)).toHaveLength(2);
    expect((await cli([...base(), 'ready', 'demo', 'node2'])).code).toBe(EXIT.ok);
    expect((await cli([...base(), 'reloads', 'demo', '--ack'])).code).toBe(EXIT.ok);
  });

  it('a restart (master killed and started again) is noticed the same way', async () => {
    const api = open();
    await api.call('status.get', { cluster: 'demo' });
    const oldPid = await pidOf('lb1');
    await lab.fault.killHaproxy('lb1');
    await lab.fault.start('lb1', 'haproxy');
    const s = await api.call('status.get', { cluster: 'demo' });
    expect(s.lbs[0]!.runtime.pid).not.toBe(oldPid);
    expect(s.lbs[0]!.reload?.message).toMatch(new RegExp(`^lb1 was reloaded outside ClusterDeck at .* \\(pid ${oldPid} → ${s.lbs[0]!.runtime.pid}\\)`));
    await api.call('reloads.acknowledge', { cluster: 'demo' });
  });

  it("ClusterDeck's own reloads (failover settings applied) raise no warning", async () => {
    const api = open();
    await api.call('status.watch', { cluster: 'demo' });
    const before = (await outsideReloadsAudited(api)).length;
    const pids = [await pidOf('lb1'), await pidOf('lb2')];
    const { settings } = await api.call('failover.get', { cluster: 'demo' });
    const r = await api.call('failover.apply', { cluster: 'demo', settings: { ...settings, failoverHeartbeats: 4 } });
    expect(r.result.outcome).toBe('ok');
    expect([await pidOf('lb1'), await pidOf('lb2')]).not.toEqual(pids);
    const s = await api.call('status.get', { cluster: 'demo' });
    expect(s.lbs.map((l) => [l.runtime.pid, l.reload])).toEqual([
      [await pidOf('lb1'), null],
      [await pidOf('lb2'), null],
    ]);
    expect(await outsideReloadsAudited(api)).toHaveLength(before);
    expect((await api.call('failover.apply', { cluster: 'demo', settings })).result.outcome).toBe('ok');
    await api.call('status.unwatch', { cluster: 'demo' });
  });
});

describe.skipIf(!avail.ok)(`runtime sockets that cannot do what is asked (${avail.ok ? 'root' : `skipped: ${avail.reason}`})`, () => {
  let lab: Lab;
  let dataDir: string;
  const base = () => ['--data-dir', dataDir, '--known-hosts', lab.knownHostsFile];
  let core: Core;
  let api: ReturnType<typeof createRpcClient<typeof CONTRACT>>;

  beforeAll(async () => {
    lab = await startLab();
    dataDir = mkdtempSync(join(tmpdir(), 'cd-sockets-'));
    core = createCore({ dataDir, extraKnownHosts: [lab.knownHostsFile], actor: { via: 'test', user: 'tester', machine: 'lab' }, reconnect: false });
    const [c, s] = createMemoryTransportPair();
    core.attach(s, 'test');
    api = createRpcClient(CONTRACT, c);
  });
  afterAll(async () => {
    await core?.dispose();
    await lab?.stop();
  });

  it('an operator-level socket on lb2: shown, actions disabled with the reason, and a drain refused before anything is sent', async () => {
    const yaml = readFileSync(lab.inventoryYaml, 'utf8').replace(
      `lb2: { ansible_host: ${lab.hosts.lb2.ip} }`,
      `lb2: { ansible_host: ${lab.hosts.lb2.ip}, haproxy_socket: /run/haproxy/operator.sock }`,
    );
    expect(yaml).toContain('operator.sock');
    await api.call('inventory.import', { source: { content: yaml, name: 'op.yml' }, options: { cluster: 'op' } });
    const s = await api.call('status.get', { cluster: 'op' });
    expect(s.lbs.map((l) => l.runtime.level)).toEqual(['admin', 'operator']);
    expect(s.lbs[1]!.warnings).toEqual([expect.objectContaining({ code: 'socket-level', message: expect.stringContaining("lb2's runtime socket /run/haproxy/operator.sock is at level operator") })]);
    expect(s.actions).toMatchObject({ allowed: false, reason: expect.stringContaining('Drain, maint and ready are disabled for this cluster') });

    const r = await api.call('nodes.act', { cluster: 'op', node: 'node1', action: 'drain' });
    expect(r.outcome).toBe('refused');
    expect(r.error?.code).toBe('HAPROXY_PERMISSION');
    expect(r.message).toContain('nothing was sent to any LB');
    // Not split: lb1 (admin) was not drained either.
    for (const lb of ['lb1', 'lb2'] as const) expect((await lab.serverStatus(lb, 'node1')).admin).toBe(0);
    expect(r.lbs.flatMap((l) => l.commands.map((c) => c.command)).filter((c) => c.startsWith('set '))).toEqual([]);

    const cl = await cli([...base(), 'status', 'op']);
    expect(cl.out).toContain('/run/haproxy/operator.sock (operator)');
    expect(cl.out).toContain('ACTIONS DISABLED');
    const d = await cli([...base(), 'drain', 'op', 'node1']);
    expect(d.code).toBe(EXIT.refused);
  });

  it('a TCP admin socket open to the network: warned at import and on the LB, from the inventory and from haproxy.cfg', async () => {
    const cfgPath = join(lab.dir, 'lb1', 'etc-haproxy', 'haproxy.cfg');
    const original = readFileSync(cfgPath, 'utf8');
    try {
      // lb1 binds a second admin socket on every address; the inventory reaches it at the LB's own address.
      const edited = original.replace(/(\n\s*stats socket \/run\/haproxy\/admin\.sock[^\n]*)/, '$1\n    stats socket ipv4@0.0.0.0:9998 level admin');
      expect((await ssh(lab, 'lb1', `cat > /etc/haproxy/haproxy.cfg <<'EOF'\n${edited}EOF`)).code).toBe(0);
      await lab.runtime('lb1', 'reload', { master: true });
      await lab.waitFor(async () => (await ssh(lab, 'lb1', 'ss -ltn')).stdout.includes(':9998 '), { timeoutMs: 10_000, what: 'lb1 listening on 9998' });

      const yaml = readFileSync(lab.inventoryYaml, 'utf8').replace(
        `lb1: { ansible_host: ${lab.hosts.lb1.ip} }`,
        `lb1: { ansible_host: ${lab.hosts.lb1.ip}, haproxy_socket: "${lab.hosts.lb1.ip}:9998" }`,
      );
      const preview = await api.call('inventory.preview', { source: { content: yaml, name: 'tcp.yml' }, options: { cluster: 'tcp' } });
      const warn = preview.problems.find((p) => p.severity === 'warning' && p.message.includes('no authentication'));
      expect(warn, JSON.stringify(preview.problems)).toBeDefined();
      expect(warn!.line).toBeGreaterThan(0);
      expect(warn!.message).toContain(`load balancer "lb1": haproxy_socket "${lab.hosts.lb1.ip}:9998"`);
      expect(warn!.message).toContain('Fix: bind it to the loopback');

      await api.call('inventory.import', { source: { content: yaml, name: 'tcp.yml' }, options: { cluster: 'tcp' } });
      const s = await api.call('status.get', { cluster: 'tcp' });
      expect(s.lbs[0]!.runtime.ok).toBe(true);
      const msgs = s.lbs[0]!.warnings.filter((w) => w.code === 'socket-exposed').map((w) => w.message);
      expect(msgs).toEqual([
        expect.stringMatching(/^the inventory's haproxy_socket binds lb1's runtime API to 10\.88\.\d+\.21:9998 at level admin: HAProxy's CLI has no authentication/),
        expect.stringMatching(/^\/etc\/haproxy\/haproxy\.cfg line \d+ binds lb1's runtime API to ipv4@0\.0\.0\.0:9998 \(every address of the LB\) at level admin/),
      ]);
      // lb2 has only the unix and loopback sockets: nothing to say.
      expect(s.lbs[1]!.warnings).toEqual([]);
      expect((await cli([...base(), 'status', 'tcp'])).out).toMatch(/WARNING \/etc\/haproxy\/haproxy\.cfg line \d+ binds lb1's runtime API to ipv4@0\.0\.0\.0:9998.*Fix: bind it to the loopback/);
    } finally {
      expect((await ssh(lab, 'lb1', `cat > /etc/haproxy/haproxy.cfg <<'EOF'\n${original}EOF`)).code).toBe(0);
      await lab.runtime('lb1', 'reload', { master: true });
    }
  });
});
