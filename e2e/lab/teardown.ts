import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { removeLabDir } from './cleanup';
import type { LabCore } from './context';
import { LabError } from './errors';
import { netnsPids, pidsMentioning, signal, terminate } from './exec';
import type { HoldSet } from './hold';
import { readLock, releaseLock } from './lock';
import { deleteLink, deleteNetns, linkExists, listNetns, removeForwardRule } from './netns';
import { HOST_NAMES, bridgeName, iptablesComment } from './plan';
import { sweepNetns } from './procs';

/**
 * Full teardown of one lab: every process (by pid, then by netns sweep), the namespaces, links,
 * FORWARD rule, lock and dir. Safe on a half-started lab. Throws only after doing all it can, when
 * something survived.
 */
export async function teardownLab(core: LabCore, holds: HoldSet): Promise<void> {
  for (const r of holds) r.destroy();
  holds.clear();
  const problems: string[] = [];
  const namespaces = HOST_NAMES.map((h) => core.hosts[h].netns);

  // All at once: services do not depend on each other for shutting down, and this keeps stop fast.
  const survivors = await terminate(core.procs.allPids(), 3000);
  if (survivors.length) problems.push(`pids ${survivors.join(',')} survived SIGKILL`);
  const swept = await sweepNetns(namespaces);
  if (swept.length) problems.push(`pids ${swept.join(',')} still in the lab namespaces`);
  if (core.dir) {
    const helpers = pidsMentioning(`${core.dir}/`);
    if (helpers.length) await terminate(helpers, 2000);
  }

  const existing = new Set(await listNetns());
  for (const ns of namespaces) if (existing.has(ns)) await deleteNetns(ns);
  for (const h of HOST_NAMES) if (await linkExists(core.hosts[h].vethHost)) await deleteLink(core.hosts[h].vethHost);
  if (await linkExists(bridgeName(core.slot))) await deleteLink(bridgeName(core.slot));
  await removeForwardRule(core.slot);

  const leftNs = (await listNetns()).filter((n) => namespaces.includes(n));
  if (leftNs.length) problems.push(`netns ${leftNs.join(', ')} could not be deleted`);
  if (await linkExists(bridgeName(core.slot))) problems.push(`bridge ${bridgeName(core.slot)} could not be deleted`);
  if (core.dir && existsSync(core.dir) && !removeLabDir(core.dir)) problems.push(`dir ${core.dir} lacks the lab marker; left in place`);
  releaseLock(core.slot);
  if (problems.length) throw new LabError('service', `lab slot ${core.slot} teardown incomplete: ${problems.join('; ')}`);
}

/** Pids still inside a lab's namespaces (what tests assert is empty after stop). */
export async function labPids(core: Pick<LabCore, 'hosts'>): Promise<number[]> {
  return (await Promise.all(HOST_NAMES.map((h) => netnsPids(core.hosts[h].netns)))).flat();
}

/**
 * Last-resort synchronous teardown for process 'exit' handlers, where nothing async runs.
 * Only acts if this process still owns the slot for this dir, so it never hits a newer lab.
 */
export function teardownLabSync(core: Pick<LabCore, 'slot' | 'dir' | 'hosts'>): void {
  const lock = readLock(core.slot);
  if (!lock || lock.pid !== process.pid || lock.dir !== core.dir) return;
  const sh = (argv: string[]): string => {
    const [cmd, ...args] = argv;
    const r = spawnSync(cmd as string, args, { encoding: 'utf8', timeout: 5000 });
    return r.stdout ?? '';
  };
  for (const h of HOST_NAMES) {
    for (const p of sh(['ip', 'netns', 'pids', core.hosts[h].netns]).split(/\s+/).filter(Boolean)) signal(Number(p), 'SIGKILL');
  }
  for (const p of pidsMentioning(`${core.dir}/`)) signal(p, 'SIGKILL');
  for (const h of HOST_NAMES) sh(['ip', 'netns', 'del', core.hosts[h].netns]);
  sh(['ip', 'link', 'del', bridgeName(core.slot)]);
  const br = bridgeName(core.slot);
  for (let i = 0; i < 4; i++) {
    const r = spawnSync('iptables', ['-D', 'FORWARD', '-i', br, '-o', br, '-m', 'comment', '--comment', iptablesComment(core.slot), '-j', 'ACCEPT'], { timeout: 5000 });
    if (r.status !== 0) break;
  }
  removeLabDir(core.dir);
  releaseLock(core.slot);
}
