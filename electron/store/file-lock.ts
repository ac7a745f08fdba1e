import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import lockfile from 'proper-lockfile';
import { CdError } from '../../shared/errors';

export interface LockOptions {
  /** How long to wait for another holder before giving up with LOCKED. */
  waitMs: number;
  /** Shown to whoever waits on us. */
  owner?: string;
  what?: string;
}

/**
 * Cross-process lock (the CLI and the desktop app share one data directory). proper-lockfile uses
 * an atomic mkdir and refreshes its mtime while held, so a crashed holder's lock goes stale
 * instead of blocking forever.
 */
export async function withFileLock<T>(path: string, opts: LockOptions, fn: () => Promise<T>): Promise<T> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const deadline = Date.now() + opts.waitMs;
  let release: (() => Promise<void>) | null = null;
  let delay = 10;
  for (let i = 0; i < 100_000; i++) {
    try {
      release = await lockfile.lock(path, { realpath: false, stale: 15_000, update: 5_000, retries: 0 });
      break;
    } catch (e) {
      if ((e as { code?: string }).code !== 'ELOCKED') {
        throw new CdError('IO_ERROR', `could not lock ${path}: ${(e as Error).message}`, { path });
      }
      if (Date.now() >= deadline) {
        const holder = await readFile(`${path}.owner`, 'utf8').catch(() => 'another process');
        throw new CdError('LOCKED', `${opts.what ?? path} is busy: held by ${holder.trim() || 'another process'}`, { path });
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(200, delay * 2);
    }
  }
  if (!release) throw new CdError('LOCKED', `${opts.what ?? path} is busy`, { path });
  try {
    if (opts.owner) await writeFile(`${path}.owner`, opts.owner).catch(() => undefined);
    return await fn();
  } finally {
    await release().catch(() => undefined);
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
