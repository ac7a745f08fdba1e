import { spawn } from 'node:child_process';
import { closeSync, openSync, rmSync } from 'node:fs';
import net from 'node:net';
import type { LabCore } from './context';
import { LabError } from './errors';
import { requireProgram } from '../support/programs';
import { run, tail, terminate } from './exec';
import { keysDir, logPath } from './layout';
import type { LabAgent } from './types';
import { waitFor } from './wait';

function connectable(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ path });
    s.on('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

/**
 * A host-side ssh-agent holding the passphrase-protected key, unlocked through SSH_ASKPASS so no
 * terminal is needed. The lab tracks its pid; lab.stop() kills it too.
 */
export async function startAgent(core: LabCore, n: number, encryptedKeyFile: string, fingerprint: string): Promise<LabAgent> {
  const socket = n === 1 ? `${core.dir}/agent.sock` : `${core.dir}/agent-${n}.sock`;
  const log = logPath(core.dir, 'host', n === 1 ? 'ssh-agent' : `ssh-agent-${n}`);
  const fd = openSync(log, 'a');
  let pid: number | undefined;
  try {
    const child = spawn(requireProgram('ssh-agent'), ['-D', '-a', socket], { detached: true, stdio: ['ignore', fd, fd] });
    child.on('error', () => undefined);
    child.unref();
    pid = child.pid;
  } finally {
    closeSync(fd);
  }
  if (pid === undefined) throw new LabError('service', 'could not spawn ssh-agent', { service: 'ssh-agent' });
  const agentPid = pid;
  core.procs.trackExtra(agentPid);
  const stop = async (): Promise<void> => {
    await terminate([agentPid], 2000);
    core.procs.untrackExtra(agentPid);
    rmSync(socket, { force: true });
  };
  try {
    await waitFor(() => connectable(socket), { timeoutMs: 5000, intervalMs: 25, what: `ssh-agent socket ${socket}`, detail: () => tail(log) });
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      SSH_AUTH_SOCK: socket,
      SSH_ASKPASS: `${keysDir(core.dir)}/askpass.sh`,
      SSH_ASKPASS_REQUIRE: 'force',
      // ssh-add only consults SSH_ASKPASS when it believes there is a display.
      DISPLAY: process.env.DISPLAY ?? ':0',
    };
    await run(['ssh-add', encryptedKeyFile], { env, timeoutMs: 10_000 });
    const listed = await run(['ssh-add', '-l'], { env, timeoutMs: 5000 });
    if (!listed.stdout.includes(fingerprint)) {
      throw new LabError('service', `ssh-agent does not list the lab key ${fingerprint}: ${listed.stdout.trim()}`, { service: 'ssh-agent' });
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { socket, pid: agentPid, stop };
}
