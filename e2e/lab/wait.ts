import http from 'node:http';
import net from 'node:net';
import { LabError, LabTimeoutError, errorMessage } from './errors';
import { sleep } from './exec';
import type { WaitOptions } from './types';

/**
 * Polls cond until it returns true. Bounded twice: by the deadline and by an iteration cap, so a
 * cond that hangs or a clock jump cannot keep a test alive. A throwing cond counts as "not yet",
 * and its last error goes into the timeout message.
 */
export interface WaitInternals {
  /** Extra context for the timeout message (e.g. a log tail). */
  detail?: () => string;
  /** A reason to give up at once (e.g. the service exited), instead of waiting out the deadline. */
  failIf?: () => string | null;
}

export async function waitFor(cond: () => Promise<boolean>, opts: WaitOptions & WaitInternals): Promise<void> {
  const interval = opts.intervalMs ?? 100;
  const deadline = Date.now() + opts.timeoutMs;
  const maxRounds = Math.ceil(opts.timeoutMs / interval) + 2;
  let last = '';
  for (let i = 0; i < maxRounds; i++) {
    const fatal = opts.failIf?.();
    if (fatal) throw new LabError('service', `gave up waiting for ${opts.what}: ${fatal}${opts.detail ? `\n${opts.detail()}` : ''}`);
    try {
      if (await cond()) return;
      last = '';
    } catch (e) {
      last = errorMessage(e);
    }
    if (Date.now() >= deadline) break;
    await sleep(Math.min(interval, Math.max(0, deadline - Date.now())));
  }
  const extra = [last && `last error: ${last}`, opts.detail?.()].filter(Boolean).join('\n');
  throw new LabTimeoutError(`timed out after ${opts.timeoutMs} ms waiting for ${opts.what}${extra ? `\n${extra}` : ''}`);
}

/** Connects and, when asked, reads the first bytes (an SSH banner proves it is sshd, not just a listener). */
export function tcpProbe(host: string, port: number, timeoutMs = 1000, expectPrefix?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    let buf = '';
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      sock.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    sock.on('error', () => done(false));
    sock.on('connect', () => {
      if (expectPrefix === undefined) done(true);
    });
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      if (buf.length >= (expectPrefix?.length ?? 0)) done(expectPrefix !== undefined && buf.startsWith(expectPrefix));
    });
    sock.on('end', () => done(false));
  });
}

export interface HttpResult {
  status: number;
  body: string;
}

/** One GET with its own agent-less socket and a hard deadline. */
export function httpGet(
  host: string,
  port: number,
  path: string,
  opts: { timeoutMs?: number; headers?: Record<string, string> } = {},
): Promise<HttpResult> {
  const timeoutMs = opts.timeoutMs ?? 2000;
  return new Promise((resolve, reject) => {
    const req = http.request({ host, port, path, method: 'GET', agent: false, headers: opts.headers ?? {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        if (body.length < 65536) body += c;
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body });
      });
      res.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
    const timer = setTimeout(() => req.destroy(new Error(`GET http://${host}:${port}${path} timed out after ${timeoutMs} ms`)), timeoutMs);
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    req.end();
  });
}
