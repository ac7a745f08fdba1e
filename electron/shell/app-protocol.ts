// Serves the built UI from app://clusterdeck/ rather than file://: a real origin for the CSP and the
// sender check, and no way for the page to read arbitrary local files.
import { protocol } from 'electron';
import { readStatic } from '../host/static-files';
import { APP_SCHEME, appResponseHeaders, appUrlPath } from './guards';

/** Must run before app 'ready' (Chromium reads the list once, at start-up). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      // standard: relative URLs and a real origin; secure: a secure context like https.
      // corsEnabled stays off, so no other origin can read app:// responses.
      privileges: { standard: true, secure: true, supportFetchAPI: true },
    },
  ]);
}

/** After 'ready': answers app:// requests with files under `root` only, each with the CSP header. */
export function handleAppProtocol(root: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const notFound = (): Response => new Response('not found', { status: 404, headers: appResponseHeaders('text/plain; charset=utf-8') });
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('method not allowed', { status: 405, headers: appResponseHeaders('text/plain; charset=utf-8') });
    }
    const path = appUrlPath(request.url);
    if (path === null) return notFound();
    const file = await readStatic(root, path);
    if (!file) return notFound();
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(file.body), { status: 200, headers: appResponseHeaders(file.type) });
  });
}
