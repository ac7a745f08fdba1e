import { z } from 'zod';
import { clusterNameSchema, haproxyNameSchema, hostNameSchema } from './names';

/** How ClusterDeck reaches a host over SSH. Authentication: named key file, then ssh-agent, then ~/.ssh/id_*. */
export const sshEndpointSchema = z.object({
  host: z.string().min(1).max(253),
  port: z.number().int().min(1).max(65535).default(22),
  user: z.string().min(1).max(64),
  /** Private key file; when absent, ssh-agent and ~/.ssh/id_* are tried. */
  keyFile: z.string().min(1).optional(),
});
export type SshEndpoint = z.infer<typeof sshEndpointSchema>;

/** Where HAProxy's runtime API listens on an LB; always reached through that LB's SSH connection. */
export const haproxySocketSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('unix'), path: z.string().startsWith('/', 'must be an absolute path') }),
  z.object({ kind: z.literal('tcp'), host: z.string().min(1), port: z.number().int().min(1).max(65535) }),
]);
export type HaproxySocket = z.infer<typeof haproxySocketSchema>;

export const DEFAULT_HAPROXY_SOCKET: HaproxySocket = { kind: 'unix', path: '/run/haproxy/admin.sock' };

export const nodeSpecSchema = z.object({
  /** Inventory host name (Ansible's inventory_hostname). */
  name: hostNameSchema,
  ssh: sshEndpointSchema,
  /** HAProxy backend holding this node's server line. */
  backend: haproxyNameSchema,
  /** HAProxy server name of this node in that backend. */
  server: haproxyNameSchema,
});
export type NodeSpec = z.infer<typeof nodeSpecSchema>;

export const lbSpecSchema = z.object({
  name: hostNameSchema,
  ssh: sshEndpointSchema,
  socket: haproxySocketSchema,
});
export type LbSpec = z.infer<typeof lbSpecSchema>;

/** Heartbeat and safety settings; failover time = heartbeatIntervalMs × failoverHeartbeats. */
export const clusterSettingsSchema = z.object({
  heartbeatIntervalMs: z.number().int().min(100).max(60_000).default(1000),
  failoverHeartbeats: z.number().int().min(1).max(100).default(3),
  /** The gate refuses an action that leaves fewer UP active servers than this on any LB. */
  minActive: z.number().int().min(1).max(1000).default(1),
});
export type ClusterSettings = z.infer<typeof clusterSettingsSchema>;

export const DEFAULT_CLUSTER_SETTINGS: ClusterSettings = {
  heartbeatIntervalMs: 1000,
  failoverHeartbeats: 3,
  minActive: 1,
};

export const clusterSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('manual') }),
  z.object({
    kind: z.literal('ansible'),
    file: z.string(),
    importedAt: z.string(),
    options: z.record(z.string(), z.string()).optional(),
  }),
]);

export const clusterSpecSchema = z
  .object({
    name: clusterNameSchema,
    nodes: z.array(nodeSpecSchema).min(1, 'a cluster needs at least one node'),
    lbs: z.array(lbSpecSchema).min(1, 'a cluster needs at least one load balancer'),
    settings: clusterSettingsSchema.default(DEFAULT_CLUSTER_SETTINGS),
    source: clusterSourceSchema.default({ kind: 'manual' }),
  })
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    for (const [i, h] of [...c.nodes, ...c.lbs].entries()) {
      if (seen.has(h.name)) ctx.addIssue({ code: 'custom', message: `host name "${h.name}" is used twice`, path: ['hosts', i] });
      seen.add(h.name);
    }
    const servers = new Set<string>();
    for (const [i, n] of c.nodes.entries()) {
      const key = `${n.backend}/${n.server}`;
      if (servers.has(key)) ctx.addIssue({ code: 'custom', message: `server ${key} is claimed by two nodes`, path: ['nodes', i, 'server'] });
      servers.add(key);
    }
  });
export type ClusterSpec = z.infer<typeof clusterSpecSchema>;
export type ClusterSpecInput = z.input<typeof clusterSpecSchema>;
