/**
 * What ClusterDeck last saw of each LB's worker, and the outside reloads not yet acknowledged, per
 * cluster in `reloads/<cluster>.json` of the data directory. Shared by every process on that
 * directory (the CLI and the desktop app), so a reload is noticed — and audited — once, by whichever
 * process sees it first, even when none was running at the time.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { adminStateSchema } from '../../shared/domain/admin-state';
import { outsideReloadSchema, type OutsideReload } from '../../shared/domain/reloads';
import { CdError } from '../../shared/errors';
import { writeFileAtomic } from '../store/atomic-write';
import { dataPaths } from '../store/data-dir';
import { withFileLock } from '../store/file-lock';
import type { LbSeen } from './detect-reload';

const lbSeenSchema = z.object({
  pid: z.number().int(),
  startedAt: z.number().nullable(),
  seenAt: z.number(),
  servers: z.record(z.string(), z.object({ status: z.string(), admin: adminStateSchema.nullable() })),
});

const fileSchema = z.object({
  version: z.literal(1),
  lbs: z.record(z.string(), lbSeenSchema),
  notices: z.record(z.string(), outsideReloadSchema),
});
export type ReloadsFile = z.infer<typeof fileSchema>;

export const emptyReloadsFile = (): ReloadsFile => ({ version: 1, lbs: {}, notices: {} });

export interface ReloadStore {
  read(cluster: string): Promise<ReloadsFile>;
  /** Read, change and write the cluster's file under its lock; returns what `fn` returns. */
  update<T>(cluster: string, fn: (f: ReloadsFile) => T): Promise<T>;
}

export function createReloadStore(root: string, owner: string): ReloadStore {
  const paths = dataPaths(root);
  const fileOf = (cluster: string): string => join(paths.reloads, `${cluster}.json`);

  const read = async (cluster: string): Promise<ReloadsFile> => {
    let text: string;
    try {
      text = await readFile(fileOf(cluster), 'utf8');
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') return emptyReloadsFile();
      throw new CdError('IO_ERROR', `could not read ${fileOf(cluster)}: ${(e as Error).message}`, { file: fileOf(cluster) });
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
    const parsed = fileSchema.safeParse(data);
    // Observations only, rebuilt by the next read of each LB: a damaged file costs one missed
    // comparison, so it is replaced rather than blocking every status read.
    return parsed.success ? parsed.data : emptyReloadsFile();
  };

  return {
    read,
    async update(cluster, fn) {
      return withFileLock(join(paths.locks, `reloads-${cluster}`), { waitMs: 10_000, owner, what: `the reload observations of ${cluster}` }, async () => {
        const f = await read(cluster);
        const out = fn(f);
        await writeFileAtomic(fileOf(cluster), `${JSON.stringify(f)}\n`);
        return out;
      });
    },
  };
}

export type { LbSeen, OutsideReload };
