import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { isAlive, netnsPids, signal, startTimeOf, terminate, waitGone } from './exec';
import { hostCommand } from './render';
import type { HostName, LabHost, ServiceName } from './types';

/** Clean env for lab services: nothing of the test runner (NODE_OPTIONS, tsx loaders...) leaks in. */
export const SERVICE_ENV: NodeJS.ProcessEnv = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  LANG: 'C.UTF-8',
  HOME: '/root',
};

export interface ServiceProc {
  host: HostName;
  service: ServiceName;
  pid: number;
  startTime: number | null;
  log: string;
  exited: Promise<number | null>;
  exitCode?: number | null;
}

/** Every long-running process the lab started, keyed host/service, so stop() and faults find them by pid. */
export class ProcessTable {
  private readonly procs = new Map<string, ServiceProc>();
  private readonly extra = new Set<number>();

  get(host: HostName, service: ServiceName): ServiceProc | undefined {
    return this.procs.get(`${host}/${service}`);
  }

  running(host: HostName, service: ServiceName): ServiceProc | undefined {
    const p = this.get(host, service);
    return p && p.exitCode === undefined && isAlive(p.pid) && startTimeOf(p.pid) === p.startTime ? p : undefined;
  }

  /**
   * Spawns `ip netns exec <ns> unshare --mount ... sh -c '<binds>; exec <argv>'`; exec all the way
   * down, so the pid we get is the service's own pid. Detached: a Ctrl-C in the terminal reaches
   * only the lab's owner, which then stops services in order.
   */
  spawn(host: LabHost, service: ServiceName, binds: ReadonlyArray<readonly [string, string]>, argv: string[], log: string): ServiceProc {
    const fd = openSync(log, 'a');
    let child;
    try {
      const [cmd, ...args] = hostCommand(host, binds, argv);
      child = spawn(cmd as string, args, { detached: true, stdio: ['ignore', fd, fd], env: SERVICE_ENV });
    } finally {
      closeSync(fd);
    }
    const pid = child.pid;
    if (pid === undefined) throw new Error(`could not spawn ${service} on ${host.name}`);
    const proc: ServiceProc = {
      host: host.name,
      service,
      pid,
      startTime: startTimeOf(pid),
      log,
      exited: new Promise((resolve) => {
        child.once('exit', (code) => {
          proc.exitCode = code;
          resolve(code);
        });
        child.once('error', () => {
          proc.exitCode = null;
          resolve(null);
        });
      }),
    };
    // A lab the caller forgot to stop must not keep the test runner alive; cleanup reclaims it.
    child.unref();
    this.procs.set(`${host.name}/${service}`, proc);
    return proc;
  }

  /** A host-side helper process (ssh-agent) that stop() must also kill. */
  trackExtra(pid: number): void {
    this.extra.add(pid);
  }

  untrackExtra(pid: number): void {
    this.extra.delete(pid);
  }

  /** Stops one service by pid (SIGTERM, bounded wait, SIGKILL); returns once it is gone. */
  async stopService(host: HostName, service: ServiceName, sig: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const p = this.get(host, service);
    if (!p) return;
    if (sig === 'SIGKILL') {
      signal(p.pid, 'SIGKILL');
      await waitGone([p.pid], 3000);
    } else {
      await terminate([p.pid], 5000);
    }
  }

  allPids(): number[] {
    return [...[...this.procs.values()].map((p) => p.pid), ...this.extra];
  }
}

/** Kills every process inside the given namespaces (sessions, workers, anything) — bounded, SIGKILL last. */
export async function sweepNetns(namespaces: string[], rounds = 3): Promise<number[]> {
  let left: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const pids = (await Promise.all(namespaces.map(netnsPids))).flat();
    if (pids.length === 0) return [];
    left = await terminate(pids, i === 0 ? 2000 : 500);
  }
  const still = (await Promise.all(namespaces.map(netnsPids))).flat();
  return still.length ? still : left;
}
