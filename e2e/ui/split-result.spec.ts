import { expect, requireLab, shot, startTestHost, test, watchConsole } from '../support/fixtures';
import { clickAction, expectAllUp, importLab, openApp, resetLab } from './helpers';

requireLab();

// (d) HAProxy stopped on lb1: a drain applies on lb2 and fails on lb1; the split result names lb1
// and why, stays until dismissed, and Retry on lb1 completes it once HAProxy is back.
test('a split result names the failed LB, stays, and Retry on that LB completes the drain', async ({ page, lab }) => {
  await resetLab(lab);
  const host = await startTestHost({ knownHosts: [lab.knownHostsFile] });
  const con = watchConsole(page);
  try {
    await openApp(page, host);
    await importLab(page, lab);

    await lab.fault.stop('lb1', 'haproxy');
    try {
      await expect(page.getByTestId('lb-runtime-lb1')).not.toContainText('HAProxy 2', { timeout: 15_000 });
      await shot(page, 'lb1-haproxy-stopped');
      await clickAction(page, 'node1', 'drain');
      await expect(page.getByTestId('consequence')).toContainText('lb1 cannot be read and will be reported as failed');
      await page.getByTestId('confirm-action').click();
      const split = page.getByTestId('split-result');
      await expect(split).toBeVisible({ timeout: 30_000 });
      await expect(split).toContainText('FAILED on lb1');
      await expect(page.getByTestId('split-lb-lb1')).toContainText('lb1');
      await expect(page.getByTestId('split-lb-lb1')).toContainText('Next:');
      await expect(page.getByTestId('retry-lb1')).toBeVisible();
      await expect(page.getByTestId('retry-lb2')).toHaveCount(0);
      const lb2 = await lab.serverStatus('lb2', 'node1');
      expect(lb2.status).toMatch(/^DRAIN/);
      expect(lb2.admin & 0x08).toBe(0x08);
      await shot(page, 'split-result');
      // it does not fade like a confirmation
      await page.waitForTimeout(7000);
      await expect(split).toBeVisible();
    } finally {
      await lab.fault.start('lb1', 'haproxy');
    }
    // a fresh HAProxy shows "UP 1/3" until its checks settle, which the gate does not count as UP
    await lab.waitFor(async () => (await lab.serverStatus('lb1', 'node2')).status === 'UP', { timeoutMs: 20_000, what: 'lb1 checks settled' });
    await page.getByTestId('retry-lb1').click();
    await expect(page.getByTestId('split-result')).toBeHidden({ timeout: 30_000 });
    await expect(page.getByTestId('toast-ok').filter({ hasText: 'node1 is draining on lb1' })).toBeVisible();
    const lb1 = await lab.serverStatus('lb1', 'node1');
    expect(lb1.admin & 0x08).toBe(0x08);
    expect((await lab.serverStatus('lb2', 'node1')).admin & 0x08).toBe(0x08);
    await resetLab(lab);
    await expectAllUp(page);
    expect(con.errors).toEqual([]);
  } finally {
    await host.stop();
    await resetLab(lab);
  }
});
