// Every security decision of the Electron shell, as pure functions: no `electron` import here, so
// the unit tests exercise exactly what main.ts and the IPC bridge apply (the binary is absent on the
// machines that run the tests).
import { CONTRACT, type ClusterDeckContract } from '../../shared/contract';
import type { CdErrorData } from '../../shared/errors';
import { hasMethod, hasTopic, type MethodName, type TopicName } from '../../shared/rpc/define';
import { contentSecurityPolicy, resolveStatic } from '../host/static-files';

export const APP_SCHEME = 'app';
export const APP_HOST = 'clusterdeck';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/**
 * The parsed URL if it is ours: scheme app:, host exactly `clusterdeck`, no port and no userinfo.
 * Compared part by part because Node's URL gives non-special schemes an opaque origin ("null"), and a
 * prefix test would let `app://clusterdeck.evil` or `app://clusterdeck@evil` through.
 */
function ownUrl(raw: string): URL | null {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST || u.hostname !== APP_HOST) return null;
  if (u.port !== '' || u.username !== '' || u.password !== '') return null;
  return u;
}

export interface FrameLike {
  url: string;
  parent: unknown;
}

/** Only our main frame may talk to the core: never a subframe, never a page from another origin. */
export function isTrustedSender(frame: FrameLike | null | undefined): boolean {
  if (!frame) return false; // the frame navigated away or was destroyed while the message was in flight
  try {
    if (frame.parent !== null) return false;
    return typeof frame.url === 'string' && ownUrl(frame.url) !== null;
  } catch {
    return false; // a disposed WebFrameMain throws on access: treat as untrusted
  }
}

export type InvokeCheck =
  | { ok: true; method: MethodName<ClusterDeckContract>; params: unknown }
  | { ok: false; error: CdErrorData & { code: 'UNKNOWN_METHOD' | 'INVALID_ARGUMENT' } };

function describeIssues(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): string {
  return issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/** A method listed in the contract (own property only: `constructor`, `__proto__`, `toString` are not methods). */
export function isContractMethod(method: unknown): method is MethodName<ClusterDeckContract> {
  return typeof method === 'string' && method.length <= 100 && hasMethod(CONTRACT, method);
}

/** The IPC payload of one call, checked against the contract before anything reaches the core. */
export function checkInvoke(method: unknown, params: unknown): InvokeCheck {
  if (!isContractMethod(method)) {
    const shown = typeof method === 'string' ? JSON.stringify(method.slice(0, 100)) : typeof method;
    return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `no such method: ${shown}` } };
  }
  const parsed = CONTRACT.methods[method].params.safeParse(params);
  if (!parsed.success) {
    return { ok: false, error: { code: 'INVALID_ARGUMENT', message: `${method}: ${describeIssues(parsed.error.issues)}` } };
  }
  return { ok: true, method, params: parsed.data };
}

export type TopicCheck = { ok: true; topic: TopicName<ClusterDeckContract> } | { ok: false; error: CdErrorData & { code: 'UNKNOWN_METHOD' } };

export function checkTopic(topic: unknown): TopicCheck {
  if (typeof topic === 'string' && topic.length <= 100 && hasTopic(CONTRACT, topic)) {
    return { ok: true, topic: topic as TopicName<ClusterDeckContract> };
  }
  return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `no such topic: ${typeof topic === 'string' ? JSON.stringify(topic.slice(0, 100)) : typeof topic}` } };
}

/**
 * The UI is one page and routes in-page (hash/history), which never raises will-navigate. The one
 * navigation allowed is to the entry page itself, so that a "reload" from the UI (e.g. after an
 * error) works however Chromium classifies it; everything else - other origins, file:, data:,
 * javascript:, other app:// paths - is refused. Nothing is ever opened in the user's browser.
 */
export function navigationAllowed(url: string): boolean {
  const u = ownUrl(url);
  return u !== null && u.pathname === '/index.html' && u.search === '';
}

/** window.open and target=_blank: never a second window, never an external browser. */
export function windowOpenDecision(): { action: 'deny' } {
  return { action: 'deny' };
}

/** The UI needs no camera, notifications, geolocation, clipboard-read, HID, ... */
export function permissionDecision(): false {
  return false;
}

export interface SecureWebPreferences {
  preload: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  experimentalFeatures: false;
  webviewTag: false;
  spellcheck: false;
  devTools: boolean;
}

/** Electron's security checklist as one object; turning nodeIntegration on would silently switch the sandbox off. */
export function secureWebPreferences(preloadPath: string, opts: { devTools?: boolean } = {}): SecureWebPreferences {
  return {
    preload: preloadPath,
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
    devTools: opts.devTools ?? false,
  };
}

/** The UI talks to the core over IPC, so it has nothing to connect to beyond its own origin. */
export function appCsp(): string {
  return contentSecurityPolicy("'self'");
}

/** Headers of every app:// response. */
export function appResponseHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': appCsp(),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  };
}

/** The path part of one of our URLs (still percent-encoded), or null for anything not ours. */
export function appUrlPath(url: string): string | null {
  return ownUrl(url)?.pathname ?? null;
}

/** The file under `root` that app://clusterdeck/<path> names, or null (other host, `..`, NUL, ...). */
export function resolveAppUrl(root: string, url: string): string | null {
  const p = appUrlPath(url);
  return p === null ? null : resolveStatic(root, p);
}

/** The window's background before the UI paints, so there is no white flash in a dark theme. */
export function windowBackground(dark: boolean): string {
  return dark ? '#0f172a' : '#f8fafc';
}
