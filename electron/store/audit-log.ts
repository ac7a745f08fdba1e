import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { fsyncPath } from './atomic-write';
import { join } from 'node:path';
import { auditEntrySchema, type AuditEntry } from '../../shared/domain/audit';
import { CdError } from '../../shared/errors';
import { dataPaths } from './data-dir';

export interface AuditLog {
  /** Resolves once the line is written (in the page cache: it survives a crash of this process). */
  append(entry: AuditEntry): Promise<void>;
  /** Resolves once every appended line is on disk (fsync). */
  flush(): Promise<void>;
  /** Newest first. Lines that don't parse (a torn write after a crash) are counted, never hidden. */
  list(cluster: string, opts: { node?: string; limit: number }): Promise<{ entries: AuditEntry[]; skippedLines: number }>;
}

/** One JSON line per entry in audit/<cluster>.jsonl: append-only, so history survives restarts and crashes. */
export function createAuditLog(root: string): AuditLog {
  const paths = dataPaths(root);
  let dirReady = false;
  const fileOf = (cluster: string): string => join(paths.audit, `${cluster}.jsonl`);

  // One background fsync per file at a time; appends made while it runs are covered by the next one.
  // Waiting for fsync before answering would put a disk flush (milliseconds, more under load) on
  // every action's reply, while the written line already survives a crash of this process.
  const syncs = new Map<string, { running: Promise<void>; again: boolean }>();
  const scheduleSync = (file: string): void => {
    const cur = syncs.get(file);
    if (cur) {
      cur.again = true;
      return;
    }
    const state = { running: Promise.resolve(), again: false };
    const loop = async (): Promise<void> => {
      for (let i = 0; i < 1000; i++) {
        state.again = false;
        try {
          await fsyncPath(file);
        } catch (e) {
          // No caller is waiting on this flush; say so where an operator will see it.
          console.error(`clusterdeck: could not flush the audit log ${file}: ${(e as Error).message}`);
        }
        if (!state.again) break;
      }
      syncs.delete(file);
    };
    state.running = loop();
    syncs.set(file, state);
  };

  const mentionsNode = (e: AuditEntry, node: string): boolean =>
    e.kind === 'node-action' ? e.result.node === node : e.kind === 'host-key' ? e.summary.includes(node) : false;

  return {
    async append(entry) {
      const checked = auditEntrySchema.parse(entry);
      const file = fileOf(checked.cluster);
      if (!dirReady) {
        await mkdir(paths.audit, { recursive: true, mode: 0o700 });
        dirReady = true;
      }
      // No lock: each entry is exactly one write(2) to an O_APPEND descriptor, which Linux appends
      // whole even when the CLI and the desktop app write at once (the inode is locked for the
      // write). A crash leaves at most a torn last line, which list() reports.
      // Synchronous: a few microseconds for one line in the page cache, against three thread-pool
      // round trips for open/write/close on the action's reply path.
      const line = Buffer.from(`${JSON.stringify(checked)}\n`);
      let fd: number | null = null;
      try {
        fd = openSync(file, 'a', 0o600);
        const written = writeSync(fd, line);
        if (written !== line.length) throw new Error(`short write (${written} of ${line.length} bytes)`);
      } catch (e) {
        throw new CdError('IO_ERROR', `could not append to ${file}: ${(e as Error).message}`, { file });
      } finally {
        if (fd !== null) closeSync(fd);
      }
      scheduleSync(file);
    },
    async flush() {
      for (let i = 0; i < 100 && syncs.size > 0; i++) await Promise.all([...syncs.values()].map((s) => s.running));
    },
    async list(cluster, opts) {
      let text: string;
      try {
        text = await readFile(fileOf(cluster), 'utf8');
      } catch (e) {
        if ((e as { code?: string }).code === 'ENOENT') return { entries: [], skippedLines: 0 };
        throw new CdError('IO_ERROR', `could not read the audit log of ${cluster}: ${(e as Error).message}`);
      }
      const entries: AuditEntry[] = [];
      let skippedLines = 0;
      const lines = text.split('\n');
      for (let i = lines.length - 1; i >= 0 && entries.length < opts.limit; i--) {
        const line = lines[i];
        if (!line) continue;
        let parsed;
        try {
          parsed = auditEntrySchema.safeParse(JSON.parse(line));
        } catch {
          skippedLines++;
          continue;
        }
        if (!parsed.success) {
          skippedLines++;
          continue;
        }
        if (opts.node && !mentionsNode(parsed.data, opts.node)) continue;
        entries.push(parsed.data);
      }
      return { entries, skippedLines };
    },
  };
}
