import { mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync, closeSync, writeFileSync } from 'node:fs';
import { isAlive, startTimeOf } from './exec';
import { LOCK_DIR, lockPath } from './plan';

/** Slot lock files: one per slot, created exclusively, holding the owner's pid (+ start time against pid reuse). */

export interface LockInfo {
  pid: number;
  startTime: number | null;
  dir: string | null;
  createdAt: number;
}

function me(dir: string | null): LockInfo {
  return { pid: process.pid, startTime: startTimeOf(process.pid), dir, createdAt: Date.now() };
}

/** Atomic: exactly one process can create a slot's lock file. */
export function tryCreateLock(slot: number): boolean {
  mkdirSync(LOCK_DIR, { recursive: true });
  let fd: number;
  try {
    fd = openSync(lockPath(slot), 'wx', 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, JSON.stringify(me(null)));
  } finally {
    closeSync(fd);
  }
  return true;
}

export function readLockFile(path: string): LockInfo | null {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockInfo>;
    if (typeof v.pid !== 'number') return null;
    return { pid: v.pid, startTime: v.startTime ?? null, dir: v.dir ?? null, createdAt: v.createdAt ?? 0 };
  } catch {
    return null;
  }
}

export function readLock(slot: number): LockInfo | null {
  return readLockFile(lockPath(slot));
}

export function ownerAlive(info: LockInfo): boolean {
  return isAlive(info.pid) && (info.startTime === null || startTimeOf(info.pid) === info.startTime);
}

/** Records the lab dir in our lock so a later reclaim knows what to delete. */
export function recordLockDir(slot: number, dir: string): void {
  const info = readLock(slot);
  if (info?.pid !== process.pid) return;
  writeFileSync(lockPath(slot), JSON.stringify({ ...info, dir }));
}

/**
 * Moves a stale lock aside. Renaming is atomic, and re-reading the moved file tells us whether we
 * really moved the stale lock and not one another process created a moment ago (then it goes back).
 */
export function takeStaleLock(slot: number, stale: LockInfo | null): boolean {
  const path = lockPath(slot);
  const aside = `${path}.reclaim-${process.pid}`;
  try {
    renameSync(path, aside);
  } catch {
    return false;
  }
  const moved = readLockFile(aside);
  const same = stale === null ? moved === null : moved !== null && moved.pid === stale.pid && moved.startTime === stale.startTime;
  if (!same && moved && ownerAlive(moved)) {
    try {
      renameSync(aside, path);
    } catch {
      // it is theirs to recreate
    }
    return false;
  }
  try {
    unlinkSync(aside);
  } catch {
    // already gone
  }
  return true;
}

/** An unreadable lock younger than this may be one being written right now; leave it alone. */
export function lockAgeMs(slot: number): number {
  try {
    return Date.now() - statSync(lockPath(slot)).mtimeMs;
  } catch {
    return Infinity;
  }
}

export function releaseLock(slot: number): void {
  const info = readLock(slot);
  if (info && info.pid !== process.pid) return;
  try {
    unlinkSync(lockPath(slot));
  } catch {
    // already gone
  }
}
