import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import type { Lab } from '../lab';
import { expect, requireLab, shot, test, watchConsole, type TestHost } from '../support/fixtures';
import { bothLbs, expectAllUp, NODES, openApp, resetLab, hostWithLab } from './helpers';

requireLab();

const appDir = (lab: Lab, node: string): string => `${lab.dir}/${node}/srv/app`;
const confPath = (lab: Lab, node: string): string => `${appDir(lab, node)}/app.conf`;
const sha256 = (s: string | Buffer): string => createHash('sha256').update(s).digest('hex');

/** SIGHUP to a node's app (the lab's processes share the host's pid namespace), so it loads app.conf again. */
function reloadApp(lab: Lab, node: string): void {
  const pid = Number(readFileSync(`${appDir(lab, node)}/app.pid`, 'utf8').trim());
  if (pid > 0) process.kill(pid, 'SIGHUP');
}

async function openConfiguration(page: Page): Promise<void> {
  await page.getByTestId('tab-configuration').click();
  await expect(page.getByTestId('configuration-tab')).toBeVisible();
}

// The Configuration tab against the lab's three nodes: /srv/app/app.conf declared through the add
// dialog (a local file picked, checked and fingerprinted in the page), all in sync; node2's file
// changed behind ClusterDeck's back shows out of sync in the matrix and the node table, its diff
// shows the change, the wizard pushes it back (rolling: drain, push, reload, port, ready) and the
// fingerprint reads back in sync; a backup is restored through the rollback dialog.
test.describe.serial('configuration: sync matrix, diff, push wizard, rollback', () => {
  let host: TestHost;
  const original: Record<string, string> = {};
  // The desired content: one file for every node (the lab seeds each node with its own name in it).
  let desired = '';

  test.beforeAll(async ({ browser, lab }) => {
    await resetLab(lab);
    for (const n of NODES) original[n] = readFileSync(confPath(lab, n), 'utf8');
    const slot = /^slot = (\d+)$/m.exec(original.node1!)?.[1] ?? '0';
    desired = ['# managed by ClusterDeck', `slot = ${slot}`, 'workers = 4', 'greeting = hello', ''].join('\n');
    for (const n of NODES) {
      writeFileSync(confPath(lab, n), desired);
      reloadApp(lab, n);
    }
    host = await hostWithLab(browser, lab);
  });

  test.afterAll(async ({ lab }) => {
    for (const n of NODES) {
      writeFileSync(confPath(lab, n), original[n]!);
      // the backups and temp files a push or rollback leaves beside the file
      for (const f of readdirSync(appDir(lab, n))) if (f.startsWith('app.conf.') && f !== 'app.conf') rmSync(`${appDir(lab, n)}/${f}`, { force: true });
      reloadApp(lab, n);
    }
    await resetLab(lab);
    await host?.stop();
  });

  test('declare /srv/app/app.conf through the add dialog: field errors, a refused file, then every node in sync', async ({ page, lab }) => {
    const con = watchConsole(page);
    await openApp(page, host);
    await expectAllUp(page);
    await openConfiguration(page);
    await expect(page.getByTestId('sync-empty')).toBeVisible();
    await expect(page.getByTestId('push-open')).toBeDisabled();

    await page.getByTestId('file-add').click();
    const dialog = page.getByTestId('file-dialog');
    await expect(dialog).toBeVisible();
    await page.getByTestId('file-id').fill('App Conf');
    await page.getByTestId('file-path').fill('srv/app/app.conf');
    await page.getByTestId('file-validate').fill('/srv/app/check-conf');
    await expect(page.getByTestId('file-id-error')).toContainText('lowercase');
    await expect(page.getByTestId('file-path-error')).toHaveText('must be an absolute path');
    await expect(page.getByTestId('file-validate-error')).toHaveText('must name the staged file as {file}');
    // a binary file is refused in the page, before anything is sent
    await page.getByTestId('file-content').setInputFiles({ name: 'app.bin', mimeType: 'application/octet-stream', buffer: Buffer.from([0x61, 0x00, 0x62]) });
    await expect(page.getByTestId('file-content-error')).toHaveText('app.bin is not a text file (it contains NUL bytes): pick the configuration file itself.');
    await page.getByTestId('file-save').click();
    await expect(page.getByTestId('file-form-status')).toHaveText('Fix the fields marked in red to save.');
    await shot(page, 'config-add-file-errors');
    await page.getByTestId('file-content-error').scrollIntoViewIfNeeded();
    await shot(page, 'config-add-file-refused-content');

    await page.getByTestId('file-id').fill('app-conf');
    await page.getByTestId('file-path').fill('/srv/app/app.conf');
    await page.getByTestId('file-validate').fill('/srv/app/check-conf {file}');
    await page.getByTestId('file-reload-command').check();
    await page.getByTestId('file-reloadCommand').fill('/srv/app/reload');
    await page.getByTestId('file-servicePort').fill('8080');
    await page.getByTestId('file-keepBackups').fill('3');
    await page.getByTestId('file-content').setInputFiles({ name: 'app.conf', mimeType: 'text/plain', buffer: Buffer.from(desired) });
    await expect(page.getByTestId('file-picked-sha')).toHaveText(sha256(desired));
    await expect(page.getByTestId('file-picked')).toContainText(`${Buffer.byteLength(desired)} B`);
    await expect(page.getByTestId('file-content-error')).toHaveCount(0);
    await expect(page.getByTestId('file-id-error')).toHaveCount(0);
    await page.getByTestId('file-picked').scrollIntoViewIfNeeded();
    await shot(page, 'config-add-file');
    await page.getByTestId('file-save').click();
    await expect(dialog).toBeHidden();

    for (const n of NODES) await expect(page.getByTestId(`sync-cell-${n}-app-conf`)).toHaveAttribute('data-state', 'in-sync', { timeout: 30_000 });
    await expect(page.getByTestId('sync-summary')).toHaveText('3 in sync');
    await expect(page.getByTestId('sync-checked')).toContainText('checked');
    await expect(page.getByTestId('sync-col-app-conf')).toContainText(sha256(desired).slice(0, 8));
    await expect(page.getByTestId('file-row-app-conf')).toContainText('/srv/app/check-conf {file}');
    await expect(page.getByTestId('file-version-app-conf')).toHaveText('v1');
    await page.getByTestId('tab-overview').click();
    for (const n of NODES) await expect(page.getByTestId(`sync-${n}`)).toHaveAttribute('data-state', 'in-sync', { timeout: 30_000 });
    expect(con.errors).toEqual([]);
  });

  test("node2 changed behind ClusterDeck's back: out of sync in the matrix and the node table, the diff, pushed back by the wizard", async ({ page, lab }) => {
    test.setTimeout(180_000);
    const con = watchConsole(page);
    const changed = desired.replace('workers = 4', 'workers = 16').replace('greeting = hello', 'greeting = hello from a hand edit');
    writeFileSync(confPath(lab, 'node2'), changed);

    await openApp(page, host);
    await expectAllUp(page);
    await openConfiguration(page);
    await page.getByTestId('sync-refresh').click();
    await expect(page.getByTestId('sync-cell-node2-app-conf')).toHaveAttribute('data-state', 'out-of-sync', { timeout: 30_000 });
    await expect(page.getByTestId('sync-cell-node2-app-conf')).toContainText('out of sync');
    await expect(page.getByTestId('sync-cell-node2-app-conf')).toContainText(sha256(changed).slice(0, 8));
    for (const n of ['node1', 'node3']) await expect(page.getByTestId(`sync-cell-${n}-app-conf`)).toHaveAttribute('data-state', 'in-sync');
    await expect(page.getByTestId('sync-summary')).toHaveText('1 out of sync, 2 in sync');
    await shot(page, 'config-matrix-out-of-sync');

    // the node table says so, and its Sync cell opens the matrix filtered to node2
    await page.getByTestId('tab-overview').click();
    const cell = page.getByTestId('sync-node2');
    await expect(cell).toHaveAttribute('data-state', 'out-of-sync', { timeout: 30_000 });
    await expect(cell).toHaveText('out of sync');
    await expect(cell).toHaveAttribute('aria-label', /app-conf/);
    await expect(page.getByTestId('sync-node1')).toHaveText('in sync');
    await cell.hover();
    await expect(page.getByRole('tooltip')).toContainText('Out of sync: app-conf');
    await shot(page, 'config-node-table-out-of-sync');
    await cell.click();
    await expect(page.getByTestId('configuration-tab')).toBeVisible();
    await expect(page.getByTestId('sync-filtered')).toContainText('node2');
    await expect(page.getByTestId('sync-row-node2')).toBeVisible();
    await expect(page.getByTestId('sync-row-node1')).toHaveCount(0);
    await shot(page, 'config-matrix-filtered');

    // the diff: on the host → desired
    await page.getByTestId('sync-cell-node2-app-conf').click();
    await expect(page.getByTestId('cell-dialog')).toBeVisible();
    await expect(page.getByTestId('cell-diff')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('cell-sha-host')).toHaveText(sha256(changed));
    await expect(page.getByTestId('cell-sha-desired')).toHaveText(sha256(desired));
    const del = page.getByTestId('cell-diff').getByTestId('diff-del');
    const add = page.getByTestId('cell-diff').getByTestId('diff-add');
    await expect(del).toHaveCount(2);
    await expect(add).toHaveCount(2);
    await expect(del.first()).toContainText('workers = 16');
    await expect(add.first()).toContainText('workers = 4');
    await shot(page, 'config-cell-diff');

    // the wizard, preselected: node2, app-conf
    await page.getByTestId('cell-push').click();
    await expect(page.getByTestId('push-wizard')).toHaveAttribute('data-step', 'choose');
    await expect(page.getByTestId('wiz-file-app-conf')).toBeChecked();
    await expect(page.getByTestId('wiz-host-node2')).toBeChecked();
    await expect(page.getByTestId('wiz-host-node1')).not.toBeChecked();
    await shot(page, 'wizard-1-choose');

    await page.getByTestId('wiz-next').click();
    await expect(page.getByTestId('wiz-step-preview')).toBeVisible();
    const item = page.getByTestId('wiz-preview-node2-app-conf');
    await expect(item).toHaveAttribute('data-valid', 'true', { timeout: 60_000 });
    await expect(item).toHaveAttribute('data-changed', 'true');
    await expect(item).toContainText('validate accepts it');
    await expect(page.getByTestId('wiz-diff-node2-app-conf').getByTestId('diff-add').first()).toContainText('workers = 4');
    await shot(page, 'wizard-2-preview');

    await page.getByTestId('wiz-next').click();
    await expect(page.getByTestId('wiz-step-mode')).toBeVisible();
    await page.getByTestId('wiz-mode-rolling').check();
    await page.getByTestId('wiz-drain-wait').fill('abc');
    await expect(page.getByTestId('wiz-drain-wait-error')).toHaveText('must be a whole number of seconds');
    await expect(page.getByTestId('wiz-next')).toBeDisabled();
    await page.getByTestId('wiz-drain-wait').fill('2');
    await page.getByTestId('wiz-port-wait').fill('10');
    await shot(page, 'wizard-3-mode');

    await page.getByTestId('wiz-next').click();
    await expect(page.getByTestId('wiz-step-review')).toBeVisible();
    const review = page.getByTestId('wiz-review-host-node2');
    await expect(review).toContainText('Drain node2 on lb1 and lb2; wait up to 2 s', { timeout: 60_000 });
    await expect(review).toContainText('Validate it there: /srv/app/check-conf {file}');
    await expect(review).toContainText('Reload: /srv/app/reload');
    await expect(review).toContainText('Wait up to 10 s for port 8080.');
    await expect(review).toContainText('Make node2 ready on lb1 and lb2.');
    await expect(page.getByTestId('wiz-review-lead')).toContainText('Rolling, one node at a time');
    await expect(page.getByTestId('wiz-run')).toHaveText('Push to 1 host');
    await shot(page, 'wizard-4-review');

    await page.getByTestId('wiz-run').click();
    await expect(page.getByTestId('wiz-step-run')).toBeVisible();
    const result = page.getByTestId('wiz-run-result');
    await expect(result).toHaveAttribute('data-outcome', 'ok', { timeout: 90_000 });
    await expect(page.getByTestId('wiz-run-host-node2')).toHaveAttribute('data-outcome', 'done');
    await expect(page.getByTestId('wiz-result-done')).toHaveText('node2');
    await expect(page.getByTestId('wiz-result-failed')).toHaveText('none');
    await expect(page.getByTestId('wiz-steps-node2-app-conf').locator('[data-step=validate]')).toHaveAttribute('data-state', 'done');
    await expect(page.getByTestId('wiz-steps-node2-app-conf').locator('[data-step=reload]')).toHaveAttribute('data-state', 'done');
    await expect(page.getByTestId('wiz-log-node2')).not.toBeEmpty();
    await shot(page, 'wizard-5-run');
    expect(readFileSync(confPath(lab, 'node2'), 'utf8')).toBe(desired);
    // node2 is back to ready on both LBs after its rolling update
    await lab.waitFor(async () => (await bothLbs(lab, 'node2')).every((x) => x.status === 'UP'), { timeoutMs: 20_000, what: 'node2 UP on both LBs' });

    await page.getByTestId('wiz-next').click();
    await expect(page.getByTestId('wiz-step-verify')).toBeVisible();
    await expect(page.getByTestId('wiz-verify-node2-app-conf')).toHaveAttribute('data-ok', 'true');
    await expect(page.getByTestId('wiz-verify-lead')).toHaveText('All 1 file read back with the desired fingerprint.');
    await shot(page, 'wizard-6-verify');
    await page.getByTestId('wiz-done').click();
    await expect(page.getByTestId('push-wizard')).toHaveCount(0);
    await page.getByTestId('sync-show-all').click();
    for (const n of NODES) await expect(page.getByTestId(`sync-cell-${n}-app-conf`)).toHaveAttribute('data-state', 'in-sync', { timeout: 30_000 });
    await page.getByTestId('tab-overview').click();
    await expect(page.getByTestId('sync-node2')).toHaveAttribute('data-state', 'in-sync', { timeout: 30_000 });

    // the audit entry: per-host outcome and the exact commands
    await page.getByTestId('tab-activity').click();
    const entry = page.locator('[data-testid=audit-entry][data-kind=push]').first();
    await entry.locator('.audit-head').click();
    await expect(entry.getByTestId('audit-host-node2')).toHaveAttribute('data-outcome', 'done');
    await expect(entry.getByTestId('audit-commands-node2')).toContainText('/srv/app/reload');
    await shot(page, 'config-activity-push');
    expect(con.errors).toEqual([]);
  });

  test('rollback: the backups of app.conf on node2 with dates and fingerprints; restoring one goes through the safe path', async ({ page, lab }) => {
    const con = watchConsole(page);
    await openApp(page, host);
    await expectAllUp(page);
    await openConfiguration(page);
    await page.getByTestId('sync-cell-node2-app-conf').click();
    await page.getByTestId('cell-rollback').click();
    const dialog = page.getByTestId('rollback-dialog');
    await expect(dialog).toBeVisible();
    const rows = page.getByTestId('rollback-backups').locator('tbody tr');
    await expect(rows.first()).toBeVisible({ timeout: 30_000 });
    // the push kept the hand-edited file as a backup
    const changedSha = sha256(desired.replace('workers = 4', 'workers = 16').replace('greeting = hello', 'greeting = hello from a hand edit'));
    const backup = rows.filter({ hasText: changedSha.slice(0, 12) }).first();
    await expect(backup).toBeVisible();
    await expect(backup).toContainText(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
    await backup.locator('input[type=radio]').check();
    await expect(page.getByTestId('rollback-run')).toContainText('Restore the backup of');
    await shot(page, 'config-rollback');
    await page.getByTestId('rollback-run').click();
    await expect(page.getByTestId('rollback-result')).toHaveAttribute('data-outcome', 'ok', { timeout: 60_000 });
    await expect(page.getByTestId('rollback-steps-node2').locator('[data-step=replace]')).toHaveAttribute('data-state', 'done');
    await shot(page, 'config-rollback-done');
    expect(sha256(readFileSync(confPath(lab, 'node2')))).toBe(changedSha);
    await page.getByTestId('rollback-close').click();
    await expect(page.getByTestId('sync-cell-node2-app-conf')).toHaveAttribute('data-state', 'out-of-sync', { timeout: 30_000 });
    expect(con.errors).toEqual([]);
  });

  test('light and dark: the matrix and the diff stay readable', async ({ page }) => {
    const con = watchConsole(page);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await openApp(page, host);
      await expectAllUp(page);
      await openConfiguration(page);
      await expect(page.getByTestId('sync-cell-node2-app-conf')).toHaveAttribute('data-state', 'out-of-sync', { timeout: 30_000 });
      await shot(page, `config-matrix-${scheme}`);
      await page.getByTestId('sync-cell-node2-app-conf').click();
      await expect(page.getByTestId('cell-diff')).toBeVisible({ timeout: 30_000 });
      await shot(page, `config-cell-diff-${scheme}`);
      await page.keyboard.press('Escape');
      await page.getByTestId('tab-overview').click();
      await expect(page.getByTestId('sync-node2')).toHaveText('out of sync', { timeout: 30_000 });
      await shot(page, `config-node-table-${scheme}`);
    }
    expect(con.errors).toEqual([]);
  });

  test('a new version the app refuses: kept as v2, the preview shows the refusal, nothing can be pushed; the wizard can be left and resumed', async ({ page, lab }) => {
    const con = watchConsole(page);
    const before = readFileSync(confPath(lab, 'node1'), 'utf8');
    await openApp(page, host);
    await expectAllUp(page);
    await openConfiguration(page);
    await page.getByTestId('file-edit-app-conf').click();
    await expect(page.getByTestId('file-id')).toBeDisabled();
    await expect(page.getByTestId('file-path')).toHaveValue('/srv/app/app.conf');
    const bad = `${desired}this line has no equals sign\n`;
    await page.getByTestId('file-content').setInputFiles({ name: 'app-bad.conf', mimeType: 'text/plain', buffer: Buffer.from(bad) });
    await expect(page.getByTestId('file-save-words')).toContainText('version 2');
    await page.getByTestId('file-save').click();
    await expect(page.getByTestId('file-dialog')).toBeHidden();
    await expect(page.getByTestId('file-version-app-conf')).toHaveText('v2');
    for (const n of NODES) await expect(page.getByTestId(`sync-cell-${n}-app-conf`)).toHaveAttribute('data-state', 'out-of-sync', { timeout: 30_000 });

    // a fresh wizard proposes what is out of sync: every node
    await page.getByTestId('push-open').click();
    for (const n of NODES) await expect(page.getByTestId(`wiz-host-${n}`)).toBeChecked();
    await page.getByTestId('wiz-next').click();
    await expect(page.getByTestId('wiz-preview-node1-app-conf')).toHaveAttribute('data-valid', 'false', { timeout: 60_000 });
    await expect(page.getByTestId('wiz-preview-node1-app-conf')).toContainText('validate refuses it');
    await expect(page.getByTestId('wiz-refusal')).toContainText('The validate command refuses the new file on node1 (app-conf)');
    await expect(page.getByTestId('wiz-next')).toBeDisabled();
    await expect(page.getByTestId('wiz-nav-mode').locator('button')).toBeDisabled();
    await shot(page, 'wizard-preview-refused');
    // left and resumed where it was
    await page.getByTestId('wiz-close').click();
    await expect(page.getByTestId('push-open')).toHaveText('Resume the push wizard');
    await page.getByTestId('push-open').click();
    await expect(page.getByTestId('push-wizard')).toHaveAttribute('data-step', 'preview');
    await expect(page.getByTestId('wiz-refusal')).toBeVisible();
    // nothing was written anywhere
    expect(readFileSync(confPath(lab, 'node1'), 'utf8')).toBe(before);
    expect(con.errors).toEqual([]);
  });
});
