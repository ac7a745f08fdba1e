import { readFileSync } from 'node:fs';
import { LabError } from './errors';
import { MissingProgramError } from '../support/programs';
import { run, which } from './exec';
import { bridgeName, gatewayOf, iptablesComment, slotOfName } from './plan';
import type { LabHost } from './types';

/** Kernel plumbing of one slot: a bridge on the host, one netns + veth per lab host, no default routes. */

export async function linkExists(name: string): Promise<boolean> {
  return (await run(['ip', 'link', 'show', 'dev', name], { allowFail: true })).code === 0;
}

export async function listNetns(): Promise<string[]> {
  const r = await run(['ip', 'netns', 'list'], { allowFail: true });
  return r.stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter(Boolean);
}

export async function listLinks(): Promise<string[]> {
  const r = await run(['ip', '-o', 'link', 'show'], { allowFail: true });
  const names: string[] = [];
  for (const line of r.stdout.split('\n')) {
    const m = /^\d+:\s+([^:@\s]+)[@:]/.exec(line);
    if (m?.[1]) names.push(m[1]);
  }
  return names;
}

/** True when 10.88.<slot>.x is already used on this machine by something that is not this slot's bridge. */
export async function subnetTaken(slot: number): Promise<string | null> {
  const r = await run(['ip', '-o', '-4', 'addr', 'show'], { allowFail: true });
  for (const line of r.stdout.split('\n')) {
    const m = /^\d+:\s+(\S+)\s+inet\s+10\.88\.(\d+)\./.exec(line);
    if (m && Number(m[2]) === slot && m[1] !== bridgeName(slot)) return `10.88.${slot}.0/24 is already on ${m[1]}`;
  }
  return null;
}

export async function createBridge(slot: number): Promise<void> {
  const br = bridgeName(slot);
  await run(['ip', 'link', 'add', br, 'type', 'bridge']);
  await run(['ip', 'addr', 'add', `${gatewayOf(slot)}/24`, 'dev', br]);
  await run(['ip', 'link', 'set', br, 'up']);
}

export async function createHostNet(slot: number, host: LabHost): Promise<void> {
  await run(['ip', 'netns', 'add', host.netns]);
  // The peer is created directly inside the netns, so no half-configured eth0 is ever visible on the host.
  await run(['ip', 'link', 'add', host.vethHost, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', host.netns]);
  await run(['ip', '-n', host.netns, 'link', 'set', 'lo', 'up']);
  await run(['ip', '-n', host.netns, 'addr', 'add', `${host.ip}/24`, 'dev', 'eth0']);
  await run(['ip', '-n', host.netns, 'link', 'set', 'eth0', 'up']);
  await run(['ip', 'link', 'set', host.vethHost, 'master', bridgeName(slot), 'up']);
}

/** The cluster's virtual IP (as keepalived would hold it): a /32 on the holding LB's eth0. */
export async function setVip(host: LabHost, vip: string, held: boolean): Promise<void> {
  await run(['ip', '-n', host.netns, 'addr', held ? 'add' : 'del', `${vip}/32`, 'dev', 'eth0'], { allowFail: !held });
}

export async function setLink(host: LabHost, up: boolean): Promise<void> {
  await run(['ip', 'link', 'set', host.vethHost, up ? 'up' : 'down']);
}

export async function deleteNetns(ns: string): Promise<void> {
  await run(['ip', 'netns', 'del', ns], { allowFail: true });
}

export async function deleteLink(name: string): Promise<void> {
  await run(['ip', 'link', 'del', name], { allowFail: true });
}

/**
 * With br_netfilter on, bridged frames between namespaces traverse the FORWARD chain; a DROP
 * policy (Docker sets one) would silently break LB→node health checks.
 */
export function needsForwardRule(brNfCallIptables: string, forwardRules: string): boolean {
  if (brNfCallIptables.trim() !== '1') return false;
  return /^-P FORWARD (DROP|REJECT)\b/m.test(forwardRules);
}

function forwardRuleArgs(slot: number): string[] {
  const br = bridgeName(slot);
  return ['FORWARD', '-i', br, '-o', br, '-m', 'comment', '--comment', iptablesComment(slot), '-j', 'ACCEPT'];
}

/** Adds the bridge ACCEPT rule when needed; returns whether it did. */
export async function ensureForwardRule(slot: number, force = false): Promise<boolean> {
  let brnf = '0';
  try {
    brnf = readFileSync('/proc/sys/net/bridge/bridge-nf-call-iptables', 'utf8');
  } catch {
    // br_netfilter not loaded: bridged traffic never sees iptables
  }
  if (!force && brnf.trim() !== '1') return false;
  if (!which('iptables')) {
    if (force) throw new LabError('unavailable', `${new MissingProgramError('iptables').message} (to open the lab bridge in FORWARD)`);
    return false;
  }
  const rules = await run(['iptables', '-S', 'FORWARD'], { allowFail: true });
  if (!force && !needsForwardRule(brnf, rules.stdout)) return false;
  await run(['iptables', '-I', ...forwardRuleArgs(slot)]);
  return true;
}

/** Removes this slot's rule (every copy, bounded). */
export async function removeForwardRule(slot: number): Promise<number> {
  if (!which('iptables')) return 0;
  let removed = 0;
  for (let i = 0; i < 16; i++) {
    const r = await run(['iptables', '-D', ...forwardRuleArgs(slot)], { allowFail: true });
    if (r.code !== 0) break;
    removed++;
  }
  return removed;
}

/** Slots that have a lab FORWARD rule installed (for cleanup of crashed labs). */
export async function forwardRuleSlots(): Promise<number[]> {
  if (!which('iptables')) return [];
  const r = await run(['iptables', '-S', 'FORWARD'], { allowFail: true });
  const slots = new Set<number>();
  for (const m of r.stdout.matchAll(/clusterdeck-lab-(\d+)/g)) slots.add(Number(m[1]));
  return [...slots];
}

/** Lab-made netns and links of a slot that exist right now. */
export async function slotLeftovers(slot: number): Promise<{ netns: string[]; links: string[] }> {
  const [ns, links] = await Promise.all([listNetns(), listLinks()]);
  return {
    netns: ns.filter((n) => slotOfName(n) === slot),
    links: links.filter((l) => slotOfName(l) === slot),
  };
}
