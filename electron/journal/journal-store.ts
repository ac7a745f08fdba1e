/**
 * The intent journal in the data directory: journal/<cluster>/<id>.json, one file per change,
 * each written whole by temp + fsync + rename (a reader sees the old entry or the new one). The
 * owner process keeps its entry in memory and rewrites it at every step; other processes only
 * read, except to record that a dead owner's change was reported or resolved (under a lock).
 * Finished entries stay for the record: the newest 100 per cluster, at most a week.
 */
import { readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { journalEntrySchema, type JournalEntry, type JournalOwner } from '../../shared/domain/journal';
import { clusterNameSchema } from '../../shared/domain/names';
import { CdError } from '../../shared/errors';
import { writeFileAtomic } from '../store/atomic-write';
import { dataPaths } from '../store/data-dir';
import { withFileLock } from '../store/file-lock';
import { createJournalHandle, type JournalHandle } from './journal-handle';
import { newEntry, type JournalDraft } from './journal-records';

export const KEEP_FINISHED = 100;
export const KEEP_FINISHED_MS = 7 * 24 * 3600_000;
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** One HAProxy reload of an LB by ClusterDeck, as ownReloads reports it. */
export interface OwnReload {
  startedAt: number;
  /** Null while it runs (or when its process died during it). */
  endedAt: number | null;
  oldPid: number | null;
  newPid: number | null;
}

export interface JournalStore {
  /** Writes a new running entry (before anything touches a host) and returns the handle that keeps it up to date. */
  open(draft: JournalDraft): Promise<JournalHandle>;
  /** Every entry of the cluster, newest first; files that do not parse are named, never hidden. */
  /**
   * Takes over a change whose owner is gone, to resolve it: this process becomes its owner (so it
   * is shown as running meanwhile) under a cross-process lock; null when it is gone or was taken.
   */
  adopt(cluster: string, id: string, owner: JournalOwner, stillYours: (e: JournalEntry) => boolean): Promise<JournalHandle | null>;
  list(cluster: string): Promise<{ entries: JournalEntry[]; unreadable: string[] }>;
  get(cluster: string, id: string): Promise<JournalEntry | null>;
  /**
   * Reads an entry under a cross-process lock, and writes what `fn` returns (null: nothing). For
   * changes whose owner is gone: marking one reported, or resolved.
   */
  update(cluster: string, id: string, fn: (e: JournalEntry) => JournalEntry | null | Promise<JournalEntry | null>): Promise<JournalEntry | null>;
  /**
   * ClusterDeck's HAProxy reloads of one LB by any process sharing this data directory, newest
   * first, including ones under way (their start is written before the reload is triggered).
   * Reloads by a command on an LB (a managed file's `systemctl reload haproxy`) count too.
   */
  ownReloads(cluster: string, lb: string, withinMs?: number): Promise<OwnReload[]>;
  /** Called after every journal write of this process (so status counts are read again). */
  onChange(fn: (cluster: string) => void): () => void;
}

export function journalDir(root: string): string {
  return join(root, 'journal');
}

export function createJournalStore(root: string, owner = `pid ${process.pid}`): JournalStore {
  const base = journalDir(root);
  const locks = dataPaths(root).locks;
  const listeners = new Set<(cluster: string) => void>();
  const changed = (cluster: string): void => {
    for (const l of listeners) {
      try {
        l(cluster);
      } catch (e) {
        console.error(`clusterdeck: a journal listener failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  };

  const dirOf = (cluster: string): string => {
    if (!clusterNameSchema.safeParse(cluster).success) throw new CdError('INVALID_ARGUMENT', `cluster name "${cluster}" is invalid`);
    return join(base, cluster);
  };
  const fileOf = (cluster: string, id: string): string => {
    if (!ID.test(id)) throw new CdError('NOT_FOUND', `"${id}" is not a change id of the journal`, { cluster, id });
    return join(dirOf(cluster), `${id}.json`);
  };

  const write = async (e: JournalEntry): Promise<void> => {
    // A bug that would write something unreadable is caught here, not at recovery time.
    const checked = journalEntrySchema.parse(e);
    await writeFileAtomic(fileOf(checked.cluster, checked.id), `${JSON.stringify(checked, null, 1)}\n`);
    changed(checked.cluster);
  };

  // Parsed entries by file identity: the status counts read the journal every heartbeat, and
  // finished entries never change; only new or rewritten files are parsed again.
  const cache = new Map<string, { stamp: string; entry: JournalEntry | null }>();

  const readFile = (file: string): { entry: JournalEntry | null; gone: boolean } => {
    let stamp: string;
    try {
      const st = statSync(file);
      stamp = `${st.ino}:${st.size}:${st.mtimeMs}`;
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') {
        cache.delete(file);
        return { entry: null, gone: true };
      }
      throw new CdError('IO_ERROR', `could not read ${file}: ${(e as Error).message}`, { file });
    }
    const hit = cache.get(file);
    if (hit && hit.stamp === stamp) return { entry: hit.entry ? structuredClone(hit.entry) : null, gone: false };
    let entry: JournalEntry | null = null;
    try {
      const parsed = journalEntrySchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      entry = parsed.success ? parsed.data : null;
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') return { entry: null, gone: true };
      entry = null;
    }
    cache.set(file, { stamp, entry });
    return { entry: entry ? structuredClone(entry) : null, gone: false };
  };

  const list = async (cluster: string): Promise<{ entries: JournalEntry[]; unreadable: string[] }> => {
    const dir = dirOf(cluster);
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => n.endsWith('.json'));
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') return { entries: [], unreadable: [] };
      throw new CdError('IO_ERROR', `could not list ${dir}: ${(e as Error).message}`);
    }
    const entries: JournalEntry[] = [];
    const unreadable: string[] = [];
    // Bounded by pruning; the cap guards against a directory filled by something else.
    for (const n of names.slice(0, 10 * KEEP_FINISHED)) {
      const file = join(dir, n);
      const r = readFile(file);
      if (r.entry) entries.push(r.entry);
      else if (!r.gone) unreadable.push(file);
    }
    entries.sort((a, b) => b.startedAt - a.startedAt);
    return { entries, unreadable };
  };

  /** Finished entries beyond the newest KEEP_FINISHED, or older than a week, go; running ones never. */
  const prune = async (cluster: string, now: number): Promise<void> => {
    const { entries } = await list(cluster);
    const finished = entries.filter((e) => e.state !== 'running').sort((a, b) => b.updatedAt - a.updatedAt);
    const drop = finished.filter((e, i) => i >= KEEP_FINISHED || now - e.updatedAt > KEEP_FINISHED_MS);
    for (const e of drop) {
      const file = fileOf(cluster, e.id);
      try {
        unlinkSync(file);
        cache.delete(file);
      } catch (err) {
        if ((err as { code?: string }).code !== 'ENOENT') throw new CdError('IO_ERROR', `could not prune ${file}: ${(err as Error).message}`, { file });
      }
    }
  };

  return {
    async open(draft) {
      fileOf(draft.cluster, draft.id);
      const handle = await createJournalHandle(newEntry(draft, Date.now()), write);
      // After the entry is safe: a prune that fails must not stop the change (it is said, not hidden).
      await prune(draft.cluster, Date.now()).catch((e: unknown) =>
        console.error(`clusterdeck: could not prune the journal of ${draft.cluster}: ${e instanceof Error ? e.message : String(e)}`),
      );
      return handle;
    },
    async adopt(cluster, id, owner, stillYours) {
      const file = fileOf(cluster, id);
      return withFileLock(join(locks, `journal-${cluster}-${id}`), { waitMs: 10_000, owner: `${owner.actor.via} pid ${owner.pid}`, what: `change ${id} of ${cluster}` }, async () => {
        const cur = readFile(file).entry;
        if (!cur || !stillYours(cur)) return null;
        return createJournalHandle({ ...cur, owner, abandoned: false, state: 'running', updatedAt: Date.now() }, write);
      });
    },
    list,
    async get(cluster, id) {
      return readFile(fileOf(cluster, id)).entry;
    },
    async update(cluster, id, fn) {
      const file = fileOf(cluster, id);
      return withFileLock(join(locks, `journal-${cluster}-${id}`), { waitMs: 10_000, owner, what: `change ${id} of ${cluster}` }, async () => {
        const cur = readFile(file).entry;
        if (!cur) return null;
        const next = await fn(structuredClone(cur));
        if (!next) return cur;
        await write({ ...next, updatedAt: Date.now() });
        return next;
      });
    },
    async ownReloads(cluster, lb, withinMs) {
      const since = withinMs === undefined ? -Infinity : Date.now() - withinMs;
      const out: OwnReload[] = [];
      for (const e of (await list(cluster)).entries) {
        for (const t of e.targets) {
          if (t.host !== lb || !(t.reload.kind === 'haproxy' || (t.role === 'lb' && t.reload.kind === 'command'))) continue;
          for (const r of t.reloads) {
            if (r.startedAt >= since) out.push({ startedAt: r.startedAt, endedAt: r.endedAt, oldPid: r.oldPid, newPid: r.newPid });
          }
        }
      }
      return out.sort((a, b) => b.startedAt - a.startedAt);
    },
    onChange(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}
