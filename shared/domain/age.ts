/**
 * How old shown data is, in words, for every place that shows an LB's or a node's state: a slow LB
 * must read as slow ("as of 3.4 s ago"), never as down, and never as fresh. `at` is the epoch ms
 * the data arrived (LbNodeView.at, NodeStatus.asOf, LbRuntime.readAt); `now` is the caller's clock.
 */

/** Younger than this is "just now": a live watch re-reads every heartbeat interval (1 s by default). */
export const JUST_NOW_MS = 1_000;

/** Data is never called stale sooner than this, however short the heartbeat interval. */
export const STALE_FLOOR_MS = 2_000;

/** Age in ms, never negative (a clock a hair behind the data's is not "in the future"). */
export function ageMs(at: number, now: number): number {
  return Math.max(0, now - at);
}

/** 1234 → "1.2 s", 12_345 → "12 s", 125_000 → "2 min 5 s", 7_500_000 → "2 h 5 min". */
export function durationWords(ms: number): string {
  if (ms < 10_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)} s`;
  if (ms < 60_000) return `${Math.floor(ms / 1000)} s`;
  if (ms < 3_600_000) {
    const min = Math.floor(ms / 60_000);
    const s = Math.floor((ms % 60_000) / 1000);
    return s ? `${min} min ${s} s` : `${min} min`;
  }
  const h = Math.floor(ms / 3_600_000);
  const min = Math.floor((ms % 3_600_000) / 60_000);
  return min ? `${h} h ${min} min` : `${h} h`;
}

/**
 * "just now", "as of 1.2 s ago", or "no answer yet" when nothing arrived. Ages are rounded down
 * to the tenth (or second), so a row is never shown as older than it is, and at the boundary never as
 * fresher either: 999 ms is "just now", 1000 ms is "as of 1.0 s ago".
 */
export function ageWords(at: number | null, now: number): string {
  if (at === null) return 'no answer yet';
  const age = ageMs(at, now);
  return age < JUST_NOW_MS ? 'just now' : `as of ${durationWords(age)} ago`;
}

/**
 * True when data is older than about two heartbeat intervals (at least STALE_FLOOR_MS), i.e. at
 * least one read was missed or is slow: say its age next to the state. Nothing read at all (null)
 * is stale too: there is no current state to show.
 */
export function isStale(at: number | null, now: number, intervalMs: number): boolean {
  if (at === null) return true;
  return ageMs(at, now) > Math.max(2 * intervalMs, STALE_FLOOR_MS);
}
