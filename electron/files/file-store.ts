/**
 * Managed files of each cluster, kept in the data directory:
 *
 *   files/<cluster>/manifest.json      settings + versions of every file (written atomically)
 *   files/<cluster>/reloads.json       when ClusterDeck last reloaded a file's service on a host
 *   files/<cluster>/<id>/v<N>          the content of version N (0600, written once, never edited)
 *
 * Every change takes the cluster's files lock (the CLI and the desktop app share the directory).
 * A version's content is written before the manifest that names it, and removed again when the
 * manifest could not be written: a failure leaves the store as it was.
 */
import { createHash } from 'node:crypto';
import { readFile, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { MAX_FILE_BYTES } from '../../shared/contract/files';
import {
  fileIdSchema,
  fileVersionSchema,
  managedFileSettingsSchema,
  type FileVersion,
  type ManagedFile,
  type ManagedFileSettings,
} from '../../shared/domain/managed-files';
import { clusterNameSchema } from '../../shared/domain/names';
import { CdError } from '../../shared/errors';
import { writeFileAtomic } from '../store/atomic-write';
import { dataPaths } from '../store/data-dir';
import { withFileLock } from '../store/file-lock';

export interface FileStore {
  list(cluster: string): Promise<ManagedFile[]>;
  /** CdError NOT_FOUND naming cluster and id. */
  get(cluster: string, id: string): Promise<ManagedFile>;
  /** Desired content, the current version by default. */
  content(cluster: string, id: string, version?: number): Promise<string>;
  put(
    cluster: string,
    settings: ManagedFileSettings,
    content: string | undefined,
    source: string | undefined,
    by: string,
  ): Promise<{ file: ManagedFile; change: 'added' | 'updated' | 'unchanged' }>;
  remove(cluster: string, id: string): Promise<boolean>;
  /** ClusterDeck reloaded this file's service on this host at `at` (epoch ms); used for "pending restart". */
  recordReload(cluster: string, host: string, id: string, at: number): Promise<void>;
  /** Key `${host}\u0000${id}` → epoch ms. */
  reloads(cluster: string): Promise<Map<string, number>>;
}

const storedFileSchema = managedFileSettingsSchema.extend({ versions: z.array(fileVersionSchema).min(1) });
type StoredFile = z.infer<typeof storedFileSchema>;
const manifestSchema = z.object({ format: z.literal(1), files: z.array(storedFileSchema) });
type Manifest = z.infer<typeof manifestSchema>;
const reloadsSchema = z.record(z.string(), z.number());

const utf8 = new TextEncoder();

export const reloadKey = (host: string, id: string): string => `${host}\u0000${id}`;

function toManaged(f: StoredFile): ManagedFile {
  return { ...f, current: f.versions[f.versions.length - 1]!, versions: f.versions };
}

function settingsOf(f: StoredFile | ManagedFileSettings): ManagedFileSettings {
  const { id, path, hosts, validate, reload, check, servicePort, process, owner, group, mode, keepBackups } = f;
  return { id, path, hosts, validate, reload, check, servicePort, process, owner, group, mode, keepBackups };
}

const sameSettings = (a: ManagedFileSettings, b: ManagedFileSettings): boolean => JSON.stringify(settingsOf(a)) === JSON.stringify(settingsOf(b));

export function createFileStore(dataDir: string, owner = `pid ${process.pid}`): FileStore {
  const paths = dataPaths(dataDir);

  const dirOf = (cluster: string): string => {
    const ok = clusterNameSchema.safeParse(cluster);
    if (!ok.success) throw new CdError('INVALID_ARGUMENT', `cluster name "${cluster}" ${ok.error.issues[0]?.message ?? 'is invalid'}`);
    return join(paths.files, cluster);
  };
  const checkId = (cluster: string, id: string): void => {
    const ok = fileIdSchema.safeParse(id);
    if (!ok.success) throw new CdError('INVALID_ARGUMENT', `${cluster}: managed file id "${id}" ${ok.error.issues[0]?.message ?? 'is invalid'}`, { cluster, file: id });
  };
  const contentPath = (cluster: string, id: string, version: number): string => join(dirOf(cluster), id, `v${version}`);
  const locked = <T>(cluster: string, fn: () => Promise<T>): Promise<T> =>
    withFileLock(join(paths.locks, `files-${cluster}`), { waitMs: 10_000, owner, what: `the managed files of ${cluster}` }, fn);

  const readJson = async (file: string): Promise<unknown> => {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') return undefined;
      throw new CdError('IO_ERROR', `could not read ${file}: ${(e as Error).message}`, { file });
    }
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new CdError('DATA_CORRUPT', `${file} is not valid JSON (${(e as Error).message}); it was left as it is`, { file });
    }
  };

  const readManifest = async (cluster: string): Promise<Manifest> => {
    const file = join(dirOf(cluster), 'manifest.json');
    const json = await readJson(file);
    if (json === undefined) return { format: 1, files: [] };
    const parsed = manifestSchema.safeParse(json);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw new CdError('DATA_CORRUPT', `${file} does not hold valid managed files (${i?.path.join('.')}: ${i?.message}); it was left as it is`, { file });
    }
    return parsed.data;
  };
  const writeManifest = (cluster: string, m: Manifest): Promise<void> => writeFileAtomic(join(dirOf(cluster), 'manifest.json'), `${JSON.stringify(m, null, 2)}\n`);

  const find = async (cluster: string, id: string): Promise<StoredFile> => {
    checkId(cluster, id);
    const f = (await readManifest(cluster)).files.find((x) => x.id === id);
    if (!f) throw new CdError('NOT_FOUND', `${cluster}: no managed file "${id}"`, { cluster, file: id });
    return f;
  };

  const readReloads = async (cluster: string): Promise<Map<string, number>> => {
    const file = join(dirOf(cluster), 'reloads.json');
    const json = await readJson(file);
    if (json === undefined) return new Map();
    const parsed = reloadsSchema.safeParse(json);
    if (!parsed.success) throw new CdError('DATA_CORRUPT', `${file} does not hold reload times; it was left as it is`, { file });
    return new Map(Object.entries(parsed.data));
  };

  return {
    async list(cluster) {
      return (await readManifest(cluster)).files.map(toManaged);
    },
    async get(cluster, id) {
      return toManaged(await find(cluster, id));
    },
    async content(cluster, id, version) {
      const f = await find(cluster, id);
      const v: FileVersion | undefined = version === undefined ? f.versions[f.versions.length - 1] : f.versions.find((x) => x.version === version);
      if (!v) throw new CdError('NOT_FOUND', `${cluster}: managed file "${id}" has no version ${version}`, { cluster, file: id, version });
      const file = contentPath(cluster, id, v.version);
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch (e) {
        throw new CdError('DATA_CORRUPT', `${cluster}: version ${v.version} of "${id}" is gone from ${file} (${(e as Error).message})`, { cluster, file: id, path: file });
      }
      const sha = createHash('sha256').update(bytes).digest('hex');
      if (sha !== v.sha256) throw new CdError('DATA_CORRUPT', `${file} has sha256 ${sha.slice(0, 12)}…, the manifest says ${v.sha256.slice(0, 12)}…; it was left as it is`, { cluster, file: id, path: file });
      return bytes.toString('utf8');
    },
    async put(cluster, settingsIn, content, source, by) {
      const parsed = managedFileSettingsSchema.safeParse(settingsIn);
      if (!parsed.success) {
        const i = parsed.error.issues[0];
        throw new CdError('INVALID_ARGUMENT', `${cluster}: managed file ${settingsIn?.id ?? '?'}: ${i?.path.join('.')}: ${i?.message}`, { cluster });
      }
      const settings = parsed.data;
      dirOf(cluster);
      if (content !== undefined) {
        const size = utf8.encode(content).length;
        if (size > MAX_FILE_BYTES) throw new CdError('INVALID_ARGUMENT', `${cluster}: ${settings.id}: the content is ${size} bytes; managed files are at most ${MAX_FILE_BYTES} bytes`, { cluster, file: settings.id });
      }
      return locked(cluster, async () => {
        const m = await readManifest(cluster);
        const i = m.files.findIndex((f) => f.id === settings.id);
        const before = i >= 0 ? m.files[i]! : null;
        if (!before && content === undefined) throw new CdError('INVALID_ARGUMENT', `${cluster}: a new managed file ("${settings.id}") needs its content`, { cluster, file: settings.id });
        const clash = m.files.find((f) => f.id !== settings.id && f.path === settings.path && JSON.stringify(f.hosts) === JSON.stringify(settings.hosts));
        if (clash) throw new CdError('ALREADY_EXISTS', `${cluster}: ${settings.path} is already managed as "${clash.id}"`, { cluster, file: settings.id });
        const sha = content === undefined ? null : createHash('sha256').update(content, 'utf8').digest('hex');
        const last = before?.versions[before.versions.length - 1];
        const newVersion = sha !== null && sha !== last?.sha256;
        if (before && !newVersion && sameSettings(before, settings)) return { file: toManaged(before), change: 'unchanged' as const };
        const versions = [...(before?.versions ?? [])];
        let written: string | null = null;
        if (newVersion && content !== undefined && sha !== null) {
          const version = (last?.version ?? 0) + 1;
          written = contentPath(cluster, settings.id, version);
          await writeFileAtomic(written, content, 0o600);
          versions.push({ version, sha256: sha, size: utf8.encode(content).length, addedAt: Date.now(), source: (source ?? '').slice(0, 1024), by });
        }
        const next: StoredFile = { ...settings, versions };
        const files = [...m.files];
        if (i >= 0) files[i] = next;
        else files.push(next);
        try {
          await writeManifest(cluster, { format: 1, files });
        } catch (e) {
          if (written) await unlink(written).catch(() => undefined);
          throw e;
        }
        return { file: toManaged(next), change: before ? ('updated' as const) : ('added' as const) };
      });
    },
    async remove(cluster, id) {
      checkId(cluster, id);
      return locked(cluster, async () => {
        const m = await readManifest(cluster);
        if (!m.files.some((f) => f.id === id)) return false;
        await writeManifest(cluster, { format: 1, files: m.files.filter((f) => f.id !== id) });
        // The manifest no longer names these versions; a leftover would only be overwritten by a later put.
        await rm(join(dirOf(cluster), id), { recursive: true, force: true }).catch((e: unknown) => {
          throw new CdError('IO_ERROR', `${cluster}: "${id}" is no longer managed, but its stored versions could not be deleted: ${(e as Error).message}`, { cluster, file: id });
        });
        return true;
      });
    },
    async recordReload(cluster, host, id, at) {
      checkId(cluster, id);
      await locked(cluster, async () => {
        const cur = Object.fromEntries(await readReloads(cluster));
        cur[reloadKey(host, id)] = at;
        await writeFileAtomic(join(dirOf(cluster), 'reloads.json'), `${JSON.stringify(cur, null, 2)}\n`);
      });
    },
    reloads: readReloads,
  };
}
