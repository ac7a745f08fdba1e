import type { HostName } from '../lab';
import { expect, requireLab, shot, startTestHost, test, watchConsole } from '../support/fixtures';
import { LBS, NODES, openApp } from './helpers';

requireLab();

// (a) The first run: an empty data directory, the lab's inventory through the file picker, one
// host-key decision per host showing exactly the key the host has, then the live table.
test('from an empty data dir: import the inventory, trust each host key, see 3 nodes on 2 LBs', async ({ page, lab }) => {
  const host = await startTestHost();
  const con = watchConsole(page);
  try {
    await openApp(page, host);
    await expect(page.getByTestId('empty-state')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Import an Ansible inventory' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Add a cluster by hand' })).toBeVisible();
    await shot(page, 'empty-state');

    await page.getByTestId('empty-import').click();
    await page.getByTestId('inventory-file').setInputFiles(lab.inventoryYaml);
    await page.getByTestId('import-cluster').fill('demo');
    // a wrong LB group first: every problem shows, with its file, and nothing can be imported
    await page.getByTestId('import-lb-group').fill('nope');
    const problem = page.getByTestId('import-problem').filter({ hasText: 'nope' });
    await expect(problem).toHaveAttribute('data-severity', 'error');
    await expect(problem).toContainText('inventory.yml');
    await expect(page.getByTestId('import-confirm')).toBeDisabled();
    await shot(page, 'import-preview-errors');

    await page.getByTestId('import-lb-group').fill('lbservers');
    await expect(page.getByTestId('import-headline')).toContainText('3 nodes, 2 load balancers');
    await expect(page.getByTestId('import-problem').filter({ hasText: 'nope' })).toHaveCount(0);
    for (const n of NODES) await expect(page.getByTestId('import-nodes')).toContainText(n);
    for (const lb of LBS) await expect(page.getByTestId('import-lbs')).toContainText(lb);
    await expect(page.getByTestId('import-confirm')).toBeEnabled();
    await shot(page, 'import-preview');
    await page.getByTestId('import-confirm').click();

    // one dialog per host, in whatever order the hosts answer; each shows that host's own key
    const byIp = new Map<string, HostName>((['node1', 'node2', 'node3', 'lb1', 'lb2'] as const).map((h) => [`${lab.hosts[h].ip}:22`, h]));
    const seen = new Set<string>();
    const hostCell = page.getByTestId('host-key-host');
    for (let i = 0; i < 5; i++) {
      await expect
        .poll(async () => {
          const t = (await hostCell.textContent({ timeout: 500 }).catch(() => null))?.trim();
          return t && !seen.has(t) ? t : null;
        }, { timeout: 20_000, message: `host-key dialog #${i + 1}` })
        .not.toBeNull();
      const addr = (await hostCell.textContent())!.trim();
      const name = byIp.get(addr);
      expect(name, `a lab host at ${addr}`).toBeDefined();
      await expect(page.getByTestId('host-key-names')).toHaveText(name!);
      await expect(page.getByTestId('host-key-type')).toHaveText('ssh-ed25519');
      await expect(page.getByTestId('host-key-fingerprint')).toHaveText(lab.hostKeyFingerprint(name!, 'ssh-ed25519'));
      await expect(page.getByTestId('host-key-dialog').getByRole('button', { name: /^Accept/ })).toBeEnabled();
      await expect(page.getByTestId('host-key-dialog').getByRole('button', { name: 'Refuse' })).toBeEnabled();
      if (i === 0) await shot(page, 'host-key-unknown');
      seen.add(addr);
      await page.getByTestId('host-key-accept').click();
    }
    expect(seen.size).toBe(5);
    await expect(page.getByTestId('host-key-dialog')).toBeHidden();

    const table = page.getByTestId('node-table');
    await expect(table).toBeVisible();
    for (const n of NODES) {
      await expect(page.getByTestId(`node-row-${n}`)).toBeVisible();
      for (const lb of LBS) await expect(page.getByTestId(`lb-chip-${n}-${lb}`)).toHaveAttribute('data-status', 'UP', { timeout: 20_000 });
    }
    await expect(page.getByTestId('state-badge-node1')).toHaveAttribute('data-state', 'active');
    await expect(page.getByTestId('state-badge-node2')).toHaveAttribute('data-state', 'active');
    await expect(page.getByTestId('state-badge-node3')).toHaveAttribute('data-state', 'standby');
    await expect(page.getByTestId('state-badge-node3')).toHaveText('standby');
    await expect(page.getByTestId('links-up')).toHaveText('5/5 links');
    await expect(page.getByTestId('failover-budget')).toHaveText('fails over after 3 s: 1 s × 3 heartbeats');
    await expect(page.getByTestId('rail-cluster-demo')).toContainText('2/3 active');
    await expect(page.getByTestId('action-node1-ready')).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('action-node1-drain')).toHaveAttribute('aria-pressed', 'false');
    await shot(page, 'overview');
    expect(con.errors).toEqual([]);
  } finally {
    await host.stop();
  }
});
