import { z } from 'zod';
import { clusterSpecSchema } from './cluster';

/** One problem found while reading an inventory; always carries its file and line. */
export const inventoryProblemSchema = z.object({
  file: z.string(),
  /** 1-based; 0 when the problem is about the inventory as a whole. */
  line: z.number().int().min(0),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
});
export type InventoryProblem = z.infer<typeof inventoryProblemSchema>;

export const inventoryOptionsSchema = z.object({
  /** Cluster name to save under. */
  cluster: z.string().min(1),
  /** Group whose hosts are the nodes; default: every host that carries the server var. */
  nodesGroup: z.string().min(1).optional(),
  /** Group whose hosts are the load balancers. */
  lbGroup: z.string().min(1).default('lbservers'),
  backendVar: z.string().min(1).default('lb_backend'),
  serverVar: z.string().min(1).default('lb_server'),
});
export type InventoryOptions = z.infer<typeof inventoryOptionsSchema>;
export type InventoryOptionsInput = z.input<typeof inventoryOptionsSchema>;

/** What an import would create; `cluster` is absent when any error was found. */
export const inventoryPreviewSchema = z.object({
  file: z.string(),
  format: z.enum(['yaml', 'ini']),
  problems: z.array(inventoryProblemSchema),
  cluster: clusterSpecSchema.optional(),
  /** Files read besides the inventory itself (group_vars/, host_vars/). */
  filesRead: z.array(z.string()),
});
export type InventoryPreview = z.infer<typeof inventoryPreviewSchema>;
