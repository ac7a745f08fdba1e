import type { PendingHostKey, PinnedHostKey } from '../../shared/domain/host-keys';

/** One decision per key a host presented (a host may present another key later). */
export const keyId = (k: Pick<PendingHostKey, 'host' | 'port' | 'fingerprint'>): string => `${k.host}:${k.port} ${k.fingerprint}`;

/** "lb1 (10.88.0.21:22)", or the address alone when no inventory name dials it. */
export function hostLabel(k: Pick<PendingHostKey, 'host' | 'port' | 'names'>): string {
  const addr = k.port === 22 ? k.host : `${k.host}:${k.port}`;
  return k.names.length ? `${k.names.join(', ')} (${addr})` : addr;
}

/**
 * Which key to put in front of the admin now: refused (changed/revoked) keys first, since they may
 * mean an attack in progress; then unknown keys in the order they were seen. Dismissed keys wait
 * until the admin reopens them.
 */
export function nextKeyToShow(pending: PendingHostKey[], dismissed: readonly string[]): PendingHostKey | null {
  const open = pending.filter((k) => !dismissed.includes(keyId(k)));
  const refused = open.filter((k) => k.status !== 'unknown').sort((a, b) => a.seenAt - b.seenAt);
  if (refused[0]) return refused[0];
  return [...open].sort((a, b) => a.seenAt - b.seenAt)[0] ?? null;
}

/** Counts for the "keys need attention" indicator and the dialog's "2 of 5". */
export function keyQueue(pending: PendingHostKey[], dismissed: readonly string[]): { open: number; dismissed: number; changed: number } {
  const open = pending.filter((k) => !dismissed.includes(keyId(k)));
  return {
    open: open.length,
    dismissed: pending.length - open.length,
    changed: pending.filter((k) => k.status !== 'unknown').length,
  };
}

/** The deliberate way out for a changed key, to copy into a terminal after checking the host. */
export function forgetCommand(k: Pick<PendingHostKey, 'host' | 'port'>): string {
  return k.port === 22 ? `clusterdeck host-keys forget ${k.host}` : `clusterdeck host-keys forget ${k.host} --port ${k.port}`;
}

/**
 * How a refused key's old pin can be cleared once the admin is sure: ClusterDeck's own pins go with
 * `clusterdeck host-keys forget`; pins in a read-only known_hosts file the admin trusts must be
 * removed from that file by hand (ClusterDeck never writes it). Without the pin list, the forget
 * command is the best guess.
 */
export function clearSteps(k: Pick<PendingHostKey, 'host' | 'port' | 'expected'>, pins: readonly PinnedHostKey[]): { forget: string | null; edits: { file: string; line: number }[] } {
  const mine = pins.filter((p) => p.host === k.host && p.port === k.port && k.expected.includes(p.fingerprint));
  if (!mine.length) return { forget: forgetCommand(k), edits: [] };
  const edits = mine.filter((p) => p.readOnly).map((p) => ({ file: p.source, line: p.line }));
  return { forget: mine.some((p) => !p.readOnly) ? forgetCommand(k) : null, edits };
}
