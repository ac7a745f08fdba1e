import { z } from 'zod';
import { clusterSettingsSchema } from '../domain/cluster';
import { configChangeResultSchema } from '../domain/config-change';
import { clusterMetricsSchema } from '../domain/metrics';
import { clusterNameSchema } from '../domain/names';
import { method } from '../rpc/define';

const ms = 1000;

export const rolesSchema = z.object({ active: z.array(z.string()), standby: z.array(z.string()) });

export const failoverViewSchema = z.object({
  settings: clusterSettingsSchema,
  roles: rolesSchema,
  failoverMs: z.number(),
  /** "fails over after 3 s: 1 s × 3 heartbeats" */
  budget: z.string(),
});

export const failoverPreviewSchema = failoverViewSchema.extend({
  /** Per LB: the diff of its haproxy.cfg and whether HAProxy accepts the new file (haproxy -c on that LB). */
  targets: z.array(
    z.object({
      target: z.string(),
      path: z.string(),
      diff: z.string(),
      changed: z.boolean(),
      valid: z.boolean().nullable(),
      message: z.string(),
    }),
  ),
});

export const failoverMethods = {
  'failover.get': method({
    doc: "Returns a cluster's heartbeat and failover settings, which nodes are active and standby, and the failover budget.",
    params: z.object({ cluster: clusterNameSchema }).strict(),
    result: failoverViewSchema,
    timeoutMs: 10 * ms,
  }),
  'failover.preview': method({
    doc: "Shows what new failover settings would change in each LB's haproxy.cfg, validated on that LB; changes nothing.",
    params: z.object({ cluster: clusterNameSchema, settings: clusterSettingsSchema }).strict(),
    result: failoverPreviewSchema,
    timeoutMs: 60 * ms,
  }),
  'failover.apply': method({
    doc: 'Writes the settings into every LB (validate, replace with a backup, reload keeping runtime state, verify), or changes nothing anywhere.',
    params: z.object({ cluster: clusterNameSchema, settings: clusterSettingsSchema }).strict(),
    result: z.object({ result: configChangeResultSchema, settings: clusterSettingsSchema }),
    timeoutMs: null,
  }),
  'metrics.get': method({
    doc: 'Returns the recent history the charts draw (RTT per host, sessions and request rate per server per LB, state bands per node).',
    params: z.object({ cluster: clusterNameSchema, windowSec: z.number().int().min(10).max(3600).default(300) }).strict(),
    result: clusterMetricsSchema,
    timeoutMs: 15 * ms,
  }),
};
