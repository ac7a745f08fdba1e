import { Client, type ConnectConfig } from 'ssh2';
import type { SshEndpoint } from '../../shared/domain/cluster';
import { CdError } from '../../shared/errors';
import { authFailedError, noAuthError, planAuth, type AuthEnv } from './auth';
import { handshakeTimeoutError } from './connect-deadline';
import { sshError } from './ssh-errors';

/** One connection attempt's host-key check: what to offer in key exchange, and the verdict. */
export interface HostKeyAttempt {
  algorithms: string[] | undefined;
  verify(blob: Buffer, cb: (ok: boolean) => void): void;
  /** The refusal, if the key was refused. */
  outcome(): CdError | null;
}
/** restrict=false offers every key type: used once when the server has none of the pinned types, to name the changed key. */
export type HostKeyGuard = (host: string, port: number, names: string[], opts: { restrict: boolean }) => Promise<HostKeyAttempt>;

export interface HandshakeOptions {
  endpoint: SshEndpoint;
  /** "lb1 (root@10.88.0.21:22)", for messages. */
  where: string;
  /** Inventory names dialing this address (shown in host-key prompts). */
  names: string[];
  hostKeys: HostKeyGuard;
  auth?: AuthEnv;
  /** From dialling to authenticated (ssh2's readyTimeout). */
  deadlineMs: number;
  /** The connection failed or closed after it was up; the link decides whether it still cares about `c`. */
  onDrop(c: Client, err: CdError): void;
}

export function dropClient(c: Client): void {
  c.removeAllListeners('ready');
  try {
    c.destroy();
  } catch {
    // already gone
  }
}

const noMatchingHostKey = (e: unknown): boolean => e instanceof Error && /no matching host key format/i.test(e.message);

/**
 * A connected, authenticated client. If the server has none of the pinned key types (reinstalled?),
 * looks once more without the restriction so the refusal can show the key it presents now next to
 * the pinned one.
 */
export async function openClient(o: HandshakeOptions): Promise<Client> {
  try {
    return await handshake(o, true);
  } catch (e) {
    if (!noMatchingHostKey(e)) throw e;
    return handshake(o, false);
  }
}

async function handshake(o: HandshakeOptions, restrict: boolean): Promise<Client> {
  const ep = o.endpoint;
  const where = o.where;
  const plan = planAuth(ep, o.auth);
  if (plan.methods.length === 0) throw noAuthError(where, plan);
  const hk = await o.hostKeys(ep.host, ep.port, o.names, { restrict });
  // A fresh Client per attempt: reusing one across reconnects leaks listeners (ssh2 #451, #717).
  const c = new Client();
  await new Promise<void>((resolve, reject) => {
    let settled = false;
    const fail = (e: unknown): void => {
      if (settled) return;
      settled = true;
      dropClient(c);
      const refused = hk.outcome();
      if (refused) return reject(refused);
      if (noMatchingHostKey(e)) return reject(e);
      const mapped = sshError(e, where);
      if (mapped.code === 'SSH_AUTH_FAILED') return reject(authFailedError(where, plan));
      reject(mapped.code === 'SSH_TIMEOUT' ? handshakeTimeoutError(where, o.deadlineMs) : mapped);
    };
    // ssh2 can emit 'error' more than once for one failed handshake; a listener must stay attached.
    c.on('error', (e) => {
      if (!settled) return fail(e);
      o.onDrop(c, sshError(e, where));
    });
    c.on('close', () => {
      if (!settled) return fail(new Error('Connection lost before handshake'));
      o.onDrop(c, new CdError('SSH_DISCONNECTED', `${where}: the connection closed`));
    });
    c.on('ready', () => {
      if (settled) return;
      settled = true;
      resolve();
    });
    const methods = [...plan.methods];
    const cfg: ConnectConfig = {
      host: ep.host,
      port: ep.port,
      username: ep.user,
      readyTimeout: o.deadlineMs,
      keepaliveInterval: 0, // our own heartbeat measures RTT and counts misses
      hostVerifier: (blob: Buffer, cb: (ok: boolean) => void) => hk.verify(blob, cb),
      authHandler: (_left, _partial, next) => {
        const m = methods.shift();
        next(m ?? (false as unknown as never));
      },
      ...(hk.algorithms ? { algorithms: { serverHostKey: hk.algorithms as never } } : {}),
    };
    try {
      c.connect(cfg);
      // ssh2 leaves Nagle on; with delayed ACKs a runtime command then costs 40+ ms instead of <1 ms.
      c.setNoDelay(true);
    } catch (e) {
      fail(e);
    }
  });
  return c;
}

/**
 * sshd sets TCP_NODELAY on its side only when the first session on a connection asks for a PTY
 * (packet.c: ssh_packet_set_interactive is honoured once); without it a runtime command costs
 * 40+ ms of Nagle and delayed ACKs instead of under a millisecond. The option is set when the PTY
 * session starts, so the exec's confirmation is all we wait for; the session then ends by itself.
 */
export function primeNoDelay(c: Client): Promise<void> {
  return new Promise((resolve) => {
    if (process.env.CLUSTERDECK_NO_PTY_PRIMER === '1') return resolve();
    const t = setTimeout(resolve, 2_000);
    c.exec('true', { pty: { term: 'dumb', rows: 1, cols: 80 } }, (err, stream) => {
      clearTimeout(t);
      resolve();
      if (err) return;
      stream.resume();
      stream.stderr?.resume();
      stream.end();
    });
  });
}
