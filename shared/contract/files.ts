import { z } from 'zod';
import { configChangeResultSchema } from '../domain/config-change';
import {
  fileBackupSchema,
  fileDiffSchema,
  fileIdSchema,
  managedFileSchema,
  managedFileSettingsSchema,
  pushPreviewSchema,
  pushRequestSchema,
  pushResultSchema,
  syncMatrixSchema,
} from '../domain/managed-files';
import { clusterNameSchema, hostNameSchema } from '../domain/names';
import { method } from '../rpc/define';

const ms = 1000;
/** Desired content travels as UTF-8 text; ClusterDeck manages configuration files, not binaries. */
export const MAX_FILE_BYTES = 1024 * 1024;
const utf8 = new TextEncoder();
const contentSchema = z.string().max(MAX_FILE_BYTES).refine((s) => utf8.encode(s).length <= MAX_FILE_BYTES, `must be at most ${MAX_FILE_BYTES} bytes`);

export const fileMethods = {
  'files.list': method({
    doc: "Lists a cluster's managed files with their settings and stored versions.",
    params: z.object({ cluster: clusterNameSchema }).strict(),
    result: z.object({ files: z.array(managedFileSchema) }),
    timeoutMs: 10 * ms,
  }),
  'files.put': method({
    doc: 'Declares a managed file or changes one; new content is kept as a new version in the data directory.',
    params: z
      .object({
        cluster: clusterNameSchema,
        settings: managedFileSettingsSchema,
        /** Required when the file is new; a changed content makes a new version. */
        content: contentSchema.optional(),
        /** Where the content was picked from (shown in the versions list). */
        source: z.string().max(1024).optional(),
      })
      .strict(),
    result: managedFileSchema,
    timeoutMs: 15 * ms,
  }),
  'files.remove': method({
    doc: 'Stops managing a file (its stored versions are deleted; nothing changes on any host).',
    params: z.object({ cluster: clusterNameSchema, file: fileIdSchema }).strict(),
    result: z.object({ removed: z.literal(true) }),
    timeoutMs: 10 * ms,
  }),
  'sync.get': method({
    doc: 'Returns the sync matrix (hosts × managed files, SHA-256 on the host against the desired one); refresh re-reads every host.',
    params: z.object({ cluster: clusterNameSchema, refresh: z.boolean().default(false) }).strict(),
    result: syncMatrixSchema,
    timeoutMs: 60 * ms,
  }),
  'sync.diff': method({
    doc: 'Returns the line diff of one managed file, as it is on the host against the desired content.',
    params: z.object({ cluster: clusterNameSchema, host: hostNameSchema, file: fileIdSchema }).strict(),
    result: fileDiffSchema,
    timeoutMs: 30 * ms,
  }),
  'push.preview': method({
    doc: 'Shows what a push would change on each host (diffs, the validate verdict on a staged copy) and its order; changes nothing.',
    params: z.object({ cluster: clusterNameSchema, request: pushRequestSchema }).strict(),
    result: pushPreviewSchema,
    timeoutMs: 120 * ms,
  }),
  'push.run': method({
    doc: 'Pushes the desired files to hosts, all at once or rolling (drain, push, reload, wait for the port, ready), then verifies fingerprints.',
    params: z.object({ cluster: clusterNameSchema, request: pushRequestSchema }).strict(),
    result: pushResultSchema,
    timeoutMs: null,
  }),
  'files.backups': method({
    doc: "Lists the backups of a managed file kept on one host, with their fingerprints and dates.",
    params: z.object({ cluster: clusterNameSchema, host: hostNameSchema, file: fileIdSchema }).strict(),
    result: z.object({ backups: z.array(fileBackupSchema) }),
    timeoutMs: 30 * ms,
  }),
  'files.rollback': method({
    doc: 'Restores one backup of a managed file on one host through the safe path (validate, back up, replace, reload, check).',
    params: z.object({ cluster: clusterNameSchema, host: hostNameSchema, file: fileIdSchema, backup: z.string().min(1).max(255) }).strict(),
    result: z.object({ result: configChangeResultSchema }),
    timeoutMs: null,
  }),
};
