import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive } from '../../e2e/lab/exec';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { labAvailable, startLab, type Lab, type LbName } from '../../e2e/lab';
import { lbEtc, lbVarLib } from '../../e2e/lab/layout';
import { MASTER_SOCKET } from '../../e2e/lab/render';
import type { LbSpec } from '../../shared/domain/cluster';
import { CdError } from '../../shared/errors';
import { createHostKeyService } from '../core/host-key-service';
import { parseShowInfo } from '../haproxy/parse/show-info';
import { parseShowStat } from '../haproxy/parse/show-stat';
import { createRuntimeClient, type RuntimeClient } from '../haproxy/runtime-client';
import { createSshLink, type SshLink } from '../ssh/ssh-link';
import { applyConfigChange, previewConfigChange, type ConfigTarget } from './config-change';
import type { ServerPlan } from './haproxy-cfg';
import { reloadHaproxy } from './haproxy-reload';
import { haproxyServersTarget } from './haproxy-target';

const avail = labAvailable();
const LBS: LbName[] = ['lb1', 'lb2'];

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

describe.skipIf(!avail.ok)(`config changes on the lab's HAProxy LBs (${avail.ok ? 'root' : `skipped: ${avail.reason}`})`, () => {
  let lab: Lab;
  let khDir: string;
  const links = {} as Record<LbName, SshLink>;
  const runtimes = {} as Record<LbName, RuntimeClient>;
  const specs = {} as Record<LbName, LbSpec>;
  const original = {} as Record<LbName, Buffer>;

  const cfgFile = (lb: LbName): string => join(lbEtc(lab.dir, lb), 'haproxy.cfg');
  const onDisk = (lb: LbName): Buffer => readFileSync(cfgFile(lb));
  const etcFiles = (lb: LbName, re: RegExp): string[] => readdirSync(lbEtc(lab.dir, lb)).filter((f) => re.test(f));
  const pidOf = async (lb: LbName): Promise<number> => parseShowInfo(await lab.runtime(lb, 'show info')).pid!;
  const statOf = async (lb: LbName, server: string): Promise<Record<string, string>> =>
    parseShowStat(await lab.runtime(lb, 'show stat')).rows.find((r) => r['pxname'] === 'app' && r['svname'] === server)!;

  const newLink = (lb: LbName): SshLink =>
    createSshLink({
      name: lb,
      role: 'lb',
      endpoint: { host: lab.hosts[lb].ip, port: 22, user: 'root', keyFile: lab.keyFile },
      hostKeys: createHostKeyService({ ownFile: join(khDir, `own-${lb}`), extraFiles: [lab.knownHostsFile] }).guard,
      auth: { agentSocket: null },
      heartbeat: { intervalMs: 1000, maxMissed: 3 },
      reconnect: false,
    });

  beforeAll(async () => {
    lab = await startLab();
    khDir = mkdtempSync(join(tmpdir(), 'cd-cfg-'));
    for (const lb of LBS) {
      links[lb] = newLink(lb);
      await links[lb].connect();
      specs[lb] = {
        name: lb,
        ssh: { host: lab.hosts[lb].ip, port: 22, user: 'root', keyFile: lab.keyFile },
        socket: { kind: 'unix', path: '/run/haproxy/admin.sock' },
        configPath: '/etc/haproxy/haproxy.cfg',
        masterSocket: MASTER_SOCKET,
      };
      runtimes[lb] = createRuntimeClient({ lb, link: links[lb], socket: specs[lb].socket });
      original[lb] = onDisk(lb);
    }
  });
  afterAll(async () => {
    for (const lb of LBS) runtimes[lb]?.close();
    await Promise.all(LBS.map((lb) => links[lb]?.close()));
    await lab?.stop();
    if (khDir) rmSync(khDir, { recursive: true, force: true });
  });

  // Every test starts from the lab's own config, loaded, every server ready, no backups or state file.
  beforeEach(async () => {
    for (const lb of LBS) {
      writeFileSync(cfgFile(lb), original[lb]!);
      for (const f of etcFiles(lb, /clusterdeck/)) rmSync(join(lbEtc(lab.dir, lb), f));
      rmSync(join(lbVarLib(lab.dir, lb), 'server-state'), { force: true });
      for (const n of ['node1', 'node2', 'node3']) await lab.runtime(lb, `set server app/${n} state ready`);
      const pid = await pidOf(lb);
      await lab.runtime(lb, 'reload', { master: true });
      await lab.waitFor(async () => (await pidOf(lb)) !== pid, { timeoutMs: 10_000, what: `${lb} reloaded with the lab config` });
      runtimes[lb].close();
    }
  });

  const PLAN: ServerPlan = {
    node1: { inter: 500, fall: 4, rise: 2, backup: false },
    node2: { inter: 500, fall: 4, rise: 2, backup: true },
    node3: { inter: 500, fall: 4, rise: 2, backup: true },
  };
  const targetFor = (lb: LbName, plan: ServerPlan = PLAN, extra: Partial<ConfigTarget> = {}): ConfigTarget => ({
    ...haproxyServersTarget({ lb: specs[lb], link: links[lb], runtime: runtimes[lb], plans: { app: plan } }),
    ...extra,
  });
  const apply = (targets: ConfigTarget[]) => applyConfigChange({ id: 't', cluster: 'lab', kind: 'failover-settings', targets });

  it('(a) rewrites the servers on both LBs, reloads, and HAProxy runs the new settings', async () => {
    const pids = await Promise.all(LBS.map(pidOf));
    const r = await apply(LBS.map((lb) => targetFor(lb)));
    expect(r.message).toBe('applied on lb1 and lb2');
    expect(r.outcome).toBe('ok');
    for (const [i, lb] of LBS.entries()) {
      const text = onDisk(lb).toString('utf8');
      const s = lab.hosts;
      expect(text).toContain(`server node1 ${s.node1.ip}:8080 check inter 500ms fall 4 rise 2\n`);
      expect(text).toContain(`server node2 ${s.node2.ip}:8080 check inter 500ms fall 4 rise 2 backup\n`);
      expect(text).toContain(`server node3 ${s.node3.ip}:8080 check inter 500ms fall 4 rise 2 backup\n`);
      expect(etcFiles(lb, /^haproxy\.cfg\.clusterdeck-.*\.bak$/)).toHaveLength(1);
      expect(etcFiles(lb, /\.tmp$/)).toEqual([]);
      // read independently of ClusterDeck's own client
      expect((await statOf(lb, 'node2'))['bck']).toBe('1');
      expect((await statOf(lb, 'node3'))['bck']).toBe('1');
      expect((await statOf(lb, 'node1'))['bck']).toBe('0');
      for (const n of ['node1', 'node2', 'node3']) expect((await statOf(lb, n))['check_fall']).toBe('4');
      expect(await pidOf(lb)).not.toBe(pids[i]);
      const t = r.targets[i]!;
      expect(t.steps.map((x) => x.step)).toEqual(['read', 'stage', 'validate', 'backup', 'replace', 'reload', 'verify', 'cleanup']);
      expect(t.steps.find((x) => x.step === 'validate')!.detail).toContain('Configuration file is valid');
      expect(t.steps.find((x) => x.step === 'reload')!.detail).toMatch(/^master CLI \/run\/haproxy\/master\.sock: reload; worker \d+ → \d+, confirmed in \d+ ms; server states saved to \/var\/lib\/haproxy\/server-state$/);
      expect(t.steps.find((x) => x.step === 'verify')!.detail).toContain('app confirmed by show stat: node1 fall 4 rise 2, node2 backup fall 4 rise 2, node3 backup fall 4 rise 2');
    }
    // The shared runtime client reaches the new worker (its old session was closed).
    expect(parseShowInfo((await runtimes.lb1.run(['show info']))[0]!.reply).pid).toBe(await pidOf('lb1'));
  });

  it('a runtime session opened before a reload by someone else moves to the new worker and lets the old one go', async () => {
    const rt = createRuntimeClient({ lb: 'lb1', link: links.lb1, socket: specs.lb1.socket });
    const pidVia = async (): Promise<number | null> => parseShowInfo((await rt.run(['show info']))[0]!.reply).pid;
    try {
      const before = (await pidVia())!;
      await lab.runtime('lb1', 'reload', { master: true });
      await lab.waitFor(async () => (await pidOf('lb1')) !== before, { timeoutMs: 10_000, what: 'lb1 reloaded' });
      // The old worker answers "Stopping: 1": the session is dropped and the read goes to the new one.
      const now = await pidOf('lb1');
      expect(await pidVia()).toBe(now);
      // Only our open session kept the old worker alive: with it closed, the old worker exits.
      await lab.waitFor(async () => !isAlive(before), { timeoutMs: 10_000, what: `old worker ${before} gone` });

      // A change sent on a session the LB has since replaced is refused there ("Proxy is disabled.")
      // and goes again, once, to the new worker.
      await lab.runtime('lb1', 'reload', { master: true });
      await lab.waitFor(async () => (await pidOf('lb1')) !== now, { timeoutMs: 10_000, what: 'lb1 reloaded again' });
      const recs = await rt.run(['set server app/node1 state drain', 'show servers state app']);
      expect(recs.map((r) => r.error)).toEqual([null, null]);
      expect((await lab.serverStatus('lb1', 'node1')).admin & 8).toBe(8);
      await lab.runtime('lb1', 'set server app/node1 state ready');
    } finally {
      rt.close();
    }
  });

  it('(b) a drained server stays drained across the reload (server-state-file), and without one it is set again', async () => {
    for (const lb of LBS) await lab.runtime(lb, 'set server app/node1 state drain');
    await lab.runtime('lb2', 'set server app/node2 state maint');
    const pids = await Promise.all(LBS.map(pidOf));
    const r = await apply(LBS.map((lb) => targetFor(lb)));
    expect(r.message).toBe('applied on lb1 and lb2');
    for (const [i, lb] of LBS.entries()) {
      expect(await pidOf(lb)).not.toBe(pids[i]);
      expect((await lab.serverStatus(lb, 'node1')).admin & 8).toBe(8);
      expect(r.targets[i]!.steps.find((x) => x.step === 'reload')!.detail).toContain(`kept across the reload: node1 drain${lb === 'lb2' ? ', node2 maint' : ''}`);
    }
    expect((await lab.serverStatus('lb2', 'node2')).admin & 1).toBe(1);

    // Same on a config without server-state-file: the states are set again after the reload.
    const noState: Partial<ConfigTarget> = {};
    const r2 = await apply(
      LBS.map((lb) => {
        const t = targetFor(lb, { ...PLAN, node1: { ...PLAN.node1!, fall: 5 } });
        return { ...t, ...noState, render: (cur: string) => {
          const out = t.render(cur);
          return out instanceof CdError ? out : out.replace(/^\s*server-state-file .*\n/m, '');
        } };
      }),
    );
    expect(r2.outcome).toBe('ok');
    for (const [i, lb] of LBS.entries()) {
      expect((await lab.serverStatus(lb, 'node1')).admin & 8).toBe(8);
      expect(r2.targets[i]!.steps.find((x) => x.step === 'reload')!.detail).toMatch(/set again after the reload: node1 drain/);
    }
  });

  it('(c) a config HAProxy refuses changes nothing on either LB', async () => {
    const pids = await Promise.all(LBS.map(pidOf));
    const bad = (lb: LbName): ConfigTarget => {
      const t = targetFor(lb);
      return { ...t, render: (cur) => (lb === 'lb2' ? cur.replace('balance roundrobin', 'balance roundrobin\n    frobnicate yes') : t.render(cur)) };
    };
    const r = await apply(LBS.map(bad));
    expect(r.outcome).toBe('refused');
    expect(r.message).toMatch(/^lb2 refused the new file: \[ALERT\] config : parsing \[\/etc\/haproxy\/haproxy\.cfg:\d+\] : unknown keyword 'frobnicate' in 'backend' section; nothing was changed on any LB$/);
    const v = r.targets[1]!.steps.find((s) => s.step === 'validate')!;
    expect(v.ok).toBe(false);
    expect(v.detail).toContain("[ALERT]");
    for (const [i, lb] of LBS.entries()) {
      expect(sha(onDisk(lb))).toBe(sha(original[lb]!));
      expect(await pidOf(lb)).toBe(pids[i]);
      expect(etcFiles(lb, /clusterdeck/)).toEqual([]);
    }
  });

  it('(d) a failure after the replace restores and reloads lb2 and lb1', async () => {
    const pids = await Promise.all(LBS.map(pidOf));
    const t2 = targetFor('lb2');
    const r = await apply([
      targetFor('lb1'),
      { ...t2, verify: async () => { await t2.verify!(); throw new CdError('NOT_CONFIRMED', 'lb2: the check says no'); } },
    ]);
    expect(r.outcome).toBe('rolled-back');
    expect(r.message).toBe('verification failed on lb2: the check says no; lb2 and lb1 were restored to their previous files and reloaded');
    for (const [i, lb] of LBS.entries()) {
      expect(sha(onDisk(lb))).toBe(sha(original[lb]!));
      expect(r.targets[i]!.outcome).toBe('restored');
      expect(r.targets[i]!.steps.filter((s) => s.step === 'reload').map((s) => s.ok)).toEqual([true, true]);
      expect(await pidOf(lb)).not.toBe(pids[i]);
      // running the old settings again
      expect((await statOf(lb, 'node2'))['bck']).toBe('0');
      expect((await statOf(lb, 'node1'))['check_fall']).toBe('3');
      expect(etcFiles(lb, /\.tmp$/)).toEqual([]);
    }

    const t2b = targetFor('lb2');
    let first = true;
    const failOnce = async () => {
      if (!first) return t2b.reload!();
      first = false;
      throw new CdError('HAPROXY_ERROR', 'lb2: reload refused');
    };
    const rr = await apply([targetFor('lb1'), { ...t2b, reload: failOnce }]);
    expect(rr.message).toBe('reload failed on lb2: reload refused; lb2 and lb1 were restored to their previous files and reloaded');
    for (const lb of LBS) expect(sha(onDisk(lb))).toBe(sha(original[lb]!));
  });

  it('(d) reloadHaproxy says when the master refuses a file and why', async () => {
    const pid = await pidOf('lb1');
    writeFileSync(cfgFile('lb1'), original.lb1!.toString('utf8').replace('balance roundrobin', 'balance roundrobin\n    frobnicate yes'));
    const err = (await reloadHaproxy({ link: links.lb1, lb: specs.lb1, runtime: runtimes.lb1, timeoutMs: 5000 }).catch((e: CdError) => e)) as CdError;
    expect(err).toBeInstanceOf(CdError);
    expect(err.code).toBe('HAPROXY_ERROR');
    expect(err.message).toMatch(new RegExp(`^lb1: the reload did not take: HAProxy's master refused the configuration and worker ${pid} is still serving after [\\d.]+ s; master: .*1 failed since the last good one.*; haproxy -c: \\[ALERT\\] config : parsing \\[/etc/haproxy/haproxy.cfg:\\d+\\] : unknown keyword 'frobnicate'`));
    expect(await pidOf('lb1')).toBe(pid);
  });

  it('(d) reloadHaproxy runs the LB\'s reloadCommand when it has one, and confirms it the same way', async () => {
    const pid = await pidOf('lb2');
    const lb = { ...specs.lb2, reloadCommand: 'kill -USR2 "$(cat /run/haproxy/haproxy.pid)"' };
    const r = await reloadHaproxy({ link: links.lb2, lb, runtime: runtimes.lb2 });
    expect(r.oldPid).toBe(pid);
    expect(r.newPid).toBe(await pidOf('lb2'));
    expect(r.newPid).not.toBe(pid);
    expect(r.detail).toMatch(/^ran "kill -USR2 .*"; worker \d+ → \d+, confirmed in \d+ ms/);
    const bad = { ...specs.lb2, reloadCommand: 'echo "Job for haproxy.service failed" >&2; exit 1' };
    await expect(reloadHaproxy({ link: links.lb2, lb: bad, runtime: runtimes.lb2 })).rejects.toMatchObject({
      code: 'HAPROXY_ERROR',
      message: expect.stringContaining('failed (exit 1): Job for haproxy.service failed'),
    });
  });

  it('(e) cutting the SSH link mid-change leaves lb1 whole and says what failed', async () => {
    const slow = { ...targetFor('lb1'), validate: 'sleep 3; haproxy -c -f {file}' };
    const pending = apply([slow, targetFor('lb2')]);
    await new Promise((r) => setTimeout(r, 1000));
    await lab.fault.cutLink('lb1');
    let r;
    try {
      r = await pending;
    } finally {
      await lab.fault.healLink('lb1');
    }
    expect(r.outcome).toBe('failed');
    expect(r.message).toMatch(/^validation failed on lb1: the connection was lost while validating .*; nothing was changed on any LB$/);
    expect(sha(onDisk('lb1'))).toBe(sha(original.lb1!));
    expect(sha(onDisk('lb2'))).toBe(sha(original.lb2!));
    expect(etcFiles('lb2', /\.tmp$/)).toEqual([]);
    // Whatever temp lb1 kept is a whole staged copy, never the target.
    for (const f of etcFiles('lb1', /\.tmp$/)) expect(readFileSync(join(lbEtc(lab.dir, 'lb1'), f), 'utf8')).toContain('inter 500ms fall 4');

    // Cut during lb1's reload: the new file is in place (whole); restoring needs the link, so the result says so.
    const t1 = targetFor('lb1');
    const r2 = await (async () => {
      try {
        return await apply([{ ...t1, reload: async () => { await lab.fault.cutLink('lb1'); return t1.reload!(); } }, targetFor('lb2')]);
      } finally {
        await lab.fault.healLink('lb1');
      }
    })();
    expect(r2.outcome).toBe('failed');
    expect(r2.message).toMatch(/^reload failed on lb1: .*could NOT restore lb1 \(.*its previous file is kept at \/etc\/haproxy\/haproxy\.cfg\.clusterdeck-.*\.bak\): check it by hand/);
    const text = onDisk('lb1').toString('utf8');
    expect(sha(text) === sha(original.lb1!) || text.includes('inter 500ms fall 4 rise 2 backup')).toBe(true);
    expect(r2.targets[1]!.outcome).toBe('not-touched');
    expect(sha(onDisk('lb2'))).toBe(sha(original.lb2!));
  });

  it('(f) refuses relative paths and .. before sending any command', async () => {
    const sent: string[] = [];
    const spy = (lb: LbName): SshLink =>
      new Proxy(links[lb], {
        get(t, p, rcv) {
          if (p === 'exec' || p === 'openUnixSocket' || p === 'openTcp') sent.push(String(p));
          return Reflect.get(t, p, rcv);
        },
      });
    const r = await apply([
      { ...targetFor('lb1'), link: spy('lb1'), path: 'etc/haproxy/haproxy.cfg' },
      { ...targetFor('lb2'), link: spy('lb2'), path: '/etc/haproxy/../haproxy/haproxy.cfg' },
    ]);
    expect(r.outcome).toBe('refused');
    expect(r.message).toContain('lb1: refused path: "etc/haproxy/haproxy.cfg" is not an absolute path');
    expect(r.message).toContain('contains a ".." segment');
    expect(sent).toEqual([]);
  });

  it('(g) keeps keepBackups backups, and preview shows the diff without changing anything', async () => {
    for (const fall of [4, 5, 6, 7]) {
      const plan = Object.fromEntries(Object.entries(PLAN).map(([k, v]) => [k, { ...v, fall }]));
      const r = await apply([{ ...targetFor('lb1', plan), keepBackups: 2 }]);
      expect(r.outcome).toBe('ok');
    }
    expect(etcFiles('lb1', /\.bak$/)).toHaveLength(2);

    const before = sha(onDisk('lb2'));
    const p = await previewConfigChange([targetFor('lb2')]);
    expect(p[0]).toMatchObject({ target: 'lb2', changed: true, valid: true });
    expect(p[0]!.diff).toContain(`+    server node2 ${lab.hosts.node2.ip}:8080 check inter 500ms fall 4 rise 2 backup`);
    expect(sha(onDisk('lb2'))).toBe(before);
    expect(etcFiles('lb2', /clusterdeck/)).toEqual([]);
  });
});
