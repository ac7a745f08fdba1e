import type { Page } from '@playwright/test';
import { expect, requireLab, shot, test, watchConsole, type TestHost } from '../support/fixtures';
import { expectAllUp, LBS, NODES, openApp, resetLab, rpcClient, startTraffic, hostWithLab } from './helpers';

requireLab();

/** Every <style> element in the page: the CSP (style-src 'self') would refuse any a library injects. */
const styleElements = (page: Page): Promise<number> => page.evaluate("document.querySelectorAll('style').length");

// The Overview beyond the table: the quorum panel and its what-if for the selected node, the VIP in
// the top bar (moved by the lab as keepalived would), and the charts drawn with recharts from
// metrics.get, under the app's CSP.
test.describe.serial('overview: quorum, VIP and charts', () => {
  let host: TestHost;
  let stopTraffic: (() => Promise<void>) | null = null;

  test.beforeAll(async ({ browser, lab }) => {
    await resetLab(lab);
    host = await hostWithLab(browser, lab);
    stopTraffic = startTraffic(lab);
  });
  test.afterAll(async ({ lab }) => {
    await stopTraffic?.();
    await lab.fault.moveVip('lb1');
    await resetLab(lab);
    await host?.stop();
  });

  test('quorum panel: size, majority, fault tolerance, healthy now, and what draining the selected node leaves', async ({ page, lab }) => {
    const con = watchConsole(page);
    await openApp(page, host);
    await expectAllUp(page);
    await expect(page.getByTestId('quorum-panel')).toBeVisible();
    await expect(page.getByTestId('quorum-size')).toHaveText('3');
    await expect(page.getByTestId('quorum-majority')).toHaveText('2');
    await expect(page.getByTestId('quorum-tolerance')).toHaveText('1');
    await expect(page.getByTestId('quorum-healthy')).toHaveText('3');
    await expect(page.getByTestId('quorum-state')).toHaveText('quorum held');
    await expect(page.getByTestId('quorum-whatif')).toContainText('Select a node');
    // no VIP configured yet: the top bar says nothing about one
    await expect(page.getByTestId('vip-fact')).toHaveCount(0);

    // selecting a row (keyboard focus) drives the what-if
    await page.getByTestId('node-row-node1').click({ position: { x: 400, y: 20 } });
    await expect(page.getByTestId('quorum-whatif')).toHaveText('✓ If you drain node1: 2 healthy left, quorum kept (majority 2)');
    await expect(page.getByTestId('quorum-whatif')).toHaveAttribute('data-kept', 'true');

    // node2 drained on both LBs behind ClusterDeck's back: 2 healthy, no spare; draining node1 would lose quorum
    for (const lb of LBS) await lab.runtime(lb, 'set server app/node2 state drain');
    await expect(page.getByTestId('quorum-healthy')).toHaveText('2');
    await expect(page.getByTestId('quorum-state')).toHaveText('no spare');
    await page.getByTestId('open-node-node1').click();
    await expect(page.getByTestId('node-panel')).toBeVisible();
    await expect(page.getByTestId('quorum-whatif')).toHaveText('✗ If you drain node1: 1 healthy left, quorum LOST (majority 2)');
    await expect(page.getByTestId('quorum-whatif')).toHaveAttribute('data-kept', 'false');
    await page.keyboard.press('Escape');
    await page.getByTestId('node-row-node2').click({ position: { x: 400, y: 20 } });
    await expect(page.getByTestId('quorum-whatif')).toHaveText('✓ If you drain node2: it is draining and not counted now; 2 healthy left, quorum kept (majority 2)');
    await shot(page, 'overview-quorum-no-spare');
    await resetLab(lab);
    await expect(page.getByTestId('quorum-healthy')).toHaveText('3');
    expect(con.errors).toEqual([]);
  });

  test('the VIP in the top bar: on lb1, then moved to lb2, then held by none (a warning)', async ({ page, lab }) => {
    const con = watchConsole(page);
    const client = await rpcClient(host);
    try {
      const spec = await client.call('clusters.get', { name: 'demo' });
      await client.call('clusters.save', { cluster: { ...spec, settings: { ...spec.settings, vip: lab.vip } }, mode: 'replace' });
    } finally {
      client.close();
    }
    await openApp(page, host);
    await expectAllUp(page);
    const vip = page.getByTestId('vip');
    await expect(vip).toHaveText(`${lab.vip} on lb1`);
    await expect(vip).toHaveAttribute('data-tone', 'ok');
    await page.getByTestId('node-row-node1').click({ position: { x: 400, y: 20 } });
    await shot(page, 'overview-quorum-vip');

    await lab.fault.moveVip('lb2');
    await expect(vip).toHaveText(`${lab.vip} on lb2`, { timeout: 20_000 });

    await lab.fault.moveVip(null);
    await expect(vip).toHaveText(`${lab.vip} held by no LB`, { timeout: 20_000 });
    await expect(vip).toHaveAttribute('data-tone', 'error');
    await vip.hover();
    await expect(page.getByRole('tooltip')).toContainText('clients using the VIP reach nothing');
    await shot(page, 'topbar-vip-held-by-none');

    await lab.fault.moveVip('lb1');
    await expect(vip).toHaveText(`${lab.vip} on lb1`, { timeout: 20_000 });
    expect(con.errors).toEqual([]);
  });

  test('charts: RTT per host, sessions and request rate per server per LB, state timeline; 5 min and 1 h; hover values; no CSP violation', async ({ page, lab }) => {
    const con = watchConsole(page);
    await openApp(page, host);
    await expectAllUp(page);
    // a held request makes a session that lasts; the traffic makes request rates
    await lab.hold('lb1', 'node1', 25);
    await lab.hold('lb2', 'node2', 25);
    const charts = page.getByTestId('charts');
    await charts.scrollIntoViewIfNeeded();
    const points = (id: string) => page.getByTestId(id).getAttribute('data-points').then(Number);
    // wait until every series has points (the core records one per read)
    for (const id of ['chart-rtt', 'chart-sessions-lb1', 'chart-sessions-lb2', 'chart-reqrate-lb1', 'chart-reqrate-lb2', 'chart-states']) {
      await expect.poll(() => points(id), { timeout: 30_000, message: `${id} has points` }).toBeGreaterThan(id === 'chart-states' ? 2 : 8);
    }
    // lines, stacked areas and bands are drawn as SVG
    await expect.poll(() => page.getByTestId('chart-rtt').locator('path.recharts-curve').count()).toBe(NODES.length + LBS.length);
    await expect.poll(() => page.getByTestId('chart-sessions-lb1').locator('path.recharts-area-area').count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('chart-reqrate-lb2').locator('path.recharts-area-area').count()).toBeGreaterThan(0);
    for (const n of NODES) await expect(page.getByTestId(`timeline-row-${n}`).locator('.tl-rect').first()).toBeVisible();
    await expect(page.getByTestId('timeline-row-node3').locator('.tl-band').last()).toHaveAttribute('data-state', 'standby');
    for (const n of NODES) await expect(page.getByTestId('legend-rtt')).toContainText(n);
    // the held sessions reach the charts (fetched on status pushes, throttled)
    await expect(page.getByTestId('legend-sessions-lb1').locator('[data-series=node1]')).toHaveAttribute('data-latest', '1', { timeout: 20_000 });
    await expect(page.getByTestId('legend-sessions-lb2').locator('[data-series=node2]')).toHaveAttribute('data-latest', '1');
    await expect(page.getByTestId('legend-sessions-lb1').locator('[data-series=node3]')).toHaveAttribute('data-latest', '0');
    // the axis speaks local 24 h time
    const labels = await page.getByTestId('chart-rtt').locator('.recharts-cartesian-axis-tick-label').allTextContents();
    const ticks = labels.filter((t) => !t.endsWith('ms'));
    expect(ticks.length).toBeGreaterThan(2);
    for (const t of ticks) expect(t).toMatch(/^([01]\d|2[0-3]):[0-5]\d$/);

    // hover shows the exact time and values
    const box = (await page.getByTestId('chart-rtt').locator('.recharts-surface').boundingBox())!;
    await page.mouse.move(box.x + box.width - 40, box.y + box.height / 2);
    const tip = page.locator('.chart-tip');
    await expect(tip).toBeVisible();
    await expect(tip.locator('.chart-tip-time')).toHaveText(/^([01]\d|2[0-3]):[0-5]\d:[0-5]\d/);
    await expect(tip).toContainText('ms');
    await expect(tip).toContainText('node1');
    await shot(page, 'charts-5min-hover-rtt');
    const sbox = (await page.getByTestId('chart-sessions-lb1').locator('.recharts-surface').boundingBox())!;
    await page.mouse.move(sbox.x + sbox.width - 60, sbox.y + sbox.height / 2);
    await expect(tip).toContainText('total');
    await page.getByTestId('chart-states').scrollIntoViewIfNeeded();
    await page.getByTestId('timeline-row-node3').locator('.tl-rect').last().hover({ force: true });
    await expect(page.getByTestId('timeline-readout')).toHaveText(/^node3: standby from \d\d:\d\d:\d\d to \d\d:\d\d:\d\d/);
    await page.mouse.move(0, 0);
    await charts.scrollIntoViewIfNeeded();
    await shot(page, 'charts-5min');

    // 1 h: the same data over the longer window (main keeps the last hour)
    const window5 = await page.getByTestId('charts-window').textContent();
    await page.getByTestId('chart-range-1h').click();
    await expect(page.getByTestId('chart-range-1h')).toHaveAttribute('data-state', 'on');
    await expect(page.getByTestId('charts-window')).not.toHaveText(window5 ?? '');
    await expect.poll(() => points('chart-rtt'), { timeout: 20_000 }).toBeGreaterThan(8);
    await shot(page, 'charts-1h');
    await page.getByTestId('chart-range-5m').click();

    // a reload loses nothing: the core kept the history
    const before = await points('chart-rtt');
    await page.reload();
    await expect(page.locator('main[aria-busy=false]')).toBeVisible();
    await expect.poll(() => points('chart-rtt'), { timeout: 20_000 }).toBeGreaterThanOrEqual(before);

    // recharts under the CSP: no <style> injected, nothing refused
    expect(await styleElements(page)).toBe(0);
    expect(con.errors).toEqual([]);
  });

  test('charts follow the dark theme', async ({ page }) => {
    const con = watchConsole(page);
    const strokeOf = () => page.getByTestId('chart-rtt').locator('path.recharts-curve').first().getAttribute('stroke');
    await page.emulateMedia({ colorScheme: 'light' });
    await openApp(page, host);
    await expectAllUp(page);
    await expect.poll(() => page.getByTestId('chart-rtt').getAttribute('data-points').then(Number), { timeout: 20_000 }).toBeGreaterThan(2);
    const light = await strokeOf();
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(strokeOf).not.toBe(light);
    const bg = await page.evaluate('getComputedStyle(document.body).backgroundColor');
    expect(bg).toBe('rgb(15, 18, 23)');
    await page.getByTestId('charts').scrollIntoViewIfNeeded();
    await shot(page, 'charts-dark');
    expect(await styleElements(page)).toBe(0);
    expect(con.errors).toEqual([]);
  });
});

