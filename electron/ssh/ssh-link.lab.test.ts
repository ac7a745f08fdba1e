import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labAvailable, startLab, type Lab } from '../../e2e/lab';
import type { SshEndpoint } from '../../shared/domain/cluster';
import type { LinkStatus } from '../../shared/domain/status';
import { createHostKeyService } from '../core/host-key-service';
import { createSshLink, type SshLink, type SshLinkOptions } from './ssh-link';

const avail = labAvailable();

describe.skipIf(!avail.ok)(`SSH links against the lab's OpenSSH (${avail.ok ? 'root' : `skipped: ${avail.reason}`})`, () => {
  let lab: Lab;
  let emptyHome: string;
  const open: SshLink[] = [];

  beforeAll(async () => {
    lab = await startLab();
    emptyHome = mkdtempSync(join(tmpdir(), 'cd-home-'));
  });
  afterAll(async () => {
    await Promise.all(open.map((l) => l.close()));
    await lab?.stop();
  });

  const trust = (lines = lab.knownHostsLines()) => {
    const dir = mkdtempSync(join(tmpdir(), 'cd-kh-'));
    const extra = join(dir, 'admin_known_hosts');
    writeFileSync(extra, `${lines.join('\n')}\n`);
    return createHostKeyService({ ownFile: join(dir, 'own'), extraFiles: [extra] });
  };

  const link = (host: 'node1' | 'node2' | 'node3' | 'lb1' | 'lb2', ep: Partial<SshEndpoint>, o: Partial<SshLinkOptions> = {}): SshLink => {
    const l = createSshLink({
      name: host,
      role: host.startsWith('lb') ? 'lb' : 'node',
      endpoint: { host: lab.hosts[host].ip, port: 22, user: 'root', ...ep },
      hostKeys: trust().guard,
      auth: { agentSocket: null, homeDir: emptyHome },
      heartbeat: { intervalMs: 1000, maxMissed: 3 },
      reconnect: false,
      ...o,
    });
    open.push(l);
    return l;
  };

  it('authenticates with a key file and runs a command', async () => {
    const l = link('node1', { keyFile: lab.keyFile });
    const r = await l.exec('id -u; cat /srv/app/app.conf');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^0\n/);
    expect(r.stdout).toContain('node1');
    expect(l.status().state).toBe('up');
  });

  it('uses a passphrase-protected key through ssh-agent', async () => {
    const agent = await lab.startAgent();
    try {
      const l = link('node2', {}, { auth: { agentSocket: agent.socket, homeDir: emptyHome } });
      expect((await l.exec('hostname -I')).stdout).toContain(lab.hosts.node2.ip);
    } finally {
      await agent.stop();
    }
  });

  it('refuses a passphrase-protected key file without an agent and says to use ssh-add', async () => {
    const l = link('node2', { keyFile: lab.encryptedKeyFile });
    const err = await l.connect().catch((e) => e);
    expect(err.code).toBe('SSH_AUTH_FAILED');
    expect(err.message).toContain(`ssh-add ${lab.encryptedKeyFile}`);
    expect(l.status().state).toBe('auth-failed');
  });

  it('falls back to ~/.ssh/id_* when no key is named', async () => {
    const home = mkdtempSync(join(tmpdir(), 'cd-home-'));
    mkdirSync(join(home, '.ssh'));
    copyFileSync(lab.keyFile, join(home, '.ssh', 'id_ed25519'));
    const l = link('node3', {}, { auth: { agentSocket: null, homeDir: home } });
    expect((await l.exec('true')).code).toBe(0);
  });

  it('names what it tried when authentication fails', async () => {
    const home = mkdtempSync(join(tmpdir(), 'cd-home-'));
    mkdirSync(join(home, '.ssh'));
    const { execFileSync } = await import('node:child_process');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(home, '.ssh', 'id_ed25519')]);
    const l = link('node3', {}, { auth: { agentSocket: null, homeDir: home } });
    const err = await l.connect().catch((e) => e);
    expect(err.code).toBe('SSH_AUTH_FAILED');
    expect(err.message).toContain(`tried key ${join(home, '.ssh', 'id_ed25519')}`);
  });

  it('trusts a host pinned by its ecdsa key only: key exchange offers only that type', async () => {
    const only = lab.knownHostsLines(['ecdsa-sha2-nistp256']);
    const l = createSshLink({
      name: 'lb1',
      role: 'lb',
      endpoint: { host: lab.hosts.lb1.ip, port: 22, user: 'root', keyFile: lab.keyFile },
      hostKeys: trust(only).guard,
      auth: { agentSocket: null },
      heartbeat: { intervalMs: 1000, maxMissed: 3 },
      reconnect: false,
    });
    open.push(l);
    await l.connect();
    expect(l.status().state).toBe('up');
  });

  it('holds a refused host key instead of handshaking again, until retried on purpose', async () => {
    let handshakes = 0;
    const guard = trust([]).guard;
    const l = createSshLink({
      name: 'node1',
      role: 'node',
      endpoint: { host: lab.hosts.node1.ip, port: 22, user: 'root', keyFile: lab.keyFile },
      hostKeys: (...a) => {
        handshakes++;
        return guard(...a);
      },
      auth: { agentSocket: null },
      heartbeat: { intervalMs: 1000, maxMissed: 3 },
      reconnect: true,
    });
    open.push(l);
    await expect(l.connect()).rejects.toMatchObject({ code: 'HOST_KEY_UNKNOWN' });
    await expect(l.connect()).rejects.toMatchObject({ code: 'HOST_KEY_UNKNOWN' });
    expect(handshakes).toBe(1);
    expect(l.status().state).toBe('host-key-unknown');
    l.retryNow();
    await lab.waitFor(async () => handshakes === 2, { timeoutMs: 5000, what: 'a new handshake after retryNow' });
  });

  it('queues channels under MaxSessions and closes every one of them', async () => {
    const l = link('node1', { keyFile: lab.keyFile });
    const runs = await Promise.all(Array.from({ length: 24 }, (_, i) => l.exec(`sleep 0.1; echo ${i}`)));
    expect(runs.map((r) => r.stdout.trim())).toEqual(Array.from({ length: 24 }, (_, i) => String(i)));
    expect(l.channelsInUse()).toBe(0);
    // quick commands, whose exit status can arrive in the same read as the channel's confirmation
    for (let i = 0; i < 60; i++) expect((await l.exec('true')).code).toBe(0);
    const burst = await Promise.all(Array.from({ length: 30 }, () => l.exec('exit 3')));
    expect(burst.map((r) => r.code)).toEqual(Array(30).fill(3));
    expect(l.channelsInUse()).toBe(0);
  });

  it('explains a unix socket that cannot be opened, naming both possible causes', async () => {
    const l = link('lb1', { keyFile: lab.keyFile });
    const err = await l.openUnixSocket('/run/haproxy/nope.sock').catch((e) => e);
    expect(err.code).toBe('SOCKET_FORWARD_FAILED');
    expect(err.message).toMatch(/does not exist.*AllowStreamLocalForwarding no/);
    expect(l.channelsInUse()).toBe(0);
  });

  it('marks a host unreachable after the configured missed heartbeats and reconnects when the link heals', async () => {
    const states: Array<{ state: LinkStatus['state']; at: number }> = [];
    const l = link('node2', { keyFile: lab.keyFile }, {
      heartbeat: { intervalMs: 250, maxMissed: 3 },
      reconnect: true,
      onStatus: (s) => states.push({ state: s.state, at: Date.now() }),
    });
    await l.connect();
    await lab.waitFor(async () => l.status().rttMs !== null, { timeoutMs: 2000, what: 'first heartbeat' });
    await lab.fault.cutLink('node2');
    // The link is down by the time cutLink returns (it may have gone down a little earlier).
    const cutBy = Date.now();
    try {
      await lab.waitFor(async () => l.status().state === 'unreachable', { timeoutMs: 5000, what: 'node2 marked unreachable', intervalMs: 20 });
      const detectedMs = states.find((s) => s.state === 'unreachable')!.at - cutBy;
      // budget: interval × missed beats, plus one interval for where in the cycle the cut fell,
      // plus 100 ms for timers firing late on a busy 2-core machine
      console.info(`heartbeat 250 ms x 3: node2 marked unreachable ${detectedMs} ms after its link was cut`);
      expect(detectedMs).toBeLessThanOrEqual(250 * 3 + 250 + 100);
      expect(l.status().lastError?.message).toMatch(/heartbeats .* went unanswered/);
    } finally {
      await lab.fault.healLink('node2');
    }
    await lab.waitFor(async () => l.status().state === 'up', { timeoutMs: 15_000, what: 'node2 reconnected', intervalMs: 50 });
    expect((await l.exec('echo back')).stdout).toBe('back\n');
  });
});
