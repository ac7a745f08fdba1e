import { open, realpath, type FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import { writeFileAtomic } from '../../store/atomic-write';
import { withFileLock } from '../../store/file-lock';
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

export interface EditResult<T> {
  /** New file text, or null to leave the file untouched. */
  text: string | null;
  result: T;
}

/**
 * Read-modify-write of a known_hosts file under the data directory's file lock (`<file>.lock`):
 * reads the current text fresh, lets `edit` decide, then writes atomically. Every ClusterDeck
 * process editing the file serialises on the same lock, so concurrent pins all land.
 */
export async function editKnownHostsFile<T>(
  path: string,
  edit: (current: KnownHostsSnapshot) => EditResult<T> | Promise<EditResult<T>>,
): Promise<T> {
  const target = await writeTarget(path);
  return withFileLock(target, { waitMs: 10_000, what: target, owner: `known_hosts writer (pid ${process.pid})` }, async () => {
    const current = await readKnownHostsFile(target);
    const { text, result } = await edit(current);
    if (text !== null && text !== current.text) await writeFileAtomic(target, text);
    return result;
  });
}
