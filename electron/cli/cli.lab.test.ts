import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { labAvailable, startLab, type Lab } from '../../e2e/lab';
import { cli } from './cli-test-support';
import { EXIT } from './exit-codes';

const avail = labAvailable();

// The admin's path through the CLI against the real lab: import, pin keys, drain and ready with
// independent reads of both LBs' admin sockets, the gate, a dead LB, a changed host key, --wait.
describe.skipIf(!avail.ok)(`CLI against the lab (${avail.ok ? 'root' : `skipped: ${avail.reason}`})`, () => {
  let lab: Lab;
  let dataDir: string;
  const base = () => ['--data-dir', dataDir];
  const bothLbs = async (server: string) => Promise.all([lab.serverStatus('lb1', server), lab.serverStatus('lb2', server)]);

  // Every test starts from the same LB state, set through the lab's own socket path (not ClusterDeck).
  const resetLbs = async (): Promise<void> => {
    for (const lb of ['lb1', 'lb2'] as const) {
      for (const n of ['node1', 'node2', 'node3']) await lab.runtime(lb, `set server app/${n} state ready`);
    }
    await lab.waitFor(
      async () => (await Promise.all(['node1', 'node2', 'node3'].flatMap((n) => [lab.serverStatus('lb1', n), lab.serverStatus('lb2', n)]))).every((s) => s.status === 'UP'),
      { timeoutMs: 15_000, what: 'every server UP on both LBs' },
    );
  };

  beforeAll(async () => {
    lab = await startLab();
    dataDir = mkdtempSync(join(tmpdir(), 'cd-cli-'));
  });
  beforeEach(async () => {
    if (lab) await resetLbs();
  });
  afterAll(async () => {
    await lab?.stop();
  });

  it('imports the YAML inventory, then refuses unknown host keys and prints their fingerprints', async () => {
    const r = await cli([...base(), 'import-inventory', lab.inventoryYaml, '--cluster', 'demo']);
    expect(r.out).toContain('Cluster demo: 3 nodes, 2 load balancers');
    expect(r.out).toContain('Saved cluster demo.');
    for (const h of ['node1', 'node2', 'node3', 'lb1', 'lb2'] as const) {
      expect(r.out).toContain(lab.hostKeyFingerprint(h, 'ssh-ed25519'));
    }
    expect(r.code).toBe(EXIT.hostKey);
    const st = await cli([...base(), 'status', 'demo', '--json']);
    const json = JSON.parse(st.out);
    expect(json.lbs.map((l: { link: { state: string } }) => l.link.state)).toEqual(['host-key-unknown', 'host-key-unknown']);
  });

  it('a dry run of a file with errors names the file and line and saves nothing', async () => {
    const r = await cli([...base(), 'import-inventory', lab.inventoryYaml, '--cluster', 'other', '--lb-group', 'nope', '--dry-run']);
    expect(r.code).toBe(EXIT.invalidInput);
    expect(r.out).toMatch(/ERROR .*inventory\.yml:\d+: /);
    expect((await cli([...base(), 'clusters', 'list'])).out).not.toContain('other');
  });

  it('pins the reviewed keys with --accept-host-key and then every link is up', async () => {
    const fps = (['node1', 'node2', 'node3', 'lb1', 'lb2'] as const).flatMap((h) => ['--accept-host-key', lab.hostKeyFingerprint(h, 'ssh-ed25519')]);
    const r = await cli([...base(), ...fps, 'host-keys', 'scan', 'demo']);
    expect(r.code, r.out + r.err).toBe(EXIT.ok);
    const pinned = readFileSync(join(dataDir, 'known_hosts'), 'utf8');
    expect(pinned.trim().split('\n')).toHaveLength(5);
    expect(pinned).toContain(`${lab.hosts.lb1.ip} ssh-ed25519 `);
    const st = JSON.parse((await cli([...base(), 'status', 'demo', '--json'])).out);
    expect(st.nodes.map((n: { merged: string }) => n.merged)).toEqual(['active', 'active', 'standby']);
    for (const n of st.nodes) expect(n.perLb.map((v: { stat: { status: string } }) => v.stat.status)).toEqual(['UP', 'UP']);
    for (const l of [...st.nodes.map((n: { link: unknown }) => n.link), ...st.lbs.map((x: { link: unknown }) => x.link)]) {
      expect(l).toMatchObject({ state: 'up' });
      expect((l as { rttMs: number }).rttMs).toBeGreaterThan(0);
    }
  });

  it('drains node1 on both LBs, confirmed by reading each admin socket directly, then makes it ready', async () => {
    const r = await cli([...base(), 'drain', 'demo', 'node1']);
    expect(r.code, r.out).toBe(EXIT.ok);
    expect(r.out).toContain('OK: node1 is draining on lb1 and lb2');
    for (const s of await bothLbs('node1')) {
      expect(s.status).toBe('DRAIN');
      expect(s.admin & 0x08).toBe(0x08);
    }
    const back = await cli([...base(), 'ready', 'demo', 'node1']);
    expect(back.code).toBe(EXIT.ok);
    for (const s of await bothLbs('node1')) expect(s.admin).toBe(0);
  });

  it('the gate refuses maintenance of the last active node, changes nothing, and the override is recorded', async () => {
    expect((await cli([...base(), 'maint', 'demo', 'node2'])).code).toBe(EXIT.ok);
    const refused = await cli([...base(), 'maint', 'demo', 'node1']);
    expect(refused.code).toBe(EXIT.refused);
    expect(refused.out).toContain('lb1: node1 is the last UP active server of backend app');
    for (const s of await bothLbs('node1')) expect(s).toMatchObject({ status: 'UP', admin: 0 });

    const wrongName = await cli([...base(), 'maint', 'demo', 'node1', '--force-gate', 'node2']);
    expect(wrongName.code).toBe(EXIT.refused);
    expect(wrongName.err).toContain('GATE_OVERRIDE_MISMATCH');
    for (const s of await bothLbs('node1')) expect(s.admin).toBe(0);

    const forced = await cli([...base(), 'maint', 'demo', 'node1', '--force-gate', 'node1']);
    expect(forced.code).toBe(EXIT.ok);
    for (const s of await bothLbs('node1')) expect(s.admin & 0x01).toBe(0x01);
    const audit = JSON.parse((await cli([...base(), 'audit', 'demo', '--node', 'node1', '--json'])).out);
    const last = audit.entries[0];
    expect(last.result).toMatchObject({ action: 'maint', node: 'node1', forced: true, outcome: 'ok' });
    expect(last.result.gate.allowed).toBe(false);
    expect(last.result.lbs[0].commands.map((c: { command: string }) => c.command)).toContain('set server app/node1 state maint');

    for (const n of ['node1', 'node2']) expect((await cli([...base(), 'ready', 'demo', n])).code).toBe(EXIT.ok);
  });

  it('with lb1 HAProxy stopped, a drain fails on lb1 (named, with why), applies on lb2, and a retry on lb1 completes it', async () => {
    await lab.fault.stop('lb1', 'haproxy');
    try {
      const r = await cli([...base(), 'drain', 'demo', 'node1']);
      expect(r.code).toBe(EXIT.partial);
      expect(r.out).toMatch(/PARTIAL: node1 is draining on lb2; FAILED on lb1 \(.*(socket|runtime API).*\)/);
      expect((await lab.serverStatus('lb2', 'node1')).status).toBe('DRAIN');
    } finally {
      await lab.fault.start('lb1', 'haproxy');
    }
    // A fresh HAProxy shows "UP 1/3" until checks settle, which the gate does not count as UP.
    await lab.waitFor(async () => (await lab.serverStatus('lb1', 'node2')).status === 'UP', { timeoutMs: 15_000, what: 'lb1 checks settled' });
    const retry = await cli([...base(), 'drain', 'demo', 'node1', '--lb', 'lb1']);
    expect(retry.code, retry.out).toBe(EXIT.ok);
    // right after a restart the status text may still be in transition ("DRAIN 1/3"): the admin bit is what was set
    for (const s of await bothLbs('node1')) expect(s.admin & 0x08).toBe(0x08);
  });

  it('drain --wait 2 with a request held open on node1 exits non-zero and leaves node1 draining', async () => {
    const held = await lab.hold('lb1', 'node1', 4);
    const t0 = Date.now();
    const r = await cli([...base(), 'drain', 'demo', 'node1', '--wait', '2']);
    const took = Date.now() - t0;
    expect(r.code).toBe(EXIT.drainTimeout);
    expect(r.out).toMatch(/sessions remained after 2 s \(1 on lb1\); it was left draining/);
    expect(took).toBeGreaterThanOrEqual(2000);
    expect(took).toBeLessThan(6000);
    for (const s of await bothLbs('node1')) expect(s.status).toBe('DRAIN');
    expect((await lab.serverStatus('lb1', 'node1')).scur).toBe(1);
    await held.done.catch(() => undefined);
    // once the held request is done, the same wait succeeds
    const again = await cli([...base(), 'drain', 'demo', 'node1', '--wait', '5']);
    expect(again.code, again.out).toBe(EXIT.ok);
    expect(again.out).toContain('sessions reached 0 on lb1 and lb2');
    expect((await cli([...base(), 'ready', 'demo', 'node1'])).code).toBe(EXIT.ok);
  });

  it('imports the INI form of the same inventory to the same cluster shape', async () => {
    const r = await cli([...base(), 'import-inventory', lab.inventoryIni, '--cluster', 'demo-ini']);
    expect(r.code, r.out + r.err).toBe(EXIT.ok);
    const yaml = JSON.parse((await cli([...base(), 'clusters', 'show', 'demo'])).out);
    const ini = JSON.parse((await cli([...base(), 'clusters', 'show', 'demo-ini'])).out);
    expect(ini.nodes).toEqual(yaml.nodes);
    expect(ini.lbs).toEqual(yaml.lbs);
  });

  it('a changed host key on lb1 is refused before authentication, and nothing is sent to any LB', async () => {
    const before = lab.hostKeyFingerprint('lb1', 'ssh-ed25519');
    await lab.fault.rotateHostKey('lb1');
    const after = lab.hostKeyFingerprint('lb1', 'ssh-ed25519');
    expect(after).not.toBe(before);
    const r = await cli([...base(), 'drain', 'demo', 'node1']);
    expect(r.code).toBe(EXIT.hostKey);
    expect(r.out).toContain(before);
    expect(r.out).toContain(after);
    expect(r.out).toContain('nothing was sent to any LB');
    for (const s of await bothLbs('node1')) expect(s).toMatchObject({ status: 'UP', admin: 0 });
    // an explicit accept of the new key is refused too: a changed key is never re-trusted that way
    const acc = await cli([...base(), '--accept-host-key', after, 'drain', 'demo', 'node1']);
    expect(acc.code).toBe(EXIT.hostKey);
    for (const s of await bothLbs('node1')) expect(s.admin).toBe(0);
    const audit = JSON.parse((await cli([...base(), 'audit', 'demo', '--json', '--limit', '1'])).out);
    expect(audit.entries[0].result).toMatchObject({ outcome: 'refused', error: { code: 'HOST_KEY_CHANGED' } });
  });
});
