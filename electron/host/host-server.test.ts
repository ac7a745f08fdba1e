import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createCore, type Core } from '../core/create-core';
import { newToken, protocolsFor, tokenMatches, originAllowed } from './auth';
import { startHost, type Host } from './host-server';
import { resolveStatic } from './static-files';

describe('headless host', () => {
  let core: Core;
  let host: Host;
  let token: string;
  const root = mkdtempSync(join(tmpdir(), 'cd-host-'));
  const staticDir = join(root, 'ui');

  beforeAll(async () => {
    mkdirSync(join(staticDir, 'assets'), { recursive: true });
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>ClusterDeck</title>');
    writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(root, 'secret.txt'), 'do not serve');
    core = createCore({ dataDir: join(root, 'data'), actor: { via: 'test', user: 't', machine: 'm' }, reconnect: false });
    token = newToken();
    host = await startHost({ core, staticDir, token });
  });
  afterAll(async () => {
    await host.close();
    await core.dispose();
  });

  const open = (protocols: string[], origin: string | undefined) =>
    new Promise<{ ws: WebSocket; status: number | null }>((resolve) => {
      const ws = new WebSocket(`${host.origin.replace('http', 'ws')}/rpc`, protocols, origin ? { origin } : {});
      ws.on('open', () => resolve({ ws, status: 101 }));
      ws.on('unexpected-response', (_req, res) => resolve({ ws, status: res.statusCode ?? null }));
      ws.on('error', () => undefined);
    });

  it('listens on 127.0.0.1 only and puts the token in the fragment, not the query', () => {
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(host.urlWithToken()).toBe(`${host.origin}/#token=${token}`);
  });

  it('refuses to start without a real token', async () => {
    await expect(startHost({ core, staticDir, token: '' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(startHost({ core, staticDir, token: 'short' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('serves the UI with a strict CSP and nothing outside its folder', async () => {
    const r = await fetch(`${host.origin}/`);
    expect(r.status).toBe(200);
    const csp = r.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe');
    expect(csp).toContain(`connect-src 'self' ${host.origin.replace('http', 'ws')}`);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await fetch(`${host.origin}/assets/app.js`)).headers.get('content-type')).toMatch(/javascript/);
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e/%2e%2e/secret.txt', '/%00']) {
      expect((await fetch(`${host.origin}${p}`)).status, p).toBe(404);
    }
    expect((await fetch(`${host.origin}/`, { method: 'POST' })).status).toBe(405);
    expect(resolveStatic('/srv/ui', '/a/../../etc/passwd')).toBeNull();
  });

  it('refuses a WebSocket without the token, with a wrong one, or from another origin', async () => {
    const results = await Promise.all([
      open(['clusterdeck.v1'], host.origin),
      open(protocolsFor(newToken()), host.origin),
      open(protocolsFor(token), 'http://evil.example'),
      open(protocolsFor(token), undefined),
      open([...protocolsFor(token), `cdtoken.${newToken()}`], host.origin),
    ]);
    expect(results.map((r) => r.status)).toEqual([401, 401, 403, 403, 401]);
  });

  it('serves the contract to the page that carries the token', async () => {
    const { ws, status } = await open(protocolsFor(token), host.origin);
    expect(status).toBe(101);
    expect(ws.protocol).toBe('clusterdeck.v1');
    const reply = await new Promise<unknown>((resolve) => {
      ws.on('message', (d) => resolve(JSON.parse(d.toString())));
      ws.send(JSON.stringify({ t: 'req', id: 1, method: 'clusters.list', params: {} }));
    });
    expect(reply).toEqual({ t: 'res', id: 1, ok: true, value: [] });
    const bad = await new Promise<unknown>((resolve) => {
      ws.removeAllListeners('message');
      ws.on('message', (d) => resolve(JSON.parse(d.toString())));
      ws.send(JSON.stringify({ t: 'req', id: 2, method: 'nodes.act', params: { cluster: '../x', node: 'n', action: 'drain' } }));
    });
    expect(bad).toMatchObject({ t: 'res', id: 2, ok: false, error: { code: 'INVALID_ARGUMENT' } });
    ws.close();
  });

  it('compares tokens by value in constant time and judges origins by parsed URL', () => {
    const t = newToken();
    expect(tokenMatches(new Set(['clusterdeck.v1', `cdtoken.${t}`]), t)).toBe(true);
    expect(tokenMatches(['clusterdeck.v1', `cdtoken.${t}x`], t)).toBe(false);
    expect(tokenMatches(['clusterdeck.v1'], t)).toBe(false);
    expect(tokenMatches([`cdtoken.${t}`], '')).toBe(false);
    expect(originAllowed('http://127.0.0.1:5000', ['http://127.0.0.1:5000'])).toBe(true);
    expect(originAllowed('http://127.0.0.1:5000.evil.com', ['http://127.0.0.1:5000'])).toBe(false);
    expect(originAllowed('null', ['http://127.0.0.1:5000'])).toBe(false);
    expect(originAllowed(undefined, ['http://127.0.0.1:5000'])).toBe(false);
  });
});
