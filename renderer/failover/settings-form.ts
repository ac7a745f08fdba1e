import { CONNECT_TIMEOUT_MAX_MS, CONNECT_TIMEOUT_MIN_MS, type ClusterSettings } from '../../shared/domain/cluster';
import { formatDuration } from '../frame/budget';

/**
 * The Failover settings form, as text the admin types, and everything that checks and explains it.
 * Pure: the form component and the unit tests share it. The core checks the same values again
 * through the contract's schema (clusterSettingsSchema); the limits here are that schema's.
 */
export interface FailoverDraft {
  /** "500ms", "1s", "1.5 s", or plain milliseconds "500". */
  interval: string;
  heartbeats: string;
  rise: string;
  active: string;
  /** Standby nodes, in inventory order. */
  standby: string[];
  minActive: string;
  /** '' = no VIP. */
  vip: string;
  /** How long an SSH connection may take to come up: "20s", "45 s". */
  connectTimeout: string;
}

export const FAILOVER_FIELDS = ['interval', 'heartbeats', 'rise', 'active', 'standby', 'minActive', 'vip', 'connectTimeout'] as const;
export type FailoverField = (typeof FAILOVER_FIELDS)[number];
export type FailoverErrors = Partial<Record<FailoverField, string>>;

export const INTERVAL_MIN_MS = 100;
export const INTERVAL_MAX_MS = 60_000;
export const COUNT_MAX = 100;

type Parsed = { ok: true; value: number } | { ok: false; error: string };

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|msec|milliseconds?|s|sec|secs|seconds?)?$/;

/** A non-empty duration in whole milliseconds, any size; the callers word the bounds. */
function durationMs(t: string): Parsed {
  if (/^-/.test(t)) return { ok: false, error: 'cannot be negative' };
  const m = DURATION.exec(t);
  if (!m) {
    if (/^\d+,\d+/.test(t)) return { ok: false, error: 'write decimals with a dot: 1.5s' };
    return { ok: false, error: 'not a duration: write it like 500ms, 1s or 1.5s' };
  }
  const n = Number(m[1]);
  const unit = m[2] ?? 'ms';
  const ms = unit.startsWith('s') ? n * 1000 : n;
  if (!Number.isFinite(ms)) return { ok: false, error: 'not a duration: write it like 500ms, 1s or 1.5s' };
  // Float noise (1.1 s → 1100.0000000000002) is not a fraction the admin typed.
  const rounded = Math.round(ms * 1000) / 1000;
  if (!Number.isInteger(rounded)) return { ok: false, error: 'must be a whole number of milliseconds' };
  return { ok: true, value: rounded };
}

/**
 * A heartbeat interval as admins write it: "500ms", "500 ms", "1s", "1.5s", or plain milliseconds.
 * Refused, with the reason: empty, negative, zero, not a duration ("2s5", "fast"), fractions of a
 * millisecond, and values outside 100 ms to 60 s.
 */
export function parseInterval(raw: string): Parsed {
  const t = raw.trim().toLowerCase();
  if (t === '') return { ok: false, error: 'required: how often each node is checked, e.g. 1s' };
  const d = durationMs(t);
  if (!d.ok) return d;
  const rounded = d.value;
  if (rounded === 0) return { ok: false, error: `0 is not an interval: at least ${INTERVAL_MIN_MS} ms` };
  if (rounded < INTERVAL_MIN_MS) return { ok: false, error: `must be at least ${INTERVAL_MIN_MS} ms` };
  if (rounded > INTERVAL_MAX_MS) return { ok: false, error: `must be at most ${INTERVAL_MAX_MS / 1000} s` };
  return { ok: true, value: rounded };
}

/**
 * The connect deadline, written like the interval ("20s", "45 s", "90000"): 1 s to 120 s, the
 * contract's bounds. It is ClusterDeck's own setting: HAProxy is not told.
 */
export function parseConnectTimeout(raw: string): Parsed {
  const t = raw.trim().toLowerCase();
  if (t === '') return { ok: false, error: 'required: how long an SSH connection may take to come up, e.g. 20s' };
  const d = durationMs(t);
  if (!d.ok) return d;
  if (d.value < CONNECT_TIMEOUT_MIN_MS) return { ok: false, error: `must be at least ${CONNECT_TIMEOUT_MIN_MS / 1000} s` };
  if (d.value > CONNECT_TIMEOUT_MAX_MS) return { ok: false, error: `must be at most ${CONNECT_TIMEOUT_MAX_MS / 1000} s` };
  return d;
}

/** A whole number in [min, max]; `what` words the upper bound's reason when given. */
export function parseCount(raw: string, min: number, max: number, tooMany?: string): Parsed {
  const t = raw.trim();
  if (t === '') return { ok: false, error: 'required' };
  if (/^-\s*\d/.test(t)) return { ok: false, error: 'cannot be negative' };
  if (/^\d+[.,]\d+$/.test(t)) return { ok: false, error: 'must be a whole number' };
  if (!/^\d+$/.test(t)) return { ok: false, error: 'must be a number' };
  const n = Number(t);
  if (n < min) return { ok: false, error: `must be at least ${min}` };
  if (n > max) return { ok: false, error: tooMany ?? `must be at most ${max}` };
  return { ok: true, value: n };
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

export function parseVip(raw: string): { ok: true; value: string | null } | { ok: false; error: string } {
  const t = raw.trim();
  if (t === '') return { ok: true, value: null };
  if (!IPV4.test(t)) return { ok: false, error: 'not an IPv4 address (like 10.0.0.100); leave empty for no VIP' };
  return { ok: true, value: t };
}

/** 500 → "500ms", 1000 → "1s", 1500 → "1.5s": what the form shows for a saved interval. */
export function intervalText(ms: number): string {
  return ms % 1000 === 0 || ms > 1000 ? `${ms / 1000}s` : `${ms}ms`;
}

export function draftFromSettings(s: ClusterSettings, nodes: readonly string[]): FailoverDraft {
  const standby = nodes.filter((n) => s.standbyNodes.includes(n));
  return {
    interval: intervalText(s.heartbeatIntervalMs),
    heartbeats: String(s.failoverHeartbeats),
    rise: String(s.riseCount),
    active: String(s.activeNodes ?? nodes.length - standby.length),
    standby,
    minActive: String(s.minActive),
    vip: s.vip ?? '',
    connectTimeout: intervalText(s.connectTimeoutMs),
  };
}

/**
 * A new number of active nodes; the standby checkboxes follow: nodes already standby stay standby
 * as far as the count allows (the last ones in inventory order first), and new standbys are taken
 * from the end of the inventory, so "2 active" on node1..node3 makes node3 the standby.
 */
export function setActiveCount(d: FailoverDraft, raw: string, nodes: readonly string[]): FailoverDraft {
  const p = parseCount(raw, 1, nodes.length);
  if (!p.ok) return { ...d, active: raw };
  const want = nodes.length - p.value;
  let standby = nodes.filter((n) => d.standby.includes(n));
  if (standby.length > want) standby = standby.slice(standby.length - want);
  for (let i = nodes.length - 1; standby.length < want && i >= 0; i--) {
    const n = nodes[i]!;
    if (!standby.includes(n)) standby = nodes.filter((x) => x === n || standby.includes(x));
  }
  return { ...d, active: raw, standby };
}

/** A standby checkbox; the number of active nodes follows. */
export function toggleStandby(d: FailoverDraft, node: string, on: boolean, nodes: readonly string[]): FailoverDraft {
  const standby = nodes.filter((n) => (n === node ? on : d.standby.includes(n)));
  return { ...d, standby, active: String(nodes.length - standby.length) };
}

/** Why a standby checkbox can't be ticked (it would leave no active node), or null. */
export function standbyBlocked(d: FailoverDraft, node: string, nodes: readonly string[]): string | null {
  if (d.standby.includes(node)) return null;
  return d.standby.length + 1 >= nodes.length ? `${node} is the last active node: at least one node must take traffic` : null;
}

/**
 * Checks the whole form and builds the settings to send. Every refusal is keyed by its field and
 * says why; the settings are null while anything is wrong.
 */
export function validateFailoverDraft(d: FailoverDraft, nodes: readonly string[]): { settings: ClusterSettings | null; errors: FailoverErrors } {
  const errors: FailoverErrors = {};
  const interval = parseInterval(d.interval);
  if (!interval.ok) errors.interval = interval.error;
  const beats = parseCount(d.heartbeats, 1, COUNT_MAX);
  if (!beats.ok) errors.heartbeats = beats.error;
  const rise = parseCount(d.rise, 1, COUNT_MAX);
  if (!rise.ok) errors.rise = rise.error;
  const active = parseCount(d.active, 1, nodes.length, `the cluster has only ${nodes.length} node${nodes.length === 1 ? '' : 's'}`);
  if (!active.ok) errors.active = active.error;
  const standby = nodes.filter((n) => d.standby.includes(n));
  const strangers = d.standby.filter((n) => !nodes.includes(n));
  if (strangers.length) errors.standby = `not nodes of this cluster: ${strangers.join(', ')}`;
  else if (standby.length >= nodes.length) errors.standby = 'at least one node must stay active';
  else if (active.ok && nodes.length - standby.length !== active.value) {
    errors.standby = `${active.value} active of ${nodes.length} means ${nodes.length - active.value} standby; ${standby.length} ticked`;
  }
  const activeCount = active.ok ? active.value : nodes.length - standby.length;
  const minActive = parseCount(
    d.minActive,
    1,
    Math.max(1, activeCount),
    `cannot exceed the ${activeCount} active node${activeCount === 1 ? '' : 's'}: the gate would refuse every drain`,
  );
  if (!minActive.ok) errors.minActive = minActive.error;
  const vip = parseVip(d.vip);
  if (!vip.ok) errors.vip = vip.error;
  const connect = parseConnectTimeout(d.connectTimeout);
  if (!connect.ok) errors.connectTimeout = connect.error;
  if (!interval.ok || !beats.ok || !rise.ok || !active.ok || !minActive.ok || !vip.ok || !connect.ok || errors.standby) return { settings: null, errors };
  return {
    settings: {
      heartbeatIntervalMs: interval.value,
      failoverHeartbeats: beats.value,
      riseCount: rise.value,
      activeNodes: active.value,
      standbyNodes: standby,
      minActive: minActive.value,
      vip: vip.value,
      connectTimeoutMs: connect.value,
    },
    errors,
  };
}

/** Field keys of the settings object as the core names them in an INVALID_ARGUMENT message. */
const FIELD_OF_KEY: Record<string, FailoverField> = {
  heartbeatIntervalMs: 'interval',
  failoverHeartbeats: 'heartbeats',
  riseCount: 'rise',
  activeNodes: 'active',
  standbyNodes: 'standby',
  minActive: 'minActive',
  vip: 'vip',
  connectTimeoutMs: 'connectTimeout',
};

/**
 * The core's refusal put back on the field it names: "failover.apply: settings.heartbeatIntervalMs:
 * must be at least 100 ms; settings.vip: must be an IPv4 address". What names no field is returned as rest.
 */
export function failoverFieldsFromServer(message: string): { errors: FailoverErrors; rest: string | null } {
  const errors: FailoverErrors = {};
  const rest: string[] = [];
  const body = message.replace(/^failover\.(preview|apply):\s*/, '');
  for (const part of body.split('; ')) {
    const m = /^settings\.([A-Za-z]+)(?:\.\d+)?: (.+)$/.exec(part);
    const field = m ? FIELD_OF_KEY[m[1]!] : undefined;
    if (m && field) errors[field] ??= m[2]!;
    else rest.push(part);
  }
  return { errors, rest: rest.length ? rest.join('; ') : null };
}

export const sameSettings = (a: ClusterSettings | null | undefined, b: ClusterSettings | null | undefined): boolean =>
  !!a && !!b && JSON.stringify(normalise(a)) === JSON.stringify(normalise(b));

function normalise(s: ClusterSettings): ClusterSettings {
  return { ...s, standbyNodes: [...s.standbyNodes].sort() };
}

const list = (xs: readonly string[]): string => (xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);
export { list as andList };

/** What the numbers mean for a node that dies and comes back, in the admin's words. */
export function failoverWords(s: Pick<ClusterSettings, 'heartbeatIntervalMs' | 'failoverHeartbeats' | 'riseCount'>): {
  time: string;
  out: string;
  back: string;
} {
  const total = s.heartbeatIntervalMs * s.failoverHeartbeats;
  const every = formatDuration(s.heartbeatIntervalMs);
  const checks = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  return {
    time: formatDuration(total),
    out:
      s.failoverHeartbeats === 1
        ? `If a node stops answering, HAProxy takes it out after ${formatDuration(total)}: a single failed check, checks ${every} apart; ClusterDeck marks it unreachable after the same time.`
        : `If a node stops answering, HAProxy takes it out after ${formatDuration(total)}: ${checks(s.failoverHeartbeats, 'check')} ${every} apart; ClusterDeck marks it unreachable after the same time.`,
    back: `When it answers again, HAProxy sends it traffic after ${checks(s.riseCount, 'passed check')} (${formatDuration(s.heartbeatIntervalMs * s.riseCount)}).`,
  };
}

/** Below this a handshake over a 1 s round trip (about seven round trips) cannot finish. */
const SLOW_LINK_CONNECT_MS = 8_000;

/** Warnings that do not block: settings that are allowed but likely to hurt. */
export function failoverWarnings(s: Pick<ClusterSettings, 'heartbeatIntervalMs' | 'failoverHeartbeats'> & Partial<Pick<ClusterSettings, 'connectTimeoutMs'>>): string[] {
  const w: string[] = [];
  const total = s.heartbeatIntervalMs * s.failoverHeartbeats;
  if (s.failoverHeartbeats === 1) w.push('One missed check takes a node out: a single lost packet or slow reply makes it flap.');
  if (total > 60_000) w.push(`A dead node keeps getting traffic for ${formatDuration(total)} before HAProxy takes it out.`);
  if (s.heartbeatIntervalMs < 250) w.push(`Checks every ${formatDuration(s.heartbeatIntervalMs)} load every node and LB with health checks and SSH heartbeats.`);
  if (s.connectTimeoutMs !== undefined && s.connectTimeoutMs < SLOW_LINK_CONNECT_MS) {
    w.push(`A connect deadline of ${formatDuration(s.connectTimeoutMs)} is shorter than an SSH handshake over a 1 s round trip (about 7 s): hosts that far away are reported unreachable.`);
  }
  return w;
}

export type ClusterMode = 'ha' | 'load-balanced' | 'load-balanced-standby';

/** HA vs load-balanced, for these nodes, as HAProxy will actually route. */
export function modeWords(nodes: readonly string[], standby: readonly string[]): { mode: ClusterMode; title: string; text: string } {
  const active = nodes.filter((n) => !standby.includes(n));
  const sb = nodes.filter((n) => standby.includes(n));
  const is = (xs: readonly string[]) => (xs.length === 1 ? 'is' : 'are');
  if (active.length === 1 && sb.length > 0) {
    return {
      mode: 'ha',
      title: 'HA mode: one active node',
      text: `${active[0]} takes all the traffic. ${list(sb)} ${is(sb)} standby (HAProxy backup server${sb.length === 1 ? '' : 's'}): HAProxy sends ${sb.length === 1 ? 'it' : 'them'} traffic only while ${active[0]} is down or out of service.`,
    };
  }
  if (sb.length === 0) {
    return {
      mode: 'load-balanced',
      title: `Load-balanced: all ${active.length} nodes active`,
      text: `${list(active)} share the traffic (round-robin). There is no standby: when one fails, the others take its share.`,
    };
  }
  return {
    mode: 'load-balanced-standby',
    title: `Load-balanced: ${active.length} active, ${sb.length} standby`,
    text: `${list(active)} share the traffic. ${list(sb)} ${is(sb)} standby: HAProxy sends ${sb.length === 1 ? 'it' : 'them'} traffic only when none of ${list(active)} is UP.`,
  };
}

export function gateWords(minActive: number): string {
  return `Drain and maintenance are refused when they would leave fewer than ${minActive} UP active node${minActive === 1 ? '' : 's'} on any LB (you can override by typing the node's name).`;
}

export interface SettingChange {
  label: string;
  from: string;
  to: string;
}

/** What differs between the settings in force and the form: one line per setting. */
export function settingChanges(cur: ClusterSettings, next: ClusterSettings): SettingChange[] {
  const out: SettingChange[] = [];
  const add = (label: string, a: string, b: string) => {
    if (a !== b) out.push({ label, from: a, to: b });
  };
  add('Heartbeat interval', formatDuration(cur.heartbeatIntervalMs), formatDuration(next.heartbeatIntervalMs));
  add('Failover heartbeats', String(cur.failoverHeartbeats), String(next.failoverHeartbeats));
  add('Rise count', String(cur.riseCount), String(next.riseCount));
  add('Active nodes', cur.activeNodes === null ? 'derived' : String(cur.activeNodes), next.activeNodes === null ? 'derived' : String(next.activeNodes));
  add('Standby', [...cur.standbyNodes].sort().join(', ') || 'none', [...next.standbyNodes].sort().join(', ') || 'none');
  add('Safety gate minimum', String(cur.minActive), String(next.minActive));
  add('VIP', cur.vip ?? 'none', next.vip ?? 'none');
  add('Connect deadline', formatDuration(cur.connectTimeoutMs), formatDuration(next.connectTimeoutMs));
  return out;
}
