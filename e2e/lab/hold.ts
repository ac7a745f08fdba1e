import http from 'node:http';
import type { LabCore } from './context';
import { LabError } from './errors';
import { serverStatus } from './haproxy';
import { LB_PORT } from './plan';
import type { HoldHandle, LbName, NodeName } from './types';
import { waitFor } from './wait';

/** In-flight held requests, so lab.stop() can cut them instead of leaving sockets open in the test runner. */
export type HoldSet = Set<http.ClientRequest>;

/**
 * Sends GET /hold?s=N through the LB's frontend, pinned to one node by the x-cd-server header, and
 * returns once HAProxy counts it (scur went up on that LB). `done` is pre-marked as handled so a
 * test that never awaits it cannot crash the runner with an unhandled rejection.
 */
export async function hold(core: LabCore, holds: HoldSet, lb: LbName, node: NodeName, seconds: number): Promise<HoldHandle> {
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 600) throw new LabError('argument', `hold seconds must be 0..600, got ${seconds}`);
  const h = core.hosts[lb];
  const before = (await serverStatus(core, lb, node)).scur;
  const req = http.request({
    host: h.ip,
    port: LB_PORT,
    path: `/hold?s=${seconds}`,
    method: 'GET',
    agent: false,
    headers: { 'x-cd-server': node },
  });
  holds.add(req);
  let finished: string | null = null;
  const done = new Promise<number>((resolve, reject) => {
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => {
        finished = `finished with HTTP ${res.statusCode}`;
        holds.delete(req);
        resolve(res.statusCode ?? 0);
      });
      res.on('error', (e) => reject(e));
    });
    req.on('error', (e) => {
      finished = `failed: ${e.message}`;
      holds.delete(req);
      reject(new LabError('service', `held request ${lb} → ${node} failed: ${e.message}`, { host: lb, service: 'haproxy' }));
    });
  });
  done.catch(() => undefined);
  req.setTimeout((seconds + 60) * 1000, () => req.destroy(new Error(`no answer within ${seconds + 60} s`)));
  req.end();
  try {
    await waitFor(async () => (await serverStatus(core, lb, node)).scur > before, {
      timeoutMs: 10_000,
      intervalMs: 50,
      what: `held request to show up as a session on ${lb} ${node}`,
      failIf: () => (finished ? `the request ${finished} before it was counted` : null),
    });
  } catch (e) {
    req.destroy();
    holds.delete(req);
    throw e;
  }
  return { done };
}
