import { readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { labAvailable, startLab, type Lab } from '../../e2e/lab';
import { lbEtc, nodeSrv } from '../../e2e/lab/layout';
import type { ConfigProgress } from '../../shared/domain/config-change';
import { APP_CONF, appDir, leftovers, mtimeOf, onDisk, openCore, resetLab, sha, type PushLab } from './push-lab-test-support';

const avail = labAvailable();

// A file big enough that staging it is not instantaneous, so a cut can land in the middle of it.
const BIG = `# big\n${Array.from({ length: 12_000 }, (_, i) => `key${i} = ${'v'.repeat(16)}${i}`).join('\n')}\n`;

describe.skipIf(!avail.ok)(`push faults and path safety on the lab (${avail.ok ? 'root' : `skipped: ${avail.reason}`})`, () => {
  let lab: Lab;
  let pl: PushLab;
  let onConfig: ((p: ConfigProgress) => void) | null = null;

  beforeAll(async () => {
    lab = await startLab();
    pl = await openCore(lab);
    pl.api.subscribe('config.progress', (p) => onConfig?.(p));
  });
  afterAll(async () => {
    await pl?.close();
    await lab?.stop();
  });
  beforeEach(async () => {
    onConfig = null;
    await resetLab(lab, pl);
  });

  const linkUp = async (): Promise<void> => {
    await pl.api.call('links.retry', { cluster: 'demo' });
    await lab.waitFor(async () => (await pl.api.call('links.list', { cluster: 'demo' })).find((l) => l.host === 'node1')?.state === 'up', {
      timeoutMs: 20_000,
      intervalMs: 100,
      what: 'node1 link back up',
    });
  };

  for (const [when, step] of [
    ['while the new file is staged', 'read'],
    ['between the backup and the rename', 'backup'],
    ['during the reload', 'replace'],
  ] as const) {
    it(`(d) cutting the SSH link ${when} leaves the old file or the new one, whole`, async () => {
      // A slow reload keeps the last case's cut inside the reload.
      await pl.api.call('files.put', { cluster: 'demo', settings: { ...APP_CONF, reload: { kind: 'command', command: 'sleep 1; /srv/app/reload' } }, content: BIG, source: 'test' });
      const old = onDisk(lab, 'node1');
      let cut: Promise<void> | null = null;
      onConfig = (p) => {
        if (!cut && p.target === 'node1' && p.step === step && p.ok) cut = lab.fault.cutLink('node1');
      };
      let r;
      try {
        r = await pl.api.call('push.run', { cluster: 'demo', request: { hosts: ['node1'], mode: 'all-at-once', drainWaitSec: 0, portWaitSec: 5 } });
      } finally {
        onConfig = null;
        await cut;
        await lab.fault.healLink('node1');
      }
      expect(cut, 'the link was cut').not.toBeNull();
      expect(r.outcome).toBe('failed');
      expect(r.hosts[0]!.error?.code).toMatch(/SSH_|TIMEOUT|NOT_CONFIRMED/);
      const now = onDisk(lab, 'node1');
      expect(now === old || now === BIG, `node1's app.conf is neither the old nor the new file (${now.length} bytes)`).toBe(true);
      // Any temp left behind is never the target, and the target is never one of them.
      for (const f of leftovers(lab, 'node1')) expect(readFileSync(join(appDir(lab, 'node1'), f), 'utf8').length).toBeLessThanOrEqual(BIG.length);
      console.info(`cut ${when}: node1 has the ${now === old ? 'old' : 'new'} file; ${r.hosts[0]!.error?.message}`);
      await linkUp();
    });
  }

  it("(e) paths with '..' are refused by files.put; a symlinked directory or a symlink target is refused on the host, nothing written", async () => {
    await expect(
      pl.api.call('files.put', { cluster: 'demo', settings: { ...APP_CONF, id: 'escape.conf', path: '/srv/app/../app/x.conf' }, content: 'a = 1\n' }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining("'..'") });

    symlinkSync('/srv/app', join(nodeSrv(lab.dir, 'node1'), 'linked'));
    symlinkSync('app.conf', join(appDir(lab, 'node1'), 'link.conf'));
    const before = { sha: sha(onDisk(lab, 'node1')), mtime: mtimeOf(lab, 'node1') };
    const files = readdirSync(appDir(lab, 'node1')).sort();
    const base = { ...APP_CONF, hosts: ['node1'], validate: null, reload: { kind: 'none' as const }, servicePort: null, process: null };
    await pl.api.call('files.put', { cluster: 'demo', settings: { ...base, id: 'via-dir.conf', path: '/srv/linked/new.conf' }, content: 'a = 1\n' });
    await pl.api.call('files.put', { cluster: 'demo', settings: { ...base, id: 'via-link.conf', path: '/srv/app/link.conf' }, content: 'a = 1\n' });

    const preview = await pl.api.call('push.preview', { cluster: 'demo', request: { files: ['via-dir.conf'], mode: 'all-at-once', drainWaitSec: 0, portWaitSec: 5 } });
    expect(preview.items[0]!.message).toContain('node1: /srv/linked/new.conf is reached through a symlinked directory (real path /srv/app/new.conf)');

    for (const [file, words] of [
      ['via-dir.conf', 'node1: /srv/linked/new.conf is reached through a symlinked directory (real path /srv/app/new.conf); use the real path'],
      ['via-link.conf', 'node1: /srv/app/link.conf is a symlink to /srv/app/app.conf'],
    ] as const) {
      const r = await pl.api.call('push.run', { cluster: 'demo', request: { files: [file], mode: 'all-at-once', drainWaitSec: 0, portWaitSec: 5 } });
      expect(r.outcome).toBe('failed');
      expect(r.hosts[0]!.error?.message).toContain(words);
      expect(r.hosts[0]!.files[0]!.steps.map((s) => s.step)).toEqual(['read']);
    }
    expect(readdirSync(appDir(lab, 'node1')).sort()).toEqual(files);
    expect({ sha: sha(onDisk(lab, 'node1')), mtime: mtimeOf(lab, 'node1') }).toEqual(before);
    await pl.api.call('files.remove', { cluster: 'demo', file: 'via-dir.conf' });
    await pl.api.call('files.remove', { cluster: 'demo', file: 'via-link.conf' });
  });

  it("haproxy.cfg on an LB: validated with haproxy -c, reloaded through the master CLI, after the nodes and never drained", async () => {
    const cfgPath = join(lbEtc(lab.dir, 'lb1'), 'haproxy.cfg');
    const original = readFileSync(cfgPath, 'utf8');
    const pid = async (): Promise<number> => Number(/^Pid: (\d+)/m.exec(await lab.runtime('lb1', 'show info'))?.[1]);
    const before = await pid();
    const next = `${original}# pushed by ClusterDeck\n`;
    await pl.api.call('files.put', {
      cluster: 'demo',
      settings: { id: 'haproxy.cfg', path: '/etc/haproxy/haproxy.cfg', hosts: ['lb1'], validate: 'haproxy -c -f {file}', reload: { kind: 'haproxy' }, servicePort: 80, mode: '0644' },
      content: next,
    });
    try {
      const preview = await pl.api.call('push.preview', { cluster: 'demo', request: { files: ['haproxy.cfg'], mode: 'rolling', drainWaitSec: 0, portWaitSec: 10 } });
      expect(preview.items[0]!.message).toMatch(/^lb1 is a load balancer, not a node: it is updated after the nodes, one at a time, without draining; lb1: would change/);
      expect(preview.items[0]!.valid).toBe(true);
      const r = await pl.api.call('push.run', { cluster: 'demo', request: { files: ['haproxy.cfg'], mode: 'rolling', drainWaitSec: 0, portWaitSec: 10 } });
      expect(r.outcome, r.message).toBe('ok');
      expect(r.hosts[0]).toMatchObject({ host: 'lb1', outcome: 'done', drained: false });
      expect(r.hosts[0]!.files[0]!.steps.find((s) => s.step === 'validate')!.ok).toBe(true);
      expect(r.hosts[0]!.files[0]!.steps.find((s) => s.step === 'verify')!.detail).toMatch(/:80 answers/);
      expect(readFileSync(cfgPath, 'utf8')).toBe(next);
      expect(await pid()).not.toBe(before);
    } finally {
      await pl.api.call('files.remove', { cluster: 'demo', file: 'haproxy.cfg' });
      writeFileSync(cfgPath, original);
      const p = await pid();
      await lab.runtime('lb1', 'reload', { master: true });
      await lab.waitFor(async () => (await pid()) !== p, { timeoutMs: 10_000, what: 'lb1 reloaded with the lab config' });
    }
  });
});
