import { existsSync } from 'node:fs';
import { which } from './exec';

export const REQUIRED_BINARIES = ['sshd', 'haproxy', 'ip', 'unshare', 'ssh-keygen', 'ssh-agent', 'ssh-add', 'mount'] as const;

export const ROOT_HINT =
  'the ClusterDeck lab needs root: it creates network namespaces, veth links, a bridge and mount namespaces. ' +
  'Run it as root, e.g. `sudo npx vitest run --project lab` or `sudo node scripts/lab.mjs up`.';

/** Whether this machine can run the lab, and if not, why (printed in skipped test titles). */
export function labAvailable(): { ok: boolean; reason: string } {
  if (process.platform !== 'linux') return { ok: false, reason: `the lab needs Linux network namespaces (this is ${process.platform})` };
  if (process.getuid?.() !== 0) return { ok: false, reason: ROOT_HINT };
  const missing = REQUIRED_BINARIES.filter((b) => which(b) === null);
  if (!existsSync('/usr/sbin/sshd')) missing.push('sshd' as never);
  if (missing.length) {
    return {
      ok: false,
      reason: `the lab needs ${[...new Set(missing)].join(', ')} (Debian: apt-get install openssh-server haproxy iproute2 util-linux)`,
    };
  }
  if (!existsSync('/proc/self/ns/net')) return { ok: false, reason: 'this kernel has no network namespaces' };
  return { ok: true, reason: 'root, and sshd, haproxy, ip, unshare, ssh-keygen, ssh-agent, ssh-add are present' };
}
