import { z } from 'zod';
import { cdErrorSchema } from '../errors';

/**
 * The one path every configuration change takes on a host (failover settings into haproxy.cfg on
 * each LB now, managed files later): read, stage a temp file beside the target, validate it there,
 * back up, rename atomically, fsync, reload, verify, and restore the backup if anything after the
 * rename fails.
 */
export const CONFIG_STEPS = ['read', 'stage', 'validate', 'backup', 'replace', 'reload', 'verify', 'restore', 'cleanup'] as const;

export const configStepSchema = z.object({
  step: z.enum(CONFIG_STEPS),
  ok: z.boolean(),
  /** What happened, in words: the validator's output, the reload's old and new worker pid... */
  detail: z.string(),
  ms: z.number(),
});
export type ConfigStep = z.infer<typeof configStepSchema>;

export const TARGET_OUTCOMES = ['applied', 'unchanged', 'refused', 'failed', 'restored', 'not-touched'] as const;

export const configTargetResultSchema = z.object({
  /** Inventory name of the host. */
  target: z.string(),
  path: z.string(),
  /** Unified diff, current → new ('' when unchanged). */
  diff: z.string(),
  changed: z.boolean(),
  /** applied; unchanged (nothing to do); refused (validation failed: nothing written); failed; restored (changed, failed, put back); not-touched. */
  outcome: z.enum(TARGET_OUTCOMES),
  steps: z.array(configStepSchema),
  /** Path of the backup kept on the host, when one was made. */
  backup: z.string().nullable(),
  error: cdErrorSchema.nullable(),
});
export type ConfigTargetResult = z.infer<typeof configTargetResultSchema>;

export const configChangeResultSchema = z.object({
  id: z.string(),
  cluster: z.string(),
  kind: z.enum(['failover-settings', 'managed-file']),
  /** ok: applied everywhere; unchanged; refused: validation failed somewhere, nothing changed anywhere; rolled-back; failed. */
  outcome: z.enum(['ok', 'unchanged', 'refused', 'rolled-back', 'failed']),
  message: z.string(),
  targets: z.array(configTargetResultSchema),
  startedAt: z.number(),
  durationMs: z.number(),
});
export type ConfigChangeResult = z.infer<typeof configChangeResultSchema>;

export const configProgressSchema = z.object({
  id: z.string(),
  cluster: z.string(),
  target: z.string(),
  step: z.enum(CONFIG_STEPS),
  ok: z.boolean(),
  detail: z.string(),
});
export type ConfigProgress = z.infer<typeof configProgressSchema>;
