/**
 * Test helpers: an SshLink whose exec runs the command in a local POSIX sh (dash on Debian, so the
 * scripts are held to plain sh), recording every command; and FileOps with injected failures.
 */
import { spawn } from 'node:child_process';
import type { SshLink, ExecResult } from '../ssh/ssh-link';
import { CdError } from '../../shared/errors';
import type { FileOps } from './file-ops';

export interface LocalLink extends SshLink {
  commands: string[];
  /** When set, exec fails like a link that went away mid-command. */
  cut: boolean;
}

/** Only name, key, exec, connect and close are real; anything else throws if a test reaches it. */
export function localLink(name: string): LocalLink {
  const commands: string[] = [];
  const base = {
    name,
    key: `local:${name}`,
    commands,
    cut: false,
    connect: async (): Promise<void> => undefined,
    close: async (): Promise<void> => undefined,
    exec(command: string, o: { timeoutMs?: number; stdin?: string | Buffer; maxBytes?: number } = {}): Promise<ExecResult> {
      commands.push(command);
      if (base.cut) return Promise.resolve({ code: null, signal: null, stdout: '', stderr: '' });
      return new Promise<ExecResult>((resolve, reject) => {
        const child = spawn('sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'] });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new CdError('TIMEOUT', `${name}: "${command}" did not finish within ${o.timeoutMs} ms`));
        }, o.timeoutMs ?? 30_000);
        child.stdout.on('data', (d: Buffer) => out.push(d));
        child.stderr.on('data', (d: Buffer) => err.push(d));
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
        });
        child.stdin.on('error', () => undefined);
        child.stdin.end(o.stdin ?? '');
      });
    },
  };
  return new Proxy(base, {
    get(target, prop, receiver) {
      if (prop in target) return Reflect.get(target, prop, receiver);
      if (typeof prop === 'symbol' || prop === 'then') return undefined;
      return () => {
        throw new Error(`${String(prop)} is not available on a local test link`);
      };
    },
  }) as unknown as LocalLink;
}

type OpName = keyof FileOps;

/** Wraps FileOps so that `fail(op, target)` can throw (or lose the link) for one host and one operation. */
export function faultyOps(base: FileOps, fail: (op: OpName, host: string) => CdError | null): FileOps {
  const wrap = <K extends OpName>(op: K): FileOps[K] =>
    (async (link: SshLink, ...args: unknown[]) => {
      const e = fail(op, link.name);
      if (e) throw e;
      return (base[op] as (...a: unknown[]) => Promise<unknown>)(link, ...args);
    }) as FileOps[K];
  return {
    read: wrap('read'),
    sweep: wrap('sweep'),
    stage: wrap('stage'),
    validate: wrap('validate'),
    backup: wrap('backup'),
    rename: wrap('rename'),
    restore: wrap('restore'),
    removeCreated: wrap('removeCreated'),
    remove: wrap('remove'),
    prune: wrap('prune'),
    sha256: wrap('sha256'),
  };
}
