import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY,
  appCsp,
  appResponseHeaders,
  appUrlPath,
  checkInvoke,
  checkTopic,
  isContractMethod,
  isTrustedSender,
  navigationAllowed,
  permissionDecision,
  resolveAppUrl,
  secureWebPreferences,
  windowBackground,
  windowOpenDecision,
} from './guards';

const main = (url: string) => ({ url, parent: null });

describe('isTrustedSender', () => {
  it('trusts our main frame on app://clusterdeck', () => {
    expect(isTrustedSender(main('app://clusterdeck/index.html'))).toBe(true);
    expect(isTrustedSender(main('app://clusterdeck/'))).toBe(true);
    expect(isTrustedSender(main('app://clusterdeck/index.html#/clusters/demo'))).toBe(true);
  });

  it('refuses a missing frame (navigated away or destroyed)', () => {
    expect(isTrustedSender(null)).toBe(false);
    expect(isTrustedSender(undefined)).toBe(false);
  });

  it('refuses a subframe, even of our own origin', () => {
    expect(isTrustedSender({ url: 'app://clusterdeck/index.html', parent: main('app://clusterdeck/index.html') })).toBe(false);
    expect(isTrustedSender({ url: 'app://clusterdeck/index.html', parent: undefined })).toBe(false);
  });

  it.each([
    'app://clusterdeck.evil/index.html',
    'app://clusterdeck@evil/index.html',
    'app://evil@clusterdeck/index.html',
    'app://user:pw@clusterdeck/index.html',
    'app://clusterdeck:8080/index.html',
    'app://ClusterDeck/index.html',
    'app://other/index.html',
    'app:///index.html',
    'app:clusterdeck/index.html',
    'https://clusterdeck/index.html',
    'http://clusterdeck/index.html',
    'file:///work/main/dist/renderer/index.html',
    'devtools://devtools/bundled/inspector.html',
    'about:blank',
    'data:text/html,<script>1</script>',
    'javascript:alert(1)',
    '',
    'not a url',
  ])('refuses a main frame at %j', (url) => {
    expect(isTrustedSender(main(url))).toBe(false);
  });

  it('refuses a frame whose properties throw (a disposed WebFrameMain)', () => {
    const disposed = {
      get url(): string {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
      parent: null,
    };
    expect(isTrustedSender(disposed)).toBe(false);
  });

  it('refuses a url that is not a string', () => {
    expect(isTrustedSender({ url: 42 as unknown as string, parent: null })).toBe(false);
  });
});

describe('checkInvoke', () => {
  it('accepts a contract method with valid params and returns the parsed params', () => {
    expect(checkInvoke('clusters.list', {})).toEqual({ ok: true, method: 'clusters.list', params: {} });
  });

  it('applies the schema defaults', () => {
    const r = checkInvoke('audit.list', { cluster: 'demo' });
    expect(r).toEqual({ ok: true, method: 'audit.list', params: { cluster: 'demo', limit: 200 } });
  });

  it.each(['nope.nope', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'clusters', '', 'clusters.list ', 'CLUSTERS.LIST'])(
    'refuses %j as UNKNOWN_METHOD',
    (name) => {
      const r = checkInvoke(name, {});
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('UNKNOWN_METHOD');
    },
  );

  it.each([undefined, null, 42, {}, ['clusters.list'], Symbol('clusters.list')])('refuses a method name of type %s', (name) => {
    const r = checkInvoke(name, {});
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('UNKNOWN_METHOD');
  });

  it('refuses an over-long method name without echoing all of it', () => {
    const r = checkInvoke('x'.repeat(10_000), {});
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message.length).toBeLessThan(200);
  });

  it.each([
    ['extra keys', 'clusters.list', { extra: 1 }],
    ['missing params', 'clusters.get', undefined],
    ['null params', 'clusters.list', null],
    ['an array', 'clusters.list', []],
    ['a wrong type', 'clusters.get', { name: 42 }],
    ['an invalid name', 'clusters.get', { name: '../../etc' }],
    ['a number out of range', 'audit.list', { cluster: 'demo', limit: 1_000_000 }],
    ['a prototype key', 'clusters.list', JSON.parse('{"__proto__": {"polluted": true}}') as unknown],
  ])('refuses %s as INVALID_ARGUMENT', (_what, method, params) => {
    const r = checkInvoke(method, params);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('INVALID_ARGUMENT');
      expect(r.error.message).toContain(method);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('isContractMethod looks at own properties only', () => {
    expect(isContractMethod('clusters.list')).toBe(true);
    expect(isContractMethod('constructor')).toBe(false);
    expect(isContractMethod('__proto__')).toBe(false);
  });
});

describe('checkTopic', () => {
  it('accepts a contract topic', () => {
    expect(checkTopic('links.changed')).toEqual({ ok: true, topic: 'links.changed' });
  });

  it.each(['nope.nope', 'clusters.list', '__proto__', 'constructor', 'toString', '', 42, null, undefined, {}])('refuses %j', (t) => {
    const r = checkTopic(t);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('UNKNOWN_METHOD');
  });
});

describe('navigationAllowed', () => {
  it('allows only a reload of the entry page', () => {
    expect(navigationAllowed(APP_ENTRY)).toBe(true);
    expect(navigationAllowed(`${APP_ENTRY}#/clusters`)).toBe(true);
  });

  it.each([
    'https://example.com',
    'http://example.com',
    'http://127.0.0.1:8080/',
    'https://clusterdeck/index.html',
    'file:///etc/passwd',
    'file:///work/main/dist/renderer/index.html',
    'javascript:alert(1)',
    'data:text/html,<h1>hi</h1>',
    'blob:app://clusterdeck/1234',
    'about:blank',
    'chrome://gpu',
    'devtools://devtools/bundled/inspector.html',
    'app://clusterdeck/',
    'app://clusterdeck/other.html',
    'app://clusterdeck/index.html?x=1',
    'app://clusterdeck.evil/index.html',
    'app://clusterdeck@evil/index.html',
    'app://other/index.html',
    'mailto:root@example.com',
    '',
    'not a url',
  ])('refuses %j', (url) => {
    expect(navigationAllowed(url)).toBe(false);
  });
});

describe('window.open and permissions', () => {
  it('denies every window.open', () => {
    expect(windowOpenDecision()).toEqual({ action: 'deny' });
  });

  it('denies every permission', () => {
    expect(permissionDecision()).toBe(false);
  });
});

describe('secureWebPreferences', () => {
  it("follows Electron's security checklist", () => {
    expect(secureWebPreferences('/app/dist/electron/preload.cjs')).toEqual({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
      devTools: false,
    });
  });

  it('turns DevTools on only when asked (development builds)', () => {
    expect(secureWebPreferences('/p', { devTools: true }).devTools).toBe(true);
    expect(secureWebPreferences('/p', { devTools: true }).sandbox).toBe(true);
  });

  it('never carries a setting that weakens isolation', () => {
    const prefs = secureWebPreferences('/p') as unknown as Record<string, unknown>;
    for (const key of ['enableBlinkFeatures', 'disableBlinkFeatures', 'additionalArguments', 'enableRemoteModule', 'partition']) {
      expect(prefs).not.toHaveProperty(key);
    }
  });
});

describe('CSP', () => {
  const csp = appCsp();
  const directives = new Map(csp.split(';').map((d) => {
    const [name, ...values] = d.trim().split(/\s+/);
    return [name!, values] as const;
  }));

  it('has no unsafe-* source', () => {
    expect(csp).not.toMatch(/unsafe-/);
  });

  it('denies by default and allows scripts only from our origin', () => {
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
  });

  it('allows no remote origin anywhere', () => {
    expect(csp).not.toMatch(/https?:|ws:|wss:|\*/);
  });

  it('is sent with nosniff on every app:// response', () => {
    const h = appResponseHeaders('text/html; charset=utf-8');
    expect(h['Content-Security-Policy']).toBe(csp);
    expect(h['X-Content-Type-Options']).toBe('nosniff');
    expect(h['Content-Type']).toBe('text/html; charset=utf-8');
  });
});

describe('resolveAppUrl', () => {
  const root = join(sep, 'opt', 'clusterdeck', 'dist', 'renderer');

  it('maps our URLs into the renderer folder', () => {
    expect(resolveAppUrl(root, 'app://clusterdeck/index.html')).toBe(join(root, 'index.html'));
    expect(resolveAppUrl(root, 'app://clusterdeck/')).toBe(join(root, 'index.html'));
    expect(resolveAppUrl(root, 'app://clusterdeck/assets/index-1.js?v=1#x')).toBe(join(root, 'assets', 'index-1.js'));
    expect(resolveAppUrl(root, 'app://clusterdeck/assets/a%20b.css')).toBe(join(root, 'assets', 'a b.css'));
  });

  it.each([
    'app://clusterdeck/../../../etc/passwd',
    'app://clusterdeck/%2e%2e/%2e%2e/etc/passwd',
    'app://clusterdeck/assets/..%2f..%2f..%2fetc%2fpasswd',
    'app://clusterdeck/%252e%252e/x',
    'app://clusterdeck/..%5c..%5cwindows',
  ])('never leaves the folder for %j', (url) => {
    const r = resolveAppUrl(root, url);
    if (r !== null) expect(r.startsWith(root + sep)).toBe(true);
  });

  it('refuses a path that decodes outside the folder', () => {
    expect(resolveAppUrl(root, 'app://clusterdeck/assets/..%2f..%2f..%2fetc%2fpasswd')).toBeNull();
  });

  it('refuses NUL bytes and bad escapes', () => {
    expect(resolveAppUrl(root, 'app://clusterdeck/index.html%00.js')).toBeNull();
    expect(resolveAppUrl(root, 'app://clusterdeck/%E0%A4%A')).toBeNull();
  });

  it.each([
    'app://other/index.html',
    'app://clusterdeck.evil/index.html',
    'app://clusterdeck@evil/index.html',
    'app://clusterdeck:1/index.html',
    'https://clusterdeck/index.html',
    'file:///etc/passwd',
    'not a url',
  ])('refuses %j (not ours)', (url) => {
    expect(resolveAppUrl(root, url)).toBeNull();
    expect(appUrlPath(url)).toBeNull();
  });
});

describe('windowBackground', () => {
  it('follows the theme', () => {
    expect(windowBackground(true)).not.toBe(windowBackground(false));
    expect(windowBackground(true)).toMatch(/^#[0-9a-f]{6}$/);
  });
});
