import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { APP_ENTRY, secureWebPreferences } from './guards';

// electron/main.ts run against stand-ins for Electron's modules: the order of the start-up steps,
// the window's options and the IPC path to a real core, which nothing else checks where no
// Electron binary exists.
const fx = vi.hoisted(() => {
  const calls: string[] = [];
  const windows: Array<{ options: Record<string, unknown>; loaded: string[] }> = [];
  const ipcHandlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  const quit = { count: 0 };
  return { calls, windows, ipcHandlers, quit, appData: '' };
});

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  const app = Object.assign(new Emitter(), {
    isPackaged: false,
    setName: (n: string) => fx.calls.push(`setName ${n}`),
    getPath: (n: string) => (fx.calls.push(`getPath ${n}`), fx.appData),
    setPath: (n: string, p: string) => fx.calls.push(`setPath ${n} ${p}`),
    requestSingleInstanceLock: () => (fx.calls.push('requestSingleInstanceLock'), true),
    enableSandbox: () => fx.calls.push('enableSandbox'),
    whenReady: () => Promise.resolve().then(() => void fx.calls.push('ready')),
    isReady: () => true,
    quit: () => void fx.quit.count++,
    exit: (code: number) => fx.calls.push(`exit ${code}`),
  });
  class BrowserWindow extends Emitter {
    static getAllWindows = () => [];
    webContents = new Emitter();
    constructor(options: Record<string, unknown>) {
      super();
      fx.calls.push('new BrowserWindow');
      fx.windows.push({ options, loaded: [] });
    }
    loadURL(url: string) {
      fx.windows.at(-1)!.loaded.push(url);
      return Promise.resolve();
    }
    isDestroyed = () => false;
    setBackgroundColor() {}
  }
  return {
    app,
    BrowserWindow,
    dialog: { showErrorBox: () => {} },
    ipcMain: {
      handle: (ch: string, fn: (event: unknown, ...args: unknown[]) => unknown) => fx.ipcHandlers.set(ch, fn),
      removeHandler: (ch: string) => fx.ipcHandlers.delete(ch),
      on: () => {},
      removeListener: () => {},
    },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: () => fx.calls.push('setApplicationMenu') },
    nativeTheme: Object.assign(new Emitter(), { shouldUseDarkColors: false }),
    protocol: {
      registerSchemesAsPrivileged: () => fx.calls.push('registerSchemesAsPrivileged'),
      handle: (scheme: string) => fx.calls.push(`protocol.handle ${scheme}`),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: () => fx.calls.push('setPermissionRequestHandler'),
        setPermissionCheckHandler: () => fx.calls.push('setPermissionCheckHandler'),
        setDevicePermissionHandler: () => {},
      },
    },
  };
});

const dataDir = mkdtempSync(join(tmpdir(), 'cd-main-'));
fx.appData = join(dataDir, 'appData');
const savedEnv = process.env.CLUSTERDECK_DATA_DIR;
process.env.CLUSTERDECK_DATA_DIR = dataDir;
const { app } = await import('electron');
await import('../main');
// let whenReady's continuation run
await new Promise((r) => setTimeout(r, 0));

afterAll(() => {
  if (savedEnv === undefined) delete process.env.CLUSTERDECK_DATA_DIR;
  else process.env.CLUSTERDECK_DATA_DIR = savedEnv;
  rmSync(dataDir, { recursive: true, force: true });
});

const at = (step: string) => fx.calls.findIndex((c) => c.startsWith(step));

describe('electron/main.ts', () => {
  it('does the before-ready steps first, in order', () => {
    expect(fx.calls).toContain(`setPath userData ${dataDir}`);
    expect(at('setName ClusterDeck')).toBeLessThan(at('setPath userData'));
    expect(at('setPath userData')).toBeLessThan(at('requestSingleInstanceLock'));
    for (const step of ['requestSingleInstanceLock', 'enableSandbox', 'registerSchemesAsPrivileged']) {
      expect(at(step)).toBeGreaterThanOrEqual(0);
      expect(at(step)).toBeLessThan(at('ready'));
    }
  });

  it('after ready: protocol, permission handlers and menu before the window', () => {
    for (const step of ['protocol.handle app', 'setPermissionRequestHandler', 'setPermissionCheckHandler', 'setApplicationMenu']) {
      expect(at(step)).toBeGreaterThan(at('ready'));
      expect(at(step)).toBeLessThan(at('new BrowserWindow'));
    }
    expect((app as unknown as EventEmitter).listenerCount('web-contents-created')).toBe(1);
  });

  it('opens one hidden window with the secure preferences on app://clusterdeck', () => {
    expect(fx.windows).toHaveLength(1);
    const w = fx.windows[0]!;
    expect(w.options.show).toBe(false);
    const prefs = w.options.webPreferences as { preload: string };
    expect(prefs.preload).toMatch(/preload\.cjs$/);
    expect(prefs).toEqual(secureWebPreferences(prefs.preload, { devTools: true }));
    expect(w.loaded).toEqual([APP_ENTRY]);
  });

  it('answers a trusted invoke from the real core, and refuses an untrusted one', async () => {
    const invoke = fx.ipcHandlers.get('cd:invoke')!;
    const sender = { id: 1, isDestroyed: () => false, send: () => {}, once: () => {} };
    expect(await invoke({ sender, senderFrame: { url: APP_ENTRY, parent: null } }, 'clusters.list', {})).toEqual({ ok: true, value: [] });
    const refused = (await invoke({ sender, senderFrame: { url: 'https://example.com/', parent: null } }, 'clusters.list', {})) as { ok: boolean };
    expect(refused.ok).toBe(false);
  });

  it('disposes the core on quit, then quits', async () => {
    let prevented = false;
    (app as unknown as EventEmitter).emit('will-quit', { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    await vi.waitFor(() => expect(fx.quit.count).toBe(1));
    expect(fx.ipcHandlers.has('cd:invoke')).toBe(false);
  });
});
