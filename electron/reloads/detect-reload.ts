/**
 * Noticing that an LB's HAProxy worker was replaced by someone other than ClusterDeck, as pure
 * functions: what ClusterDeck last saw of the LB (its worker and each server's status), what it
 * sees now, and ClusterDeck's own reloads from the intent journal.
 */
import { adminStateOf, type AdminState } from '../../shared/domain/admin-state';
import type { OutsideReload } from '../../shared/domain/reloads';
import type { LbRead } from '../cluster/lb-read';

export interface ServerSeen {
  status: string;
  admin: AdminState | null;
}

/** What ClusterDeck last saw of one LB. */
export interface LbSeen {
  pid: number;
  /** Epoch ms the worker started (to the second: HAProxy reports whole seconds of uptime). */
  startedAt: number | null;
  /** Epoch ms of the read. */
  seenAt: number;
  /** Keyed "backend/server". */
  servers: Record<string, ServerSeen>;
}

/** One of ClusterDeck's own HAProxy reloads (from the journal, any process sharing the data dir). */
export interface OwnReload {
  startedAt: number;
  endedAt: number | null;
  oldPid: number | null;
  newPid: number | null;
}

// Uptime comes in whole seconds, and the journal's clock and the read's are the same machine's:
// a second either way covers the rounding.
const SLACK_MS = 1_500;

/** The LB as this read shows it, or null when the read has no worker identity. */
export function seenOf(read: LbRead): LbSeen | null {
  if (!read.ok || !read.info || read.info.pid === null) return null;
  const servers: Record<string, ServerSeen> = {};
  for (const s of read.servers) servers[`${s.backend}/${s.server}`] = { status: s.status, admin: adminStateOf(s.adminState) };
  return {
    pid: read.info.pid,
    startedAt: read.info.uptimeSec === null ? null : read.at - read.info.uptimeSec * 1000,
    seenAt: read.at,
    servers,
  };
}

/** True when the worker `now` comes from one of ClusterDeck's own reloads. */
export function isOwnReload(prev: LbSeen, now: LbSeen, own: OwnReload[], at: number): boolean {
  return own.some((r) => {
    if (r.newPid !== null) return r.newPid === now.pid;
    if (r.oldPid !== null && r.oldPid !== prev.pid) return false;
    // Under way (no new pid yet): the new worker must have started within the reload's window.
    const started = now.startedAt ?? at;
    return started >= r.startedAt - SLACK_MS && started <= (r.endedAt ?? at) + SLACK_MS;
  });
}

const two = (n: number): string => String(n).padStart(2, '0');

/** Local wall-clock time, as an admin reads it in a log: 10:42:03. */
export function clockTime(ms: number): string {
  const d = new Date(ms);
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/**
 * The outside reload `now` shows against `prev`, or null (same worker, or ClusterDeck's own).
 * `nodeOf` names the cluster's node behind a server.
 */
export function outsideReload(
  lb: string,
  prev: LbSeen | null,
  now: LbSeen,
  own: OwnReload[],
  at: number,
  nodeOf: (backend: string, server: string) => string | null,
): OutsideReload | null {
  if (!prev || prev.pid === now.pid) return null;
  if (isOwnReload(prev, now, own, at)) return null;
  const changed: OutsideReload['changed'] = [];
  const kept: string[] = [];
  for (const [key, was] of Object.entries(prev.servers)) {
    const cur = now.servers[key];
    const [backend, server] = key.split('/') as [string, string];
    const name = nodeOf(backend, server);
    if (name === null) continue;
    if (!cur) {
      changed.push({ backend, server, node: name, was: was.status, now: 'not in the new configuration' });
      continue;
    }
    if (was.admin !== cur.admin) changed.push({ backend, server, node: name, was: was.status, now: cur.status });
    else if (cur.admin === 'drain' || cur.admin === 'maint') kept.push(`${name} still ${cur.status}`);
  }
  const when = clockTime(now.startedAt ?? at);
  const head = `${lb} was reloaded outside ClusterDeck at ${when} (pid ${prev.pid} → ${now.pid})`;
  const tail = changed.length
    ? `runtime state may have been lost: ${changed.map((c) => `${c.node} was ${c.was}, is now ${c.now}`).join('; ')}`
    : kept.length
      ? `runtime state was kept: ${kept.join(', ')}`
      : 'no server changed state';
  return { lb, at: now.startedAt ?? at, detectedAt: at, oldPid: prev.pid, newPid: now.pid, changed, message: `${head}; ${tail}` };
}

/** Worth writing down: a new worker, or a server whose status or admin state changed. */
export function seenChanged(prev: LbSeen | null, now: LbSeen): boolean {
  if (!prev || prev.pid !== now.pid) return true;
  const keys = new Set([...Object.keys(prev.servers), ...Object.keys(now.servers)]);
  for (const k of keys) {
    const a = prev.servers[k];
    const b = now.servers[k];
    if (!a || !b || a.status !== b.status || a.admin !== b.admin) return true;
  }
  return false;
}
