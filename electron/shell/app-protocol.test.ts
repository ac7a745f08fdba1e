import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// The real 'electron' package cannot load here (no binary): stand in for the protocol module and
// capture what the shell registers.
const registered = vi.hoisted(() => ({
  schemes: [] as unknown[],
  handlers: new Map<string, (req: Request) => Response | Promise<Response>>(),
}));
vi.mock('electron', () => ({
  protocol: {
    registerSchemesAsPrivileged: (s: unknown[]) => registered.schemes.push(...s),
    handle: (scheme: string, h: (req: Request) => Response | Promise<Response>) => registered.handlers.set(scheme, h),
  },
}));

const { handleAppProtocol, registerAppScheme } = await import('./app-protocol');

let root: string;
let outside: string;
const serve = (url: string, method = 'GET') => registered.handlers.get('app')!(new Request(url, { method }));

beforeAll(() => {
  outside = mkdtempSync(join(tmpdir(), 'cd-proto-'));
  root = join(outside, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>ClusterDeck</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(outside, 'secret.txt'), 'secret');
  registerAppScheme();
  handleAppProtocol(root);
});
afterAll(() => rmSync(outside, { recursive: true, force: true }));

describe('app:// scheme', () => {
  it('is registered standard and secure, with fetch, without CORS or CSP bypass', () => {
    expect(registered.schemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  });

  it('serves the UI with its type, the CSP and nosniff', async () => {
    const r = await serve('app://clusterdeck/index.html');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(r.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await r.text()).toContain('ClusterDeck');
    const js = await serve('app://clusterdeck/assets/app.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it.each([
    'app://clusterdeck/../secret.txt',
    'app://clusterdeck/%2e%2e/secret.txt',
    'app://clusterdeck/assets/..%2f..%2fsecret.txt',
    'app://clusterdeck/index.html%00',
    'app://clusterdeck/missing.js',
    'app://other/index.html',
    'app://clusterdeck.evil/index.html',
    'app://clusterdeck:8080/index.html',
  ])('answers 404 for %j, with the CSP too', async (url) => {
    const r = await serve(url);
    expect(r.status).toBe(404);
    expect(await r.text()).not.toContain('secret');
    expect(r.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('refuses methods other than GET and HEAD', async () => {
    expect((await serve('app://clusterdeck/index.html', 'POST')).status).toBe(405);
    const head = await serve('app://clusterdeck/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});
