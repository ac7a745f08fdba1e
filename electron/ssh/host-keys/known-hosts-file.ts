import { randomBytes } from 'node:crypto';
import { mkdir, open, realpath, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import lockfile from 'proper-lockfile';
import { cdError, isCdError } from '../../../shared/errors';
import { parseKnownHosts, type ParsedKnownHosts } from './known-hosts-format';

/**
 * File I/O for known_hosts files: cached reads that notice other writers (mtime/size/inode/ctime),
 * and the one safe write path — lock, read fresh, write a temp file in the same directory, fsync,
 * rename over, fsync the directory. A failed write never truncates or half-writes the file.
 */

export interface KnownHostsSnapshot {
  path: string;
  exists: boolean;
  text: string;
  parsed: ParsedKnownHosts;
}

interface CacheSlot {
  sig: string;
  snap: KnownHostsSnapshot;
}

const MAX_FILE_BYTES = 16 * 1024 * 1024;

function ioError(what: string, path: string, e: unknown): Error {
  if (isCdError(e)) return e;
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const msg = e instanceof Error ? e.message : String(e);
  return cdError('IO_ERROR', `${what} ${path}: ${msg}`, { path, ...(code ? { errno: code } : {}) });
}

function isEnoent(e: unknown): boolean {
  return (e as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

function emptySnapshot(path: string): KnownHostsSnapshot {
  return { path, exists: false, text: '', parsed: { entries: [], problems: [] } };
}

async function readHandle(fh: FileHandle, path: string): Promise<{ sig: string; size: number }> {
  const st = await fh.stat();
  if (!st.isFile()) throw cdError('IO_ERROR', `${path} is not a regular file`, { path });
  if (st.size > MAX_FILE_BYTES) throw cdError('IO_ERROR', `${path} is too large for a known_hosts file`, { path });
  return { sig: `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`, size: st.size };
}

/** Reads a file now, bypassing any cache. A missing file reads as empty. */
export async function readKnownHostsFile(path: string): Promise<KnownHostsSnapshot> {
  return (await readWithSig(path, null)).snap;
}

async function readWithSig(path: string, cached: CacheSlot | null): Promise<CacheSlot> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    if (isEnoent(e)) return { sig: 'missing', snap: emptySnapshot(path) };
    throw ioError('cannot open', path, e);
  }
  try {
    const { sig } = await readHandle(fh, path);
    if (cached !== null && cached.sig === sig) return cached;
    const text = await fh.readFile('utf8');
    return { sig, snap: { path, exists: true, text, parsed: parseKnownHosts(text) } };
  } catch (e) {
    throw ioError('cannot read', path, e);
  } finally {
    await fh.close().catch(() => undefined);
  }
}

/** Caches parsed files and re-reads one only when its identity, size or times changed. */
export function createKnownHostsCache() {
  const slots = new Map<string, CacheSlot>();
  return {
    async read(path: string): Promise<KnownHostsSnapshot> {
      const slot = await readWithSig(path, slots.get(path) ?? null);
      slots.set(path, slot);
      return slot.snap;
    },
    invalidate(path: string): void {
      slots.delete(path);
    },
  };
}

/** Where writes really go: through a symlink to its target, so the link survives the rename. */
async function writeTarget(path: string): Promise<string> {
  const abs = resolve(path);
  try {
    return await realpath(abs);
  } catch (e) {
    if (isEnoent(e)) return abs;
    throw ioError('cannot resolve', abs, e);
  }
}

async function fsyncDir(dir: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch (e) {
    // Some platforms/filesystems refuse fsync on directories; the rename itself is still atomic.
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM' && code !== 'EBADF') throw e;
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/** Writes text to path atomically (temp file in the same dir, fsync, rename, fsync dir); mode 0600. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let fh: FileHandle | undefined;
  try {
    fh = await open(tmp, 'wx', 0o600);
    await fh.writeFile(text, 'utf8');
    await fh.sync();
    await fh.close();
    fh = undefined;
    await rename(tmp, path);
  } catch (e) {
    await fh?.close().catch(() => undefined);
    await rm(tmp, { force: true }).catch(() => undefined);
    throw ioError('cannot write', path, e);
  }
  try {
    await fsyncDir(dir);
  } catch (e) {
    throw ioError('cannot sync directory', dir, e);
  }
}

export interface EditResult<T> {
  /** New file text, or null to leave the file untouched. */
  text: string | null;
  result: T;
}

/**
 * Read-modify-write of a known_hosts file under a lock (`<file>.lock`, proper-lockfile): creates the
 * parent directory (0700) if needed, reads the current text fresh, lets `edit` decide, then writes
 * atomically. Other processes using this function serialise on the same lock.
 */
export async function editKnownHostsFile<T>(
  path: string,
  edit: (current: KnownHostsSnapshot) => EditResult<T> | Promise<EditResult<T>>,
): Promise<T> {
  const target = await writeTarget(path);
  try {
    await mkdir(dirname(target), { recursive: true, mode: 0o700 });
  } catch (e) {
    throw ioError('cannot create directory for', target, e);
  }
  let compromised: Error | null = null;
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(target, {
      realpath: false,
      stale: 10_000,
      retries: { retries: 60, factor: 1.2, minTimeout: 10, maxTimeout: 250, randomize: true },
      onCompromised: (err) => {
        compromised = err;
      },
    });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw cdError('LOCKED', `${target} is locked by another ClusterDeck process; try again`, { path: target });
    }
    throw ioError('cannot lock', target, e);
  }
  try {
    const current = await readKnownHostsFile(target);
    const { text, result } = await edit(current);
    if (text !== null && text !== current.text) {
      if (compromised !== null) {
        throw cdError('LOCKED', `lost the lock on ${target} before writing; nothing was written`, { path: target });
      }
      await writeFileAtomic(target, text);
    }
    return result;
  } finally {
    await release().catch(() => undefined);
  }
}
