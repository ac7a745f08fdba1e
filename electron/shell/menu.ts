// The application menu as data. Reload and DevTools exist only in development builds: in a packaged
// app the renderer's console is not a place for the operator to paste things into.
import type { MenuItemConstructorOptions } from 'electron';

export function menuTemplate(o: { isMac: boolean; isPackaged: boolean }): MenuItemConstructorOptions[] {
  const view: MenuItemConstructorOptions[] = [
    ...(o.isPackaged ? [] : ([{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as const)),
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  return [o.isMac ? { role: 'appMenu' } : { role: 'fileMenu' }, { role: 'editMenu' }, { label: 'View', submenu: view }, { role: 'windowMenu' }];
}
