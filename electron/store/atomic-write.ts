import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CdError } from '../../shared/errors';

/**
 * Replaces a file so that readers see the old content or the new one, never a mix or a truncation:
 * temp file in the same directory, fsync, rename(2), fsync of the directory (rename alone does not
 * persist the directory entry).
 */
export async function writeFileAtomic(path: string, data: string | Buffer, mode = 0o600): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fh = await open(tmp, 'wx', mode);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw new CdError('IO_ERROR', `could not write ${path}: ${(e as Error).message}`, { path });
  }
  await fsyncDir(dir);
}

/** fsync(2) of a file or directory by path; throws what the OS says. */
export async function fsyncPath(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export async function fsyncDir(dir: string): Promise<void> {
  try {
    await fsyncPath(dir);
  } catch {
    // Some filesystems (and Windows) can't fsync a directory; the rename is still atomic there.
  }
}
