import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, requireLab, shot, startTestHost, test, watchConsole } from '../support/fixtures';
import { bothLbs, clickAction, openApp } from './helpers';

requireLab();

// (e) Runs last (it re-keys lb2 for good). The host trusts lb2's OLD key; lb2 now presents a new
// one: the dialog shows both fingerprints, offers no way to accept, and a drain sends nothing anywhere.
test('a changed host key is refused with both fingerprints, and an action then sends nothing to any LB', async ({ page, lab }) => {
  const dir = mkdtempSync(join(tmpdir(), 'cd-e2e-kh-'));
  const pinned = join(dir, 'known_hosts');
  copyFileSync(lab.knownHostsFile, pinned);
  const before = lab.hostKeyFingerprint('lb2', 'ssh-ed25519');
  await lab.fault.rotateHostKey('lb2');
  const after = lab.hostKeyFingerprint('lb2', 'ssh-ed25519');
  expect(after).not.toBe(before);
  const host = await startTestHost({ knownHosts: [pinned] });
  const con = watchConsole(page);
  try {
    await openApp(page, host);
    await page.getByTestId('empty-import').click();
    await page.getByTestId('inventory-file').setInputFiles(lab.inventoryYaml);
    await page.getByTestId('import-cluster').fill('demo');
    await expect(page.getByTestId('import-confirm')).toBeEnabled();
    await page.getByTestId('import-confirm').click();

    const dialog = page.getByTestId('host-key-dialog');
    await expect(page.getByTestId('host-key-changed')).toBeVisible({ timeout: 20_000 });
    await expect(dialog).toContainText('Host key CHANGED');
    await expect(page.getByTestId('host-key-names')).toHaveText('lb2');
    await expect(page.getByTestId('host-key-presented')).toHaveText(after);
    await expect(page.getByTestId('host-key-pinned')).toContainText(before);
    // the old pin lives in a read-only known_hosts file the host was given: the dialog names its lines
    await expect(page.getByTestId('host-key-edit').first()).toContainText(pinned);
    await expect(page.getByTestId('host-key-forget')).toHaveCount(0);
    await expect(dialog.getByRole('button', { name: /accept/i })).toHaveCount(0);
    await expect(page.getByTestId('host-key-accept')).toHaveCount(0);
    await shot(page, 'host-key-changed');
    await page.getByTestId('host-key-close').click();
    await expect(dialog).toBeHidden();
    // still one click away, from the top bar
    await expect(page.getByTestId('review-host-keys')).toContainText('Host keys: 1 to review');

    await expect(page.getByTestId('lb-link-lb2')).toHaveText('key CHANGED', { timeout: 15_000 });
    await clickAction(page, 'node1', 'drain');
    await page.getByTestId('confirm-action').click();
    const toast = page.getByTestId('toast-error').filter({ hasText: 'Nothing was sent to any LB' });
    await expect(toast).toBeVisible({ timeout: 30_000 });
    await expect(toast).toContainText('lb2');
    await expect(toast).toContainText('different SSH host key');
    for (const s of await bothLbs(lab, 'node1')) expect(s).toMatchObject({ status: 'UP', admin: 0 });
    await shot(page, 'host-key-changed-action-refused');
    expect(con.errors).toEqual([]);
  } finally {
    await host.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
