import { readdir, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { clusterSpecSchema, type ClusterSpec } from '../../shared/domain/cluster';
import { clusterNameSchema } from '../../shared/domain/names';
import { CdError } from '../../shared/errors';
import { writeFileAtomic } from './atomic-write';
import { dataPaths } from './data-dir';
import { withFileLock } from './file-lock';

export interface ClusterStore {
  list(): Promise<ClusterSpec[]>;
  get(name: string): Promise<ClusterSpec>;
  /** 'create' refuses an existing name; 'replace' requires one... or creates it when `upsert`. */
  save(spec: ClusterSpec, mode: 'create' | 'replace' | 'upsert'): Promise<ClusterSpec>;
  remove(name: string): Promise<boolean>;
}

export function createClusterStore(root: string, owner: string): ClusterStore {
  const paths = dataPaths(root);
  const fileOf = (name: string): string => {
    const ok = clusterNameSchema.safeParse(name);
    if (!ok.success) throw new CdError('INVALID_ARGUMENT', `cluster name "${name}" ${ok.error.issues[0]?.message ?? 'is invalid'}`);
    return join(paths.clusters, `${name}.json`);
  };
  const lockPath = join(paths.locks, 'clusters');

  // Parsed specs by file identity: every action starts by reading its cluster, and another process
  // (the CLI beside the desktop app) may have saved it since, which changes mtime, size or inode.
  const cache = new Map<string, { id: string; spec: ClusterSpec }>();

  const read = async (name: string): Promise<ClusterSpec | null> => {
    const file = fileOf(name);
    let id: string;
    try {
      const st = await stat(file);
      id = `${st.ino}:${st.size}:${st.mtimeMs}`;
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') {
        cache.delete(file);
        return null;
      }
      throw new CdError('IO_ERROR', `could not read ${file}: ${(e as Error).message}`, { file });
    }
    const hit = cache.get(file);
    if (hit && hit.id === id) return structuredClone(hit.spec);
    const spec = await readUncached(file);
    if (spec) cache.set(file, { id, spec: structuredClone(spec) });
    return spec;
  };

  const readUncached = async (file: string): Promise<ClusterSpec | null> => {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') return null;
      throw new CdError('IO_ERROR', `could not read ${file}: ${(e as Error).message}`, { file });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new CdError('DATA_CORRUPT', `${file} is not valid JSON (${(e as Error).message}); it was left as it is`, { file });
    }
    const parsed = clusterSpecSchema.safeParse(json);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw new CdError('DATA_CORRUPT', `${file} does not hold a valid cluster (${i?.path.join('.')}: ${i?.message}); it was left as it is`, { file });
    }
    return parsed.data;
  };

  return {
    async list() {
      let names: string[];
      try {
        names = (await readdir(paths.clusters)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
      } catch (e) {
        if ((e as { code?: string }).code === 'ENOENT') return [];
        throw new CdError('IO_ERROR', `could not list ${paths.clusters}: ${(e as Error).message}`);
      }
      const out: ClusterSpec[] = [];
      for (const n of names.sort()) {
        if (!clusterNameSchema.safeParse(n).success) continue;
        const c = await read(n);
        if (c) out.push(c);
      }
      return out;
    },
    async get(name) {
      const c = await read(name);
      if (!c) throw new CdError('NOT_FOUND', `no cluster named "${name}"`, { cluster: name });
      return c;
    },
    async save(spec, mode) {
      const parsed = clusterSpecSchema.safeParse(spec);
      if (!parsed.success) {
        const i = parsed.error.issues[0];
        throw new CdError('INVALID_ARGUMENT', `cluster ${spec.name}: ${i?.path.join('.')}: ${i?.message}`);
      }
      return withFileLock(lockPath, { waitMs: 10_000, owner, what: 'the cluster list' }, async () => {
        const existing = await read(spec.name).catch((e: unknown) => {
          // A corrupt file may be replaced on purpose, but never silently created over.
          if (mode === 'create') throw e;
          return null;
        });
        if (mode === 'create' && existing) throw new CdError('ALREADY_EXISTS', `a cluster named "${spec.name}" already exists`, { cluster: spec.name });
        if (mode === 'replace' && !existing) throw new CdError('NOT_FOUND', `no cluster named "${spec.name}" to replace`, { cluster: spec.name });
        await writeFileAtomic(fileOf(spec.name), `${JSON.stringify(parsed.data, null, 2)}\n`);
        return parsed.data;
      });
    },
    async remove(name) {
      const file = fileOf(name);
      return withFileLock(lockPath, { waitMs: 10_000, owner, what: 'the cluster list' }, async () => {
        try {
          await unlink(file);
          return true;
        } catch (e) {
          if ((e as { code?: string }).code === 'ENOENT') return false;
          throw new CdError('IO_ERROR', `could not remove ${file}: ${(e as Error).message}`);
        }
      });
    },
  };
}
