import { z } from 'zod';
import { nodeStateSchema } from './status';

/** [epoch ms, value] */
const point = z.tuple([z.number(), z.number()]);

/** What the charts draw: kept by the main process for the last hour, so a reload loses nothing. */
export const clusterMetricsSchema = z.object({
  cluster: z.string(),
  from: z.number(),
  to: z.number(),
  /** Heartbeat round trip per host (nodes and LBs), ms. */
  rtt: z.record(z.string(), z.array(point)),
  /** Per LB, per server: current sessions and request rate. */
  servers: z.array(
    z.object({
      lb: z.string(),
      server: z.string(),
      node: z.string(),
      sessions: z.array(point),
      reqRate: z.array(point),
    }),
  ),
  /** Merged state per node as bands: [from, to) in that state. */
  states: z.record(z.string(), z.array(z.object({ from: z.number(), to: z.number(), state: nodeStateSchema }))),
});
export type ClusterMetrics = z.infer<typeof clusterMetricsSchema>;
