import { z } from 'zod';
import { nodeSyncSchema } from './managed-files';
import { cdErrorSchema } from '../errors';
import { quorumSchema } from './quorum';
import { adminStateSchema } from './admin-state';
import { cliLevelSchema, outsideReloadSchema } from './reloads';

/** Merged node states, best to worst; the order is the "worst across LBs" order. */
export const NODE_STATES = ['active', 'standby', 'draining', 'maintenance', 'down', 'unreachable', 'unknown'] as const;
export const nodeStateSchema = z.enum(NODE_STATES);
export type NodeState = z.infer<typeof nodeStateSchema>;

export const LINK_STATES = [
  'idle',
  'connecting',
  'up',
  'unreachable',
  'auth-failed',
  'host-key-unknown',
  'host-key-changed',
  'closed',
] as const;
export const linkStateSchema = z.enum(LINK_STATES);
export type LinkState = z.infer<typeof linkStateSchema>;

/** One SSH link (one persistent connection per host). */
export const linkStatusSchema = z.object({
  /** Inventory name of the host. */
  host: z.string(),
  role: z.enum(['node', 'lb']),
  /** user@address:port */
  target: z.string(),
  state: linkStateSchema,
  /** Last heartbeat round trip, ms. */
  rttMs: z.number().nullable(),
  /** The most recent round trips, oldest first (at most 60), for sparklines. */
  recentRttMs: z.array(z.number()).max(60),
  /** Consecutive heartbeats without reply. */
  missedBeats: z.number().int(),
  /** Epoch ms of the last state change. */
  since: z.number(),
  lastError: cdErrorSchema.nullable(),
});
export type LinkStatus = z.infer<typeof linkStatusSchema>;

/** A server line of `show stat` merged with `show servers state`, exactly as one LB reports it. */
export const serverStatSchema = z.object({
  backend: z.string(),
  server: z.string(),
  /** HAProxy's status text verbatim: UP, DOWN, DRAIN, MAINT, NOLB, "UP 1/3", "no check"... */
  status: z.string(),
  /** act=1 (active) or bck=1 (backup). */
  backup: z.boolean(),
  weight: z.number().nullable(),
  sessions: z.number().int(),
  /** New sessions per second over the last second (rate), null when not reported. */
  sessionRate: z.number().nullable(),
  /** HTTP requests served so far (req_tot; per-server rates come from its deltas). */
  reqTotal: z.number().nullable(),
  /** check_status (L7OK, L4CON...), '' when not checked; a '* ' prefix (check running) is removed. */
  checkStatus: z.string(),
  /** check_desc, e.g. "Layer7 check passed". */
  checkDesc: z.string(),
  /** last_chk: the last check's detail, e.g. "HTTP status 200" or "Connection refused". */
  lastCheck: z.string(),
  /** Seconds since the last UP<->DOWN change. */
  lastChangeSec: z.number().nullable(),
  checkRise: z.number().nullable(),
  checkFall: z.number().nullable(),
  addr: z.string(),
  /** srv_admin_state bitmask from `show servers state` (0x01 FMAINT, 0x08 FDRAIN, ...), null if unknown. */
  adminState: z.number().int().nullable(),
  /** srv_op_state: 0 stopped, 1 starting, 2 running, 3 stopping; null if unknown. */
  opState: z.number().int().nullable(),
  /** check inter in ms from `show servers state` (srv_check_inter isn't in 2.6's dump; null then). */
  checkInterMs: z.number().nullable(),
});
export type ServerStat = z.infer<typeof serverStatSchema>;

/** What one LB says about one node. */
export const lbNodeViewSchema = z.object({
  lb: z.string(),
  /** Absent when the LB could not be read or has no such server. */
  stat: serverStatSchema.nullable(),
  /** This LB's opinion in merged-state vocabulary. */
  state: nodeStateSchema,
  /** What was asked of the server on this LB (drain, maint, ready), whatever its checks say; null if unknown. */
  admin: adminStateSchema.nullable(),
  /** Epoch ms this LB was asked (its answer is at least this old): how old this view is. Null when it never answered. */
  at: z.number().nullable(),
  error: cdErrorSchema.nullable(),
});
export type LbNodeView = z.infer<typeof lbNodeViewSchema>;

export const nodeStatusSchema = z.object({
  node: z.string(),
  address: z.string(),
  backend: z.string(),
  server: z.string(),
  perLb: z.array(lbNodeViewSchema),
  merged: nodeStateSchema,
  /** One line explaining the merged state, e.g. "DOWN on lb1 for 12 s: L4CON". */
  reason: z.string(),
  /** LBs disagree about this server (state, backup flag); `disagreement` says how. */
  disagree: z.boolean(),
  disagreement: z.string().nullable(),
  role: z.enum(['active', 'standby']),
  link: linkStatusSchema,
  /** Counts toward the quorum's healthy nodes (active or standby now). */
  healthy: z.boolean(),
  /** The worst of this node's managed files (null: none managed, or not checked yet). */
  sync: nodeSyncSchema.nullable(),
  /** The strictest admin state across the LBs (a DOWN server may still be drained). */
  admin: adminStateSchema.nullable(),
  /** Epoch ms of the oldest LB answer behind this row: the state is as of then. */
  asOf: z.number().nullable(),
});
export type NodeStatus = z.infer<typeof nodeStatusSchema>;

export const lbRuntimeSchema = z.object({
  ok: z.boolean(),
  version: z.string().nullable(),
  pid: z.number().int().nullable(),
  uptimeSec: z.number().nullable(),
  /** Round trip of the last runtime read, ms. */
  readMs: z.number().nullable(),
  /** Epoch ms this LB's last answer was asked for (the data is at least this old); null when it never answered. */
  readAt: z.number().nullable(),
  /** Epoch ms the current worker started. */
  startedAt: z.number().nullable(),
  /** The runtime socket's level (`show cli level`); actions need admin. Null until probed. */
  level: cliLevelSchema.nullable(),
  error: cdErrorSchema.nullable(),
});

/** Something about an LB's runtime socket the admin must fix (it blocks actions, or exposes the LB). */
export const lbWarningSchema = z.object({
  code: z.enum(['socket-level', 'socket-exposed']),
  message: z.string(),
  /** What to change, in words. */
  fix: z.string(),
});
export type LbWarning = z.infer<typeof lbWarningSchema>;

export const lbStatusSchema = z.object({
  lb: z.string(),
  address: z.string(),
  socket: z.string(),
  link: linkStatusSchema,
  runtime: lbRuntimeSchema,
  /** Backend status lines (UP/DOWN) keyed by backend name. */
  backends: z.record(z.string(), z.string()),
  warnings: z.array(lbWarningSchema),
  /** The last reload or restart of this LB that ClusterDeck did not do, until acknowledged. */
  reload: outsideReloadSchema.nullable(),
});
export type LbStatus = z.infer<typeof lbStatusSchema>;

export const clusterStatusSchema = z.object({
  cluster: z.string(),
  /** Epoch ms when this snapshot was taken. */
  at: z.number(),
  nodes: z.array(nodeStatusSchema),
  lbs: z.array(lbStatusSchema),
  /** Worst merged state across nodes. */
  worst: nodeStateSchema,
  counts: z.object({ active: z.number().int(), standby: z.number().int(), total: z.number().int() }),
  quorum: quorumSchema,
  /** Which LB holds the cluster's virtual IP, when the cluster names one. */
  vip: z
    .object({
      address: z.string(),
      /** LBs that have the address now: exactly one is right; none or two is a problem. */
      holders: z.array(z.string()),
      checkedAt: z.number().nullable(),
      error: z.string().nullable(),
    })
    .nullable(),
  /** Whether drain/maint/ready may be sent to this cluster now, and if not why (a socket below level admin). */
  actions: z.object({ allowed: z.boolean(), reason: z.string().nullable() }),
  /** Multi-step changes on this cluster's hosts from the intent journal: under way, or stopped part-way by a crash. */
  changes: z.object({ running: z.number().int(), interrupted: z.number().int() }),
});
export type ClusterStatus = z.infer<typeof clusterStatusSchema>;
