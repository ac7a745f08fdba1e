import { existsSync } from 'node:fs';
import { MissingProgramError, packageOf, which } from '../support/programs';

export const REQUIRED_BINARIES = ['sshd', 'haproxy', 'ip', 'unshare', 'ssh-keygen', 'ssh-agent', 'ssh-add', 'mount'] as const;

export const ROOT_HINT =
  'the ClusterDeck lab needs root: it creates network namespaces, veth links, a bridge and mount namespaces. ' +
  'Run it as root, e.g. `sudo npx vitest run --project lab` or `sudo node scripts/lab.mjs up`.';

/** Whether this machine can run the lab, and if not, why (printed in skipped test titles). */
export function labAvailable(): { ok: boolean; reason: string } {
  if (process.platform !== 'linux') return { ok: false, reason: `the lab needs Linux network namespaces (this is ${process.platform})` };
  if (process.getuid?.() !== 0) return { ok: false, reason: ROOT_HINT };
  const missing = REQUIRED_BINARIES.filter((b) => which(b) === null);
  if (missing.length) {
    const pkgs = [...new Set(missing.map((m) => packageOf(m)))].join(' ');
    return { ok: false, reason: `${missing.map((m) => new MissingProgramError(m).message.split(' (')[0]).join('; ')} (apt-get install ${pkgs})` };
  }
  if (!existsSync('/proc/self/ns/net')) return { ok: false, reason: 'this kernel has no network namespaces' };
  return { ok: true, reason: `root, and ${REQUIRED_BINARIES.join(', ')} are present` };
}
