import type { Duplex } from 'node:stream';
import type { Client, ClientChannel } from 'ssh2';
import { CONNECT_TIMEOUT_DEFAULT_MS, type SshEndpoint } from '../../shared/domain/cluster';
import type { LinkState, LinkStatus } from '../../shared/domain/status';
import { CdError } from '../../shared/errors';
import type { AuthEnv } from './auth';
import { createChannelLimit } from './channel-limit';
import { connectDeadlineMs } from './connect-deadline';
import { collectExec, type ExecResult } from './exec-output';
import { dropClient, openClient, primeNoDelay, type HostKeyGuard } from './handshake';
import { onReply, onTick, sendPing, type BeatState } from './heartbeat';
import { sshError } from './ssh-errors';

export type { HostKeyAttempt, HostKeyGuard } from './handshake';
export type { ExecResult } from './exec-output';

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
  /** The cluster's connect deadline (dial to authenticated); CONNECT_TIMEOUT_DEFAULT_MS when absent. */
  connectTimeoutMs?: number;
  maxChannels?: number;
  onStatus?: (s: LinkStatus) => void;
  /** Reports each exec'd command and its result for the command log. */
  onCommand?: (c: { command: string; reply: string; ms: number; error: CdError | null }) => void;
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

/** The link as its registry holds it: also takes a new connect deadline when the cluster's settings change. */
export interface ManagedSshLink extends SshLink {
  setConnectTimeout(ms: number): void;
}

const RTT_HISTORY = 3600;
const CHANNEL_WAIT_MS = 15_000;

export function linkKey(ep: SshEndpoint): string {
  return `${ep.user}@${ep.host}:${ep.port}`;
}

export function createSshLink(opts: SshLinkOptions): ManagedSshLink {
  const ep = opts.endpoint;
  const key = linkKey(ep);
  const where = `${opts.name} (${key})`;
  const limit = createChannelLimit(opts.maxChannels ?? 8);
  const history: Array<{ at: number; ms: number }> = [];
  let { intervalMs, maxMissed } = opts.heartbeat;
  // Its own budget, not the heartbeat's: a handshake takes several round trips where a beat takes one.
  let connectTimeoutMs = opts.connectTimeoutMs ?? CONNECT_TIMEOUT_DEFAULT_MS;

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
    const c = await openClient({
      endpoint: ep,
      where,
      names: opts.names ?? [opts.name],
      hostKeys: opts.hostKeys,
      ...(opts.auth ? { auth: opts.auth } : {}),
      // status.recentRttMs survives a drop: a link known to be slow is given the time it needs.
      deadlineMs: connectDeadlineMs(connectTimeoutMs, status.recentRttMs),
      onDrop: (dropped, err) => onLost(dropped, err, 'unreachable'),
    });
    client = c;
    await primeNoDelay(c).catch(() => undefined);
  };

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
        result = await collectExec(ch, { where, command, timeoutMs, maxBytes, exit, ...(eopts.stdin !== undefined ? { stdin: eopts.stdin } : {}) });
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
    setConnectTimeout(ms) {
      connectTimeoutMs = ms;
    },
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
