import { z } from 'zod';
import { clusterSpecSchema } from '../domain/cluster';
import { clusterNameSchema } from '../domain/names';
import { inventoryOptionsSchema, inventoryPreviewSchema } from '../domain/inventory';
import { method } from '../rpc/define';

export const clusterSummarySchema = z.object({
  name: z.string(),
  nodes: z.number().int(),
  lbs: z.number().int(),
  source: z.enum(['manual', 'ansible']),
});

/** An inventory is read from a path on the machine running the core, or handed over as text (no group_vars/ then). */
export const inventorySourceSchema = z.union([
  z.object({ path: z.string().min(1) }),
  z.object({ content: z.string().max(5_000_000), name: z.string().min(1).max(255) }),
]);

const ms = 1000;

export const clusterMethods = {
  'clusters.list': method({
    doc: 'Lists the saved clusters with their node and LB counts.',
    params: z.object({}).strict(),
    result: z.array(clusterSummarySchema),
    timeoutMs: 10 * ms,
  }),
  'clusters.get': method({
    doc: 'Returns one saved cluster definition.',
    params: z.object({ name: clusterNameSchema }).strict(),
    result: clusterSpecSchema,
    timeoutMs: 10 * ms,
  }),
  'clusters.save': method({
    doc: "Creates a cluster by hand ('create' refuses an existing name) or replaces its definition ('replace').",
    params: z.object({ cluster: clusterSpecSchema, mode: z.enum(['create', 'replace']) }).strict(),
    result: clusterSpecSchema,
    timeoutMs: 15 * ms,
  }),
  'clusters.remove': method({
    doc: 'Deletes a cluster definition; its audit log is kept.',
    params: z.object({ name: clusterNameSchema }).strict(),
    result: z.object({ removed: z.boolean() }),
    timeoutMs: 15 * ms,
  }),
  'inventory.preview': method({
    doc: 'Reads an Ansible inventory (YAML or INI) and shows what it would import, with every problem and its line; saves nothing.',
    params: z.object({ source: inventorySourceSchema, options: inventoryOptionsSchema }).strict(),
    result: inventoryPreviewSchema,
    timeoutMs: 30 * ms,
  }),
  'inventory.import': method({
    doc: 'Imports an Ansible inventory as a cluster; a file with any error imports nothing.',
    params: z.object({ source: inventorySourceSchema, options: inventoryOptionsSchema, replace: z.boolean().default(false) }).strict(),
    result: z.object({ cluster: clusterSpecSchema, preview: inventoryPreviewSchema }),
    timeoutMs: 30 * ms,
  }),
};
