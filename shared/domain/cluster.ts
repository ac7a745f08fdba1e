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
  /** HAProxy's configuration file on this LB (Debian's by default). */
  configPath: z.string().startsWith('/', 'must be an absolute path').default('/etc/haproxy/haproxy.cfg'),
  /** The master CLI socket (master-worker mode) used to reload; Debian's unit passes -S /run/haproxy-master.sock. */
  masterSocket: z.string().startsWith('/', 'must be an absolute path').default('/run/haproxy-master.sock'),
  /** Run instead of the master CLI's reload when given, e.g. "systemctl reload haproxy". */
  reloadCommand: z.string().min(1).max(500).optional(),
});
export type LbSpec = z.infer<typeof lbSpecSchema>;

/**
 * The SSH connect deadline: from dialling to authenticated. A handshake takes about seven round
 * trips (TCP, banners, key exchange, new keys, service request, publickey query and signature), so
 * 20 s still connects over a 1 s round trip (a far data centre, a VPN, a satellite link) with room
 * for a second authentication method; a host that is down is still reported within a minute.
 */
export const CONNECT_TIMEOUT_DEFAULT_MS = 20_000;
export const CONNECT_TIMEOUT_MIN_MS = 1_000;
export const CONNECT_TIMEOUT_MAX_MS = 120_000;

const ipv4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/**
 * Heartbeat, failover and safety settings; failover time = heartbeatIntervalMs × failoverHeartbeats.
 * They become the backend's `check inter/fall/rise` and `backup` flags on every LB, and drive
 * ClusterDeck's own SSH heartbeat.
 */
export const clusterSettingsSchema = z.object({
  heartbeatIntervalMs: z.number().int('must be a whole number of milliseconds').min(100, 'must be at least 100 ms').max(60_000, 'must be at most 60 s').default(1000),
  failoverHeartbeats: z.number().int('must be a whole number').min(1, 'must be at least 1').max(100, 'must be at most 100').default(3),
  /** Consecutive passed checks before a server is UP again (HAProxy's rise). */
  riseCount: z.number().int('must be a whole number').min(1, 'must be at least 1').max(100, 'must be at most 100').default(2),
  /** Servers taking traffic; the others are backup (standby). Null: every node not listed as standby. */
  activeNodes: z.number().int('must be a whole number').min(1, 'must be at least 1').max(1000).nullable().default(null),
  /** Nodes that are HAProxy `backup` servers. */
  standbyNodes: z.array(hostNameSchema).max(1000).default([]),
  /** The gate refuses an action that leaves fewer UP active servers than this on any LB. */
  minActive: z.number().int().min(1).max(1000).default(1),
  /** The cluster's virtual IP, if it has one; ClusterDeck reports which LB holds it. */
  vip: z.string().regex(ipv4, 'must be an IPv4 address').nullable().default(null),
  /** How long ClusterDeck waits for an SSH connection to be up (not an HAProxy setting); see CONNECT_TIMEOUT_DEFAULT_MS. */
  connectTimeoutMs: z
    .number()
    .int('must be a whole number of milliseconds')
    .min(CONNECT_TIMEOUT_MIN_MS, `must be at least ${CONNECT_TIMEOUT_MIN_MS / 1000} s`)
    .max(CONNECT_TIMEOUT_MAX_MS, `must be at most ${CONNECT_TIMEOUT_MAX_MS / 1000} s`)
    .default(CONNECT_TIMEOUT_DEFAULT_MS),
});
export type ClusterSettings = z.infer<typeof clusterSettingsSchema>;
export type ClusterSettingsInput = z.input<typeof clusterSettingsSchema>;

export const DEFAULT_CLUSTER_SETTINGS: ClusterSettings = {
  heartbeatIntervalMs: 1000,
  failoverHeartbeats: 3,
  riseCount: 2,
  activeNodes: null,
  standbyNodes: [],
  minActive: 1,
  vip: null,
  connectTimeoutMs: CONNECT_TIMEOUT_DEFAULT_MS,
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
    for (const [i, n] of c.settings.standbyNodes.entries()) {
      if (!c.nodes.some((x) => x.name === n)) ctx.addIssue({ code: 'custom', message: `standby node "${n}" is not a node of this cluster`, path: ['settings', 'standbyNodes', i] });
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
