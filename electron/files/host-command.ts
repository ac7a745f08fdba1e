/**
 * A managed file's own commands on its host (reload, check) and the wait for its service port,
 * each bounded in time; a failure is a CdError naming the host and carrying the command's output.
 */
import { CdError } from '../../shared/errors';
import { boundOutput } from '../config/remote-scripts';
import type { SshLink } from '../ssh/ssh-link';
import type { CommandLog } from './command-recorder';

export const COMMAND_TIMEOUT_MS = 60_000;
const PORT_POLL_MS = 200;
const PORT_ATTEMPT_MS = 3_000;

/** Runs `command` (stderr folded into stdout, in order); resolves with its output, rejects on a non-zero exit. */
export async function runHostCommand(link: SshLink, command: string, what: string, timeoutMs = COMMAND_TIMEOUT_MS): Promise<string> {
  const r = await link.exec(`exec 2>&1\n${command}`, { timeoutMs, maxBytes: 256 * 1024 });
  const out = boundOutput(`${r.stdout}${r.stderr}`, 1000);
  if (r.code === null && r.signal === null) {
    throw new CdError('SSH_DISCONNECTED', `${link.name}: the connection was lost while running the ${what} command`, { host: link.name, command });
  }
  if (r.code !== 0) {
    const how = r.code === null ? `was killed by signal ${r.signal}` : `exited with ${r.code}`;
    throw new CdError('NOT_CONFIRMED', `${link.name}: the ${what} command ${how}: ${out || 'no output'}`, { host: link.name, command, output: out });
  }
  return out;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CdError('TIMEOUT', what)), ms);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

/**
 * Waits until something accepts connections on address:port as seen from the host itself (a
 * direct-tcpip channel through its SSH connection: nothing is dialled from this machine).
 * Resolves with how long it took; rejects with TIMEOUT after `seconds`.
 */
export async function waitForPort(link: SshLink, address: string, port: number, seconds: number, o: { log?: CommandLog; signal?: AbortSignal | undefined } = {}): Promise<number> {
  const t0 = performance.now();
  const deadline = Date.now() + seconds * 1000;
  const label = `(wait for a connection to ${address}:${port} through the SSH link, up to ${seconds} s)`;
  let last = 'no attempt';
  const rounds = Math.ceil((seconds * 1000) / PORT_POLL_MS) + 2;
  for (let i = 0; i < rounds; i++) {
    if (o.signal?.aborted) break;
    // Through a promise even if openTcp throws at once: every failure is one more attempt, not an escape.
    const attempt = Promise.resolve().then(() => link.openTcp(address, port));
    try {
      const ch = await withTimeout(attempt, Math.max(100, Math.min(PORT_ATTEMPT_MS, deadline - Date.now())), `no answer within ${PORT_ATTEMPT_MS} ms`);
      ch.destroy();
      const ms = Math.round(performance.now() - t0);
      o.log?.add({ host: link.name, command: label, ok: true, ms });
      return ms;
    } catch (e) {
      // A channel that opens after we gave up on it must not stay open.
      attempt.then((ch) => ch.destroy(), () => undefined);
      last = e instanceof Error ? e.message : String(e);
    }
    if (Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, Math.min(PORT_POLL_MS, Math.max(0, deadline - Date.now()))));
  }
  o.log?.add({ host: link.name, command: label, ok: false, ms: Math.round(performance.now() - t0) });
  throw new CdError('TIMEOUT', `${link.name}: nothing answered on ${address}:${port} within ${seconds} s (last attempt: ${last})`, { host: link.name, port });
}
