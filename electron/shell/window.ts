// The one ClusterDeck window.
import { BrowserWindow, nativeTheme } from 'electron';
import { APP_ENTRY, secureWebPreferences, windowBackground } from './guards';

export function createMainWindow(o: { preload: string; devTools: boolean; icon?: string; onLoadFailed: (e: Error) => void }): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'ClusterDeck',
    // Shown at ready-to-show with a background matching the theme: no white flash, no half-drawn UI.
    show: false,
    backgroundColor: windowBackground(nativeTheme.shouldUseDarkColors),
    ...(o.icon ? { icon: o.icon } : {}),
    webPreferences: secureWebPreferences(o.preload, { devTools: o.devTools }),
  });
  const onTheme = (): void => {
    if (!win.isDestroyed()) win.setBackgroundColor(windowBackground(nativeTheme.shouldUseDarkColors));
  };
  nativeTheme.on('updated', onTheme);
  win.once('closed', () => nativeTheme.off('updated', onTheme));
  win.once('ready-to-show', () => win.show());
  win.loadURL(APP_ENTRY).catch(o.onLoadFailed);
  return win;
}
