import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { missingFromShell } from '../support/programs';
import { run, type RunResult } from './exec';
import { listLinks, listNetns } from './netns';
import { HOST_NAMES, lockPath, slotOfName } from './plan';
import type { HostKeyType, HostName, Lab } from './types';

/** Test-side helpers: drive the lab with the system OpenSSH client, never touching ~/.ssh. */

export interface SshOptions {
  /** 'accept-new' with a fresh file, or 'pinned' with the lab's known_hosts lines. */
  trust?: 'accept-new' | 'pinned';
  knownHostsFile?: string;
  hostKeyTypes?: HostKeyType[];
  agentSocket?: string;
  timeoutMs?: number;
}

export function tempKnownHosts(lines: string[] = []): string {
  const d = mkdtempSync(`${tmpdir()}/cdlab-kh-`);
  const f = `${d}/known_hosts`;
  writeFileSync(f, lines.length ? `${lines.join('\n')}\n` : '');
  return f;
}

export function removeTempKnownHosts(file: string): void {
  if (file.includes('/cdlab-kh-')) rmSync(file.replace(/\/known_hosts$/, ''), { recursive: true, force: true });
}

export function sshArgs(lab: Lab, host: HostName, command: string, o: SshOptions = {}): string[] {
  const h = lab.hosts[host];
  const kh = o.knownHostsFile ?? lab.knownHostsFile;
  return [
    'ssh',
    '-F',
    '/dev/null',
    '-o', 'BatchMode=yes',
    '-o', 'ConnectTimeout=5',
    '-o', 'LogLevel=ERROR',
    '-o', `UserKnownHostsFile=${kh}`,
    '-o', 'GlobalKnownHostsFile=/dev/null',
    '-o', `StrictHostKeyChecking=${o.trust === 'accept-new' ? 'accept-new' : 'yes'}`,
    ...(o.hostKeyTypes ? ['-o', `HostKeyAlgorithms=${o.hostKeyTypes.join(',')}`] : []),
    ...(o.agentSocket
      ? ['-o', `IdentityAgent=${o.agentSocket}`, '-o', 'IdentityFile=none']
      : ['-o', 'IdentityAgent=none', '-o', 'IdentitiesOnly=yes', '-i', lab.keyFile]),
    '-p', String(h.sshPort),
    `root@${h.ip}`,
    command,
  ];
}

/** Lab hosts run this machine's binaries: a command a host's shell cannot find fails naming its package. */
export async function ssh(lab: Lab, host: HostName, command: string, o: SshOptions = {}): Promise<RunResult> {
  const r = await run(sshArgs(lab, host, command, o), { allowFail: true, timeoutMs: o.timeoutMs ?? 15_000 });
  const missing = missingFromShell(r.stderr);
  if (missing) throw missing;
  return r;
}

/** Every trace a lab of this slot/dir could leave on the machine, for the "stop leaves nothing" checks. */
export async function traces(slot: number, dir: string, pids: number[]): Promise<string[]> {
  const out: string[] = [];
  for (const n of await listNetns()) if (slotOfName(n) === slot) out.push(`netns ${n}`);
  for (const l of await listLinks()) if (slotOfName(l) === slot) out.push(`link ${l}`);
  for (const p of pids) if (existsSync(`/proc/${p}`) && !/\) Z /.test(safeRead(`/proc/${p}/stat`))) out.push(`pid ${p} alive`);
  if (existsSync(dir)) out.push(`dir ${dir}`);
  if (existsSync(lockPath(slot))) out.push(`lock ${lockPath(slot)}`);
  const rules = await run(['iptables', '-S', 'FORWARD'], { allowFail: true });
  if (rules.stdout.includes(`clusterdeck-lab-${slot} `)) out.push('iptables rule');
  for (const e of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    if (Number(e) === process.pid) continue;
    if (safeRead(`/proc/${e}/cmdline`).includes(`${dir}/`) && !/\) Z /.test(safeRead(`/proc/${e}/stat`))) out.push(`process ${e} uses ${dir}`);
  }
  return out;
}

function safeRead(f: string): string {
  try {
    return readFileSync(f, 'utf8');
  } catch {
    return '';
  }
}

export const ALL_HOSTS = HOST_NAMES;

/** Highest slot with no lock and no leftovers, for tests that need a fixed slot without colliding with running labs. */
export async function freeSlot(exclude: number[] = []): Promise<number> {
  const [ns, links] = await Promise.all([listNetns(), listLinks()]);
  const used = new Set([...ns, ...links].map(slotOfName).filter((s): s is number => s !== null));
  for (let s = 15; s >= 0; s--) if (!exclude.includes(s) && !used.has(s) && !existsSync(lockPath(s))) return s;
  throw new Error('no free lab slot for this test');
}

export interface AppConfig {
  node: string;
  /** How many (re)loads the app attempted since it started. */
  gen: number;
  /** SHA-256 of the configuration the app runs (null if it never loaded one). */
  sha256: string | null;
  loadedAt: number | null;
  /** Why the last reload was rejected (the previous configuration stayed), or null. */
  rejected: string | null;
  values: Record<string, string>;
}

/** What the lab app on `node` has loaded, from its GET /config. */
export async function appConfig(lab: Lab, node: 'node1' | 'node2' | 'node3'): Promise<AppConfig> {
  const { httpGet } = await import('./wait');
  const { APP_PORT } = await import('./plan');
  const r = await httpGet(lab.hosts[node].ip, APP_PORT, '/config', { timeoutMs: 2000 });
  if (r.status !== 200) throw new Error(`GET /config on ${node}: HTTP ${r.status}: ${r.body.slice(0, 200)}`);
  return JSON.parse(r.body) as AppConfig;
}
