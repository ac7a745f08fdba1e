import { NODE_STATES, type ClusterStatus, type LinkState, type LinkStatus, type LbStatus, type NodeState, type NodeStatus, type ServerStat } from '../../shared/domain/status';

/** The state vocabulary: one word per merged state, the same in badges, chips and legends. */
export const STATE_WORD: Record<NodeState, string> = {
  active: 'active',
  standby: 'standby',
  draining: 'draining',
  maintenance: 'maintenance',
  down: 'down',
  unreachable: 'unreachable',
  unknown: 'unknown',
};

export const stateRank = (s: NodeState): number => NODE_STATES.indexOf(s);

const LINK_WORD: Record<LinkState, string> = {
  idle: 'idle',
  connecting: 'connecting',
  up: 'up',
  unreachable: 'unreachable',
  'auth-failed': 'login refused',
  'host-key-unknown': 'key unknown',
  'host-key-changed': 'key CHANGED',
  closed: 'closed',
};
export const linkWord = (s: LinkState): string => LINK_WORD[s];

/** Link states that are a problem to show in red (connecting/idle are neutral). */
export const linkBad = (s: LinkState): boolean => s === 'unreachable' || s === 'auth-failed' || s === 'host-key-changed' || s === 'closed';

export function formatMs(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function formatUptime(sec: number | null): string {
  if (sec === null) return '—';
  if (sec < 120) return `${sec} s`;
  if (sec < 7200) return `${Math.round(sec / 60)} min`;
  if (sec < 172_800) return `${Math.round(sec / 3600)} h`;
  return `${Math.round(sec / 86_400)} d`;
}

/** "2/3 active" for the rail and the top bar. */
export function activeCount(s: ClusterStatus): string {
  return `${s.counts.active}/${s.counts.total} active`;
}

/** SSH links up over all hosts of the cluster: "5/5 links". */
export function linksUp(s: ClusterStatus): { up: number; total: number } {
  const all: LinkStatus[] = [...s.nodes.map((n) => n.link), ...s.lbs.map((l) => l.link)];
  return { up: all.filter((l) => l.state === 'up').length, total: all.length };
}

/** The chip's words: HAProxy's own status text, sessions, and the last check. */
export function chipParts(stat: ServerStat): { status: string; sessions: string; check: string; backup: boolean } {
  return {
    status: stat.status,
    sessions: `${stat.sessions} sess`,
    check: stat.checkStatus || (stat.lastCheck ? stat.lastCheck : ''),
    backup: stat.backup,
  };
}

// srv_admin_state bits, HAProxy src/server.h
const ADMIN_BITS: [number, string][] = [
  [0x01, 'forced maintenance'],
  [0x02, 'maintenance inherited from a tracked server'],
  [0x04, 'maintenance from the configuration'],
  [0x08, 'forced drain'],
  [0x10, 'drain inherited from a tracked server'],
  [0x20, 'maintenance: DNS resolution failed'],
  [0x40, 'maintenance: hostname unresolved'],
];

export function adminWords(adminState: number | null): string {
  if (adminState === null) return 'unknown';
  if (adminState === 0) return 'ready (0)';
  const words = ADMIN_BITS.filter(([b]) => adminState & b).map(([, w]) => w);
  return `${words.join(', ') || 'other'} (${adminState})`;
}

export function opWord(op: number | null): string {
  return op === null ? 'unknown' : (['stopped', 'starting', 'running', 'stopping'][op] ?? String(op));
}

/** One LB's runtime in a line: "HAProxy 2.6.12 · pid 2577 · up 3 h · read 0.6 ms", or why it can't be read. */
export function runtimeLine(lb: LbStatus): { ok: boolean; text: string } {
  const r = lb.runtime;
  if (!r.ok) return { ok: false, text: r.error ? r.error.message : 'not read yet' };
  const parts = [`HAProxy ${r.version ?? '?'}`, `pid ${r.pid ?? '?'}`, `up ${formatUptime(r.uptimeSec)}`];
  if (r.readMs !== null) parts.push(`read ${formatMs(r.readMs)}`);
  return { ok: true, text: parts.join(' · ') };
}

/**
 * The search box: every word must match something about the node (name, address, server, merged
 * state, role, or any LB's status text), so "drain lb1" or "node1" both narrow the table.
 */
export function filterNodes(nodes: NodeStatus[], query: string): NodeStatus[] {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return nodes;
  return nodes.filter((n) => {
    const hay = [n.node, n.address, n.server, n.backend, n.merged, n.role, ...n.perLb.map((v) => `${v.lb} ${v.stat?.status ?? ''}`)].join(' ').toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

/** Points for a sparkline polyline scaled into w×h (higher RTT drawn higher); '' with fewer than 2 values. */
export function sparkPoints(values: readonly number[], w: number, h: number): string {
  if (values.length < 2) return '';
  const max = Math.max(...values);
  const min = Math.min(...values);
  const span = max - min || 1;
  const step = w / (values.length - 1);
  return values.map((v, i) => `${(i * step).toFixed(1)},${(h - 1 - ((v - min) / span) * (h - 2)).toFixed(1)}`).join(' ');
}

/**
 * One LB's state word from HAProxy's status text, for when only the text is fresh (an action's
 * progress): the same reading the core applies (MAINT, DRAIN/NOLB, DOWN, else UP by role).
 */
export function stateOfStatus(status: string, backup: boolean): NodeState {
  const s = status.toUpperCase();
  if (s.startsWith('MAINT')) return 'maintenance';
  if (s.startsWith('DRAIN') || s.startsWith('NOLB')) return 'draining';
  if (s.startsWith('DOWN')) return 'down';
  if (s.startsWith('UP') || s.startsWith('NO CHECK')) return backup ? 'standby' : 'active';
  return 'unknown';
}

/** "14:03:22", 24-hour local time: on-call logs and HAProxy speak 24 h. */
export function clock(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour12: false });
}
