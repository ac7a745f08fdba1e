import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labAvailable, labPids, startLab, type Lab } from './index';
import { run } from './exec';
import { parseShowStat } from './haproxy-stats';
import { ALL_HOSTS, removeTempKnownHosts, ssh, tempKnownHosts, traces } from './testing';

const avail = labAvailable();

describe.skipIf(!avail.ok)(`lab: cluster comes up and goes away (${avail.ok ? 'root' : `skipped: ${avail.reason}`})`, () => {
  let lab: Lab;
  let startMs = 0;

  beforeAll(async () => {
    const t0 = Date.now();
    lab = await startLab();
    startMs = Date.now() - t0;
  });

  afterAll(async () => {
    await lab?.stop();
  });

  it('starts within the time budget and records an address plan on its slot', () => {
    expect(startMs).toBeLessThan(20_000);
    expect(lab.subnet).toBe(`10.88.${lab.slot}.0/24`);
    expect(lab.hosts.node1.ip).toBe(`10.88.${lab.slot}.11`);
    expect(lab.hosts.lb2.ip).toBe(`10.88.${lab.slot}.22`);
    console.info(`startLab took ${startMs} ms (slot ${lab.slot})`);
  });

  it('every host accepts the lab key over SSH (accept-new into a temp known_hosts)', async () => {
    const kh = tempKnownHosts();
    try {
      for (const h of ALL_HOSTS) {
        const r = await ssh(lab, h, 'id -u; ip -4 -o addr show dev eth0', { trust: 'accept-new', knownHostsFile: kh });
        expect(r.code, `${h}: ${r.stderr}`).toBe(0);
        expect(r.stdout).toMatch(/^0\n/);
        expect(r.stdout).toContain(`${lab.hosts[h].ip}/24`);
      }
      // What ssh learned must be exactly what the lab says its hosts present.
      const learned = readFileSync(kh, 'utf8').trim().split('\n').sort();
      expect(learned).toEqual(lab.knownHostsLines(['ssh-ed25519']).sort());
    } finally {
      removeTempKnownHosts(kh);
    }
  });

  it('pins either host key type through knownHostsLines, and fingerprints match ssh-keygen', async () => {
    for (const type of ['ssh-ed25519', 'ecdsa-sha2-nistp256'] as const) {
      const kh = tempKnownHosts(lab.knownHostsLines([type]));
      try {
        const r = await ssh(lab, 'lb2', 'true', { knownHostsFile: kh, hostKeyTypes: [type] });
        expect(r.code, r.stderr).toBe(0);
      } finally {
        removeTempKnownHosts(kh);
      }
      const kg = await run(['ssh-keygen', '-lf', '-'], { input: `${lab.knownHostsLines([type])[0]}\n` });
      expect(kg.stdout).toContain(lab.hostKeyFingerprint('node1', type));
    }
    expect(lab.hostKeyFingerprint('node1')).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(lab.hostKeyFingerprint('node1')).not.toBe(lab.hostKeyFingerprint('node2'));
  });

  it('refuses a wrong key: a host pinned with another host key fails strict checking', async () => {
    const wrong = lab.knownHostsLines(['ssh-ed25519']).find((l) => l.startsWith(`${lab.hosts.node2.ip} `)) ?? '';
    const kh = tempKnownHosts([wrong.replace(lab.hosts.node2.ip, lab.hosts.node1.ip)]);
    try {
      const r = await ssh(lab, 'node1', 'true', { knownHostsFile: kh, hostKeyTypes: ['ssh-ed25519'] });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/HOST IDENTIFICATION HAS CHANGED|Host key verification failed/);
    } finally {
      removeTempKnownHosts(kh);
    }
  });

  it('gives each node its own /srv: the same path holds different files', async () => {
    const a = await ssh(lab, 'node1', 'cat /srv/app/app.conf');
    const b = await ssh(lab, 'node2', 'cat /srv/app/app.conf');
    expect(a.stdout).toContain('node = node1');
    expect(b.stdout).toContain('node = node2');
    expect(a.stdout).toBe(readFileSync(`${lab.dir}/node1/srv/app/app.conf`, 'utf8'));
    // A write through node2's session lands in node2's dir only.
    expect((await ssh(lab, 'node2', 'echo changed-on-node2 > /srv/app/marker')).code).toBe(0);
    expect(readFileSync(`${lab.dir}/node2/srv/app/marker`, 'utf8')).toBe('changed-on-node2\n');
    expect(existsSync(`${lab.dir}/node1/srv/app/marker`)).toBe(false);
    expect((await ssh(lab, 'node1', 'test -e /srv/app/marker')).code).toBe(1);
    // Nothing of the lab is mounted in the test runner's own mount namespace.
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(lab.dir);
  });

  it('gives each LB its own /etc/haproxy and a working admin socket inside the session', async () => {
    const r = await ssh(lab, 'lb1', 'grep -c "bind 10.88" /etc/haproxy/haproxy.cfg; grep bind /etc/haproxy/haproxy.cfg; echo "show info" | socat stdio /run/haproxy/admin.sock | grep -c "^Name: HAProxy"');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`bind ${lab.hosts.lb1.ip}:80`);
    expect(r.stdout).not.toContain(lab.hosts.lb2.ip);
    const n = await ssh(lab, 'node1', 'test -e /etc/haproxy/haproxy.cfg && grep -c 10.88 /etc/haproxy/haproxy.cfg || echo none');
    expect(n.stdout).not.toContain(`${lab.hosts.lb1.ip}:80`);
  });

  it('reports node1..3 UP on both LBs with node3 as backup', async () => {
    for (const lb of ['lb1', 'lb2'] as const) {
      const rows = parseShowStat(await lab.runtime(lb, 'show stat'));
      for (const n of ['node1', 'node2', 'node3']) {
        const row = rows.find((x) => x.pxname === 'app' && x.svname === n);
        expect(row, `${lb}/${n}`).toBeDefined();
        expect(row?.status).toBe('UP');
        expect(row?.check_status).toBe('L7OK');
        expect(row?.bck).toBe(n === 'node3' ? '1' : '0');
      }
      expect(await lab.serverStatus(lb, 'node2')).toEqual({ status: 'UP', scur: 0, admin: 0 });
    }
  });

  it('answers the master CLI and the app through the frontend', async () => {
    expect(await lab.runtime('lb1', 'show proc', { master: true })).toMatch(/master/);
    const res = await fetch(`http://${lab.hosts.lb1.ip}/`, { headers: { 'x-cd-server': 'node3' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('node3');
    expect(await (await fetch(`http://${lab.hosts.node2.ip}:8080/health`)).text()).toBe('ok node2');
  });

  it('hold() makes node1 scur 1 on lb1 only, and done settles with 200', async () => {
    const h = await lab.hold('lb1', 'node1', 2);
    expect((await lab.serverStatus('lb1', 'node1')).scur).toBe(1);
    expect((await lab.serverStatus('lb2', 'node1')).scur).toBe(0);
    expect((await lab.serverStatus('lb1', 'node2')).scur).toBe(0);
    expect(await h.done).toBe(200);
    await lab.waitFor(async () => (await lab.serverStatus('lb1', 'node1')).scur === 0, { timeoutMs: 5000, what: 'lb1 node1 scur back to 0' });
  });

  it('changing admin state shows in serverStatus', async () => {
    await lab.runtime('lb2', 'set server app/node2 state maint');
    const s = await lab.serverStatus('lb2', 'node2');
    expect(s.status).toBe('MAINT');
    expect(s.admin & 1).toBe(1);
    await lab.runtime('lb2', 'set server app/node2 state ready');
    expect((await lab.serverStatus('lb2', 'node2')).admin).toBe(0);
  });

  it('logs in with the passphrase-protected key through a lab ssh-agent', async () => {
    const agent = await lab.startAgent();
    try {
      expect(agent.socket).toBe(`${lab.dir}/agent.sock`);
      const r = await ssh(lab, 'node3', 'cat /srv/app/app.conf', { agentSocket: agent.socket });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('node = node3');
    } finally {
      await agent.stop();
    }
    expect(existsSync(agent.socket)).toBe(false);
    expect(existsSync(`/proc/${agent.pid}/cmdline`) && readFileSync(`/proc/${agent.pid}/cmdline`, 'utf8').includes(lab.dir)).toBe(false);
  });

  it('writes YAML and INI inventories of the lab', () => {
    const y = readFileSync(lab.inventoryYaml, 'utf8');
    expect(y).toContain(`node2: { ansible_host: ${lab.hosts.node2.ip}, lb_server: node2 }`);
    expect(y).toContain(`ansible_ssh_private_key_file: "${lab.keyFile}"`);
    const ini = readFileSync(lab.inventoryIni, 'utf8');
    expect(ini).toContain(`lb1 ansible_host=${lab.hosts.lb1.ip}`);
    expect(ini).toContain(`ansible_ssh_private_key_file=${lab.keyFile}`);
  });

  it('stop() leaves no process, netns, link, lock or dir behind, and is idempotent', async () => {
    const pids = [...(await labPids(lab))];
    expect(pids.length).toBeGreaterThanOrEqual(5 + 3 + 2 * 2); // sshd x5, app x3, haproxy master+worker x2
    // An open session must be swept too, not just the services the lab started itself.
    const session = ssh(lab, 'node1', 'sleep 60', { timeoutMs: 20_000 });
    await lab.waitFor(async () => (await labPids(lab)).length > pids.length, { timeoutMs: 5000, what: 'ssh session on node1' });
    pids.push(...(await labPids(lab)));
    const t0 = Date.now();
    await lab.stop();
    const stopMs = Date.now() - t0;
    console.info(`lab.stop() took ${stopMs} ms`);
    expect(await traces(lab.slot, lab.dir, pids)).toEqual([]);
    await lab.stop();
    await expect(lab.stop()).resolves.toBeUndefined();
    expect(await traces(lab.slot, lab.dir, pids)).toEqual([]);
    expect((await session).code).not.toBe(0);
    await expect(lab.fault.stop('node1', 'app')).rejects.toThrow(/stopped/);
  });
});
