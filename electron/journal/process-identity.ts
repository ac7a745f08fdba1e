/**
 * Who a process is, in a way that survives pid reuse: its pid with the kernel's start time (clock
 * ticks since boot, field 22 of /proc/<pid>/stat). Off Linux the start time is null and the pid
 * alone has to do.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Actor } from '../../shared/domain/audit';
import type { JournalOwner } from '../../shared/domain/journal';

export interface ProcIdentity {
  /** Some process has this pid, and it is not a zombie (killed, waiting to be reaped). */
  alive: boolean;
  startTime: number | null;
}

/** Fields after the command name (which may hold spaces and parentheses): state is [0], starttime [19]. */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

export function procIdentity(pid: number): ProcIdentity {
  if (!Number.isInteger(pid) || pid <= 0) return { alive: false, startTime: null };
  if (process.platform !== 'linux') return { alive: pidExists(pid), startTime: null };
  const f = statFields(pid);
  if (!f) return { alive: false, startTime: null };
  const start = Number(f[19]);
  return { alive: f[0] !== 'Z' && f[0] !== 'X', startTime: Number.isFinite(start) ? start : null };
}

export const MACHINE = hostname();

/** This process as the owner of a change. */
export function selfOwner(actor: Actor): JournalOwner {
  return { pid: process.pid, startTime: procIdentity(process.pid).startTime, machine: MACHINE, actor };
}
