import { z } from 'zod';
import { actionResultSchema, gateVerdictSchema, nodeActionSchema } from '../domain/action';
import { auditEntrySchema } from '../domain/audit';
import { hostKeySchema, pendingHostKeySchema, pinnedHostKeySchema } from '../domain/host-keys';
import { clusterNameSchema, hostNameSchema } from '../domain/names';
import { clusterStatusSchema, linkStatusSchema } from '../domain/status';
import { method } from '../rpc/define';

const ms = 1000;

export const operationMethods = {
  'app.info': method({
    doc: "Tells where this core keeps its data and which known_hosts files it trusts.",
    params: z.object({}).strict(),
    result: z.object({
      version: z.string(),
      dataDir: z.string(),
      knownHostsFile: z.string(),
      extraKnownHosts: z.array(z.string()),
    }),
    timeoutMs: 5 * ms,
  }),
  'status.get': method({
    doc: "Reads every LB of a cluster now and returns each node's per-LB and merged state, with every SSH link.",
    params: z.object({ cluster: clusterNameSchema }).strict(),
    result: clusterStatusSchema,
    timeoutMs: 60 * ms,
  }),
  'status.watch': method({
    doc: 'Keeps the cluster\'s links up and pushes status.changed whenever a heartbeat or LB read changes something.',
    params: z.object({ cluster: clusterNameSchema }).strict(),
    result: clusterStatusSchema,
    timeoutMs: 60 * ms,
  }),
  'status.unwatch': method({
    doc: 'Stops the live watch started by status.watch for this caller.',
    params: z.object({ cluster: clusterNameSchema }).strict(),
    result: z.object({ watching: z.boolean() }),
    timeoutMs: 10 * ms,
  }),
  'links.list': method({
    doc: 'Lists the SSH links this core holds, with state and heartbeat round trip.',
    params: z.object({ cluster: clusterNameSchema.optional() }).strict(),
    result: z.array(linkStatusSchema),
    timeoutMs: 5 * ms,
  }),
  'links.retry': method({
    doc: 'Reconnects the SSH links of a cluster now, including links held after a refused host key or failed login.',
    params: z.object({ cluster: clusterNameSchema }).strict(),
    result: z.array(linkStatusSchema),
    timeoutMs: 30 * ms,
  }),
  'nodes.preview': method({
    doc: "Reads the LBs and says what an action would do to a node: the gate's verdict and a one-line consequence.",
    params: z.object({ cluster: clusterNameSchema, node: hostNameSchema, action: nodeActionSchema }).strict(),
    result: z.object({ gate: gateVerdictSchema, consequence: z.string(), sessions: z.record(z.string(), z.number().int().nullable()) }),
    timeoutMs: 30 * ms,
  }),
  'nodes.act': method({
    doc: 'Drains, puts in maintenance or readies a node on every LB in parallel, behind the safety gate, confirmed by re-reading each LB.',
    params: z
      .object({
        cluster: clusterNameSchema,
        node: hostNameSchema,
        action: nodeActionSchema,
        /** Wait up to this long for the node's sessions to reach 0 on every LB. */
        waitSeconds: z.number().positive().max(86_400).optional(),
        /** The node's name typed again, to override the gate. */
        forceGate: z.string().optional(),
        /** Only these LBs (a retry of the ones that failed). */
        lbs: z.array(hostNameSchema).min(1).optional(),
      })
      .strict(),
    result: actionResultSchema,
    timeoutMs: null,
  }),
  'hostKeys.list': method({
    doc: 'Lists the pinned host keys: ClusterDeck\'s own file and the read-only files the admin trusts.',
    params: z.object({}).strict(),
    result: z.array(pinnedHostKeySchema),
    timeoutMs: 5 * ms,
  }),
  'hostKeys.pending': method({
    doc: 'Lists host keys seen but not trusted: unknown ones awaiting a decision, changed and revoked ones that were refused.',
    params: z.object({}).strict(),
    result: z.array(pendingHostKeySchema),
    timeoutMs: 5 * ms,
  }),
  'hostKeys.accept': method({
    doc: 'Trusts an unknown host key by its SHA256 fingerprint (pins it now if seen, else when a host presents it); never a changed key.',
    params: z
      .object({
        fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'must look like SHA256: followed by 43 base64 characters'),
        host: z.string().min(1).optional(),
        port: z.number().int().min(1).max(65535).optional(),
      })
      .strict(),
    result: z.object({ pinned: hostKeySchema.nullable(), preapproved: z.boolean() }),
    timeoutMs: 10 * ms,
  }),
  'hostKeys.forget': method({
    doc: "Removes a host's pins from ClusterDeck's own known_hosts (the admin's way to accept a legitimately rotated key).",
    params: z.object({ host: z.string().min(1), port: z.number().int().min(1).max(65535).default(22) }).strict(),
    result: z.object({ removed: z.number().int() }),
    timeoutMs: 10 * ms,
  }),
  'audit.list': method({
    doc: "Returns a cluster's audit log, newest first, optionally for one node.",
    params: z
      .object({
        cluster: clusterNameSchema,
        node: hostNameSchema.optional(),
        limit: z.number().int().min(1).max(10_000).default(200),
      })
      .strict(),
    result: z.object({ entries: z.array(auditEntrySchema), skippedLines: z.number().int() }),
    timeoutMs: 15 * ms,
  }),
};
