import { spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Lab } from '../lab';
import { appConfig } from '../lab/testing';
import { backupPathFor } from '../../electron/config/remote-scripts';
import type { JournalEntry } from '../../shared/domain/journal';
import { expect, requireLab, shot, test, watchConsole, type TestHost } from '../support/fixtures';
import { hostWithLab, openApp, rpcClient } from './helpers';

requireLab();

const sha256 = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');
const appDir = (lab: Lab): string => `${lab.dir}/node1/srv/app`;
const confPath = (lab: Lab): string => `${appDir(lab)}/app.conf`;

// The banner of interrupted changes: a push whose process died after the rename on node1 (left in
// the data directory exactly as a killed ClusterDeck leaves it: the new file on disk, the old one
// as its backup, the journal saying "reload under way" and naming a pid that is gone). The banner
// names the host, file and step, what node1 holds; Finish (reload) behind a confirm loads it.
// The kill itself is reproduced with a real process in electron/recover/recover.lab.test.ts.
test.describe.serial('recover: the interrupted-change banner', () => {
  let host: TestHost;
  let original = '';
  const NEW = '# pushed, then its ClusterDeck died\ngreeting = from-the-banner\n';
  const id = randomUUID();

  test.beforeAll(async ({ browser, lab }) => {
    original = readFileSync(confPath(lab), 'utf8');
    host = await hostWithLab(browser, lab);
    const api = await rpcClient(host);
    await api.call('files.put', {
      cluster: 'demo',
      settings: { id: 'app.conf', path: '/srv/app/app.conf', hosts: ['node1'], reload: { kind: 'command', command: '/srv/app/reload' }, servicePort: 8080 },
      content: NEW,
      source: 'test',
    });
    api.close();
    // A pid that is certainly gone: a child that already exited.
    const dead = spawnSync('true').pid!;
    const backup = backupPathFor('/srv/app/app.conf', new Date());
    writeFileSync(join(appDir(lab), backup.split('/').pop()!), original);
    writeFileSync(confPath(lab), NEW);
    const now = Date.now();
    const entry: JournalEntry = {
      version: 1,
      id,
      cluster: 'demo',
      kind: 'push',
      summary: 'push app.conf to node1 (all-at-once)',
      owner: { pid: dead, startTime: null, machine: hostname(), actor: { via: 'cli', user: 'root', machine: hostname() } },
      startedAt: now - 5000,
      updatedAt: now - 4000,
      state: 'running',
      abandoned: false,
      reportedAt: null,
      resolvedAt: null,
      resolution: null,
      before: null,
      after: null,
      drained: [],
      targets: [
        {
          host: 'node1',
          role: 'node',
          path: '/srv/app/app.conf',
          file: 'app.conf',
          shaBefore: sha256(original),
          shaNew: sha256(NEW),
          prepared: true,
          unchanged: false,
          backup,
          reload: { kind: 'command', command: '/srv/app/reload' },
          check: null,
          servicePort: 8080,
          done: 'replace',
          doing: 'reload',
          lastOk: true,
          reloads: [{ startedAt: now - 4000, endedAt: null, ok: null, oldPid: null, newPid: null }],
        },
      ],
    };
    mkdirSync(join(host.dataDir, 'journal', 'demo'), { recursive: true });
    writeFileSync(join(host.dataDir, 'journal', 'demo', `${id}.json`), JSON.stringify(entry));
  });

  test.afterAll(async ({ lab }) => {
    writeFileSync(confPath(lab), original);
    for (const f of readdirSync(appDir(lab))) if (f.startsWith('app.conf.') && f !== 'app.conf') rmSync(`${appDir(lab)}/${f}`, { force: true });
    spawnSync('sh', ['-c', `kill -HUP "$(cat ${appDir(lab)}/app.pid)"`]);
    await host?.stop();
  });

  test('names the host, file and step; Finish (reload) behind a confirm loads the new file and the banner goes', async ({ page, lab }) => {
    const con = watchConsole(page);
    await openApp(page, host);
    await page.getByTestId('rail-cluster-demo').click();
    const banner = page.getByTestId('recover-banner');
    await expect(banner).toBeVisible();
    await expect(page.getByTestId('recover-title')).toHaveText('1 change on demo was interrupted');
    const row = page.getByTestId('recover-target-node1');
    await expect(row).toContainText('/srv/app/app.conf');
    await expect(row).toContainText('replace done, reload not');
    await expect(row).toContainText('node1 has the new file, reload not confirmed');
    await expect(page.getByTestId(`recover-change-${id}`)).toHaveAttribute('data-state', 'interrupted');
    await shot(page, 'recover-banner');

    await page.getByTestId(`recover-finish-${id}`).click();
    const dialog = page.getByTestId('recover-confirm');
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('This will reload and check node1.');
    await shot(page, 'recover-confirm');
    await page.getByTestId('recover-confirm-run').click();
    await expect(page.getByTestId('recover-result')).toHaveAttribute('data-outcome', 'ok', { timeout: 30_000 });
    await expect(page.getByTestId('recover-title')).toBeHidden({ timeout: 15_000 });
    expect((await appConfig(lab, 'node1')).sha256).toBe(sha256(NEW));
    await page.getByTestId('recover-result-close').click();
    await expect(banner).toBeHidden();
    expect(JSON.parse(readFileSync(join(host.dataDir, 'journal', 'demo', `${id}.json`), 'utf8'))).toMatchObject({ state: 'resolved', resolution: 'finish' });
    expect(con.errors).toEqual([]);
  });
});
