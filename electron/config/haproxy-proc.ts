/**
 * What a reload and its verification read from HAProxy, as pure functions: the master CLI's
 * `show proc`, the admin states that must survive a reload, and `show stat` against the plan.
 */
import { SRV_ADMIN, type ServersStateRow } from '../haproxy/parse/servers-state';

export interface ProcLine {
  pid: number;
  reloads: number;
  uptime: string;
  version: string;
}

export interface ShowProc {
  master: (ProcLine & { failed: number | null }) | null;
  workers: ProcLine[];
  oldWorkers: ProcLine[];
}

/**
 * `show proc` of the master CLI (2.6):
 *   #<PID>  <type>  <reloads>  <uptime>  <version>
 *   12088   master  3 [failed: 1]  0d00h00m05s  2.6.12-1+deb12u4
 *   # workers
 *   12471   worker  1  0d00h00m03s  2.6.12-1+deb12u4
 *   # old workers
 *   ...
 * "[failed: N]" counts failed reloads since the last good one (2.5 and older print no such field).
 */
export function parseShowProc(text: string): ShowProc {
  const out: ShowProc = { master: null, workers: [], oldWorkers: [] };
  let section: 'head' | 'workers' | 'old' | 'other' = 'head';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    if (/^#\s*workers/i.test(line)) section = 'workers';
    else if (/^#\s*old workers/i.test(line)) section = 'old';
    else if (line.startsWith('#') && !line.startsWith('#<')) section = 'other';
    if (line.startsWith('#')) continue;
    const m = /^(\d+)\s+master\s+(\d+)(?:\s+\[failed:\s*(\d+)\])?\s+(\S+)\s+(\S+)/.exec(line);
    if (m) {
      out.master = { pid: Number(m[1]), reloads: Number(m[2]), failed: m[3] === undefined ? null : Number(m[3]), uptime: m[4]!, version: m[5]! };
      continue;
    }
    const w = /^(\d+)\s+worker\s+(\d+)\s+(\S+)\s+(\S+)/.exec(line);
    if (!w) continue;
    const p: ProcLine = { pid: Number(w[1]), reloads: Number(w[2]), uptime: w[3]!, version: w[4]! };
    if (section === 'workers') out.workers.push(p);
    else if (section === 'old') out.oldWorkers.push(p);
  }
  return out;
}

/** True when the master counted a failed reload since `before`: the new configuration was refused. */
export function reloadRefused(before: ShowProc | null, after: ShowProc | null): boolean {
  const b = before?.master?.failed;
  const a = after?.master?.failed;
  return a !== null && a !== undefined && a > (b ?? 0);
}

export function describeProc(p: ShowProc): string {
  const m = p.master;
  const head = m ? `master ${m.pid}, ${m.reloads} reloads${m.failed !== null ? `, ${m.failed} failed since the last good one` : ''}` : 'no master line';
  const w = p.workers.map((x) => x.pid).join(', ') || 'none';
  const old = p.oldWorkers.length ? `; old workers ${p.oldWorkers.map((x) => x.pid).join(', ')}` : '';
  return `${head}; current worker ${w}${old}`;
}

/** A server put in maintenance or drain by an admin (CLI/stats page): what a reload must not undo. */
export interface AdminHold {
  backend: string;
  server: string;
  state: 'maint' | 'drain';
}

export function adminHolds(rows: ServersStateRow[]): AdminHold[] {
  const out: AdminHold[] = [];
  for (const r of rows) {
    const a = r.adminState ?? 0;
    if (a & SRV_ADMIN.FMAINT) out.push({ backend: r.backend, server: r.server, state: 'maint' });
    else if (a & SRV_ADMIN.FDRAIN) out.push({ backend: r.backend, server: r.server, state: 'drain' });
  }
  return out;
}

/** Holds the new worker does not have (a server gone from the configuration is not counted). */
export function lostHolds(holds: AdminHold[], after: ServersStateRow[]): AdminHold[] {
  return holds.filter((h) => {
    const row = after.find((r) => r.backend === h.backend && r.server === h.server);
    if (!row) return false;
    const bit = h.state === 'maint' ? SRV_ADMIN.FMAINT : SRV_ADMIN.FDRAIN;
    return ((row.adminState ?? 0) & bit) === 0;
  });
}

export function goneHolds(holds: AdminHold[], after: ServersStateRow[]): AdminHold[] {
  return holds.filter((h) => !after.some((r) => r.backend === h.backend && r.server === h.server));
}

export interface ExpectedServer {
  backup: boolean;
  fall?: number;
  rise?: number;
}

/**
 * `show stat` server rows of one backend against what the new file says: one line per mismatch.
 * A server in maintenance has its checks paused and `show stat` leaves check_fall/check_rise
 * empty: those are listed as unverified rather than wrong.
 */
export function compareServerStats(
  rows: Array<Record<string, string>>,
  backend: string,
  expected: Record<string, ExpectedServer>,
): { mismatches: string[]; unverified: string[] } {
  const servers = rows.filter((r) => r['pxname'] === backend && (r['type'] === '2' || (r['type'] === undefined && r['svname'] !== 'FRONTEND' && r['svname'] !== 'BACKEND')));
  const mismatches: string[] = [];
  const unverified: string[] = [];
  for (const [name, want] of Object.entries(expected)) {
    const row = servers.find((r) => r['svname'] === name);
    if (!row) {
      mismatches.push(`${name}: not in backend ${backend}`);
      continue;
    }
    const bck = row['bck'] === '1';
    if (bck !== want.backup) mismatches.push(`${name}: backup should be ${want.backup ? 'yes' : 'no'}, HAProxy says ${bck ? 'yes' : 'no'}`);
    const paused = (row['status'] ?? '').startsWith('MAINT') && !row['check_fall'] && !row['check_rise'];
    if (paused && (want.fall !== undefined || want.rise !== undefined)) {
      unverified.push(`${name} (in maintenance: checks paused, fall/rise not shown)`);
      continue;
    }
    if (want.fall !== undefined && row['check_fall'] !== String(want.fall)) mismatches.push(`${name}: fall should be ${want.fall}, HAProxy says ${row['check_fall'] || 'none'}`);
    if (want.rise !== undefined && row['check_rise'] !== String(want.rise)) mismatches.push(`${name}: rise should be ${want.rise}, HAProxy says ${row['check_rise'] || 'none'}`);
  }
  return { mismatches, unverified };
}

/** "node1 fall 4 rise 2, node3 backup fall 4 rise 2" */
export function describeExpected(expected: Record<string, ExpectedServer>): string {
  return Object.entries(expected)
    .map(([n, e]) => [n, e.backup ? 'backup' : '', e.fall !== undefined ? `fall ${e.fall}` : '', e.rise !== undefined ? `rise ${e.rise}` : ''].filter(Boolean).join(' '))
    .join(', ');
}
