import { expect, shot, startTestHost, test, watchConsole, type TestHost } from '../support/fixtures';
import { reportCspViolations, rpcClient, tokenOf, tryUpgrade } from './helpers';

// The headless host serves the contract to exactly one kind of caller: its own page, carrying the
// launch token. No lab needed.
test.describe('launch token and origin', () => {
  let host: TestHost;
  test.beforeAll(async () => {
    host = await startTestHost();
  });
  test.afterAll(async () => {
    await host?.stop();
  });

  test('a WebSocket without the token, with a wrong token, or from a foreign origin is refused', async () => {
    const token = tokenOf(host);
    expect((await tryUpgrade(host, { token: null, origin: host.origin })).status).toBe(401);
    expect((await tryUpgrade(host, { token: 'x'.repeat(43), origin: host.origin })).status).toBe(401);
    expect((await tryUpgrade(host, { token: token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'), origin: host.origin })).status).toBe(401);
    expect((await tryUpgrade(host, { token, origin: 'http://evil.example' })).status).toBe(403);
    expect((await tryUpgrade(host, { token, origin: 'http://localhost:1' })).status).toBe(403);
    expect((await tryUpgrade(host, { token, origin: null })).status).toBe(403);
  });

  test('with the token and the host’s own origin it opens and answers', async () => {
    const client = await rpcClient(host);
    try {
      const info = await client.call('app.info', {});
      expect(info.dataDir).toBe(host.dataDir);
    } finally {
      client.close();
    }
  });

  test('the page takes the token out of the address bar once loaded', async ({ page }) => {
    const con = watchConsole(page);
    await reportCspViolations(page);
    await page.goto(host.url);
    await expect(page.getByTestId('empty-state')).toBeVisible();
    expect(page.url()).not.toContain('token');
    expect(page.url()).toBe(`${host.origin}/`);
    expect(await page.evaluate('location.hash')).toBe('');
    // a reload of the same tab still connects (the token is kept for this tab only)
    await page.reload();
    await expect(page.getByTestId('empty-state')).toBeVisible();
    await shot(page, 'token-removed-empty-state');
    expect(con.errors).toEqual([]);
  });

  test('a page opened without the token says how to open ClusterDeck', async ({ page }) => {
    const con = watchConsole(page);
    await reportCspViolations(page);
    await page.goto(`${host.origin}/`);
    await expect(page.getByTestId('connect-error')).toContainText('Open ClusterDeck with the link it printed');
    expect(con.errors).toEqual([]);
  });
});
