import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { menuTemplate } from './menu';

const roles = (items: MenuItemConstructorOptions[]): string[] =>
  items.flatMap((i) => [...(i.role ? [i.role] : []), ...(Array.isArray(i.submenu) ? roles(i.submenu) : [])]);

describe('menuTemplate', () => {
  it('has reload and DevTools only in development', () => {
    const dev = roles(menuTemplate({ isMac: false, isPackaged: false }));
    expect(dev).toEqual(expect.arrayContaining(['reload', 'forceReload', 'toggleDevTools', 'editMenu']));
    const shipped = roles(menuTemplate({ isMac: false, isPackaged: true }));
    expect(shipped).not.toContain('toggleDevTools');
    expect(shipped).not.toContain('reload');
    expect(shipped).not.toContain('forceReload');
    expect(shipped).toContain('editMenu');
  });

  it('uses the app menu on macOS', () => {
    expect(menuTemplate({ isMac: true, isPackaged: true })[0]).toEqual({ role: 'appMenu' });
    expect(menuTemplate({ isMac: false, isPackaged: true })[0]).toEqual({ role: 'fileMenu' });
  });
});
