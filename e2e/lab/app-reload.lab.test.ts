import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labAvailable, startLab, type Lab } from './index';
import { nodeSrv } from './layout';
import { appConfig, ssh } from './testing';

const avail = labAvailable();
const sha = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');

describe.skipIf(!avail.ok)(`lab app: configuration, reload and check (${avail.ok ? 'root' : `skipped: ${avail.reason}`})`, () => {
  let lab: Lab;
  const conf = (): string => `${nodeSrv(lab.dir, 'node1')}/app/app.conf`;

  beforeAll(async () => {
    lab = await startLab();
  });
  afterAll(async () => {
    await lab?.stop();
  });

  it('loads app.conf at start and reports its sha256 and values', async () => {
    const c = await appConfig(lab, 'node1');
    expect(c.sha256).toBe(sha(readFileSync(conf())));
    expect(c.values['node']).toBe('node1');
    expect(c.rejected).toBeNull();
    const pid = await ssh(lab, 'node1', 'cat /srv/app/app.pid');
    expect(pid.stdout.trim()).toMatch(/^\d+$/);
  });

  it('/srv/app/reload: a valid file is loaded and acknowledged; a malformed one is rejected and the old one kept', async () => {
    const good = '# new\nnode = node1\ncolour = blue\n';
    writeFileSync(conf(), good);
    const ok = await ssh(lab, 'node1', '/srv/app/reload');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain(`sha256 ${sha(good)}`);
    expect((await appConfig(lab, 'node1')).values['colour']).toBe('blue');

    writeFileSync(conf(), 'node = node1\nthis line is not a setting\n');
    const bad = await ssh(lab, 'node1', '/srv/app/reload');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/rejected the new configuration and kept the previous one: .*line 2: expected "key = value"/);
    const c = await appConfig(lab, 'node1');
    expect(c.sha256).toBe(sha(good));
    expect(c.rejected).toContain('line 2');
    writeFileSync(conf(), good);
  });

  it('/srv/app/check-conf checks a file with the app parser', async () => {
    const d = `${nodeSrv(lab.dir, 'node2')}/app`;
    writeFileSync(`${d}/ok.conf`, 'a = 1\n# c\n\nb=2\n');
    writeFileSync(`${d}/bad.conf`, 'a = 1\n= 2\n');
    const ok = await ssh(lab, 'node2', '/srv/app/check-conf /srv/app/ok.conf');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^ok: 2 keys/);
    const bad = await ssh(lab, 'node2', '/srv/app/check-conf /srv/app/bad.conf');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('line 2');
  });

  it('reload says so when the app is not running', async () => {
    await lab.fault.stop('node3', 'app');
    try {
      const r = await ssh(lab, 'node3', '/srv/app/reload');
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/not running/);
    } finally {
      await lab.fault.start('node3', 'app');
    }
    expect((await appConfig(lab, 'node3')).rejected).toBeNull();
  });
});
