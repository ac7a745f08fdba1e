import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { parseKeyBlob } from './known-hosts-format';

const { utils } = ssh2;

/** Test-only helpers (imported by *.test.ts only): temp dirs and real keys, never touching ~/.ssh. */

export const haveSshKeygen = spawnSync('ssh-keygen', ['-?'], { stdio: 'ignore' }).error === undefined;

export function tempDir(prefix = 'cd-hostkeys-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TestKey {
  keyType: string;
  b64: string;
  blob: Buffer;
  /** OpenSSH private key (PEM-ish text) usable as an ssh2 server host key. */
  privateKey: string;
  pubPath?: string;
}

function fromPublicLine(pub: string, privateKey: string, pubPath?: string): TestKey {
  const [keyType, b64] = pub.trim().split(/\s+/);
  if (!keyType || !b64) throw new Error(`bad public key line: ${pub}`);
  return { keyType, b64, blob: Buffer.from(b64, 'base64'), privateKey, ...(pubPath ? { pubPath } : {}) };
}

/** A key pair made by ssh-keygen into `dir` (no passphrase). */
export function sshKeygenKey(dir: string, type: 'ed25519' | 'ecdsa' | 'rsa', name: string, bits?: number): TestKey {
  const path = join(dir, name);
  const args = ['-q', '-t', type, '-N', '', '-C', `test-${name}`, '-f', path];
  if (bits !== undefined) args.push('-b', String(bits));
  execFileSync('ssh-keygen', args, { stdio: 'ignore' });
  return fromPublicLine(readFileSync(`${path}.pub`, 'utf8'), readFileSync(path, 'utf8'), `${path}.pub`);
}

/** `ssh-keygen -lf <pub>` → the SHA256:... fingerprint it prints. */
export function sshKeygenFingerprint(pubPath: string): string {
  const out = execFileSync('ssh-keygen', ['-E', 'sha256', '-lf', pubPath], { encoding: 'utf8' });
  const fp = out.split(/\s+/)[1];
  if (!fp?.startsWith('SHA256:')) throw new Error(`unexpected ssh-keygen output: ${out}`);
  return fp;
}

/**
 * A key pair made in-process by ssh2 (no ssh-keygen needed). ssh2 1.17 sometimes (about 3 in 1000
 * ed25519 keys, measured) drops a leading zero byte of the public key, which our parser rightly
 * refuses as malformed; such a draw is thrown away. Bounded: 20 draws.
 */
export function ssh2Key(type: 'ed25519' | 'ecdsa'): TestKey {
  for (let i = 0; i < 20; i++) {
    const pair = type === 'ecdsa' ? utils.generateKeyPairSync('ecdsa', { bits: 256 }) : utils.generateKeyPairSync('ed25519');
    const key = fromPublicLine(pair.public, pair.private);
    if (parseKeyBlob(key.blob).ok) return key;
  }
  throw new Error(`ssh2 produced 20 malformed ${type} keys in a row`);
}
