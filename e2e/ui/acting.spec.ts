import { expect, requireLab, shot, test, watchConsole, type TestHost } from '../support/fixtures';
import { bothLbs, clickAction, confirmAndWait, expectAllUp, openApp, resetLab, hostWithLab } from './helpers';

requireLab();

// (b) drain and ready, (c) the gate and its override, the drain deadline, the node panel, Activity
// and the command drawer. Every change is checked by reading each LB's admin socket directly,
// never through ClusterDeck.
test.describe.serial('acting on a node', () => {
  let host: TestHost;

  test.beforeAll(async ({ browser, lab }) => {
    await resetLab(lab);
    host = await hostWithLab(browser, lab);
  });
  test.afterEach(async ({ lab }) => {
    await resetLab(lab);
  });
  test.afterAll(async () => {
    await host?.stop();
  });

  test('(b) drain node1 from the UI, confirmed on both LBs, then ready again', async ({ page, lab }) => {
    const con = watchConsole(page);
    await openApp(page, host);
    await expectAllUp(page);
    await clickAction(page, 'node1', 'drain');
    const dialog = page.getByTestId('confirm-dialog');
    await expect(page.getByTestId('consequence')).toContainText('node1 stops getting new sessions on lb1 and lb2');
    await expect(page.getByTestId('consequence')).toContainText('1 active node (node2) and 1 standby remain');
    await expect(dialog.getByRole('button', { name: 'Drain node1' })).toBeEnabled();
    await expect(dialog.getByRole('button', { name: 'OK' })).toHaveCount(0);
    await shot(page, 'confirm-drain');
    await confirmAndWait(page);
    await expect(page.getByTestId('toast-ok').filter({ hasText: 'node1 is draining on lb1 and lb2' })).toBeVisible();
    for (const s of await bothLbs(lab, 'node1')) {
      expect(s.status).toMatch(/^DRAIN/); // "DRAIN 1/3" while a check is in transition; the admin bit is what was set
      expect(s.admin & 0x08).toBe(0x08);
    }
    await expect(page.getByTestId('state-badge-node1')).toHaveAttribute('data-state', 'draining');
    await expect(page.getByTestId('action-node1-drain')).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('lb-chip-node1-lb1')).toHaveAttribute('data-status', 'DRAIN');
    await shot(page, 'overview-node1-draining');

    await clickAction(page, 'node1', 'ready');
    await expect(page.getByTestId('confirm-dialog').getByRole('button', { name: 'Make node1 ready' })).toBeEnabled();
    await confirmAndWait(page);
    for (const s of await bothLbs(lab, 'node1')) expect(s.admin).toBe(0);
    await expect(page.getByTestId('action-node1-ready')).toHaveAttribute('aria-pressed', 'true');
    expect(con.errors).toEqual([]);
  });

  test('(c) the gate refuses maintenance of the last active node; the typed name overrides it', async ({ page, lab }) => {
    const con = watchConsole(page);
    await openApp(page, host);
    await expectAllUp(page);
    await clickAction(page, 'node2', 'maint');
    await expect(page.getByTestId('gate-refusal')).toHaveCount(0);
    await confirmAndWait(page);
    for (const s of await bothLbs(lab, 'node2')) expect(s.admin & 0x01).toBe(0x01);

    await clickAction(page, 'node1', 'maint');
    const gate = page.getByTestId('gate-refusal');
    await expect(gate).toContainText('lb1: node1 is the last UP active server of backend app');
    await expect(gate).toContainText('lb2: node1 is the last UP active server of backend app');
    const go = page.getByTestId('confirm-action');
    await expect(go).toHaveText('Maintenance anyway');
    await expect(go).toBeDisabled();
    await page.getByTestId('override-input').fill('node2');
    await expect(go).toBeDisabled();
    await expect(page.getByTestId('override-input-error')).toContainText('does not match');
    await page.getByTestId('override-input').fill('node');
    await expect(go).toBeDisabled();
    await shot(page, 'gate-refusal-override');
    // nothing was sent while the dialog was open
    for (const s of await bothLbs(lab, 'node1')) expect(s).toMatchObject({ status: 'UP', admin: 0 });
    await page.getByTestId('override-input').fill('node1');
    await expect(go).toBeEnabled();
    await confirmAndWait(page);
    await expect(page.getByTestId('toast-ok').filter({ hasText: 'safety gate overridden' })).toBeVisible();
    for (const s of await bothLbs(lab, 'node1')) {
      expect(s.status).toBe('MAINT');
      expect(s.admin & 0x01).toBe(0x01);
    }
    await expect(page.getByTestId('state-badge-node1')).toHaveAttribute('data-state', 'maintenance');
    expect(con.errors).toEqual([]);
  });

  test('a drain whose sessions outlive the deadline asks what to do: force, keep draining, or revert', async ({ page, lab }) => {
    const con = watchConsole(page);
    await openApp(page, host);
    await expectAllUp(page);
    await lab.hold('lb1', 'node1', 20);
    await clickAction(page, 'node1', 'drain');
    await expect(page.getByTestId('consequence')).toContainText('sessions now: 1');
    await page.getByTestId('wait-seconds').fill('x');
    await expect(page.getByTestId('confirm-action')).toBeDisabled();
    await page.getByTestId('wait-seconds').fill('2');
    await page.getByTestId('confirm-action').click();

    // while waiting: per-LB progress in the row and the toast, sessions and the deadline visible
    const toast = page.getByTestId('progress-toast');
    await expect(page.getByTestId('progress-deadline')).toContainText('left');
    await expect(page.getByTestId('progress-line-lb1')).toContainText('waiting for sessions');
    await expect(page.getByTestId('progress-line-lb1')).toContainText('1 session');
    await expect(page.getByTestId('progress-node1-lb1')).toContainText('waiting');
    await expect(toast).toBeVisible();
    await expect(page.getByTestId('running-node1')).toContainText('left');
    await shot(page, 'progress-waiting');
    // while it runs the other controls are disabled, and say why
    await expect(page.getByTestId('action-node2-drain')).toHaveAttribute('aria-disabled', 'true');
    await page.getByTestId('action-node2-drain').hover();
    await expect(page.getByRole('tooltip')).toContainText('actions on a cluster run one at a time');

    const d = page.getByTestId('deadline-dialog');
    await expect(d).toBeVisible({ timeout: 15_000 });
    await expect(d).toContainText('node1 still has sessions after 2 s');
    await expect(page.getByTestId('deadline-sessions')).toContainText('1 session on lb1');
    for (const s of await bothLbs(lab, 'node1')) expect(s.status).toMatch(/^DRAIN/); // "DRAIN 1/3" while a check is in transition; the admin bit is what was set
    await shot(page, 'deadline-choice');

    // "Force maintenance" shows the gate for maintenance first (allowed here: node2 is UP)
    await page.getByTestId('deadline-force-maint').click();
    await expect(d.getByTestId('consequence')).toContainText('node1 is taken out of service on lb1 and lb2');
    await expect(page.getByTestId('deadline-force-confirm')).toHaveText('Put node1 in maintenance');
    await shot(page, 'deadline-force-maintenance');
    await d.getByRole('button', { name: 'Back' }).click();

    // Revert: ready again on both LBs
    await page.getByTestId('deadline-revert').click();
    await expect(d).toBeHidden();
    await expect(page.getByTestId('progress-toast')).toHaveCount(0, { timeout: 15_000 });
    for (const s of await bothLbs(lab, 'node1')) expect(s.admin).toBe(0);
    expect(con.errors).toEqual([]);
  });

  test('keyboard: `/` searches, arrows move the row focus, Enter opens the node panel, Escape returns', async ({ page }) => {
    const con = watchConsole(page);
    await openApp(page, host);
    await expectAllUp(page);
    await page.keyboard.press('/');
    await expect(page.getByTestId('node-search')).toBeFocused();
    await page.keyboard.type('node3');
    await expect(page.getByTestId('node-row-node1')).toHaveCount(0);
    await expect(page.getByTestId('node-row-node3')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('node-row-node1')).toBeVisible();

    // the merged state's one-line reason is in its tooltip
    await page.getByTestId('state-badge-node1').hover();
    await expect(page.getByRole('tooltip')).toContainText('UP on lb1 and lb2');
    await shot(page, 'state-reason-tooltip');

    await page.getByTestId('node-row-node1').focus();
    await page.keyboard.press('ArrowDown');
    await expect(page.getByTestId('node-row-node2')).toBeFocused();
    await page.keyboard.press('End');
    await expect(page.getByTestId('node-row-node3')).toBeFocused();
    await page.keyboard.press('ArrowUp');
    await expect(page.getByTestId('node-row-node2')).toBeFocused();
    await page.keyboard.press('Enter');
    const panel = page.getByTestId('node-panel');
    await expect(panel).toBeVisible();
    await expect(panel.getByRole('heading', { name: 'node2' })).toBeVisible();
    await expect(page.getByTestId('node-panel-reason')).toContainText('UP on lb1 and lb2');
    await expect(panel).toContainText('ready (0)');
    await shot(page, 'node-panel');
    await page.keyboard.press('Escape');
    await expect(panel).toBeHidden();
    await expect(page.getByTestId('node-row-node2')).toBeFocused();

    // the rail collapses to dots and back
    await page.getByTestId('rail-toggle').click();
    await expect(page.getByTestId('rail-cluster-demo')).toHaveAttribute('aria-label', /demo: worst state standby, 2\/3 active/);
    await shot(page, 'rail-collapsed');
    await page.getByTestId('rail-toggle').click();

    // tabs that are not built yet say so plainly
    for (const t of ['drills'] as const) {
      await page.getByTestId(`tab-${t}`).click();
      await expect(page.getByTestId(`tab-${t}-coming`)).toContainText('Not available yet');
    }
    await page.getByTestId('tab-failover').click();
    await expect(page.getByTestId('fo-interval')).toHaveValue('1s');
    expect(con.errors).toEqual([]);
  });

  test('Activity lists actions newest first, with the exact commands and replies per LB; the drawer streams them', async ({ page, lab }) => {
    const con = watchConsole(page);
    await openApp(page, host);
    await expectAllUp(page);
    await page.getByTestId('drawer-toggle').click();
    await clickAction(page, 'node3', 'drain');
    await confirmAndWait(page);
    for (const s of await bothLbs(lab, 'node3')) expect(s.admin & 0x08).toBe(0x08);
    const drawer = page.getByTestId('command-drawer');
    await expect(drawer.getByTestId('drawer-line').filter({ hasText: 'set server app/node3 state drain' })).toHaveCount(2);
    await expect(drawer.getByTestId('drawer-line').filter({ hasText: 'set server app/node3 state drain' }).first()).toContainText('(empty reply: accepted)');
    await shot(page, 'command-drawer');
    await page.getByTestId('drawer-toggle').click();

    await page.getByTestId('tab-activity').click();
    const list = page.getByTestId('activity-list');
    const first = list.getByTestId('audit-entry').first();
    await expect(first).toContainText('Drain node3');
    await first.getByRole('button').first().click();
    for (const lb of ['lb1', 'lb2']) {
      const sec = first.getByTestId(`audit-lb-${lb}`);
      await expect(sec).toContainText('applied');
      await expect(sec.getByTestId('audit-command').filter({ hasText: 'set server app/node3 state drain' })).toHaveCount(1);
      await expect(sec.getByTestId('audit-reply').first()).toHaveText('(empty reply: accepted)');
    }
    await shot(page, 'activity-expanded');

    // filtered by node: only node3's entries
    await page.getByTestId('audit-filter').selectOption('node3');
    await expect(list.getByTestId('audit-entry').first()).toContainText('node3');
    for (const t of await list.getByTestId('audit-entry').locator('.audit-title').allTextContents()) expect(t).toContain('node3');
    // a new entry is pushed to the top while the list is open
    await page.getByTestId('tab-overview').click();
    await clickAction(page, 'node3', 'ready');
    await confirmAndWait(page);
    await page.getByTestId('tab-activity').click();
    await expect(list.getByTestId('audit-entry').first()).toContainText('Ready node3');
    expect(con.errors).toEqual([]);
  });

  test('dark and light themes follow the OS', async ({ page }) => {
    const con = watchConsole(page);
    for (const scheme of ['dark', 'light'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await openApp(page, host);
      await expectAllUp(page);
      const bg = await page.evaluate('getComputedStyle(document.body).backgroundColor');
      expect(bg).toBe(scheme === 'dark' ? 'rgb(15, 18, 23)' : 'rgb(243, 245, 248)');
      await shot(page, `theme-${scheme}`);
      await clickAction(page, 'node1', 'maint');
      await shot(page, `theme-${scheme}-confirm`);
      await page.getByTestId('confirm-cancel').click();
    }
    expect(con.errors).toEqual([]);
  });
});
