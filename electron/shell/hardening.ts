// Rules applied to every webContents the app ever creates (windows, and anything a bug might spawn)
// and to the default session; the decisions themselves live in guards.ts.
import type { App, Session, WebContents } from 'electron';
import { navigationAllowed, permissionDecision, windowOpenDecision } from './guards';

export function hardenWebContents(contents: WebContents, onRefused: (what: string) => void): void {
  const guardNavigation = (event: { preventDefault(): void }, url: string, kind: string): void => {
    if (navigationAllowed(url)) return;
    event.preventDefault();
    onRefused(`${kind} to ${url.slice(0, 200)}`);
  };
  contents.on('will-navigate', (event) => guardNavigation(event, event.url, 'navigation'));
  // Subframes too (the CSP already forbids frames; this holds even if it is ever loosened). The
  // main frame is will-navigate's, so a refusal is not logged twice.
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame) guardNavigation(event, event.url, 'frame navigation');
  });
  contents.on('will-redirect', (event) => guardNavigation(event, event.url, 'redirect'));
  contents.setWindowOpenHandler(({ url }) => {
    onRefused(`window.open of ${url.slice(0, 200)}`);
    return windowOpenDecision();
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    onRefused('a <webview>');
  });
}

export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(permissionDecision()));
  session.setPermissionCheckHandler(() => permissionDecision());
  session.setDevicePermissionHandler(() => permissionDecision());
}

export function hardenApp(app: App, onRefused: (what: string) => void): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, onRefused));
}
