import { LabError } from './errors';
import type { HostName, LabHost } from './types';

/** Pure address and naming plan of one slot; everything the lab creates is derived from here. */

export const MAX_SLOTS = 16;
export const HOST_NAMES: readonly HostName[] = ['node1', 'node2', 'node3', 'lb1', 'lb2'];
export const NODE_NAMES = ['node1', 'node2', 'node3'] as const;
export const LB_NAMES = ['lb1', 'lb2'] as const;
export const BACKEND = 'app' as const;
export const APP_PORT = 8080;
export const LB_PORT = 80;
/** Every lab-made kernel object starts with this, so cleanup can find leftovers by name alone. */
export const NAME_PREFIX = 'cdl';
export const LOCK_DIR = '/run/clusterdeck-lab';
/** Written into every lab dir; cleanup only ever deletes directories that carry it. */
export const DIR_MARKER = '.clusterdeck-lab';

const HOST_OCTET: Record<HostName, number> = { node1: 11, node2: 12, node3: 13, lb1: 21, lb2: 22 };
const VETH_SUFFIX: Record<HostName, string> = { node1: 'n1', node2: 'n2', node3: 'n3', lb1: 'l1', lb2: 'l2' };

export function checkSlot(slot: number): void {
  if (!Number.isInteger(slot) || slot < 0 || slot >= MAX_SLOTS) {
    throw new LabError('argument', `lab slot must be an integer 0..${MAX_SLOTS - 1}, got ${slot}`);
  }
}

export function subnetOf(slot: number): string {
  checkSlot(slot);
  return `10.88.${slot}.0/24`;
}

/** The cluster's virtual IP in the lab; lb1 holds it at start. */
export function vipOf(slot: number): string {
  return `10.88.${slot}.100`;
}

export function gatewayOf(slot: number): string {
  return `10.88.${slot}.1`;
}

export function bridgeName(slot: number): string {
  return `${NAME_PREFIX}${slot}br`;
}

export function netnsName(slot: number, host: HostName): string {
  return `${NAME_PREFIX}${slot}-${host}`;
}

export function iptablesComment(slot: number): string {
  return `clusterdeck-lab-${slot}`;
}

export function lockPath(slot: number): string {
  return `${LOCK_DIR}/slot-${slot}.lock`;
}

export function planHost(slot: number, name: HostName): LabHost {
  checkSlot(slot);
  return {
    name,
    role: name.startsWith('lb') ? 'lb' : 'node',
    ip: `10.88.${slot}.${HOST_OCTET[name]}`,
    sshPort: 22,
    netns: netnsName(slot, name),
    vethHost: `${NAME_PREFIX}${slot}${VETH_SUFFIX[name]}`,
  };
}

export function planHosts(slot: number): Record<HostName, LabHost> {
  const out = {} as Record<HostName, LabHost>;
  for (const name of HOST_NAMES) out[name] = planHost(slot, name);
  return out;
}

/** Which slot a leftover kernel object belongs to, or null when the name is not the lab's. */
export function slotOfName(name: string): number | null {
  const m = /^cdl(\d{1,2})(?:br|n[1-3]|l[1-2]|-(?:node[1-3]|lb[1-2]))$/.exec(name);
  if (!m) return null;
  const slot = Number(m[1]);
  return slot < MAX_SLOTS ? slot : null;
}

export function isHostName(s: string): s is HostName {
  return (HOST_NAMES as readonly string[]).includes(s);
}
