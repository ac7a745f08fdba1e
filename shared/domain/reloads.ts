import { z } from 'zod';

/**
 * A load balancer's HAProxy worker replaced by someone other than ClusterDeck (a seamless reload
 * with -sf/-x, a `systemctl reload`, a restart). Runtime changes (drain, maint, weights) survive only
 * when the server states were saved and loaded again, so ClusterDeck says what changed.
 */
export const outsideReloadSchema = z.object({
  lb: z.string(),
  /** Epoch ms the new worker started (its uptime counted back from when it was seen). */
  at: z.number(),
  /** Epoch ms ClusterDeck noticed it. */
  detectedAt: z.number(),
  /** The worker ClusterDeck saw before; null when it had never seen one. */
  oldPid: z.number().int().nullable(),
  newPid: z.number().int(),
  /** Servers whose status the reload changed, as HAProxy reported them before and after. */
  changed: z.array(
    z.object({
      backend: z.string(),
      server: z.string(),
      /** The cluster's node behind this server, when there is one. */
      node: z.string().nullable(),
      was: z.string(),
      now: z.string(),
    }),
  ),
  /** "lb1 was reloaded outside ClusterDeck at 10:42:03 (pid 3781 → 6467); runtime state may have been lost: node1 was DRAIN, is now UP" */
  message: z.string(),
});
export type OutsideReload = z.infer<typeof outsideReloadSchema>;

/** The level of an HAProxy CLI session (`show cli level`): only admin may change server states. */
export const CLI_LEVELS = ['user', 'operator', 'admin'] as const;
export const cliLevelSchema = z.enum(CLI_LEVELS);
export type CliLevel = z.infer<typeof cliLevelSchema>;
