import { test as base, expect, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runHost, type RunningHost } from '../../electron/host/main';
import { labAvailable, startLab, type Lab } from '../lab';

export interface TestHost {
  url: string;
  origin: string;
  dataDir: string;
  running: RunningHost;
  stop(): Promise<void>;
}

/** A headless host on a fresh, empty data directory (or the one given), trusting nothing yet. */
export async function startTestHost(o: { dataDir?: string; knownHosts?: string[] } = {}): Promise<TestHost> {
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'cd-e2e-'));
  const running = await runHost({ dataDir, ...(o.knownHosts ? { knownHosts: o.knownHosts } : {}) });
  return {
    url: running.host.urlWithToken(),
    origin: running.host.origin,
    dataDir,
    running,
    async stop() {
      await running.stop();
      if (!o.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const avail = labAvailable();

/** One lab per Playwright worker (workers: 1, so one for the run); specs reset what they change. */
export const test = base.extend<object, { lab: Lab }>({
  lab: [
    async ({}, use) => {
      const lab = await startLab();
      await use(lab);
      await lab.stop();
    },
    { scope: 'worker' },
  ],
});

/** Skips a spec that needs the lab, with the reason in the report (never counted as passed). */
export function requireLab(): void {
  test.skip(!avail.ok, `needs the lab: ${avail.reason}`);
}

export const SCREENSHOT_DIR = join(process.cwd(), 'test-results', 'screenshots');

/** Saves a full-page screenshot under test-results/screenshots/<name>.png (kept as an artifact). */
export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Collects console errors and CSP violations so a spec can assert the page stayed clean. */
export function watchConsole(page: Page): { errors: string[] } {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return { errors };
}

export { expect };
