import type { ClusterSpecInput } from '../../shared/domain/cluster';
import { expect, shot, startTestHost, test, watchConsole } from '../support/fixtures';
import { openApp, rpcClient } from './helpers';

// 500 nodes: the table renders only what is on screen, and the keyboard reaches both ends. The hosts
// refuse connections (127.0.0.1 port 1): no lab needed, every row is "unreachable".
test('500 nodes: a virtualized table that scrolls and keeps keyboard focus', async ({ page }) => {
  const host = await startTestHost();
  const con = watchConsole(page);
  const client = await rpcClient(host);
  try {
    const name = (i: number) => `n${String(i).padStart(3, '0')}`;
    const spec: ClusterSpecInput = {
      name: 'big',
      nodes: Array.from({ length: 500 }, (_, i) => ({ name: name(i + 1), ssh: { host: '127.0.0.1', port: 1, user: 'root' }, backend: 'app', server: name(i + 1) })),
      lbs: [{ name: 'lb1', ssh: { host: '127.0.0.1', port: 1, user: 'root' }, socket: { kind: 'unix', path: '/run/haproxy/admin.sock' } }],
    };
    await client.call('clusters.save', { cluster: spec, mode: 'create' });
    await openApp(page, host);
    const table = page.getByTestId('node-table');
    await expect(table).toHaveAttribute('aria-rowcount', '501');
    await expect(page.getByTestId('node-row-n001')).toBeVisible({ timeout: 30_000 });
    const rendered = await table.locator('[role=row][data-row-id]').count();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(60);

    await page.getByTestId('node-row-n001').focus();
    await page.keyboard.press('End');
    await expect(page.getByTestId('node-row-n500')).toBeFocused();
    await page.keyboard.press('PageUp');
    await expect(page.getByTestId('node-row-n001')).not.toBeVisible();
    await shot(page, 'big-table-end');
    await page.keyboard.press('Home');
    await expect(page.getByTestId('node-row-n001')).toBeFocused();

    // the search narrows 500 rows to one
    await page.keyboard.press('/');
    await page.keyboard.type('n250');
    await expect(table).toHaveAttribute('aria-rowcount', '2');
    await expect(page.getByTestId('node-row-n250')).toBeVisible();
    expect(con.errors).toEqual([]);
  } finally {
    client.close();
    await host.stop();
  }
});
