// The Electron main process: a thin shell around the same core the CLI uses. It owns the window,
// the app:// protocol and the IPC bridge; every security decision is in shell/guards.ts.
// Bundled to dist/electron/main.cjs (scripts/build-electron.mjs), so __dirname is dist/electron.
import { existsSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, session } from 'electron';
import { CONTRACT } from '../shared/contract';
import { createRpcClient } from '../shared/rpc/client';
import { createMemoryTransportPair } from '../shared/rpc/memory-transport';
import { createCore, type Core } from './core/create-core';
import { APP_NAME } from './store/data-dir';
import { handleAppProtocol, registerAppScheme } from './shell/app-protocol';
import { chooseDataDir, parseShellArgs, type ShellArgs } from './shell/args';
import { hardenApp, hardenSession } from './shell/hardening';
import { createIpcBridge, type IpcBridge } from './shell/ipc-bridge';
import { menuTemplate } from './shell/menu';
import { createMainWindow } from './shell/window';

const HERE = __dirname;
const RENDERER_DIR = resolve(HERE, '..', 'renderer');
const PRELOAD = join(HERE, 'preload.cjs');
const ICON = join(HERE, 'icon.png');
/** A stuck SSH close must not keep a quitting app alive. */
const DISPOSE_DEADLINE_MS = 5000;

const log = (msg: string): void => console.error(`clusterdeck: ${msg}`);

function fail(title: string, e: unknown): void {
  const msg = e instanceof Error ? e.message : String(e);
  log(`${title}: ${msg}`);
  if (app.isReady()) dialog.showErrorBox(title, msg);
  app.exit(1);
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown'; // no passwd entry
  }
}

interface Running {
  core: Core;
  bridge: IpcBridge;
  detach: () => void;
}

function startCore(dataDir: string, args: ShellArgs): Running {
  const core = createCore({
    dataDir,
    extraKnownHosts: args.knownHosts,
    actor: { via: 'ui', user: currentUser(), machine: hostname() },
    reconnect: true,
  });
  // The main process is one more client of the core, over the same contract as the CLI.
  const [coreSide, uiSide] = createMemoryTransportPair();
  const detach = core.attach(coreSide, 'ui');
  const client = createRpcClient(CONTRACT, uiSide);
  const bridge = createIpcBridge(ipcMain, client, { onRefused: (what) => log(`refused ${what}`) });
  return { core, bridge, detach };
}

function main(): void {
  let args: ShellArgs;
  try {
    args = parseShellArgs(process.argv.slice(1));
  } catch (e) {
    fail('ClusterDeck: bad command line', e);
    return;
  }
  // The same folder the CLI defaults to (electron/store/data-dir.ts), whatever package.json's name is.
  app.setName(APP_NAME);
  const dataDir = chooseDataDir(args, process.env, join(app.getPath('appData'), APP_NAME));
  // Chromium's profile and the single-instance lock follow the data directory: one app per data
  // directory, and a test run with its own --data-dir touches nothing of the user's.
  app.setPath('userData', dataDir);
  app.setPath('sessionData', join(dataDir, 'chromium'));
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.enableSandbox();
  registerAppScheme();
  hardenApp(app, (what) => log(`refused ${what}`));

  let running: Running | null = null;
  let win: BrowserWindow | null = null;
  const openWindow = (): void => {
    win = createMainWindow({
      preload: PRELOAD,
      devTools: !app.isPackaged,
      ...(existsSync(ICON) ? { icon: ICON } : {}),
      onLoadFailed: (e) => log(`the window did not load: ${e.message}`),
    });
    win.on('closed', () => (win = null));
  };

  app.on('second-instance', () => {
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('activate', () => {
    if (app.isReady() && BrowserWindow.getAllWindows().length === 0) openWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  let disposed = false;
  app.on('will-quit', (event) => {
    if (disposed || !running) return;
    event.preventDefault();
    disposed = true;
    const r = running;
    r.bridge.dispose();
    r.detach();
    const deadline = new Promise<void>((res) => setTimeout(res, DISPOSE_DEADLINE_MS).unref());
    void Promise.race([r.core.dispose(), deadline])
      .catch((e: unknown) => log(`shutdown: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => app.quit());
  });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => app.quit());

  app
    .whenReady()
    .then(() => {
      hardenSession(session.defaultSession);
      handleAppProtocol(RENDERER_DIR);
      Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({ isMac: process.platform === 'darwin', isPackaged: app.isPackaged })));
      running = startCore(dataDir, args);
      openWindow();
    })
    .catch((e: unknown) => fail('ClusterDeck could not start', e));
}

main();
