import { existsSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pidsMentioning, terminate } from './exec';
import { readLock, ownerAlive, releaseLock, readLockFile, takeStaleLock } from './lock';
import { deleteLink, deleteNetns, forwardRuleSlots, listLinks, listNetns, removeForwardRule } from './netns';
import { DIR_MARKER, LOCK_DIR, MAX_SLOTS, bridgeName, slotOfName } from './plan';
import { sweepNetns } from './procs';

/** Prefix of default lab dirs in the temp dir; cleanup scans for it to find dirs of crashed labs. */
export const TMP_PREFIX = 'clusterdeck-lab-';

/** Deletes a directory only if the lab made it (it carries the marker); never anything else. */
export function removeLabDir(dir: string): boolean {
  if (!dir || dir === '/' || !existsSync(`${dir}/${DIR_MARKER}`)) return false;
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  return true;
}

/**
 * Removes everything of one slot that exists right now: processes in its namespaces, host-side
 * helpers mentioning its dir, the namespaces, links, FORWARD rule and the given dirs. Idempotent.
 */
export async function cleanupSlot(slot: number, dirs: string[]): Promise<string[]> {
  const done: string[] = [];
  const [allNs, allLinks] = await Promise.all([listNetns(), listLinks()]);
  const namespaces = allNs.filter((n) => slotOfName(n) === slot);
  const survivors = (await sweepNetns(namespaces)).length;
  if (survivors) done.push(`${survivors} process(es) in slot ${slot} survived SIGKILL`);
  for (const dir of dirs.filter(Boolean)) {
    const helpers = pidsMentioning(`${dir}/`);
    if (helpers.length) {
      await terminate(helpers, 2000);
      done.push(`killed ${helpers.length} host process(es) using ${dir}`);
    }
  }
  for (const ns of namespaces) {
    await deleteNetns(ns);
    done.push(`netns ${ns}`);
  }
  // Veths die with their netns; what is left is the bridge and any veth whose netns vanished first.
  const ours = allLinks.filter((l) => slotOfName(l) === slot);
  const links = [...ours.filter((l) => l !== bridgeName(slot)), ...ours.filter((l) => l === bridgeName(slot))];
  for (const l of links) {
    await deleteLink(l);
    done.push(`link ${l}`);
  }
  const rules = await removeForwardRule(slot);
  if (rules) done.push(`iptables FORWARD rule for slot ${slot}`);
  for (const dir of dirs.filter(Boolean)) if (removeLabDir(dir)) done.push(`dir ${dir}`);
  return done;
}

function markerOwnerDead(dir: string): boolean {
  const info = readLockFile(`${dir}/${DIR_MARKER}`);
  return info === null || !ownerAlive(info);
}

/** Lab dirs in the temp dir whose owning process is gone (a crash before the lock knew the dir). */
function orphanTmpDirs(): string[] {
  let names: string[] = [];
  try {
    names = readdirSync(tmpdir());
  } catch {
    return [];
  }
  return names
    .filter((n) => n.startsWith(TMP_PREFIX))
    .map((n) => `${tmpdir()}/${n}`)
    .filter((d) => existsSync(`${d}/${DIR_MARKER}`) && markerOwnerDead(d));
}

function lockedSlots(): number[] {
  try {
    return readdirSync(LOCK_DIR)
      .map((f) => /^slot-(\d+)\.lock$/.exec(f)?.[1])
      .filter((s): s is string => s !== undefined)
      .map(Number)
      .filter((n) => n < MAX_SLOTS);
  } catch {
    return [];
  }
}

export interface CleanupOptions {
  /** Also tear down labs whose owner is still running (e.g. a demo left in another terminal). */
  force?: boolean;
  /** Told about slots left alone because their owner is alive. */
  onSkip?: (msg: string) => void;
}

/** Finds leftovers of every slot (after a crash, a kill -9, a forgotten stop) and removes them. */
export async function cleanupAllLabs(opts: CleanupOptions = {}): Promise<string[]> {
  const [ns, links, ruleSlots] = await Promise.all([listNetns(), listLinks(), forwardRuleSlots()]);
  const slots = new Set<number>([...ruleSlots, ...lockedSlots()]);
  for (const n of [...ns, ...links]) {
    const s = slotOfName(n);
    if (s !== null) slots.add(s);
  }
  const done: string[] = [];
  for (const slot of [...slots].sort((a, b) => a - b)) {
    const info = readLock(slot);
    if (info && ownerAlive(info) && !opts.force) {
      opts.onSkip?.(`slot ${slot}: in use by live pid ${info.pid}${info.dir ? ` (${info.dir})` : ''}; use force to remove it anyway`);
      continue;
    }
    done.push(...(await cleanupSlot(slot, info?.dir ? [info.dir] : [])));
    if (info && ownerAlive(info)) {
      // forced: the owner is alive, its lock goes with its lab
      if (info.pid === process.pid) releaseLock(slot);
      else takeStaleLock(slot, info);
      done.push(`lock of slot ${slot} (owner pid ${info.pid} still running)`);
    } else if (existsSync(`${LOCK_DIR}/slot-${slot}.lock`) && takeStaleLock(slot, info)) {
      done.push(`stale lock of slot ${slot}`);
    }
  }
  for (const d of orphanTmpDirs()) {
    for (const p of pidsMentioning(`${d}/`)) await terminate([p], 1000);
    if (removeLabDir(d)) done.push(`dir ${d}`);
  }
  return done;
}
