import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { auditEntrySchema, type AuditEntry } from '../../shared/domain/audit';
import { CdError } from '../../shared/errors';
import { dataPaths } from './data-dir';
import { withFileLock } from './file-lock';

export interface AuditLog {
  append(entry: AuditEntry): Promise<void>;
  /** Newest first. Lines that don't parse (a torn write after a crash) are counted, never hidden. */
  list(cluster: string, opts: { node?: string; limit: number }): Promise<{ entries: AuditEntry[]; skippedLines: number }>;
}

/** One JSON line per entry in audit/<cluster>.jsonl: append-only, so history survives restarts and crashes. */
export function createAuditLog(root: string, owner: string): AuditLog {
  const paths = dataPaths(root);
  const fileOf = (cluster: string): string => join(paths.audit, `${cluster}.jsonl`);

  const mentionsNode = (e: AuditEntry, node: string): boolean =>
    e.kind === 'node-action' ? e.result.node === node : e.kind === 'host-key' ? e.summary.includes(node) : false;

  return {
    async append(entry) {
      const checked = auditEntrySchema.parse(entry);
      const file = fileOf(checked.cluster);
      await mkdir(paths.audit, { recursive: true, mode: 0o700 });
      await withFileLock(join(paths.locks, `audit-${checked.cluster}`), { waitMs: 10_000, owner, what: 'the audit log' }, async () => {
        const fh = await open(file, 'a', 0o600);
        try {
          // One write of one line: a crash leaves at most a torn last line, which list() reports.
          await fh.write(`${JSON.stringify(checked)}\n`);
          await fh.sync();
        } catch (e) {
          throw new CdError('IO_ERROR', `could not append to ${file}: ${(e as Error).message}`, { file });
        } finally {
          await fh.close();
        }
      });
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
