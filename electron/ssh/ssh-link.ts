import type { Duplex } from 'node:stream';
import { Client, type ClientChannel, type ConnectConfig } from 'ssh2';
import type { SshEndpoint } from '../../shared/domain/cluster';
import type { LinkState, LinkStatus } from '../../shared/domain/status';
import { CdError } from '../../shared/errors';
import { authFailedError, noAuthError, planAuth, type AuthEnv } from './auth';
import { createChannelLimit } from './channel-limit';
import { onReply, onTick, sendPing, type BeatState } from './heartbeat';
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

export interface SshLinkOptions {
  name: string;
  role: 'node' | 'lb';
  endpoint: SshEndpoint;
  /** Other inventory names dialing the same address (shown in host-key prompts). */
  names?: string[];
  hostKeys: HostKeyGuard;
  auth?: AuthEnv;
  heartbeat: { intervalMs: number; maxMissed: number };
  /** Reconnect with backoff after a drop (desktop); one-shot CLI runs leave it off. */
  reconnect: boolean;
  readyTimeoutMs?: number;
  maxChannels?: number;
  onStatus?: (s: LinkStatus) => void;
  /** Reports each exec'd command and its result for the command log. */
  onCommand?: (c: { command: string; reply: string; ms: number; error: CdError | null }) => void;
}

export interface ExecResult {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

export interface SshLink {
  readonly name: string;
  readonly key: string;
  status(): LinkStatus;
  /** Resolves once connected and authenticated (connecting if needed); rejects with a typed error. */
  connect(): Promise<void>;
  exec(command: string, opts?: { timeoutMs?: number; stdin?: string | Buffer; maxBytes?: number }): Promise<ExecResult>;
  /** A channel to a unix socket on the host (direct-streamlocal@openssh.com); holds a channel slot until closed. */
  openUnixSocket(path: string): Promise<Duplex>;
  /** A channel to host:port as seen from the host (direct-tcpip); holds a channel slot until closed. */
  openTcp(host: string, port: number): Promise<Duplex>;
  /** One extra heartbeat now; resolves with its round trip in ms (recorded like any beat). */
  ping(timeoutMs?: number): Promise<number>;
  /** Heartbeat round trips kept in memory (newest last). */
  rttHistory(): ReadonlyArray<{ at: number; ms: number }>;
  /** Applies new heartbeat settings at once (a cluster's failover settings changed). */
  setHeartbeat(hb: { intervalMs: number; maxMissed: number }): void;
  /** Channels open right now (runtime sessions, execs), for diagnostics and leak checks. */
  channelsInUse(): number;
  /** Forces an immediate reconnect attempt (after a host key was accepted, say); clears a held refusal. */
  retryNow(): void;
  close(): Promise<void>;
}

const RTT_HISTORY = 3600;
const CHANNEL_WAIT_MS = 15_000;

export function linkKey(ep: SshEndpoint): string {
  return `${ep.user}@${ep.host}:${ep.port}`;
}

export function createSshLink(opts: SshLinkOptions): SshLink {
  const ep = opts.endpoint;
  const key = linkKey(ep);
  const where = `${opts.name} (${key})`;
  const limit = createChannelLimit(opts.maxChannels ?? 8);
  const history: Array<{ at: number; ms: number }> = [];
  let { intervalMs, maxMissed } = opts.heartbeat;
  const readyTimeoutMs = opts.readyTimeoutMs ?? Math.min(20_000, Math.max(3_000, intervalMs * (maxMissed + 1)));

  let status: LinkStatus = {
    host: opts.name,
    role: opts.role,
    target: key,
    state: 'idle',
    rttMs: null,
    recentRttMs: [],
    missedBeats: 0,
    since: Date.now(),
    lastError: null,
  };
  let client: Client | null = null;
  let connecting: Promise<void> | null = null;
  let closed = false;
  let beatTimer: ReturnType<typeof setInterval> | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let attempt = 0;
  // A refused host key needs the admin: until retryNow(), connect() answers with the same refusal
  // instead of handshaking (and announcing the key) again on every status read.
  let held: CdError | null = null;
  let beat: BeatState = { outstanding: [], missed: 0 };
  const liveChannels = new Set<ClientChannel>();

  const setStatus = (patch: Partial<LinkStatus>): void => {
    const changedState = patch.state !== undefined && patch.state !== status.state;
    status = { ...status, ...patch, ...(changedState ? { since: Date.now() } : {}) };
    opts.onStatus?.(status);
  };

  const recordRtt = (ms: number, heartbeat: boolean): void => {
    history.push({ at: Date.now(), ms });
    if (history.length > RTT_HISTORY) history.splice(0, history.length - RTT_HISTORY);
    const recentRttMs = [...status.recentRttMs.slice(-59), ms];
    setStatus(heartbeat ? { rttMs: ms, recentRttMs, missedBeats: 0 } : { rttMs: ms, recentRttMs });
  };

  const stopBeat = (): void => {
    if (beatTimer) clearInterval(beatTimer);
    beatTimer = null;
  };

  const dropClient = (c: Client): void => {
    c.removeAllListeners('ready');
    try {
      c.destroy();
    } catch {
      // already gone
    }
  };

  // A dead link is only noticed by missed heartbeats: with keepalive off, ssh2 emits no error or
  // close for a peer that silently disappears.
  const startBeat = (c: Client): void => {
    stopBeat();
    beat = { outstanding: [], missed: 0 };
    const tick = (): void => {
      if (client !== c) return stopBeat();
      beat = onTick(beat, performance.now(), intervalMs);
      if (beat.missed >= maxMissed) {
        const err = new CdError('SSH_TIMEOUT', `${where}: ${beat.missed} heartbeats (every ${intervalMs} ms) went unanswered`, {
          where,
          missed: beat.missed,
        });
        onLost(c, err, 'unreachable');
        return;
      }
      if (beat.missed !== status.missedBeats) setStatus({ missedBeats: beat.missed });
      const sent = sendPing(c, () => {
        if (client !== c) return;
        const r = onReply(beat, performance.now());
        beat = r.state;
        if (r.rttMs !== null) recordRtt(Math.round(r.rttMs * 100) / 100, true);
      });
      if (!sent) {
        stopBeat();
        setStatus({ lastError: new CdError('INTERNAL', `${where}: ssh2 internals changed; heartbeat unavailable`).toData() });
      }
    };
    beatTimer = setInterval(tick, intervalMs);
    beatTimer.unref?.();
    tick();
  };

  const scheduleRetry = (): void => {
    if (!opts.reconnect || closed || retryTimer) return;
    // Exponential backoff with jitter so a fleet of links doesn't reconnect in lockstep
    // (sshd's MaxStartups drops unauthenticated connections at random when they pile up).
    const base = Math.min(30_000, 500 * 2 ** Math.min(attempt, 6));
    const delay = Math.round(base * (0.75 + Math.random() * 0.5));
    attempt++;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void connect().catch(() => undefined);
    }, delay);
    retryTimer.unref?.();
  };

  const onLost = (c: Client, err: CdError, state: LinkState): void => {
    if (client !== c) return;
    client = null;
    stopBeat();
    for (const ch of liveChannels) ch.destroy();
    liveChannels.clear();
    limit.failWaiters(err);
    dropClient(c);
    if (closed) return;
    setStatus({ state, lastError: err.toData(), missedBeats: beat.missed });
    scheduleRetry();
  };

  const stateFor = (err: CdError): LinkState => {
    if (err.code === 'HOST_KEY_UNKNOWN') return 'host-key-unknown';
    if (err.code === 'HOST_KEY_CHANGED' || err.code === 'HOST_KEY_REVOKED') return 'host-key-changed';
    if (err.code === 'SSH_AUTH_FAILED') return 'auth-failed';
    return 'unreachable';
  };

  const attemptOnce = async (): Promise<void> => {
    try {
      await handshake(true);
    } catch (e) {
      // The server has none of the pinned key types (reinstalled?): look once more without the
      // restriction so the refusal can show the key it presents now next to the pinned one.
      if (!(e instanceof Error) || !/no matching host key format/i.test(e.message)) throw e;
      await handshake(false);
    }
  };

  const handshake = async (restrict: boolean): Promise<void> => {
    const plan = planAuth(ep, opts.auth);
    if (plan.methods.length === 0) throw noAuthError(where, plan);
    const hk = await opts.hostKeys(ep.host, ep.port, opts.names ?? [opts.name], { restrict });
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
        if (e instanceof Error && /no matching host key format/i.test(e.message)) return reject(e);
        const mapped = sshError(e, where);
        reject(mapped.code === 'SSH_AUTH_FAILED' ? authFailedError(where, plan) : mapped);
      };
      // ssh2 can emit 'error' more than once for one failed handshake; a listener must stay attached.
      c.on('error', (e) => {
        if (!settled) return fail(e);
        if (client === c) onLost(c, sshError(e, where), 'unreachable');
      });
      c.on('close', () => {
        if (!settled) return fail(new Error('Connection lost before handshake'));
        if (client === c) onLost(c, new CdError('SSH_DISCONNECTED', `${where}: the connection closed`), 'unreachable');
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
        readyTimeout: readyTimeoutMs,
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
    client = c;
    await primeNoDelay(c).catch(() => undefined);
  };

  // sshd sets TCP_NODELAY on its side only when the first session on a connection asks for a PTY
  // (packet.c: ssh_packet_set_interactive is honoured once); without it a runtime command costs
  // 40+ ms of Nagle and delayed ACKs instead of under a millisecond. The option is set when the PTY
  // session starts, so the exec's confirmation is all we wait for; the session then ends by itself.
  const primeNoDelay = (c: Client): Promise<void> =>
    new Promise((resolve) => {
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

  const connect = (): Promise<void> => {
    if (closed) return Promise.reject(new CdError('SSH_DISCONNECTED', `${where}: link closed`));
    if (client) return Promise.resolve();
    if (held) return Promise.reject(held);
    if (connecting) return connecting;
    // A host that was lost stays "unreachable" while we try again: only success changes that.
    if (status.state !== 'unreachable') setStatus({ state: 'connecting' });
    connecting = attemptOnce()
      .then(() => {
        attempt = 0;
        setStatus({ state: 'up', lastError: null, missedBeats: 0 });
        if (client) startBeat(client);
      })
      .catch((e: unknown) => {
        const err = sshError(e, where);
        const state = stateFor(err);
        if (state === 'host-key-unknown' || state === 'host-key-changed') held = err;
        setStatus({ state, lastError: err.toData() });
        // A refused host key or failed authentication needs the admin, not a retry loop.
        if (stateFor(err) === 'unreachable') scheduleRetry();
        throw err;
      })
      .finally(() => {
        connecting = null;
      });
    return connecting;
  };

  const withClient = async (): Promise<Client> => {
    await connect();
    if (!client) throw new CdError('SSH_DISCONNECTED', `${where}: not connected`);
    return client;
  };

  const track = (ch: ClientChannel, release: () => void): void => {
    liveChannels.add(ch);
    ch.once('close', () => {
      liveChannels.delete(ch);
      release();
    });
  };

  /**
   * `prepare` runs inside ssh2's callback, before any other code: ssh2 emits some channel events
   * (exit-status) synchronously while parsing, possibly in the same read as the open confirmation.
   */
  const openChannel = async (
    what: string,
    open: (c: Client, cb: (err: Error | undefined, ch: ClientChannel) => void) => void,
    prepare?: (ch: ClientChannel) => void,
  ): Promise<ClientChannel> => {
    const c = await withClient();
    const release = await limit.acquire(CHANNEL_WAIT_MS, `${where} ${what}`);
    try {
      const ch = await new Promise<ClientChannel>((resolve, reject) =>
        open(c, (err, ch) => {
          if (err) return reject(err);
          track(ch, release);
          prepare?.(ch);
          resolve(ch);
        }),
      );
      return ch;
    } catch (e) {
      release();
      throw e;
    }
  };

  return {
    name: opts.name,
    key,
    status: () => status,
    connect,
    async exec(command, eopts = {}) {
      const started = Date.now();
      const timeoutMs = eopts.timeoutMs ?? 30_000;
      const maxBytes = eopts.maxBytes ?? 16 * 1024 * 1024;
      let result: ExecResult | null = null;
      let error: CdError | null = null;
      try {
        const exit = { code: null as number | null, signal: null as string | null };
        const ch = await openChannel(
          'exec',
          (c, cb) => c.exec(command, cb),
          (ch) =>
            ch.on('exit', (code: number | null, signal?: string) => {
              exit.code = code;
              exit.signal = signal ?? null;
            }),
        ).catch((e) => {
          throw sshError(e, where);
        });
        result = await new Promise<ExecResult>((resolve, reject) => {
          const out: Buffer[] = [];
          const err: Buffer[] = [];
          let size = 0;
          const timer = setTimeout(() => {
            ch.destroy();
            reject(new CdError('TIMEOUT', `${where}: "${command}" did not finish within ${timeoutMs} ms`));
          }, timeoutMs);
          const take = (arr: Buffer[]) => (d: Buffer) => {
            size += d.length;
            if (size > maxBytes) {
              clearTimeout(timer);
              ch.destroy();
              reject(new CdError('SSH_CHANNEL_FAILED', `${where}: "${command}" produced more than ${maxBytes} bytes`));
              return;
            }
            arr.push(d);
          };
          ch.on('data', take(out));
          ch.stderr.on('data', take(err));
          ch.on('close', () => {
            clearTimeout(timer);
            resolve({ code: exit.code, signal: exit.signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
          });
          if (eopts.stdin !== undefined) ch.end(eopts.stdin);
          else ch.end();
        });
        return result;
      } catch (e) {
        error = e instanceof CdError ? e : sshError(e, where);
        throw error;
      } finally {
        opts.onCommand?.({
          command,
          reply: result ? result.stdout + result.stderr : '',
          ms: Date.now() - started,
          error,
        });
      }
    },
    async openUnixSocket(path) {
      try {
        return await openChannel(`socket ${path}`, (c, cb) => c.openssh_forwardOutStreamLocal(path, cb));
      } catch (e) {
        const err = sshError(e, where);
        if (err.code !== 'SSH_CHANNEL_FAILED') throw err;
        // sshd answers a missing socket and a forbidden forward with the same "open failed".
        throw new CdError(
          'SOCKET_FORWARD_FAILED',
          `${where}: could not reach the unix socket ${path} through SSH: either the socket does not exist (or ${ep.user} may not open it), or sshd forbids it (AllowStreamLocalForwarding no)`,
          { where, path },
        );
      }
    },
    async openTcp(host, port) {
      try {
        return await openChannel(`tcp ${host}:${port}`, (c, cb) => c.forwardOut('127.0.0.1', 0, host, port, cb));
      } catch (e) {
        const err = sshError(e, where);
        if (err.code !== 'SSH_CHANNEL_FAILED') throw err;
        throw new CdError(
          'SOCKET_FORWARD_FAILED',
          `${where}: could not reach ${host}:${port} through SSH: nothing listens there, or sshd forbids it (AllowTcpForwarding no)`,
          { where, host, port },
        );
      }
    },
    async ping(timeoutMs = intervalMs * maxMissed) {
      const c = await withClient();
      return new Promise<number>((resolve, reject) => {
        const t0 = performance.now();
        const timer = setTimeout(() => reject(new CdError('SSH_TIMEOUT', `${where}: no heartbeat reply within ${timeoutMs} ms`)), timeoutMs);
        const sent = sendPing(c, () => {
          clearTimeout(timer);
          const ms = Math.round((performance.now() - t0) * 100) / 100;
          if (client === c) recordRtt(ms, false);
          resolve(ms);
        });
        if (!sent) {
          clearTimeout(timer);
          reject(new CdError('INTERNAL', `${where}: ssh2 internals changed; heartbeat unavailable`));
        }
      });
    },
    rttHistory: () => history,
    channelsInUse: () => limit.inUse(),
    setHeartbeat(hb) {
      if (hb.intervalMs === intervalMs && hb.maxMissed === maxMissed) return;
      intervalMs = hb.intervalMs;
      maxMissed = hb.maxMissed;
      if (client && beatTimer) startBeat(client);
    },
    retryNow() {
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      attempt = 0;
      held = null;
      if (!client && !connecting && !closed) void connect().catch(() => undefined);
    },
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      stopBeat();
      const c = client;
      client = null;
      for (const ch of liveChannels) ch.destroy();
      liveChannels.clear();
      limit.failWaiters(new CdError('SSH_DISCONNECTED', `${where}: link closed`));
      if (c) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, 1000);
          c.once('close', () => {
            clearTimeout(t);
            resolve();
          });
          c.end();
        });
        dropClient(c);
      }
      setStatus({ state: 'closed' });
    },
  };
}
