import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { requireProgram } from '../support/programs';
import { LabCommandError, LabTimeoutError } from './errors';

export { which } from '../support/programs';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a short command with a hard deadline; throws LabCommandError on non-zero exit unless allowFail. */
export function run(
  argv: string[],
  opts: { timeoutMs?: number; allowFail?: boolean; env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<RunResult> {
  const [name, ...args] = argv;
  if (!name) throw new Error('run: empty argv');
  // A missing program names its Debian package here, not as a puzzling ENOENT later.
  const cmd = requireProgram(name);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const child = execFile(
      cmd,
      args,
      { timeout: timeoutMs, killSignal: 'SIGKILL', env: opts.env ?? process.env, maxBuffer: 8 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { code?: number | string; killed?: boolean }) | null;
        if (e?.killed) {
          reject(new LabTimeoutError(`command did not finish within ${timeoutMs} ms: ${argv.join(' ')}`));
          return;
        }
        if (e && typeof e.code === 'string') {
          reject(new LabCommandError(argv.join(' '), null, `${e.code}: ${e.message}`));
          return;
        }
        const code = e ? (typeof e.code === 'number' ? e.code : null) : 0;
        if (code !== 0 && !opts.allowFail) {
          reject(new LabCommandError(argv.join(' '), code, String(stderr)));
          return;
        }
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
}

function stateOf(statPath: string): string | null {
  try {
    const stat = readFileSync(statPath, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return null;
  }
}

/**
 * Alive means some thread still runs. A zombie nobody reaps (PID 1 here may not) counts as gone,
 * but a zombie thread-group leader whose other threads are still exiting does not: those threads
 * still hold the process's sockets (HAProxy and node are multi-threaded).
 */
export function isAlive(pid: number): boolean {
  const state = stateOf(`/proc/${pid}/stat`);
  if (state === null) return false;
  if (state !== 'Z' && state !== 'X') return true;
  let tasks: string[] = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return false;
  }
  return tasks.some((t) => {
    const s = stateOf(`/proc/${pid}/task/${t}/stat`);
    return s !== null && s !== 'Z' && s !== 'X';
  });
}

/** Kernel start time of a pid (clock ticks since boot); with the pid it names one process even after pid reuse. */
export function startTimeOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const v = Number(fields[19]);
    return Number.isFinite(v) ? v : null;
  } catch {
    return null;
  }
}

export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits (bounded) until none of the pids is alive; returns those still alive. */
export async function waitGone(pids: number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  const maxRounds = Math.ceil(timeoutMs / 25) + 1;
  let left = pids.filter(isAlive);
  for (let i = 0; i < maxRounds && left.length > 0 && Date.now() < deadline; i++) {
    await sleep(25);
    left = left.filter(isAlive);
  }
  return left;
}

/** SIGTERM, bounded wait, then SIGKILL and another bounded wait; returns pids that survived even that. */
export async function terminate(pids: number[], graceMs = 3000): Promise<number[]> {
  const live = pids.filter(isAlive);
  if (live.length === 0) return [];
  for (const p of live) signal(p, 'SIGTERM');
  const stubborn = await waitGone(live, graceMs);
  for (const p of stubborn) signal(p, 'SIGKILL');
  return waitGone(stubborn, 2000);
}

/** Pids of processes inside a network namespace (`ip netns pids`); empty when the netns is gone. */
export async function netnsPids(ns: string): Promise<number[]> {
  const r = await run(['ip', 'netns', 'pids', ns], { allowFail: true, timeoutMs: 5000 });
  if (r.code !== 0) return [];
  return r.stdout
    .split(/\s+/)
    .filter(Boolean)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0 && isAlive(n));
}

/** Host processes whose command line mentions a path (e.g. ssh-agents bound inside a dead lab's dir). */
export function pidsMentioning(path: string): number[] {
  const out: number[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const pid = Number(e);
    if (pid === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${e}/cmdline`, 'utf8');
      if (cmd.includes(path) && isAlive(pid)) out.push(pid);
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

export function tail(file: string, lines = 20): string {
  try {
    const all = readFileSync(file, 'utf8').trimEnd().split('\n');
    return all.slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
