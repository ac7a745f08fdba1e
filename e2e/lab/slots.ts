import { cleanupSlot } from './cleanup';
import { LabError } from './errors';
import { lockAgeMs, ownerAlive, readLock, releaseLock, takeStaleLock, tryCreateLock } from './lock';
import { subnetTaken } from './netns';
import { MAX_SLOTS, checkSlot } from './plan';

export interface SlotClaim {
  slot: number;
  /** What had to be cleaned up from a previous crashed owner of the slot. */
  reclaimed: string[];
}

type Attempt = { ok: true; reclaimed: string[] } | { ok: false; why: string };

async function tryClaim(slot: number): Promise<Attempt> {
  let staleDir: string | null = null;
  if (!tryCreateLock(slot)) {
    const info = readLock(slot);
    if (info && ownerAlive(info)) return { ok: false, why: `in use by pid ${info.pid}${info.dir ? ` (${info.dir})` : ''}` };
    if (!info && lockAgeMs(slot) < 5000) return { ok: false, why: 'lock is being written by another process' };
    if (!takeStaleLock(slot, info)) return { ok: false, why: 'another process is reclaiming it' };
    staleDir = info?.dir ?? null;
    if (!tryCreateLock(slot)) return { ok: false, why: 'claimed by another process meanwhile' };
  }
  // We hold the lock now, so anything of this slot still around is garbage of a dead owner.
  try {
    const reclaimed = await cleanupSlot(slot, staleDir ? [staleDir] : []);
    const taken = await subnetTaken(slot);
    if (taken) {
      releaseLock(slot);
      return { ok: false, why: taken };
    }
    return { ok: true, reclaimed };
  } catch (e) {
    releaseLock(slot);
    throw e;
  }
}

/** Claims the given slot, or the first free one of 0..15. */
export async function acquireSlot(preferred?: number): Promise<SlotClaim> {
  if (preferred !== undefined) {
    checkSlot(preferred);
    const r = await tryClaim(preferred);
    if (!r.ok) throw new LabError('busy', `lab slot ${preferred} is not free: ${r.why}`);
    return { slot: preferred, reclaimed: r.reclaimed };
  }
  const reasons: string[] = [];
  for (let slot = 0; slot < MAX_SLOTS; slot++) {
    const r = await tryClaim(slot);
    if (r.ok) return { slot, reclaimed: r.reclaimed };
    reasons.push(`${slot}: ${r.why}`);
  }
  throw new LabError('busy', `no free lab slot (0..${MAX_SLOTS - 1}):\n${reasons.join('\n')}\nRun "node scripts/lab.mjs down --all" to remove crashed labs.`);
}
