import { EventEmitter } from 'node:events';
import type { App, Session, WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { hardenApp, hardenSession, hardenWebContents } from './hardening';

// A webContents stand-in: events plus setWindowOpenHandler, which is all hardenWebContents touches.
function fakeContents() {
  const em = new EventEmitter();
  let openHandler: ((d: { url: string }) => unknown) | null = null;
  const contents = Object.assign(em, {
    setWindowOpenHandler: (h: (d: { url: string }) => unknown) => void (openHandler = h),
  });
  const navEvent = (url: string, isMainFrame = true) => {
    const e = { url, isMainFrame, prevented: false, preventDefault() {
      e.prevented = true;
    } };
    return e;
  };
  return {
    contents: contents as unknown as WebContents,
    navigate(kind: 'will-navigate' | 'will-frame-navigate' | 'will-redirect', url: string): boolean {
      // will-frame-navigate is checked here for subframes (the main frame is will-navigate's)
      const e = navEvent(url, kind !== 'will-frame-navigate');
      em.emit(kind, e, url);
      return e.prevented;
    },
    open: (url: string) => openHandler?.({ url }),
    attachWebview(): boolean {
      const e = navEvent('');
      em.emit('will-attach-webview', e, {}, {});
      return e.prevented;
    },
  };
}

describe('hardenWebContents', () => {
  it.each(['will-navigate', 'will-frame-navigate', 'will-redirect'] as const)('%s away from the app is prevented', (kind) => {
    const f = fakeContents();
    const refused: string[] = [];
    hardenWebContents(f.contents, (w) => refused.push(w));
    for (const url of ['https://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,x', 'app://clusterdeck.evil/index.html']) {
      expect(f.navigate(kind, url)).toBe(true);
    }
    expect(refused).toHaveLength(5);
    expect(f.navigate(kind, 'app://clusterdeck/index.html')).toBe(false);
  });

  it('denies window.open', () => {
    const f = fakeContents();
    hardenWebContents(f.contents, () => {});
    expect(f.open('https://example.com/')).toEqual({ action: 'deny' });
    expect(f.open('app://clusterdeck/index.html')).toEqual({ action: 'deny' });
  });

  it('prevents <webview>', () => {
    const f = fakeContents();
    hardenWebContents(f.contents, () => {});
    expect(f.attachWebview()).toBe(true);
  });

  it('hardenApp applies it to every webContents created', () => {
    const app = new EventEmitter();
    hardenApp(app as unknown as App, () => {});
    const f = fakeContents();
    app.emit('web-contents-created', {}, f.contents);
    expect(f.navigate('will-navigate', 'https://example.com/')).toBe(true);
  });
});

describe('hardenSession', () => {
  it('denies every permission request and check', () => {
    let request: ((wc: unknown, p: string, cb: (ok: boolean) => void, d: unknown) => void) | null = null;
    let check: ((...a: unknown[]) => boolean) | null = null;
    let device: ((...a: unknown[]) => boolean) | null = null;
    const session = {
      setPermissionRequestHandler: (h: typeof request) => void (request = h),
      setPermissionCheckHandler: (h: typeof check) => void (check = h),
      setDevicePermissionHandler: (h: typeof device) => void (device = h),
    };
    hardenSession(session as unknown as Session);
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) {
      const answers: boolean[] = [];
      request!(null, p, (ok) => answers.push(ok), {});
      expect(answers).toEqual([false]);
      expect(check!(null, p, 'app://clusterdeck', {})).toBe(false);
    }
    expect(device!({ deviceType: 'usb', origin: 'app://clusterdeck' })).toBe(false);
  });
});
