import { z } from 'zod';

/**
 * HAProxy's srv_admin_state bits (src/server.h, enum srv_admin) and what they mean to an admin:
 * the one place this rule is written. The status text alone cannot show it: a drained server whose
 * check fails reads DOWN, and only these bits still say "drained".
 */
export const SRV_ADMIN = {
  /** Forced maintenance (CLI `state maint`, stats page, `disabled` keyword). */
  FMAINT: 0x01,
  /** Inherited maintenance from a tracked server. */
  IMAINT: 0x02,
  /** Maintenance from the configuration (`disabled`). */
  CMAINT: 0x04,
  /** Forced drain (CLI `state drain`). */
  FDRAIN: 0x08,
  /** Inherited drain from a tracked server. */
  IDRAIN: 0x10,
  /** Maintenance because DNS resolution failed / `init-addr none`. */
  RMAINT: 0x20,
  /** Maintenance because the FQDN was changed at runtime (`set server fqdn`). */
  HMAINT: 0x40,
} as const;
export type SrvAdminFlag = keyof typeof SRV_ADMIN;

const ANY_MAINT = SRV_ADMIN.FMAINT | SRV_ADMIN.IMAINT | SRV_ADMIN.CMAINT | SRV_ADMIN.RMAINT | SRV_ADMIN.HMAINT;
const ANY_DRAIN = SRV_ADMIN.FDRAIN | SRV_ADMIN.IDRAIN;

/** Any maintenance bit set (FMAINT|IMAINT|CMAINT|RMAINT|HMAINT). */
export function isAdminMaint(mask: number): boolean {
  return (mask & ANY_MAINT) !== 0;
}

/** Any drain bit set (FDRAIN|IDRAIN). */
export function isAdminDrain(mask: number): boolean {
  return (mask & ANY_DRAIN) !== 0;
}

/** What an admin (or the config) asked of a server, whatever its checks say. */
export const ADMIN_STATES = ['ready', 'drain', 'maint'] as const;
export const adminStateSchema = z.enum(ADMIN_STATES);
export type AdminState = z.infer<typeof adminStateSchema>;

/** The admin state behind a bitmask; null when HAProxy did not report one. Maintenance wins over drain. */
export function adminStateOf(mask: number | null): AdminState | null {
  if (mask === null) return null;
  if (isAdminMaint(mask)) return 'maint';
  if (isAdminDrain(mask)) return 'drain';
  return 'ready';
}

/** The admin state in words, after a status: "DOWN · drained". */
export const ADMIN_STATE_WORDS: Record<AdminState, string> = { ready: 'ready', drain: 'drained', maint: 'in maintenance' };

/** The most restrictive of several LBs' admin states (maint > drain > ready); null when none is known. */
export function strictestAdmin(states: Array<AdminState | null>): AdminState | null {
  const known = states.filter((s): s is AdminState => s !== null);
  if (known.length === 0) return null;
  return known.reduce((a, b) => (ADMIN_STATES.indexOf(b) > ADMIN_STATES.indexOf(a) ? b : a));
}

/**
 * A state (merged word or HAProxy's status text) with the admin state when the state hides it: a
 * drained server whose checks fail reads "down", so it becomes "down, drained".
 */
export function withAdminWords(state: string, admin: AdminState | null): string {
  if (admin === null || admin === 'ready') return state;
  const s = state.toUpperCase();
  if (admin === 'drain' && (s.startsWith('DRAIN') || s === 'DRAINING')) return state;
  if (admin === 'maint' && (s.startsWith('MAINT') || s === 'MAINTENANCE')) return state;
  return `${state}, ${ADMIN_STATE_WORDS[admin]}`;
}
