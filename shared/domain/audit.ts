import { z } from 'zod';
import { actionResultSchema } from './action';
import { configChangeResultSchema } from './config-change';
import { hostCommandSchema, pushResultSchema } from './managed-files';

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
]);
export type AuditEntry = z.infer<typeof auditEntrySchema>;
