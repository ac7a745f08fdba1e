import { z } from 'zod';
import { cdErrorSchema } from '../errors';
import { configTargetResultSchema } from './config-change';
import { hostNameSchema } from './names';

/** Stable id of a managed file within its cluster; also a folder name in the data directory. */
export const fileIdSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(64)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, "must start with a lowercase letter or digit and contain only a-z, 0-9, '.', '_', '-'");

/**
 * An absolute path on the target hosts. Refused outright: relative paths, `.` or `..` segments,
 * `//`, a trailing `/`, control characters. The core also refuses a path that resolves (through
 * symlinks, on the host) outside its declared directory.
 */
export const remotePathSchema = z
  .string()
  .min(2)
  .max(1024)
  .startsWith('/', 'must be an absolute path')
  .refine((p) => !/[\u0000-\u001f\u007f]/.test(p), 'must not contain control characters')
  .refine((p) => !p.split('/').slice(1).some((s) => s === '..' || s === '.'), "must not contain '.' or '..' segments")
  .refine((p) => !p.includes('//') && !p.endsWith('/'), "must not contain '//' or end with '/'");

/** Which hosts of the cluster a file is managed on. */
export const fileHostsSchema = z.union([z.enum(['nodes', 'lbs']), z.array(hostNameSchema).min(1).max(1000)]);
export type FileHosts = z.infer<typeof fileHostsSchema>;

/**
 * What makes the service pick up a new file. `command`: a shell command on the host (non-zero exit
 * = failed). `haproxy`: ClusterDeck's own HAProxy reload through the LB's master CLI, keeping
 * drain/maint states and confirmed by the new worker (LB files only). `none`: nothing to reload.
 */
export const reloadSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('command'), command: z.string().min(1).max(1000) }),
  z.object({ kind: z.literal('haproxy') }),
]);
export type ReloadSpec = z.infer<typeof reloadSpecSchema>;

/** What an admin declares about a managed file (everything but its content). */
export const managedFileSettingsSchema = z.object({
  id: fileIdSchema,
  /** Target path on every host of `hosts`. */
  path: remotePathSchema,
  hosts: fileHostsSchema,
  /** Run on the host against the staged new file before it replaces the old one; `{file}` = its path. */
  validate: z.string().min(1).max(1000).refine((c) => c.includes('{file}'), 'must name the staged file as {file}').nullable().default(null),
  reload: reloadSpecSchema.default({ kind: 'none' }),
  /** Run on the host after the reload; non-zero exit = the service did not take it: the old file is restored. */
  check: z.string().min(1).max(1000).nullable().default(null),
  /** TCP port the service listens on (on the host's own address); waited for after the reload. */
  servicePort: z.number().int().min(1).max(65535).nullable().default(null),
  /** `pgrep -f` pattern of the service's process: a file newer than the process's last (re)load is "pending restart". */
  process: z.string().min(1).max(200).nullable().default(null),
  owner: z.string().regex(/^[a-z_][a-z0-9_-]*\$?$/i, 'must be a user name').max(32).default('root'),
  group: z.string().regex(/^[a-z_][a-z0-9_-]*\$?$/i, 'must be a group name').max(32).default('root'),
  mode: z.string().regex(/^0?[0-7]{3}$/, 'must be an octal mode such as 0644').default('0644'),
  /** Backups kept on each host (timestamped, beside the file). */
  keepBackups: z.number().int().min(1).max(100).default(5),
});
export type ManagedFileSettings = z.infer<typeof managedFileSettingsSchema>;
export type ManagedFileSettingsInput = z.input<typeof managedFileSettingsSchema>;

/** One stored version of the desired content (a copy in the data directory, never edited). */
export const fileVersionSchema = z.object({
  version: z.number().int().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().min(0),
  /** Epoch ms. */
  addedAt: z.number(),
  /** Where the admin picked it from (a local path or file name), for the record. */
  source: z.string().max(1024),
  by: z.string(),
});
export type FileVersion = z.infer<typeof fileVersionSchema>;

export const managedFileSchema = managedFileSettingsSchema.extend({
  /** The desired version (the newest). */
  current: fileVersionSchema,
  versions: z.array(fileVersionSchema),
});
export type ManagedFile = z.infer<typeof managedFileSchema>;

export const SYNC_STATES = ['in-sync', 'out-of-sync', 'missing', 'unreadable', 'pending-restart', 'unknown'] as const;
export const syncStateSchema = z.enum(SYNC_STATES);
export type SyncState = z.infer<typeof syncStateSchema>;

/** One cell of the sync matrix: one file on one host. */
export const syncCellSchema = z.object({
  host: z.string(),
  file: fileIdSchema,
  path: z.string(),
  /** unknown: the host could not be asked (SSH down); detail says why. */
  state: syncStateSchema,
  desiredSha256: z.string(),
  /** SHA-256 of the file on the host; null when missing or unreadable. */
  sha256: z.string().nullable(),
  size: z.number().int().nullable(),
  /** Modification time on the host, epoch ms. */
  mtime: z.number().nullable(),
  /** e.g. "has sha256 1a2b… should be 3c4d…", "permission denied", "changed 14:02, service loaded 13:58". */
  detail: z.string(),
  checkedAt: z.number(),
});
export type SyncCell = z.infer<typeof syncCellSchema>;

export const syncMatrixSchema = z.object({
  cluster: z.string(),
  files: z.array(managedFileSchema),
  /** Every host some file is managed on, nodes first, in inventory order. */
  hosts: z.array(z.string()),
  cells: z.array(syncCellSchema),
  /** Epoch ms of the newest check; null before the first. */
  checkedAt: z.number().nullable(),
  /** How long the last full check took, ms. */
  durationMs: z.number().nullable(),
});
export type SyncMatrix = z.infer<typeof syncMatrixSchema>;

/** A node's summary in the status: the worst of its files. */
export const nodeSyncSchema = z.object({
  state: syncStateSchema,
  /** Ids of the files that are not in sync on this node. */
  files: z.array(z.string()),
  checkedAt: z.number(),
});
export type NodeSync = z.infer<typeof nodeSyncSchema>;

export const fileDiffSchema = syncCellSchema.pick({ host: true, file: true, path: true, state: true, desiredSha256: true, sha256: true, detail: true }).extend({
  /** Unified diff, on the host → desired ('' when equal). Null when the file is not text or could not be read. */
  diff: z.string().nullable(),
});
export type FileDiff = z.infer<typeof fileDiffSchema>;

export const PUSH_MODES = ['all-at-once', 'rolling'] as const;

export const pushRequestSchema = z.object({
  /** Managed file ids; all of the cluster's when absent. */
  files: z.array(fileIdSchema).min(1).optional(),
  /** Hosts; every host the chosen files are managed on when absent. */
  hosts: z.array(hostNameSchema).min(1).optional(),
  mode: z.enum(PUSH_MODES).default('all-at-once'),
  /** Rolling: seconds to wait for a drained node's sessions to end before pushing anyway. */
  drainWaitSec: z.number().int().min(0).max(3600).default(30),
  /** Seconds to wait for the service port after a reload. */
  portWaitSec: z.number().int().min(1).max(600).default(30),
});
export type PushRequest = z.infer<typeof pushRequestSchema>;

export const pushPreviewSchema = z.object({
  cluster: z.string(),
  mode: z.enum(PUSH_MODES),
  /** The order hosts will be done in. */
  hosts: z.array(z.string()),
  items: z.array(
    z.object({
      host: z.string(),
      file: z.string(),
      path: z.string(),
      /** Unified diff, on the host → desired. */
      diff: z.string(),
      changed: z.boolean(),
      /** The validate command's verdict on a staged copy on that host; null without one or when unchanged. */
      valid: z.boolean().nullable(),
      message: z.string(),
    }),
  ),
  /** Why the push cannot be planned (no such file or host, a host the chosen files are not managed on), or null; validation verdicts are per item. */
  refusal: z.string().nullable(),
});
export type PushPreview = z.infer<typeof pushPreviewSchema>;

export const PUSH_PHASES = ['waiting', 'drain', 'wait-sessions', 'push', 'wait-port', 'ready', 'verify', 'done', 'unchanged', 'failed', 'skipped'] as const;

export const pushHostResultSchema = z.object({
  host: z.string(),
  /** done; unchanged (already in sync); refused (validation failed: nothing written); restored (failed after the replace, old file back); failed; not-started (an earlier host stopped a rolling run). */
  outcome: z.enum(['done', 'unchanged', 'refused', 'restored', 'failed', 'not-started']),
  /** Per file: the engine's steps (read, stage, validate, backup, replace, reload, verify, restore, cleanup). */
  files: z.array(configTargetResultSchema.extend({ file: z.string() })),
  /** Rolling: the node was drained on every LB for this host's update, and made ready after. */
  drained: z.boolean(),
  /** Rolling, the drain and ready around it; all modes, the wait for the port. One line each. */
  notes: z.array(z.string()),
  error: cdErrorSchema.nullable(),
  durationMs: z.number(),
});
export type PushHostResult = z.infer<typeof pushHostResultSchema>;

export const pushResultSchema = z.object({
  id: z.string(),
  cluster: z.string(),
  mode: z.enum(PUSH_MODES),
  /** ok: every host done or unchanged; partial: some hosts failed (all-at-once); stopped: a rolling run stopped at a failed host. */
  outcome: z.enum(['ok', 'unchanged', 'partial', 'stopped', 'failed']),
  message: z.string(),
  hosts: z.array(pushHostResultSchema),
  /** The fingerprints read back after the push. */
  verify: z.array(syncCellSchema),
  startedAt: z.number(),
  durationMs: z.number(),
});
export type PushResult = z.infer<typeof pushResultSchema>;

export const pushProgressSchema = z.object({
  id: z.string(),
  cluster: z.string(),
  host: z.string(),
  phase: z.enum(PUSH_PHASES),
  /** 0..100 for this host. */
  percent: z.number().min(0).max(100),
  detail: z.string(),
});
export type PushProgress = z.infer<typeof pushProgressSchema>;

export const fileBackupSchema = z.object({
  /** The backup's file name beside the target (what `rollback --backup` takes). */
  id: z.string(),
  path: z.string(),
  sha256: z.string(),
  size: z.number().int(),
  /** Epoch ms (from the backup's timestamp). */
  at: z.number(),
  /** The desired version with this fingerprint, when there is one. */
  version: z.number().int().nullable(),
});
export type FileBackup = z.infer<typeof fileBackupSchema>;

/** One command run on a host during a push or rollback, for the audit log. */
export const hostCommandSchema = z.object({
  host: z.string(),
  command: z.string(),
  ok: z.boolean(),
  ms: z.number(),
});
export type HostCommand = z.infer<typeof hostCommandSchema>;
