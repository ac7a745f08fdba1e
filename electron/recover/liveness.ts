/**
 * Is a running change still owned by a live process? Pure: the process table is passed in. A pid
 * means something only on its own machine, and only with the start time it had (pids are reused).
 */
import type { JournalEntry } from '../../shared/domain/journal';
import type { ProcIdentity } from '../journal/process-identity';

export interface Here {
  machine: string;
  identity(pid: number): ProcIdentity;
}

export type OwnerVerdict = { state: 'running' | 'interrupted'; why: string };

/** null for a change that is not running (done or resolved). */
export function ownerVerdict(e: Pick<JournalEntry, 'owner' | 'abandoned' | 'state'>, here: Here): OwnerVerdict | null {
  if (e.state !== 'running') return null;
  const { pid, machine, startTime } = e.owner;
  if (e.abandoned) return { state: 'interrupted', why: `pid ${pid} stopped it part-way on an unexpected error` };
  // Another machine's process table cannot be read from here: it may well be at work.
  if (machine !== here.machine) return { state: 'running', why: `owned by pid ${pid} on ${machine}, which cannot be checked from ${here.machine}` };
  const now = here.identity(pid);
  if (!now.alive) return { state: 'interrupted', why: `pid ${pid} is gone` };
  if (startTime !== null && now.startTime !== null && startTime !== now.startTime) return { state: 'interrupted', why: `pid ${pid} is gone (the pid now belongs to another process)` };
  return { state: 'running', why: `pid ${pid} is still running` };
}

/** "cli root@desk, pid 4242 (gone)" */
export function ownerWords(e: Pick<JournalEntry, 'owner'>, v: OwnerVerdict): string {
  const a = e.owner.actor;
  return `${a.via} ${a.user}@${a.machine}, pid ${e.owner.pid} (${v.state === 'running' ? 'running' : 'gone'})`;
}
