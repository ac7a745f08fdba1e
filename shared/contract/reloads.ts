import { z } from 'zod';
import { clusterNameSchema, hostNameSchema } from '../domain/names';
import { outsideReloadSchema } from '../domain/reloads';
import { method } from '../rpc/define';

const ms = 1000;

/** Reloads and restarts of an LB's HAProxy that ClusterDeck did not do (its own are known from the intent journal). */
export const reloadsMethods = {
  'reloads.list': method({
    doc: 'Lists the outside reloads of a cluster\'s LBs not yet acknowledged, each with the server states it changed.',
    params: z.object({ cluster: clusterNameSchema }).strict(),
    result: z.object({ reloads: z.array(outsideReloadSchema) }),
    timeoutMs: 10 * ms,
  }),
  'reloads.acknowledge': method({
    doc: 'Marks the outside reload of one LB (or of every LB) as seen, so it is no longer shown; the audit log keeps it.',
    params: z.object({ cluster: clusterNameSchema, lb: hostNameSchema.optional() }).strict(),
    result: z.object({ acknowledged: z.number().int() }),
    timeoutMs: 10 * ms,
  }),
};
