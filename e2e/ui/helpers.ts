import http from 'node:http';
import WebSocket from 'ws';
import { CONTRACT, type ClusterDeckContract } from '../../shared/contract';
import { createRpcClient, type RpcClient } from '../../shared/rpc/client';
import type { Transport } from '../../shared/rpc/frames';
import type { Lab, NodeName } from '../lab';
import { expect, startTestHost, type TestHost } from '../support/fixtures';
import type { Browser, Page } from '@playwright/test';

export const NODES: NodeName[] = ['node1', 'node2', 'node3'];
export const LBS = ['lb1', 'lb2'] as const;

/** The launch token from the host's URL fragment. */
export function tokenOf(host: TestHost): string {
  const m = /#token=([A-Za-z0-9_-]+)/.exec(host.url);
  if (!m) throw new Error(`no token in ${host.url}`);
  return m[1]!;
}

export const rpcUrl = (host: TestHost): string => `${host.origin.replace(/^http/, 'ws')}/rpc`;

/**
 * A WebSocket to the host's /rpc as a browser tab would open it (its Origin, the token as a
 * subprotocol): resolves with the HTTP status of a refused upgrade, or 101 when it opened.
 */
export function tryUpgrade(host: TestHost, o: { token?: string | null; origin?: string | null }): Promise<{ status: number; ws: WebSocket | null }> {
  const protocols = ['clusterdeck.v1', ...(o.token ? [`cdtoken.${o.token}`] : [])];
  const ws = new WebSocket(rpcUrl(host), protocols, o.origin ? { origin: o.origin } : {});
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ status: 101, ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0, ws: null });
      ws.terminate();
    });
    ws.once('error', (e) => reject(e));
  });
}

/** A contract client over the host's WebSocket, for test setup that the UI is not under test for. */
export async function rpcClient(host: TestHost): Promise<RpcClient<ClusterDeckContract> & { ws: WebSocket }> {
  const { ws } = await tryUpgrade(host, { token: tokenOf(host), origin: host.origin });
  if (!ws) throw new Error('the host refused the test client');
  const transport: Transport = {
    send: (f) => ws.send(JSON.stringify(f)),
    onMessage(cb) {
      const h = (d: WebSocket.RawData) => cb(JSON.parse(String(d)));
      ws.on('message', h);
      return () => ws.off('message', h);
    },
    onClose(cb) {
      ws.on('close', cb);
      return () => ws.off('close', cb);
    },
    close: () => ws.close(),
  };
  return Object.assign(createRpcClient(CONTRACT, transport), { ws });
}

// Chromium does not always log a CSP violation to the console (a refused eval probe only fires the
// event): turn every violation into a console error, so watchConsole(page).errors catches it too.
const CSP_TO_CONSOLE = `if (!window.__cdCsp) {
  window.__cdCsp = true;
  document.addEventListener('securitypolicyviolation', (e) =>
    console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));
}`;

export async function reportCspViolations(page: Page): Promise<void> {
  await page.addInitScript(CSP_TO_CONSOLE);
}

/** Opens the UI with its launch URL (CSP violations reported) and waits until it has loaded its cluster list. */
export async function openApp(page: Page, host: TestHost): Promise<void> {
  await reportCspViolations(page);
  await page.goto(host.url);
  await expect(page.locator('main[aria-busy=false]')).toBeVisible();
}

/** Imports the lab's inventory through the file picker (keys already trusted by the host). */
export async function importLab(page: Page, lab: Lab, name = 'demo'): Promise<void> {
  await page.getByTestId(/^(empty|rail)-import$/).first().click();
  await page.getByTestId('inventory-file').setInputFiles(lab.inventoryYaml);
  await page.getByTestId('import-cluster').fill(name);
  await expect(page.getByTestId('import-headline')).toContainText('3 nodes, 2 load balancers');
  await page.getByTestId('import-confirm').click();
  await expect(page.getByTestId('import-dialog')).toBeHidden();
  await expectAllUp(page);
}

/** A headless host trusting the lab's keys, with the lab imported as `demo` from a throwaway page. */
export async function hostWithLab(browser: Browser, lab: Lab): Promise<TestHost> {
  const host = await startTestHost({ knownHosts: [lab.knownHostsFile] });
  const page = await browser.newPage();
  await openApp(page, host);
  await importLab(page, lab);
  await page.close();
  return host;
}

/** Every chip UP (node3 as the standby), as after a reset. */
export async function expectAllUp(page: Page, timeout = 30_000): Promise<void> {
  for (const n of NODES) for (const lb of LBS) await expect(page.getByTestId(`lb-chip-${n}-${lb}`)).toHaveAttribute('data-status', 'UP', { timeout });
}

/** Puts every server back to ready on both LBs through the lab's own socket path, then waits for UP. */
export async function resetLab(lab: Lab): Promise<void> {
  for (const lb of LBS) for (const n of NODES) await lab.runtime(lb, `set server app/${n} state ready`);
  await lab.waitFor(
    async () => (await Promise.all(NODES.flatMap((n) => LBS.map((lb) => lab.serverStatus(lb, n))))).every((s) => s.status === 'UP'),
    { timeoutMs: 20_000, what: 'every server UP on both LBs' },
  );
}

export const bothLbs = (lab: Lab, server: string) => Promise.all(LBS.map((lb) => lab.serverStatus(lb, server)));

/** Clicks a Ready/Drain/Maint segment and waits for the core's preview in the confirm dialog. */
export async function clickAction(page: Page, node: string, action: 'ready' | 'drain' | 'maint'): Promise<void> {
  await page.getByTestId(`action-${node}-${action}`).click();
  await expect(page.getByTestId('confirm-dialog')).toBeVisible();
  await expect(page.getByTestId('consequence')).toBeVisible();
}

/** Confirms an action and waits until it has finished (its progress toast gone). */
export async function confirmAndWait(page: Page): Promise<void> {
  await page.getByTestId('confirm-action').click();
  await expect(page.getByTestId('confirm-dialog')).toBeHidden();
  await expect(page.getByTestId('progress-toast')).toHaveCount(0, { timeout: 30_000 });
}

/**
 * Steady HTTP traffic through both LBs' frontends (GET /, round-robin over the active nodes), so
 * the charts' sessions and request rates have something to draw. Returns a stop function.
 */
export function startTraffic(lab: Lab, perSecond = 8): () => Promise<void> {
  let stopped = false;
  const inflight = new Set<Promise<void>>();
  const one = (lb: (typeof LBS)[number]): Promise<void> =>
    new Promise<void>((resolve) => {
      const req = http.get({ host: lab.hosts[lb].ip, port: 80, path: '/', agent: false, timeout: 5000 }, (res) => {
        res.resume();
        res.on('end', () => resolve());
        res.on('error', () => resolve());
      });
      req.on('error', () => resolve());
      req.on('timeout', () => req.destroy());
    });
  const timer = setInterval(() => {
    if (stopped) return;
    for (const lb of LBS) {
      const p = one(lb).finally(() => inflight.delete(p));
      inflight.add(p);
    }
  }, Math.max(20, Math.round(2000 / perSecond)));
  return async () => {
    stopped = true;
    clearInterval(timer);
    await Promise.all([...inflight]);
  };
}

/** The lab's own configuration as it starts: interval 1 s, fall 3, rise 2, node3 the backup server. */
export const LAB_FAILOVER_SETTINGS = {
  heartbeatIntervalMs: 1000,
  failoverHeartbeats: 3,
  riseCount: 2,
  activeNodes: 2,
  standbyNodes: ['node3'],
  minActive: 1,
  vip: null,
};

/** check_fall / check_rise / check_inter of a server as HAProxy's `show stat` reports them on one LB. */
export async function checkParams(lab: Lab, lb: (typeof LBS)[number], server: string): Promise<{ fall: number; rise: number; inter: number | null; backup: boolean }> {
  const csv = await lab.runtime(lb, 'show stat');
  const lines = csv.split('\n').filter(Boolean);
  const head = lines[0]!.replace(/^#\s*/, '').split(',');
  const col = (name: string) => head.indexOf(name);
  const row = lines.map((l) => l.split(',')).find((r) => r[0] === 'app' && r[1] === server);
  if (!row) throw new Error(`no app/${server} in show stat on ${lb}`);
  const num = (name: string) => (row[col(name)] === '' || col(name) < 0 ? null : Number(row[col(name)]));
  return { fall: num('check_fall') ?? NaN, rise: num('check_rise') ?? NaN, inter: num('check_inter'), backup: row[col('bck')] === '1' };
}
