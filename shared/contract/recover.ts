import { z } from 'zod';
import { actorSchema } from '../domain/audit';
import { configStepNameSchema, journalKindSchema } from '../domain/journal';
import { hostCommandSchema, reloadSpecSchema } from '../domain/managed-files';
import { clusterNameSchema } from '../domain/names';
import { method } from '../rpc/define';

const ms = 1000;

/** What a target's host holds now, read when the change is listed: the new file, the old one, none, something else, or unknown. */
export const HOLDS = ['new', 'old', 'absent', 'other', 'unknown'] as const;
export const holdsSchema = z.enum(HOLDS);
export type Holds = z.infer<typeof holdsSchema>;

export const unfinishedTargetSchema = z.object({
  host: z.string(),
  role: z.enum(['node', 'lb']),
  path: z.string(),
  file: z.string().nullable(),
  /** "replace done, reload not", "not started", "done". */
  stoppedAt: z.string(),
  done: configStepNameSchema.nullable(),
  doing: configStepNameSchema.nullable(),
  holds: holdsSchema,
  /** "node1 has the new file, not reloaded"; "could not read it: ..." when unknown. */
  holdsText: z.string(),
  /** Something is left to do here (the change stopped part-way on this target). */
  pending: z.boolean(),
  backup: z.string().nullable(),
  reload: reloadSpecSchema,
});
export type UnfinishedTarget = z.infer<typeof unfinishedTargetSchema>;

/** One way out of an interrupted change: whether it is offered, what it would do, and why not when it is not. */
export const recoverOfferSchema = z.object({
  available: z.boolean(),
  /** "reload node1 and check it; make node1 ready on lb1 and lb2" */
  what: z.string(),
  why: z.string().nullable(),
});

export const unfinishedChangeSchema = z.object({
  id: z.string(),
  cluster: z.string(),
  kind: journalKindSchema,
  summary: z.string(),
  /** running: its process is still at work; interrupted: its process is gone and it stopped part-way. */
  state: z.enum(['running', 'interrupted']),
  owner: z.object({ pid: z.number().int(), machine: z.string(), actor: actorSchema }),
  /** "cli root@desk, pid 4242 (gone)" */
  ownerText: z.string(),
  startedAt: z.number(),
  updatedAt: z.number(),
  /** One line: "node1 /srv/app/app.conf stopped after replace, before reload". */
  message: z.string(),
  targets: z.array(unfinishedTargetSchema),
  /** Nodes the change drained, which recovery makes ready again. */
  drained: z.array(z.object({ node: z.string(), lbs: z.array(z.string()) })),
  offers: z.object({ finish: recoverOfferSchema, restore: recoverOfferSchema }),
});
export type UnfinishedChange = z.infer<typeof unfinishedChangeSchema>;

export const RECOVER_ACTIONS = ['finish', 'restore'] as const;
export type RecoverAction = (typeof RECOVER_ACTIONS)[number];

export const recoveryResultSchema = z.object({
  id: z.string(),
  cluster: z.string(),
  action: z.enum(RECOVER_ACTIONS),
  outcome: z.enum(['ok', 'partial', 'failed']),
  message: z.string(),
  targets: z.array(
    z.object({
      host: z.string(),
      path: z.string(),
      /** left-alone: the file was changed by someone else since; it is not touched (check it by hand). */
      outcome: z.enum(['done', 'nothing-to-do', 'left-alone', 'failed']),
      /** "restored /srv/app/app.conf from ...bak (byte-identical to the file before the change); reloaded: ..." */
      message: z.string(),
    }),
  ),
  nodes: z.array(z.object({ node: z.string(), outcome: z.enum(['ready', 'failed', 'left-drained']), message: z.string() })),
  /** Failover settings: what happened to the settings on file (saved: the new ones; restored: the previous ones). */
  settings: z.enum(['saved', 'restored', 'unchanged']).nullable(),
  /** The exact commands run on each host, in order. */
  commands: z.array(hostCommandSchema),
});
export type RecoveryResult = z.infer<typeof recoveryResultSchema>;

export const recoverMethods = {
  'recover.list': method({
    doc: "Lists a cluster's unfinished changes from the intent journal: running ones, and interrupted ones with the step each host stopped at, what it holds now and the ways out.",
    params: z
      .object({
        cluster: clusterNameSchema,
        /** Read each interrupted target's file on its host (sha256) to say what it holds; false: from the journal only. */
        probe: z.boolean().default(true),
      })
      .strict(),
    result: z.object({
      cluster: z.string(),
      changes: z.array(unfinishedChangeSchema),
      /** Journal files that could not be read (named, never hidden). */
      unreadable: z.array(z.string()),
    }),
    timeoutMs: 60 * ms,
  }),
  'recover.resolve': method({
    doc: 'Finishes an interrupted change (reload and check what was replaced) or restores the state before it (backups back, reload), then makes drained nodes ready.',
    params: z.object({ cluster: clusterNameSchema, id: z.string().min(1).max(100), action: z.enum(RECOVER_ACTIONS) }).strict(),
    result: recoveryResultSchema,
    timeoutMs: null,
  }),
};
