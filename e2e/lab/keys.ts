import { readFileSync, renameSync, rmSync } from 'node:fs';
import { run } from './exec';
import { fingerprintOf, parsePublicKey } from './render';
import type { HostKeyType } from './types';

export const HOST_KEY_TYPES: readonly HostKeyType[] = ['ssh-ed25519', 'ecdsa-sha2-nistp256'];

const KEYGEN_ARGS: Record<HostKeyType, string[]> = {
  'ssh-ed25519': ['-t', 'ed25519'],
  'ecdsa-sha2-nistp256': ['-t', 'ecdsa', '-b', '256'],
};

const FILE_SUFFIX: Record<HostKeyType, string> = { 'ssh-ed25519': 'ed25519', 'ecdsa-sha2-nistp256': 'ecdsa' };

export function normaliseKeyType(t: string | undefined): HostKeyType {
  if (t === undefined || t === 'ssh-ed25519' || t === 'ed25519') return 'ssh-ed25519';
  if (t === 'ecdsa-sha2-nistp256' || t === 'ecdsa') return 'ecdsa-sha2-nistp256';
  throw new Error(`unknown host key type "${t}" (the lab has ssh-ed25519 and ecdsa-sha2-nistp256)`);
}

export async function generateKey(path: string, type: HostKeyType, passphrase: string, comment: string): Promise<void> {
  rmSync(path, { force: true });
  rmSync(`${path}.pub`, { force: true });
  await run(['ssh-keygen', '-q', ...KEYGEN_ARGS[type], '-N', passphrase, '-C', comment, '-f', path]);
}

export function hostKeyPath(sshDir: string, type: HostKeyType): string {
  return `${sshDir}/ssh_host_${FILE_SUFFIX[type]}_key`;
}

/** Writes both host key types; generated aside and renamed in, so sshd never reads a half-written key. */
export async function generateHostKeys(sshDir: string, host: string): Promise<void> {
  await Promise.all(
    HOST_KEY_TYPES.map(async (t) => {
      const final = hostKeyPath(sshDir, t);
      const tmp = `${final}.new`;
      await generateKey(tmp, t, '', `root@${host}`);
      renameSync(`${tmp}.pub`, `${final}.pub`);
      renameSync(tmp, final);
    }),
  );
}

export interface PublicKeyInfo {
  type: string;
  blob: string;
  fingerprint: string;
}

export function readPublicKey(pubPath: string): PublicKeyInfo {
  const { type, blob } = parsePublicKey(readFileSync(pubPath, 'utf8'));
  return { type, blob, fingerprint: fingerprintOf(blob) };
}
