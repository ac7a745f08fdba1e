import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labAvailable, RUNTIME_TCP_PORT, startLab, type Lab } from '../../e2e/lab';
import { createHostKeyService } from '../core/host-key-service';
import { createSshLink, type SshLink } from '../ssh/ssh-link';
import { parseShowInfo } from './parse/show-info';
import { createRuntimeClient } from './runtime-client';

const avail = labAvailable();

describe.skipIf(!avail.ok)(`HAProxy runtime API through SSH (${avail.ok ? 'root' : `skipped: ${avail.reason}`})`, () => {
  let lab: Lab;
  let link: SshLink;

  beforeAll(async () => {
    lab = await startLab();
    const dir = mkdtempSync(join(tmpdir(), 'cd-rt-'));
    link = createSshLink({
      name: 'lb1',
      role: 'lb',
      endpoint: { host: lab.hosts.lb1.ip, port: 22, user: 'root', keyFile: lab.keyFile },
      hostKeys: createHostKeyService({ ownFile: join(dir, 'own'), extraFiles: [lab.knownHostsFile] }).guard,
      auth: { agentSocket: null },
      heartbeat: { intervalMs: 1000, maxMissed: 3 },
      reconnect: false,
    });
    await link.connect();
  });
  afterAll(async () => {
    await link?.close();
    await lab?.stop();
  });

  it('keeps one channel for many commands on the admin unix socket, chained in one round trip', async () => {
    const rt = createRuntimeClient({ lb: 'lb1', link, socket: { kind: 'unix', path: '/run/haproxy/admin.sock' } });
    const first = await rt.run(['show info']);
    const pid = parseShowInfo(first[0]!.reply).pid;
    expect(pid).toBeGreaterThan(0);
    for (let i = 0; i < 30; i++) {
      const recs = await rt.run(['set server app/node2 state drain', 'show servers state app', 'set server app/node2 state ready']);
      expect(recs.map((r) => r.error)).toEqual([null, null, null]);
      expect(recs[1]!.reply).toMatch(/^1\n# be_id/);
    }
    expect(link.channelsInUse()).toBe(1);
    expect((await lab.serverStatus('lb1', 'node2')).admin).toBe(0);
    rt.close();
    await lab.waitFor(async () => link.channelsInUse() === 0, { timeoutMs: 2000, what: 'channel closed' });
  });

  it("reports HAProxy's refusals per command and keeps the session usable", async () => {
    const rt = createRuntimeClient({ lb: 'lb1', link, socket: { kind: 'unix', path: '/run/haproxy/admin.sock' } });
    const recs = await rt.run(['set server app/nope state drain', 'set server app/node1 state sideways', 'show info']);
    expect(recs[0]!.error).toMatchObject({ code: 'SERVER_NOT_FOUND' });
    expect(recs[1]!.error).toMatchObject({ code: 'HAPROXY_ERROR' });
    expect(recs[1]!.reply).toContain("expects 'ready', 'drain' and 'maint'");
    expect(recs[2]!.error).toBeNull();
    await expect(rt.run(['show stat;shutdown sessions server app/node1'])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect((await rt.run(['show info']))[0]!.error).toBeNull();
    rt.close();
  });

  it('reopens the session by itself after HAProxy was restarted', async () => {
    const rt = createRuntimeClient({ lb: 'lb1', link, socket: { kind: 'unix', path: '/run/haproxy/admin.sock' } });
    const before = parseShowInfo((await rt.run(['show info']))[0]!.reply).pid;
    await lab.fault.killHaproxy('lb1');
    await lab.fault.start('lb1', 'haproxy');
    const after = parseShowInfo((await rt.run(['show info']))[0]!.reply).pid;
    expect(after).not.toBe(before);
    rt.close();
  });

  it('fails with HAPROXY_TIMEOUT when HAProxy stops answering, then recovers on a new session', async () => {
    const rt = createRuntimeClient({ lb: 'lb1', link, socket: { kind: 'unix', path: '/run/haproxy/admin.sock' }, timeoutMs: 500 });
    const pid = parseShowInfo((await rt.run(['show info']))[0]!.reply).pid!;
    process.kill(pid, 'SIGSTOP');
    try {
      await expect(rt.run(['show info'])).rejects.toMatchObject({ code: 'HAPROXY_TIMEOUT' });
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    expect(parseShowInfo((await rt.run(['show info']))[0]!.reply).pid).toBe(pid);
    rt.close();
  });

  it('tells a waiting caller at once when the session is closed under it', async () => {
    const rt = createRuntimeClient({ lb: 'lb1', link, socket: { kind: 'unix', path: '/run/haproxy/admin.sock' }, timeoutMs: 10_000 });
    const pid = parseShowInfo((await rt.run(['show info']))[0]!.reply).pid!;
    process.kill(pid, 'SIGSTOP');
    try {
      const t0 = Date.now();
      const pending = rt.run(['show info']);
      await new Promise((r) => setTimeout(r, 100));
      rt.close();
      await expect(pending).rejects.toMatchObject({ code: 'HAPROXY_PROTOCOL' });
      expect(Date.now() - t0).toBeLessThan(2000);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
  });

  it('reaches a TCP runtime API (HOST:PORT) through the same SSH connection', async () => {
    const rt = createRuntimeClient({ lb: 'lb1', link, socket: { kind: 'tcp', host: '127.0.0.1', port: RUNTIME_TCP_PORT } });
    const recs = await rt.run(['show info', 'show servers state app']);
    expect(parseShowInfo(recs[0]!.reply).version).toMatch(/^2\./);
    expect(recs[1]!.reply).toContain('app 1 node1');
    rt.close();
    const wrong = createRuntimeClient({ lb: 'lb1', link, socket: { kind: 'tcp', host: '127.0.0.1', port: 1 } });
    await expect(wrong.run(['show info'])).rejects.toMatchObject({ code: 'SOCKET_FORWARD_FAILED', message: expect.stringContaining('127.0.0.1:1') });
  });
});
