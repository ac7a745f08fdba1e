import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { labAvailable, startLab, type Lab } from '../../e2e/lab';
import { appConfig } from '../../e2e/lab/testing';
import type { AuditEntry } from '../../shared/domain/audit';
import type { ConfigProgress } from '../../shared/domain/config-change';
import type { PushProgress } from '../../shared/domain/managed-files';
import { cli } from '../cli/cli-test-support';
import { EXIT } from '../cli/exit-codes';
import { APP_CONF, LBS, NODES, backupsOn, leftovers, mtimeOf, onDisk, openCore, resetLab, sampleDrains, sha, type PushLab } from './push-lab-test-support';

const avail = labAvailable();
const NEW_CONF = '# pushed by ClusterDeck\ngreeting = hello\ncolour = blue\n';

// Pushes through the contract's client to the real lab; everything is checked on the hosts and the
// LBs' admin sockets directly, never through ClusterDeck's own reads.
describe.skipIf(!avail.ok)(`push and rollback of managed files on the lab (${avail.ok ? 'root' : `skipped: ${avail.reason}`})`, () => {
  let lab: Lab;
  let pl: PushLab;
  const progress: Array<PushProgress & { t: number }> = [];
  const configProgress: ConfigProgress[] = [];

  beforeAll(async () => {
    lab = await startLab();
    pl = await openCore(lab);
    pl.api.subscribe('push.progress', (p) => progress.push({ ...p, t: performance.now() }));
    pl.api.subscribe('config.progress', (p) => configProgress.push(p));
  });
  afterAll(async () => {
    await pl?.close();
    await lab?.stop();
  });
  beforeEach(async () => {
    await resetLab(lab, pl);
    progress.length = 0;
    configProgress.length = 0;
  });

  const put = (content: string, settings: Partial<typeof APP_CONF> = {}) => pl.api.call('files.put', { cluster: 'demo', settings: { ...APP_CONF, ...settings }, content, source: 'test' });
  const lastAudit = async (): Promise<AuditEntry> => (await pl.api.call('audit.list', { cluster: 'demo', limit: 1 })).entries[0]!;

  it('(a) a rolling push updates every node, draining each on both LBs only while it is being updated', async () => {
    await put(NEW_CONF);
    const preview = await pl.api.call('push.preview', { cluster: 'demo', request: { mode: 'rolling', drainWaitSec: 5, portWaitSec: 10 } });
    expect(preview.refusal).toBeNull();
    expect(preview.hosts).toEqual(NODES);
    expect(preview.items.every((i) => i.changed && i.valid === true)).toBe(true);
    expect(preview.items[0]!.diff).toContain('+greeting = hello');
    for (const n of NODES) expect(onDisk(lab, n)).toBe(pl.seeded[n]);

    const sampler = sampleDrains(lab, 50);
    await new Promise((r) => setTimeout(r, 120)); // a few samples before: nothing drained
    const r = await pl.api.call('push.run', { cluster: 'demo', request: { mode: 'rolling', drainWaitSec: 5, portWaitSec: 10 } });
    await new Promise((r) => setTimeout(r, 120));
    const samples = await sampler.stop();

    expect(r.outcome, r.message).toBe('ok');
    expect(r.message).toBe('pushed to node1, node2 and node3');
    expect(r.hosts.map((h) => [h.host, h.outcome, h.drained])).toEqual(NODES.map((n) => [n, 'done', true]));
    for (const h of r.hosts) {
      expect(h.notes).toEqual(['drained on lb1 and lb2; sessions reached 0', 'made ready on lb1 and lb2']);
      expect(h.files[0]!.steps.map((s) => s.step)).toEqual(['read', 'stage', 'validate', 'backup', 'replace', 'reload', 'verify', 'cleanup']);
      expect(h.files[0]!.steps.find((s) => s.step === 'verify')!.detail).toMatch(/8080 answers \(after \d+ ms\)/);
    }
    // On the hosts: the file on disk and the configuration the app runs are the desired one.
    for (const n of NODES) {
      expect(sha(onDisk(lab, n))).toBe(sha(NEW_CONF));
      const loaded = await appConfig(lab, n);
      expect(loaded.sha256).toBe(sha(NEW_CONF));
      expect(loaded.values['greeting']).toBe('hello');
      expect(backupsOn(lab, n)).toHaveLength(1);
      expect(leftovers(lab, n)).toEqual([]);
    }
    expect(r.verify.map((c) => [c.host, c.state])).toEqual(NODES.map((n) => [n, 'in-sync']));

    // Drains, as the LBs' own admin sockets saw them: each node drained on both LBs, only inside its
    // own turn (from its 'drain' progress to its 'done'), and never two nodes at once.
    expect(samples.length).toBeGreaterThan(10);
    for (const s of samples) expect(s.drained.length, `at ${s.got} on ${s.lb}: ${s.drained.join(',')}`).toBeLessThanOrEqual(1);
    for (const n of NODES) {
      const start = progress.find((p) => p.host === n && p.phase === 'drain')!.t;
      const end = progress.find((p) => p.host === n && p.phase === 'done')!.t;
      expect(start).toBeLessThan(end);
      for (const lb of LBS) {
        const seen = samples.filter((s) => s.lb === lb && s.drained.includes(n));
        expect(seen.length, `${n} seen drained on ${lb}`).toBeGreaterThan(0);
        for (const s of seen) {
          expect(s.got, `${n} drained on ${lb} before its turn`).toBeGreaterThanOrEqual(start);
          expect(s.sent, `${n} still drained on ${lb} after its turn`).toBeLessThanOrEqual(end);
        }
      }
    }
    for (const lb of LBS) for (const n of NODES) expect((await lab.serverStatus(lb, n)).admin & 0x08).toBe(0);
    // Progress per host, in order of the rolling run.
    expect(progress.filter((p) => p.phase === 'drain').map((p) => p.host)).toEqual(NODES);
    expect(configProgress.some((p) => p.target === 'node2' && p.step === 'reload' && p.ok)).toBe(true);

    const audit = await lastAudit();
    expect(audit.kind).toBe('push');
    if (audit.kind !== 'push') return;
    expect(audit.result.outcome).toBe('ok');
    for (const n of NODES) {
      expect(audit.commands.some((c) => c.host === n && c.command.endsWith('/srv/app/reload') && c.ok)).toBe(true);
      expect(audit.commands.some((c) => c.host === n && c.command.includes("/srv/app/check-conf '/srv/app/.app.conf.clusterdeck-"))).toBe(true);
      for (const lb of LBS) {
        expect(audit.commands.some((c) => c.host === lb && c.command === `set server app/${n} state drain`)).toBe(true);
        expect(audit.commands.some((c) => c.host === lb && c.command === `set server app/${n} state ready`)).toBe(true);
      }
    }
    const matrix = await pl.api.call('sync.get', { cluster: 'demo', refresh: false });
    expect(matrix.cells.filter((c) => c.file === 'app.conf').map((c) => c.state)).toEqual(['in-sync', 'in-sync', 'in-sync']);

    // A second run finds every node in sync: nobody is drained, nothing is written.
    const again = await pl.api.call('push.run', { cluster: 'demo', request: { mode: 'rolling', drainWaitSec: 5, portWaitSec: 10 } });
    expect(again.outcome).toBe('unchanged');
    expect(again.hosts.every((h) => h.outcome === 'unchanged' && !h.drained)).toBe(true);
    for (const n of NODES) expect(backupsOn(lab, n)).toHaveLength(1);
  });

  it('(b) a push whose validation fails changes nothing on that host', async () => {
    await put('greeting = hello\nthis is not a setting\n');
    const before = { sha: sha(onDisk(lab, 'node1')), mtime: mtimeOf(lab, 'node1') };
    const r = await pl.api.call('push.run', { cluster: 'demo', request: { hosts: ['node1'], mode: 'all-at-once', drainWaitSec: 0, portWaitSec: 5 } });
    expect(r.outcome).toBe('failed');
    const h = r.hosts[0]!;
    expect(h.outcome).toBe('refused');
    expect(h.error?.message).toMatch(/^node1 refused the new file: .*line 2: expected "key = value".*; nothing was changed on any host$/);
    expect(h.files[0]!.steps.map((s) => s.step)).toEqual(['read', 'stage', 'validate', 'cleanup']);
    expect({ sha: sha(onDisk(lab, 'node1')), mtime: mtimeOf(lab, 'node1') }).toEqual(before);
    expect(leftovers(lab, 'node1')).toEqual([]);
    expect(backupsOn(lab, 'node1')).toEqual([]);
    expect((await appConfig(lab, 'node1')).sha256).toBe(before.sha);
  });

  it('(c) a reload the app rejects restores the previous file, reloads it, makes the node ready again, and says so', async () => {
    // No validate command: the malformed file gets as far as the app, which rejects it on SIGHUP.
    await put('greeting = hello\nthis is not a setting\n', { validate: null });
    const before = sha(onDisk(lab, 'node2'));
    const r = await pl.api.call('push.run', { cluster: 'demo', request: { hosts: ['node2', 'node3'], mode: 'rolling', drainWaitSec: 2, portWaitSec: 5 } });
    expect(r.outcome).toBe('stopped');
    const [h2, h3] = r.hosts;
    expect(h2!.outcome).toBe('restored');
    expect(h2!.error?.message).toMatch(/^reload failed on node2: the reload command exited with 1: app \(pid \d+\) rejected the new configuration and kept the previous one: .*line 2.*; node2 was restored to its previous file and reloaded$/);
    expect(h2!.files[0]!.steps.map((s) => `${s.step}:${s.ok}`)).toEqual(['read:true', 'stage:true', 'backup:true', 'replace:true', 'reload:false', 'restore:true', 'reload:true']);
    expect(h2!.notes).toContain('the previous file is in place and port 8080 answers: made ready again on lb1 and lb2');
    expect(h3).toMatchObject({ host: 'node3', outcome: 'not-started' });
    expect(r.message).toMatch(/^stopped at node2: .*not started: node3$/);
    expect(sha(onDisk(lab, 'node2'))).toBe(before);
    const loaded = await appConfig(lab, 'node2');
    expect(loaded.sha256).toBe(before);
    expect(loaded.rejected).toBeNull(); // the reload after the restore loaded the old file again
    expect(sha(onDisk(lab, 'node3'))).toBe(sha(pl.seeded.node3));
    for (const lb of LBS) for (const n of NODES) expect((await lab.serverStatus(lb, n)).admin & 0x08).toBe(0);
  });

  it('(c) a node whose restored service does not answer on its port is left drained, and the result says so', async () => {
    // Nothing listens on 8081: the port wait after the reload fails, the file is restored and
    // reloaded, and the port still does not answer, so the node stays out of rotation.
    await put(NEW_CONF, { servicePort: 8081 });
    const r = await pl.api.call('push.run', { cluster: 'demo', request: { hosts: ['node1', 'node2'], mode: 'rolling', drainWaitSec: 0, portWaitSec: 1 } });
    expect(r.outcome).toBe('stopped');
    const h = r.hosts[0]!;
    expect(h.outcome).toBe('restored');
    expect(h.error?.message).toMatch(/^verification failed on node1: nothing answered on [\d.]+:8081 within 1 s .*; node1 was restored to its previous file and reloaded$/);
    expect(h.notes.at(-1)).toMatch(/^left drained on lb1 and lb2: its port 8081 does not answer .*; check node1 by hand, then make it ready$/);
    expect(r.message).toContain('left drained on lb1 and lb2');
    expect(r.hosts[1]!.outcome).toBe('not-started');
    expect(onDisk(lab, 'node1')).toBe(pl.seeded.node1);
    for (const lb of LBS) {
      expect((await lab.serverStatus(lb, 'node1')).admin & 0x08).toBe(0x08);
      expect((await lab.serverStatus(lb, 'node2')).admin & 0x08).toBe(0);
    }
  });

  it('rolls back a backup on one host through the same path, and refuses anything that is not one of its backups', async () => {
    await put(NEW_CONF);
    const pushed = await pl.api.call('push.run', { cluster: 'demo', request: { hosts: ['node1'], mode: 'all-at-once', drainWaitSec: 0, portWaitSec: 5 } });
    expect(pushed.outcome).toBe('ok');
    const { backups } = await pl.api.call('files.backups', { cluster: 'demo', host: 'node1', file: 'app.conf' });
    expect(backups).toHaveLength(1);
    expect(backups[0]!.sha256).toBe(sha(pl.seeded.node1));

    await expect(pl.api.call('files.rollback', { cluster: 'demo', host: 'node1', file: 'app.conf', backup: '../../etc/passwd' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(pl.api.call('files.rollback', { cluster: 'demo', host: 'lb1', file: 'app.conf', backup: backups[0]!.id })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });

    const { result } = await pl.api.call('files.rollback', { cluster: 'demo', host: 'node1', file: 'app.conf', backup: backups[0]!.id });
    expect(result.outcome, result.message).toBe('ok');
    expect(result.targets[0]!.steps.map((s) => s.step)).toEqual(['read', 'stage', 'validate', 'backup', 'replace', 'reload', 'verify', 'cleanup']);
    expect(onDisk(lab, 'node1')).toBe(pl.seeded.node1);
    expect((await appConfig(lab, 'node1')).sha256).toBe(sha(pl.seeded.node1));
    const audit = await lastAudit();
    expect(audit).toMatchObject({ kind: 'config-change', result: { kind: 'managed-file', outcome: 'ok' } });
    if (audit.kind === 'config-change') expect(audit.commands?.some((c) => c.host === 'node1' && c.command.endsWith('/srv/app/reload'))).toBe(true);
    const cell = (await pl.api.call('sync.get', { cluster: 'demo', refresh: false })).cells.find((c) => c.host === 'node1');
    expect(cell?.state).toBe('out-of-sync');
  });

  it('the CLI previews, pushes rolling with progress lines, names a refused host, lists backups and rolls back', async () => {
    const base = ['--data-dir', pl.dataDir, '--known-hosts', lab.knownHostsFile];
    await put(NEW_CONF);
    const dry = await cli([...base, 'push', 'demo', '--rolling', '--dry-run']);
    expect(dry.code, dry.err).toBe(EXIT.ok);
    expect(dry.out).toContain('node3 /srv/app/app.conf [app.conf]: would change (passes validation)');
    expect(dry.out).toContain('+greeting = hello');
    expect(onDisk(lab, 'node3')).toBe(pl.seeded.node3);

    const run = await cli([...base, 'push', 'demo', '--rolling', '--hosts', 'node3', '--drain-wait', '1', '--port-wait', '5']);
    expect(run.code, run.out + run.err).toBe(EXIT.ok);
    expect(run.out).toMatch(/^node3\s+drain\s+10%  draining node3 on every LB$/m);
    expect(run.out).toMatch(/^node3\s+done\s+100%/m);
    expect(run.out).toContain('PUSHED: pushed to node3');
    expect(sha(onDisk(lab, 'node3'))).toBe(sha(NEW_CONF));

    const listed = await cli([...base, 'rollback', 'demo', 'node3', 'app.conf', '--json']);
    expect(listed.code, listed.err).toBe(EXIT.ok);
    const { backups } = JSON.parse(listed.out) as { backups: Array<{ id: string; sha256: string }> };
    expect(backups[0]!.sha256).toBe(sha(pl.seeded.node3));
    const back = await cli([...base, 'rollback', 'demo', 'node3', 'app.conf', '--backup', backups[0]!.id]);
    expect(back.code, back.out + back.err).toBe(EXIT.ok);
    expect(back.out).toMatch(/^RESTORED: applied on node3/);
    expect(onDisk(lab, 'node3')).toBe(pl.seeded.node3);

    await put('bad line\n');
    const bad = await cli([...base, 'push', 'demo', '--hosts', 'node1']);
    expect(bad.code).toBe(EXIT.invalidInput);
    expect(bad.out).toMatch(/^FAILED: failed on node1 \(node1 refused the new file: /m);
    const unknown = await cli([...base, 'push', 'demo', '--hosts', 'lb1']);
    expect(unknown.code).toBe(EXIT.invalidInput);
    expect(unknown.err).toContain('"app.conf" is not managed on lb1');
  });
});
