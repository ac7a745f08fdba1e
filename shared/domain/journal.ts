import { z } from 'zod';
import { actorSchema } from './audit';
import { clusterSettingsSchema } from './cluster';
import { CONFIG_STEPS } from './config-change';
import { reloadSpecSchema } from './managed-files';

/**
 * The intent journal: every multi-step change on hosts (failover settings, a push, a rollback) is
 * written down in the data directory before it touches a host, and kept up to date step by step,
 * so a change cut short by a killed process can be found, shown and finished or undone later.
 * One JSON file per change: journal/<cluster>/<id>.json.
 */
export const JOURNAL_KINDS = ['failover-settings', 'push', 'rollback'] as const;
export const journalKindSchema = z.enum(JOURNAL_KINDS);
export type JournalKind = z.infer<typeof journalKindSchema>;

/** running: under way (or cut short, if its owner is gone); done: it ended, whatever the outcome; resolved: recovered after an interruption. */
export const JOURNAL_STATES = ['running', 'done', 'resolved'] as const;

const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/);
export const configStepNameSchema = z.enum(CONFIG_STEPS);
export type ConfigStepName = z.infer<typeof configStepNameSchema>;

/** The process that owns a running change; with the start time, the pid names one process even after pid reuse. */
export const journalOwnerSchema = z.object({
  pid: z.number().int(),
  /** Kernel start time of the pid in clock ticks since boot (Linux); null elsewhere. */
  startTime: z.number().nullable(),
  /** os.hostname(): a pid means something only on its own machine. */
  machine: z.string(),
  actor: actorSchema,
});
export type JournalOwner = z.infer<typeof journalOwnerSchema>;

/** One reload of a target by ClusterDeck, written before it is triggered and completed after. */
export const journalReloadSchema = z.object({
  startedAt: z.number(),
  /** Null while under way (or when the owner died during it). */
  endedAt: z.number().nullable(),
  ok: z.boolean().nullable(),
  /** HAProxy reloads: the worker before and after (null for other reloads, or when unknown). */
  oldPid: z.number().int().nullable(),
  newPid: z.number().int().nullable(),
});
export type JournalReload = z.infer<typeof journalReloadSchema>;

/** One file on one host that the change may replace. */
export const journalTargetSchema = z.object({
  host: z.string(),
  role: z.enum(['node', 'lb']),
  path: z.string(),
  /** The managed file's id; null for haproxy.cfg written from the failover settings. */
  file: z.string().nullable(),
  /** sha256 of the file before the change; null when it did not exist (the change creates it) or is not read yet. */
  shaBefore: sha256Schema.nullable(),
  /** sha256 of the new content; null until the change read the host and built it. */
  shaNew: sha256Schema.nullable(),
  /** False until the host was read: whether shaBefore null means "absent" or "not known yet". */
  prepared: z.boolean(),
  /** The target already had the new content: nothing to do there. */
  unchanged: z.boolean(),
  /** The backup of the file before the change, on the host (null: none made, or the file was created). */
  backup: z.string().nullable(),
  reload: reloadSpecSchema,
  /** Run after the reload to confirm it (a managed file's check command), and the port waited for. */
  check: z.string().nullable(),
  servicePort: z.number().int().nullable(),
  /** The last step that finished on this target, and the one under way (null: none). */
  done: configStepNameSchema.nullable(),
  doing: configStepNameSchema.nullable(),
  /** Whether the last finished step succeeded (a failed reload is followed by the engine's own restore). */
  lastOk: z.boolean().nullable(),
  reloads: z.array(journalReloadSchema).max(20),
});
export type JournalTarget = z.infer<typeof journalTargetSchema>;

/** A node the change drained on some LBs, to be made ready again when it is recovered. */
export const journalDrainSchema = z.object({
  node: z.string(),
  lbs: z.array(z.string()),
  /** draining: asked for (it may or may not have reached the LBs); drained: confirmed. */
  state: z.enum(['draining', 'drained']),
});
export type JournalDrain = z.infer<typeof journalDrainSchema>;

/**
 * The state of the cluster's own records before (and after) the change; what "restore" puts back.
 * Each field is optional: later kinds of change add theirs.
 */
export const journalStateSchema = z.object({
  settings: clusterSettingsSchema.optional(),
});
export type JournalState = z.infer<typeof journalStateSchema>;

export const journalEntrySchema = z.object({
  version: z.literal(1),
  id: z.string().min(1).max(100),
  cluster: z.string(),
  kind: journalKindSchema,
  /** In words: "push app.conf to node1, node2 (all at once)". */
  summary: z.string(),
  owner: journalOwnerSchema,
  startedAt: z.number(),
  updatedAt: z.number(),
  state: z.enum(JOURNAL_STATES),
  /** The owner gave up part-way on an unexpected error: treat it as interrupted even while it runs. */
  abandoned: z.boolean(),
  /** Epoch ms the interruption was written to the audit log (once, by the first process that found it). */
  reportedAt: z.number().nullable(),
  /** Epoch ms it was resolved, and how. */
  resolvedAt: z.number().nullable(),
  resolution: z.enum(['finish', 'restore']).nullable(),
  before: journalStateSchema.nullable(),
  after: journalStateSchema.nullable(),
  drained: z.array(journalDrainSchema),
  targets: z.array(journalTargetSchema),
});
export type JournalEntry = z.infer<typeof journalEntrySchema>;
