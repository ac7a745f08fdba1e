import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import ssh2, { type AnyAuthMethod } from 'ssh2';
import type { SshEndpoint } from '../../shared/domain/cluster';
import { CdError } from '../../shared/errors';

export interface AuthEnv {
  /** ssh-agent socket; defaults to $SSH_AUTH_SOCK. null disables the agent. */
  agentSocket?: string | null;
  homeDir?: string;
}

export interface AuthPlan {
  methods: AnyAuthMethod[];
  /** What will be tried, in order, for error messages ("key /x/id_ed25519", "ssh-agent"). */
  tried: string[];
  /** Keys skipped before trying, with why (passphrase-protected, unreadable). */
  skipped: string[];
}

const DEFAULT_IDS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

/**
 * Order: the named key file (as Ansible's ansible_ssh_private_key_file), then ssh-agent, then
 * ~/.ssh/id_* only when no key was named (OpenSSH's defaults). Passphrase-protected files are never
 * prompted for here: they are used through the agent, and the admin is told so.
 */
export function planAuth(ep: SshEndpoint, env: AuthEnv = {}): AuthPlan {
  const home = env.homeDir ?? homedir();
  const agent = env.agentSocket === undefined ? process.env.SSH_AUTH_SOCK ?? null : env.agentSocket;
  const plan: AuthPlan = { methods: [], tried: [], skipped: [] };
  const addKey = (file: string, named: boolean): void => {
    const path = file.startsWith('~/') ? join(home, file.slice(2)) : file;
    let text: Buffer;
    try {
      if (!statSync(path).isFile()) throw new Error('not a file');
      text = readFileSync(path);
    } catch (e) {
      if (named) plan.skipped.push(`key ${path}: cannot read it (${(e as Error).message})`);
      return;
    }
    const parsed = ssh2.utils.parseKey(text);
    if (parsed instanceof Error) {
      if (/encrypted/i.test(parsed.message)) {
        plan.skipped.push(`key ${path} is passphrase-protected: load it into ssh-agent (ssh-add ${path})`);
      } else {
        plan.skipped.push(`key ${path}: ${parsed.message}`);
      }
      return;
    }
    plan.methods.push({ type: 'publickey', username: ep.user, key: text });
    plan.tried.push(`key ${path}`);
  };
  if (ep.keyFile) addKey(ep.keyFile, true);
  if (agent && existsSync(agent)) {
    plan.methods.push({ type: 'agent', username: ep.user, agent });
    plan.tried.push('ssh-agent');
  }
  if (!ep.keyFile) for (const id of DEFAULT_IDS) addKey(join(home, '.ssh', id), false);
  return plan;
}

export function noAuthError(where: string, plan: AuthPlan): CdError {
  const skipped = plan.skipped.length ? ` (${plan.skipped.join('; ')})` : '';
  return new CdError(
    'SSH_AUTH_FAILED',
    `${where}: no usable credentials: name a key file, or start ssh-agent with your key loaded${skipped}`,
    { skipped: plan.skipped },
  );
}

export function authFailedError(where: string, plan: AuthPlan): CdError {
  const skipped = plan.skipped.length ? `; skipped: ${plan.skipped.join('; ')}` : '';
  return new CdError('SSH_AUTH_FAILED', `${where}: authentication failed; tried ${plan.tried.join(', ')}${skipped}`, {
    tried: plan.tried,
    skipped: plan.skipped,
  });
}
