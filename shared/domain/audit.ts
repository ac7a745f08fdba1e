import { z } from 'zod';
import { actionResultSchema } from './action';
import { configChangeResultSchema } from './config-change';
import { hostCommandSchema, pushResultSchema } from './managed-files';
import { outsideReloadSchema } from './reloads';

export const actorSchema = z.object({
  via: z.enum(['cli', 'ui', 'test']),
  user: z.string(),
  machine: z.string(),
});
export type Actor = z.infer<typeof actorSchema>;

/** One line of a cluster's audit log (audit/<cluster>.jsonl in the data directory). */
export const auditEntrySchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('node-action'),
    id: z.string(),
    at: z.string(),
    cluster: z.string(),
    actor: actorSchema,
    result: actionResultSchema,
  }),
  z.object({
    kind: z.literal('cluster-change'),
    id: z.string(),
    at: z.string(),
    cluster: z.string(),
    actor: actorSchema,
    change: z.enum(['imported', 'created', 'updated', 'removed']),
    summary: z.string(),
  }),
  z.object({
    kind: z.literal('config-change'),
    id: z.string(),
    at: z.string(),
    cluster: z.string(),
    actor: actorSchema,
    result: configChangeResultSchema,
    /** The exact commands run on each host (managed-file changes and rollbacks). */
    commands: z.array(hostCommandSchema).optional(),
  }),
  z.object({
    kind: z.literal('push'),
    id: z.string(),
    at: z.string(),
    cluster: z.string(),
    actor: actorSchema,
    result: pushResultSchema,
    /** The exact commands run on each host, in order. */
    commands: z.array(hostCommandSchema),
  }),
  z.object({
    kind: z.literal('managed-file'),
    id: z.string(),
    at: z.string(),
    cluster: z.string(),
    actor: actorSchema,
    change: z.enum(['added', 'updated', 'removed']),
    file: z.string(),
    /** The desired version after the change (null when removed). */
    version: z.number().int().nullable(),
    summary: z.string(),
  }),
  z.object({
    kind: z.literal('outside-reload'),
    id: z.string(),
    at: z.string(),
    cluster: z.string(),
    actor: actorSchema,
    /** An LB's worker replaced by someone else, and the server states that changed with it. */
    reload: outsideReloadSchema,
    summary: z.string(),
  }),
  z.object({
    kind: z.literal('host-key'),
    id: z.string(),
    at: z.string(),
    cluster: z.string(),
    actor: actorSchema,
    change: z.enum(['pinned', 'refused-changed', 'forgotten']),
    host: z.string(),
    port: z.number().int(),
    fingerprint: z.string(),
    summary: z.string(),
  }),
  z.object({
    /** A change found cut short (its process gone): written once, by the first ClusterDeck that found it. */
    kind: z.literal('interrupted-change'),
    id: z.string(),
    at: z.string(),
    cluster: z.string(),
    actor: actorSchema,
    /** The intent journal's id of the change. */
    journalId: z.string(),
    /** failover-settings, push or rollback. */
    changeKind: z.string(),
    /** "push app.conf to node1 (all at once), by cli root@desk pid 4242: node1 /srv/app/app.conf stopped after replace, before reload" */
    summary: z.string(),
    targets: z.array(z.object({ host: z.string(), path: z.string(), stoppedAt: z.string() })),
  }),
  z.object({
    /** An interrupted change finished or restored (clusterdeck recover, or the banner's buttons). */
    kind: z.literal('recovery'),
    id: z.string(),
    at: z.string(),
    cluster: z.string(),
    actor: actorSchema,
    journalId: z.string(),
    changeKind: z.string(),
    action: z.enum(['finish', 'restore']),
    outcome: z.enum(['ok', 'partial', 'failed']),
    summary: z.string(),
    /** The exact commands run on each host, in order. */
    commands: z.array(hostCommandSchema),
  }),
]);
export type AuditEntry = z.infer<typeof auditEntrySchema>;
