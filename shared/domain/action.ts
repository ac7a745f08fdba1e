import { z } from 'zod';
import { cdErrorSchema } from '../errors';

export const NODE_ACTIONS = ['drain', 'maint', 'ready'] as const;
export const nodeActionSchema = z.enum(NODE_ACTIONS);
export type NodeAction = z.infer<typeof nodeActionSchema>;

/** One runtime-API exchange, kept verbatim for the audit log and the command drawer. */
export const commandRecordSchema = z.object({
  /** Epoch ms when sent. */
  at: z.number(),
  command: z.string(),
  /** HAProxy's reply verbatim ('' for the silent success of admin commands). */
  reply: z.string(),
  ms: z.number(),
  error: cdErrorSchema.nullable(),
});
export type CommandRecord = z.infer<typeof commandRecordSchema>;

export const LB_OUTCOMES = ['applied', 'failed', 'not-sent'] as const;

export const lbActionResultSchema = z.object({
  lb: z.string(),
  /** applied = sent and confirmed by a re-read; failed = unreadable, refused or not confirmed; not-sent = refused before sending. */
  outcome: z.enum(LB_OUTCOMES),
  /** Status text after the action, as HAProxy reports it. */
  statusAfter: z.string().nullable(),
  sessions: z.number().int().nullable(),
  error: cdErrorSchema.nullable(),
  commands: z.array(commandRecordSchema),
});
export type LbActionResult = z.infer<typeof lbActionResultSchema>;

export const gateVerdictSchema = z.object({
  allowed: z.boolean(),
  /** One line per LB that would be left below the minimum. */
  reasons: z.array(z.string()),
  /** UP active servers left per readable LB if the action went through. */
  remaining: z.record(z.string(), z.number().int()),
  minActive: z.number().int(),
});
export type GateVerdict = z.infer<typeof gateVerdictSchema>;

export const ACTION_OUTCOMES = ['ok', 'partial', 'failed', 'refused', 'timeout'] as const;

export const actionResultSchema = z.object({
  id: z.string(),
  cluster: z.string(),
  node: z.string(),
  action: nodeActionSchema,
  /** ok: every LB applied (and drained, when waiting); partial: some LBs failed; timeout: applied but sessions remained at the deadline. */
  outcome: z.enum(ACTION_OUTCOMES),
  message: z.string(),
  gate: gateVerdictSchema,
  /** The gate was overridden by typing the node's name. */
  forced: z.boolean(),
  lbs: z.array(lbActionResultSchema),
  /** Present when a wait was requested: sessions per LB when the wait ended. */
  wait: z
    .object({
      seconds: z.number(),
      drained: z.boolean(),
      sessions: z.record(z.string(), z.number().int().nullable()),
    })
    .nullable(),
  startedAt: z.number(),
  durationMs: z.number(),
  error: cdErrorSchema.nullable(),
});
export type ActionResult = z.infer<typeof actionResultSchema>;

/** Progress pushed while an action runs. */
export const actionProgressSchema = z.object({
  id: z.string(),
  cluster: z.string(),
  node: z.string(),
  action: nodeActionSchema,
  phase: z.enum(['connecting', 'reading', 'gate', 'applying', 'confirming', 'waiting', 'done']),
  lbs: z.record(z.string(), z.object({ phase: z.string(), status: z.string().nullable(), sessions: z.number().int().nullable() })),
  deadline: z.number().nullable(),
});
export type ActionProgress = z.infer<typeof actionProgressSchema>;
