/**
 * HAProxy's server status text (the `status` column of `show stat`, built in src/stats.c from
 * srv_hlt_st[]): UP, DOWN, NOLB, DRAIN, "no check", "UP n/m", "DOWN n/m", "NOLB n/m", "DRAIN n/m",
 * "DOWN (agent)", "DRAIN (agent)", MAINT, "MAINT (via px/srv)", "MAINT (resolution)".
 *
 * Gotcha: DRAIN is only shown while the server is operationally up; a drained server whose check fails
 * shows DOWN (its FDRAIN admin bit is visible only in `show servers state`).
 */
export type StatusKind = 'up' | 'down' | 'nolb' | 'drain' | 'maint' | 'nocheck' | 'unknown';

export interface StatusInfo {
  kind: StatusKind;
  /**
   * The `n/m` of a status in transition, else null.
   * "UP/NOLB/DRAIN n/m" (going down): n more failed checks (of `fall` = m) take it DOWN.
   * "DOWN n/m" (going up): n successful checks so far of the `rise` = m needed.
   */
  transition: { n: number; m: number } | null;
  /** "px/srv" of "MAINT (via px/srv)": maintenance inherited from a tracked server. */
  via: string | null;
  /** "DOWN (agent)" / "DRAIN (agent)": the agent check decided. */
  agent: boolean;
  /** "MAINT (resolution)": the address could not be resolved. */
  resolution: boolean;
}

const BASE: Record<string, StatusKind> = { UP: 'up', DOWN: 'down', NOLB: 'nolb', DRAIN: 'drain' };

/** Classifies a status text; anything unrecognised (OPEN, FULL, a future wording) is 'unknown'. */
export function classifyStatus(status: string): StatusInfo {
  const s = status.trim();
  const info: StatusInfo = { kind: 'unknown', transition: null, via: null, agent: false, resolution: false };

  const plain = /^(UP|DOWN|NOLB|DRAIN)(?: (\d+)\/(\d+))?$/.exec(s);
  if (plain && plain[1] !== undefined) {
    info.kind = BASE[plain[1]] ?? 'unknown';
    if (plain[2] !== undefined && plain[3] !== undefined) info.transition = { n: Number(plain[2]), m: Number(plain[3]) };
    return info;
  }
  if (s === 'DOWN (agent)') return { ...info, kind: 'down', agent: true };
  if (s === 'DRAIN (agent)') return { ...info, kind: 'drain', agent: true };
  if (s === 'no check') return { ...info, kind: 'nocheck' };
  if (s === 'MAINT') return { ...info, kind: 'maint' };
  if (s === 'MAINT (resolution)') return { ...info, kind: 'maint', resolution: true };
  const via = /^MAINT \(via (.+)\)$/.exec(s);
  if (via && via[1] !== undefined) return { ...info, kind: 'maint', via: via[1] };
  return info;
}

/**
 * True only for exactly "UP": fully healthy and taking traffic. Not "UP 1/3" (failing checks), not NOLB,
 * DRAIN or "no check" (nothing vouches for it).
 */
export function countsAsUp(status: string): boolean {
  return status === 'UP';
}
