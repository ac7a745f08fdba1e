/**
 * The owner's side of one journal entry: the entry in memory, rewritten whole after every event,
 * one write at a time. A call resolves once a write that includes its event is on disk, so the
 * engine starts a step only when the journal already says so.
 */
import type { JournalEntry } from '../../shared/domain/journal';
import type { ConfigJournal } from '../config/config-journal';
import { applyDrain, applyEnd, applyPrepared, applyStart, applyUndrained } from './journal-records';

export interface JournalHandle {
  readonly id: string;
  /** A copy of the entry as it stands. */
  entry(): JournalEntry;
  /** The config engine's hook for this change (its targets named by host and path). */
  readonly engine: ConfigJournal;
  /** Before a node is drained for the change: recovery makes it ready again. */
  draining(node: string, lbs: string[]): Promise<void>;
  drained(node: string, lbs: string[]): Promise<void>;
  /** The node is ready again (or was never drained). */
  undrained(node: string): Promise<void>;
  /** Any other update (a recovery's own steps). */
  change(fn: (e: JournalEntry, now: number) => void): Promise<void>;
  /** The change ended in this process, whatever its outcome (an engine's own rollback is an end too). */
  done(): Promise<void>;
  /** It stopped on an unexpected error part-way: shown as interrupted from now on, even while this process runs. */
  abandon(): Promise<void>;
}

/** Takes `initial` (a new entry, or one adopted by a recovery) and writes it before returning. */
export async function createJournalHandle(initial: JournalEntry, write: (e: JournalEntry) => Promise<void>): Promise<JournalHandle> {
  const entry = structuredClone(initial);
  // One write in flight at a time; events arriving meanwhile share the next write.
  let inFlight: Promise<void> | null = null;
  let next: Promise<void> | null = null;
  const flush = (): Promise<void> => {
    if (next) return next;
    const after = inFlight ?? Promise.resolve();
    const p: Promise<void> = after
      .catch(() => undefined)
      .then(async () => {
        next = null;
        inFlight = p;
        try {
          await write(structuredClone(entry));
        } finally {
          if (inFlight === p) inFlight = null;
        }
      });
    next = p;
    return p;
  };
  const change = (fn: (e: JournalEntry, now: number) => void): Promise<void> => {
    try {
      fn(entry, Date.now());
    } catch (e) {
      return Promise.reject(e);
    }
    return flush();
  };

  await flush();
  return {
    id: entry.id,
    entry: () => structuredClone(entry),
    engine: {
      prepared: (list) => change((e, now) => applyPrepared(e, list, now)),
      starting: (target, path, step) => change((e, now) => applyStart(e, target, path, step, now)),
      ended: (target, path, step, facts) => change((e, now) => applyEnd(e, target, path, step, facts, now)),
    },
    draining: (node, lbs) => change((e, now) => applyDrain(e, node, lbs, 'draining', now)),
    drained: (node, lbs) => change((e, now) => applyDrain(e, node, lbs, 'drained', now)),
    undrained: (node) => change((e, now) => applyUndrained(e, node, now)),
    change,
    done: () =>
      change((e, now) => {
        e.state = 'done';
        e.updatedAt = now;
      }),
    abandon: () =>
      change((e, now) => {
        e.abandoned = true;
        e.updatedAt = now;
      }),
  };
}
