import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, shot, startTestHost, test, watchConsole } from '../support/fixtures';
import { openApp } from './helpers';

// A cluster by hand: checked in the form field by field, then by the core (a taken name comes back on
// its field). The hosts here refuse connections (127.0.0.1 port 1), so no lab is needed, and the
// table shows what an unreachable cluster looks like (with a throwaway key, so it gets as far as dialling).
test('add a cluster by hand: errors by field, then saved, then a taken name refused on its field', async ({ page }) => {
  const keyDir = mkdtempSync(join(tmpdir(), 'cd-e2e-key-'));
  const keyFile = join(keyDir, 'id_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyFile]);
  const host = await startTestHost();
  const con = watchConsole(page);
  try {
    await openApp(page, host);
    await page.getByTestId('empty-add').click();
    const dialog = page.getByTestId('add-cluster-dialog');
    await expect(dialog).toBeVisible();
    await page.getByTestId('cluster-save').click();
    for (const f of ['cluster-name-input', 'cluster-backend', 'nodes-0-name', 'nodes-0-host', 'nodes-0-user', 'lbs-0-name', 'lbs-0-host', 'lbs-0-user']) {
      await expect(page.getByTestId(`${f}-error`), f).toBeVisible();
      await expect(page.getByTestId(f)).toHaveAttribute('aria-invalid', 'true');
    }

    await page.getByTestId('cluster-name-input').fill('bad name');
    await page.getByTestId('cluster-backend').fill('app');
    await page.getByTestId('nodes-0-name').fill('n1');
    await page.getByTestId('nodes-0-host').fill('127.0.0.1');
    await page.getByTestId('nodes-0-port').fill('99999');
    await page.getByTestId('nodes-0-user').fill('root');
    await page.getByTestId('nodes-0-keyFile').fill(keyFile);
    await page.getByTestId('lbs-0-name').fill('lb1');
    await page.getByTestId('lbs-0-host').fill('127.0.0.1');
    await page.getByTestId('lbs-0-port').fill('1');
    await page.getByTestId('lbs-0-user').fill('root');
    await page.getByTestId('lbs-0-keyFile').fill(keyFile);
    await page.getByTestId('lbs-0-socket').fill('admin.sock');
    await expect(page.getByTestId('cluster-name-input-error')).toContainText('must start with a letter or digit');
    await expect(page.getByTestId('nodes-0-port-error')).toContainText('1 to 65535');
    await expect(page.getByTestId('lbs-0-socket-error')).toContainText('absolute path');
    await expect(page.getByTestId('nodes-0-host-error')).toHaveCount(0);
    await shot(page, 'add-cluster-errors');

    await page.getByTestId('cluster-name-input').fill('manual');
    await page.getByTestId('nodes-0-port').fill('1');
    await page.getByTestId('add-node-row').click();
    await page.getByTestId('nodes-1-name').fill('n2');
    await page.getByTestId('nodes-1-host').fill('127.0.0.1');
    await page.getByTestId('nodes-1-port').fill('1');
    await page.getByTestId('nodes-1-user').fill('root');
    await page.getByTestId('nodes-1-keyFile').fill(keyFile);
    await page.getByTestId('lbs-0-socket').fill('127.0.0.1:9999');
    await page.getByTestId('cluster-save').click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('cluster-name')).toHaveText('manual');
    await expect(page.getByTestId('rail-cluster-manual')).toBeVisible();
    for (const n of ['n1', 'n2']) await expect(page.getByTestId(`state-badge-${n}`)).toHaveAttribute('data-state', 'unreachable', { timeout: 20_000 });
    await expect(page.getByTestId('links-up')).toHaveText('0/3 links');
    await shot(page, 'unreachable-cluster');
    // Reconnect tries every link now and says what each one got to
    await page.getByTestId('links-retry').click();
    await expect(page.getByTestId('toast-warn').filter({ hasText: 'SSH links up after reconnecting' })).toContainText('unreachable');

    // the same name again: the core refuses it, and the form puts it on the name field
    await page.getByTestId('rail-add-cluster').click();
    await page.getByTestId('cluster-name-input').fill('manual');
    await page.getByTestId('cluster-backend').fill('app');
    await page.getByTestId('nodes-0-name').fill('x1');
    await page.getByTestId('nodes-0-host').fill('127.0.0.1');
    await page.getByTestId('nodes-0-user').fill('root');
    await page.getByTestId('lbs-0-name').fill('y1');
    await page.getByTestId('lbs-0-host').fill('127.0.0.1');
    await page.getByTestId('lbs-0-user').fill('root');
    await page.getByTestId('cluster-save').click();
    await expect(page.getByTestId('cluster-name-input-error')).toContainText('already exists');
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(con.errors).toEqual([]);
  } finally {
    await host.stop();
    rmSync(keyDir, { recursive: true, force: true });
  }
});
