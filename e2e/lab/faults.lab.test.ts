import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labAvailable, labPids, startLab, type Lab, type LbName } from './index';
import { netnsPids, run } from './exec';
import { ssh, tempKnownHosts, removeTempKnownHosts, traces } from './testing';
import { tcpProbe } from './wait';

const avail = labAvailable();
const LBS: LbName[] = ['lb1', 'lb2'];

describe.skipIf(!avail.ok)(`lab: faults (${avail.ok ? 'root' : `skipped: ${avail.reason}`})`, () => {
  let lab: Lab;

  const statusOn = async (lb: LbName, server: string): Promise<string> => (await lab.serverStatus(lb, server)).status;
  const waitStatus = (lbs: LbName[], server: string, want: string, timeoutMs = 10_000): Promise<void> =>
    lab.waitFor(async () => (await Promise.all(lbs.map((lb) => statusOn(lb, server)))).every((s) => s === want), {
      timeoutMs,
      what: `${server} ${want} on ${lbs.join(',')}`,
    });

  beforeAll(async () => {
    lab = await startLab();
  });

  afterAll(async () => {
    await lab?.stop();
  });

  it('stopping the app takes its check DOWN on both LBs, starting it brings it back UP', async () => {
    await lab.fault.stop('node2', 'app');
    expect(await tcpProbe(lab.hosts.node2.ip, 8080, 1000)).toBe(false);
    await waitStatus(LBS, 'node2', 'DOWN');
    await lab.fault.start('node2', 'app');
    expect((await fetch(`http://${lab.hosts.node2.ip}:8080/health`)).status).toBe(200);
    await waitStatus(LBS, 'node2', 'UP');
  });

  it('the health-fail file fails the check while the service keeps running', async () => {
    const flag = `${lab.dir}/node1/srv/app/health-fail`;
    writeFileSync(flag, 'test\n');
    try {
      const res = await fetch(`http://${lab.hosts.node1.ip}:8080/health`);
      expect(res.status).toBe(503);
      await waitStatus(['lb1'], 'node1', 'DOWN');
      expect((await fetch(`http://${lab.hosts.node1.ip}:8080/`)).status).toBe(200);
    } finally {
      rmSync(flag, { force: true });
    }
    await waitStatus(['lb1'], 'node1', 'UP');
  });

  it('cutLink silently drops a host (no refusal, just silence) and healLink restores it', async () => {
    const ip = lab.hosts.node3.ip;
    await lab.fault.cutLink('node3');
    const t0 = Date.now();
    expect(await tcpProbe(ip, 22, 1500)).toBe(false);
    // A drop, not a reset: the probe had to run into its own timeout.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1400);
    expect(await tcpProbe(ip, 8080, 500)).toBe(false);
    await waitStatus(LBS, 'node3', 'DOWN');
    await lab.fault.healLink('node3');
    await lab.waitFor(() => tcpProbe(ip, 22, 1000, 'SSH-'), { timeoutMs: 10_000, what: 'node3 sshd reachable again' });
    expect(await tcpProbe(ip, 8080, 1000)).toBe(true);
    await waitStatus(LBS, 'node3', 'UP');
  });

  it('killHaproxy leaves a dead socket; fault.start brings HAProxy back with all servers UP', async () => {
    await lab.fault.killHaproxy('lb2');
    await expect(lab.runtime('lb2', 'show info')).rejects.toThrow(/ECONNREFUSED|ENOENT/);
    expect((await netnsPids(lab.hosts.lb2.netns)).filter((p) => readComm(p) === 'haproxy')).toEqual([]);
    // Like a real crash: the socket file stays behind, nobody listens on it.
    expect(existsSync(lab.adminSocketPath('lb2'))).toBe(true);
    expect(await tcpProbe(lab.hosts.lb2.ip, 80, 1000)).toBe(false);
    // lb1 keeps serving: the fault hit one LB only.
    expect(await lab.runtime('lb1', 'show info')).toMatch(/Name: HAProxy/);
    await lab.fault.start('lb2', 'haproxy');
    expect(await lab.runtime('lb2', 'show info')).toMatch(/Name: HAProxy/);
    await waitStatus(['lb2'], 'node1', 'UP');
    await waitStatus(['lb2'], 'node2', 'UP');
  });

  it('a graceful haproxy stop/start works too', async () => {
    await lab.fault.stop('lb1', 'haproxy');
    await expect(lab.runtime('lb1', 'show info')).rejects.toThrow();
    await lab.fault.start('lb1', 'haproxy');
    await waitStatus(['lb1'], 'node1', 'UP');
  });

  it('stopping sshd refuses new sessions but keeps open ones; start lets them in again', async () => {
    const open = ssh(lab, 'lb1', 'sleep 2; echo still-here');
    await lab.waitFor(async () => (await run(['ip', 'netns', 'pids', lab.hosts.lb1.netns])).stdout.split('\n').filter(Boolean).length > 4, {
      timeoutMs: 5000,
      what: 'session on lb1',
    });
    await lab.fault.stop('lb1', 'sshd');
    const refused = await ssh(lab, 'lb1', 'true');
    expect(refused.code).toBe(255);
    expect(refused.stderr).toMatch(/Connection refused/);
    expect((await open).stdout).toContain('still-here');
    await lab.fault.start('lb1', 'sshd');
    expect((await ssh(lab, 'lb1', 'true')).code).toBe(0);
  });

  it('rotateHostKey changes both fingerprints; the old pin fails, the new one works', async () => {
    const oldEd = lab.hostKeyFingerprint('node2', 'ssh-ed25519');
    const oldEc = lab.hostKeyFingerprint('node2', 'ecdsa');
    const oldPin = tempKnownHosts(lab.knownHostsLines(['ssh-ed25519']));
    try {
      await lab.fault.rotateHostKey('node2');
      expect(lab.hostKeyFingerprint('node2')).not.toBe(oldEd);
      expect(lab.hostKeyFingerprint('node2', 'ecdsa-sha2-nistp256')).not.toBe(oldEc);
      expect(lab.hostKeyFingerprint('node1')).toBe(lab.hostKeyFingerprint('node1', 'ed25519'));
      const stale = await ssh(lab, 'node2', 'true', { knownHostsFile: oldPin, hostKeyTypes: ['ssh-ed25519'] });
      expect(stale.code).toBe(255);
      expect(stale.stderr).toMatch(/HOST IDENTIFICATION HAS CHANGED/);
      const fresh = await ssh(lab, 'node2', 'true');
      expect(fresh.code, fresh.stderr).toBe(0);
      const kg = await run(['ssh-keyscan', '-t', 'ed25519', lab.hosts.node2.ip], { allowFail: true });
      const scanned = await run(['ssh-keygen', '-lf', '-'], { input: kg.stdout });
      expect(scanned.stdout).toContain(lab.hostKeyFingerprint('node2'));
    } finally {
      removeTempKnownHosts(oldPin);
    }
  });

  it('rejects faults that make no sense for the host', async () => {
    await expect(lab.fault.stop('lb1', 'app')).rejects.toThrow(/lb1 is a load balancer/);
    await expect(lab.fault.start('node1', 'haproxy')).rejects.toThrow(/node1 is an app node/);
  });

  it('stop() after faults still leaves nothing behind', async () => {
    const pids = await labPids(lab);
    await lab.stop();
    expect(await traces(lab.slot, lab.dir, pids)).toEqual([]);
  });
});

function readComm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}
