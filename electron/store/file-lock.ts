import { hostname } from 'node:os';
import { mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { utimes } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CdError } from '../../shared/errors';

export interface LockOptions {
  /** How long to wait for another holder before giving up with LOCKED. */
  waitMs: number;
  /** Shown to whoever waits on us. */
  owner?: string;
  what?: string;
  /** A holder that stopped refreshing its lock this long ago is presumed dead. */
  staleMs?: number;
}

interface Holder {
  pid: number;
  host: string;
  owner: string;
  since: string;
}

const HOST = hostname();
const REFRESH_MS = 5_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

/**
 * Cross-process lock for the data directory (the CLI and the desktop app share it). The lock is a
 * file created with O_EXCL that names its holder; a holder on this machine whose pid is gone, or any
 * holder that stopped refreshing the file's mtime, is stale and its lock is taken over. One create
 * and one unlink per use: actions take this lock on their hot path (the drain budget is 5 ms), where
 * mkdir-and-poll locks cost over a millisecond each. The calls are synchronous on purpose: each is a
 * few microseconds on a local file, while every async fs call is a thread-pool round trip costing
 * more than the work itself.
 */
export async function withFileLock<T>(path: string, opts: LockOptions, fn: () => Promise<T>): Promise<T> {
  const file = `${path}.lock`;
  const staleMs = opts.staleMs ?? 30_000;
  const me: Holder = { pid: process.pid, host: HOST, owner: opts.owner ?? `pid ${process.pid}`, since: new Date().toISOString() };
  const deadline = Date.now() + opts.waitMs;
  let delay = 2;
  let madeDir = false;
  for (let i = 0; ; i++) {
    try {
      writeFileSync(file, JSON.stringify(me), { flag: 'wx', mode: 0o600 });
      break;
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'ENOENT' && !madeDir) {
        mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
        madeDir = true;
        continue;
      }
      if (code !== 'EEXIST') throw new CdError('IO_ERROR', `could not lock ${path}: ${(e as Error).message}`, { path });
      const holder = readHolder(file);
      if (holder && isStale(file, holder, staleMs)) {
        // Takeover: remove only if it is still the same stale holder's file.
        const again = readHolder(file);
        if (again && again.pid === holder.pid && again.since === holder.since) removeQuietly(file);
        continue;
      }
      if (Date.now() >= deadline || i > 100_000) {
        const who = holder ? `${holder.owner} since ${holder.since}` : 'another process';
        throw new CdError('LOCKED', `${opts.what ?? path} is busy: held by ${who}`, { path, holder });
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(100, delay * 2);
    }
  }
  const refresh = setInterval(() => {
    const now = new Date();
    utimes(file, now, now).catch(() => undefined);
  }, REFRESH_MS);
  refresh.unref?.();
  try {
    return await fn();
  } finally {
    clearInterval(refresh);
    removeQuietly(file);
  }
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone (taken over as stale): nothing of ours to remove
  }
}

function readHolder(file: string): Holder | null {
  try {
    const h = JSON.parse(readFileSync(file, 'utf8')) as Partial<Holder>;
    if (typeof h.pid !== 'number' || typeof h.host !== 'string') return null;
    return { pid: h.pid, host: h.host, owner: String(h.owner ?? ''), since: String(h.since ?? '') };
  } catch {
    // Half-written by a holder that is creating it right now, or garbage: judge by age below.
    return null;
  }
}

function isStale(file: string, h: Holder, staleMs: number): boolean {
  if (h.host === HOST && !alive(h.pid)) return true;
  try {
    return Date.now() - statSync(file).mtimeMs > staleMs;
  } catch {
    return false;
  }
}

/** Serializes async work per key inside one process (the file lock serializes across processes). */
export function createKeyedMutex(): <T>(key: string, fn: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<unknown>>();
  return async (key, fn) => {
    const prev = tails.get(key) ?? Promise.resolve();
    let done!: () => void;
    const mine = new Promise<void>((r) => (done = r));
    const tail = prev.then(() => mine);
    tails.set(key, tail);
    try {
      await prev;
      return await fn();
    } finally {
      done();
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}
