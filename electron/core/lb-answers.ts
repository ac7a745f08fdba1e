import type { LbSpec } from '../../shared/domain/cluster';
import { CdError } from '../../shared/errors';
import type { LbRead } from '../cluster/lb-read';

/**
 * The latest answer of each LB of a watched cluster, each read on its own: a slow LB never holds
 * up a fast one, and its answer keeps the time it arrived (LbRead.at), so a snapshot shows it with
 * its true age. At most one read per LB is in flight; asking again while one is only queues one
 * more after it (a read that started before an action may not show it).
 */
export interface LbAnswers {
  /** Reads this LB now, or joins the read in flight (with `again`, one more read follows that one). */
  read(lb: LbSpec, opts: { live: boolean; again?: boolean }): Promise<LbRead>;
  /** The latest answer of each of these LBs, in their order. An LB with none yet reads as not answered. */
  latest(lbs: readonly LbSpec[]): LbRead[];
  /** Answers landed so far: a snapshot built at version v holds every answer up to v. */
  version(): number;
  /** Drops what is kept about LBs for which `keep` is false (removed, or their address changed). */
  retain(keep: (name: string) => boolean): void;
  /** Answers that land after this are ignored. */
  stop(): void;
}

export function createLbAnswers(
  readLb: (lb: LbSpec, live: boolean) => Promise<LbRead>,
  /** An answer landed (not called after stop). */
  onAnswer: (lb: string) => void,
): LbAnswers {
  const slots = new Map<string, { latest: LbRead | null; inflight: Promise<LbRead> | null; again: boolean }>();
  let landed = 0;
  let stopped = false;

  const read: LbAnswers['read'] = (lb, opts) => {
    let slot = slots.get(lb.name);
    if (!slot) slots.set(lb.name, (slot = { latest: null, inflight: null, again: false }));
    if (slot.inflight) {
      if (opts.again) slot.again = true;
      return slot.inflight;
    }
    const s = slot;
    s.inflight = readLb(lb, opts.live)
      .catch((e: unknown): LbRead => ({ lb: lb.name, ok: false, error: e instanceof CdError ? e : new CdError('INTERNAL', `${lb.name}: ${(e as Error).message}`) }))
      .then((r) => {
        s.inflight = null;
        if (stopped || slots.get(lb.name) !== s) return r;
        // One read at a time per LB: answers land in the order they were asked for, so the last is the newest.
        s.latest = r;
        landed++;
        if (s.again) {
          s.again = false;
          void read(lb, { live: true });
        }
        onAnswer(lb.name);
        return r;
      });
    return s.inflight;
  };

  return {
    read,
    latest: (lbs) =>
      lbs.map(
        (lb) => slots.get(lb.name)?.latest ?? { lb: lb.name, ok: false, error: new CdError('SSH_DISCONNECTED', `${lb.name}: no answer yet`) },
      ),
    version: () => landed,
    retain(keep) {
      for (const name of [...slots.keys()]) if (!keep(name)) slots.delete(name);
    },
    stop() {
      stopped = true;
    },
  };
}
