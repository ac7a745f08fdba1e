import { z } from 'zod';

/**
 * Quorum arithmetic of an HA cluster, the table admins know from Raft-style clusters:
 * size 3 → majority 2, fault tolerance 1; size 4 → 3 and 1; size 5 → 3 and 2.
 */
export const quorumSchema = z.object({
  size: z.number().int(),
  majority: z.number().int(),
  faultTolerance: z.number().int(),
  /** Nodes serving or ready to serve now (active or standby). */
  healthy: z.number().int(),
  /** Healthy nodes beyond the majority: how many more may fail. */
  spare: z.number().int(),
  hasQuorum: z.boolean(),
});
export type Quorum = z.infer<typeof quorumSchema>;

export function majorityOf(size: number): number {
  return size <= 0 ? 0 : Math.floor(size / 2) + 1;
}

export function quorumOf(size: number, healthy: number): Quorum {
  const majority = majorityOf(size);
  return {
    size,
    majority,
    faultTolerance: Math.max(0, size - majority),
    healthy,
    spare: Math.max(0, healthy - majority),
    hasQuorum: size > 0 && healthy >= majority,
  };
}

/** "fails over after 3 s: 1 s × 3 heartbeats" */
export function failoverBudgetWords(intervalMs: number, heartbeats: number): string {
  const fmt = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000} s` : ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms} ms`);
  return `fails over after ${fmt(intervalMs * heartbeats)}: ${fmt(intervalMs)} × ${heartbeats} heartbeat${heartbeats === 1 ? '' : 's'}`;
}
