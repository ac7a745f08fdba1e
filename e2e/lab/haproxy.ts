import { writeFileSync } from 'node:fs';
import net from 'node:net';
import type { LabCore } from './context';
import { LabError, LabTimeoutError } from './errors';
import { requireProgram } from '../support/programs';
import { tail } from './exec';
import { findServerRow, parseServersState, parseShowStat } from './haproxy-stats';
import { adminSocket, bindsFor, lbEtc, logPath, masterSocket } from './layout';
import { BACKEND, LB_PORT, NODE_NAMES } from './plan';
import { renderHaproxyConfig } from './render';
import type { LbName, ServerStatus } from './types';
import { tcpProbe, waitFor } from './wait';

export function writeHaproxyConfig(core: LabCore, lb: LbName): void {
  writeFileSync(
    `${lbEtc(core.dir, lb)}/haproxy.cfg`,
    renderHaproxyConfig({ lb: core.hosts[lb], nodes: NODE_NAMES.map((n) => core.hosts[n]) }),
  );
}

export function startHaproxy(core: LabCore, lb: LbName): void {
  const h = core.hosts[lb];
  const bin = requireProgram('haproxy');
  // Paths as the LB sees them inside its mount namespace; the binds map them into the lab dir.
  const argv = [bin, '-W', '-S', '/run/haproxy/master.sock', '-f', '/etc/haproxy/haproxy.cfg', '-p', '/run/haproxy/haproxy.pid'];
  core.procs.spawn(h, 'haproxy', bindsFor(core.dir, h), argv, logPath(core.dir, lb, 'haproxy'));
}

/**
 * One non-interactive runtime API exchange over the host-side path of the socket: send the
 * command, read until HAProxy closes. Independent of anything the app under test does.
 */
export function runtimeCommand(path: string, command: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ path });
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (err: Error | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err);
      else resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const timer = setTimeout(
      () => finish(new LabTimeoutError(`HAProxy socket ${path} did not answer "${command}" within ${timeoutMs} ms`)),
      timeoutMs,
    );
    // Half-close after the command, as `echo cmd | socat` does: the master CLI only answers and closes then.
    sock.on('connect', () => sock.end(`${command}\n`));
    sock.on('data', (d) => chunks.push(d));
    sock.on('end', () => finish(null));
    sock.on('close', () => finish(null));
    sock.on('error', (e) => finish(new LabError('service', `HAProxy socket ${path}: ${e.message}`, { service: 'haproxy' })));
  });
}

export async function serverStatus(core: LabCore, lb: LbName, server: string): Promise<ServerStatus> {
  const path = adminSocket(core.dir, lb);
  const [stat, state] = await Promise.all([runtimeCommand(path, 'show stat'), runtimeCommand(path, `show servers state ${BACKEND}`)]);
  const s = findServerRow(parseShowStat(stat), BACKEND, server);
  const st = findServerRow(parseServersState(state), BACKEND, server);
  if (!s || !st) throw new LabError('argument', `${lb} has no server ${BACKEND}/${server}`, { host: lb, service: 'haproxy' });
  return { status: s.status ?? '', scur: Number(s.scur ?? 0), admin: Number(st.srv_admin_state ?? 0) };
}

/** Names of servers in the backend that are not UP with a passed L7 check, for readiness and errors. */
export async function serversNotUp(core: LabCore, lb: LbName): Promise<string[]> {
  const rows = parseShowStat(await runtimeCommand(adminSocket(core.dir, lb), 'show stat', 2000));
  return NODE_NAMES.filter((n) => {
    const r = findServerRow(rows, BACKEND, n);
    return !r || r.status !== 'UP' || r.check_status !== 'L7OK';
  }).map((n) => {
    const r = findServerRow(rows, BACKEND, n);
    return `${n}=${r ? `${r.status}/${r.check_status}` : 'missing'}`;
  });
}

/**
 * Ready = admin socket answers, frontend accepts, and (allUp) every server is UP on a real check.
 * fault.start uses allUp=false because a node may be down on purpose.
 */
export async function waitHaproxy(core: LabCore, lb: LbName, timeoutMs: number, allUp: boolean): Promise<void> {
  const h = core.hosts[lb];
  const log = logPath(core.dir, lb, 'haproxy');
  let notUp: string[] = [];
  await waitFor(
    async () => {
      await runtimeCommand(adminSocket(core.dir, lb), 'show info', 1000);
      if (!(await tcpProbe(h.ip, LB_PORT, 1000))) throw new Error(`frontend ${h.ip}:${LB_PORT} not accepting`);
      if (!allUp) return true;
      notUp = await serversNotUp(core, lb);
      return notUp.length === 0;
    },
    {
      timeoutMs,
      intervalMs: 100,
      what: allUp ? `HAProxy on ${lb}: all servers UP` : `HAProxy on ${lb} to answer on its admin socket and :${LB_PORT}`,
      failIf: () => (core.procs.running(lb, 'haproxy') ? null : `haproxy on ${lb} exited`),
      detail: () => `${notUp.length ? `not UP: ${notUp.join(', ')}\n` : ''}haproxy log (${log}):\n${tail(log)}`,
    },
  );
}

export { adminSocket, masterSocket };
