import type { Duplex } from 'node:stream';
import type { HaproxySocket } from '../../shared/domain/cluster';
import type { CommandRecord } from '../../shared/domain/action';
import type { CliLevel } from '../../shared/domain/reloads';
import { CdError } from '../../shared/errors';
import type { SshLink } from '../ssh/ssh-link';
import { replyError } from './parse/reply-errors';
import { takeReplies, validateCommand } from './prompt-framing';

export interface RuntimeClientOptions {
  lb: string;
  link: SshLink;
  socket: HaproxySocket;
  /** Every exchange, verbatim, for the command drawer. */
  onCommand?: (r: CommandRecord) => void;
  timeoutMs?: number;
}

export interface RuntimeClient {
  /**
   * Sends the commands on one line (one round trip) and returns one record per command, each reply
   * already checked against HAProxy's error strings. Throws only when the exchange itself failed.
   */
  run(commands: string[], opts?: { timeoutMs?: number }): Promise<CommandRecord[]>;
  describe(): string;
  /** The level of the current (or last) session, from `show cli level` when it opened; null until then or when HAProxy has no such command. */
  level(): CliLevel | null;
  close(): void;
}

// HAProxy closes an idle CLI session after `stats timeout` (10 s by default). Reopening before that
// avoids sending a command into a session that is being closed under us.
const IDLE_REOPEN_MS = 8_000;

interface Session {
  stream: Duplex;
  buffer: string;
  lastUsed: number;
  closed: boolean;
  waiter: ((err: CdError | null) => void) | null;
}

export function socketLabel(s: HaproxySocket): string {
  return s.kind === 'unix' ? s.path : `${s.host}:${s.port}`;
}

/**
 * One persistent runtime-API channel per LB, reached through that LB's SSH connection (stream-local
 * forwarding for a unix socket, direct-tcpip for a TCP one: nothing is dialled from the desk).
 * Exchanges are serialized: interactive mode has no request ids, so order is the framing.
 */
export function createRuntimeClient(opts: RuntimeClientOptions): RuntimeClient {
  const label = `${opts.lb} (${socketLabel(opts.socket)})`;
  let session: Session | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  // Bumped by close(): exchanges that started before it don't retry on a new session.
  let generation = 0;

  const drop = (s: Session): void => {
    s.closed = true;
    if (session === s) session = null;
    s.stream.destroy();
    // Whoever waits on this session must hear now, not at their timeout (close() during a command).
    s.waiter?.(new CdError('HAPROXY_PROTOCOL', `${label}: the runtime API session was closed`));
  };

  const open = async (): Promise<Session> => {
    const stream =
      opts.socket.kind === 'unix'
        ? await opts.link.openUnixSocket(opts.socket.path)
        : await opts.link.openTcp(opts.socket.host, opts.socket.port);
    const s: Session = { stream, buffer: '', lastUsed: Date.now(), closed: false, waiter: null };
    stream.setEncoding('utf8');
    stream.on('data', (d: string) => {
      s.buffer += d;
      s.waiter?.(null);
    });
    const onGone = (): void => {
      if (s.closed) return;
      s.closed = true;
      if (session === s) session = null;
      s.waiter?.(new CdError('HAPROXY_PROTOCOL', `${label}: HAProxy closed the runtime API session`));
    };
    stream.on('close', onGone);
    stream.on('end', () => {
      // sshd keeps a forwarded channel open until we send our EOF too; without this, channels pile up.
      stream.end();
      onGone();
    });
    stream.on('error', onGone);
    stream.write('prompt\n');
    await readReplies(s, 1, opts.timeoutMs ?? 5_000).catch((e) => {
      drop(s);
      throw e;
    });
    session = s;
    return s;
  };

  const readReplies = (s: Session, count: number, timeoutMs: number): Promise<string[]> =>
    new Promise((resolve, reject) => {
      const got: string[] = [];
      const timer = setTimeout(() => {
        s.waiter = null;
        drop(s);
        reject(new CdError('HAPROXY_TIMEOUT', `${label}: no complete reply from HAProxy within ${timeoutMs} ms`));
      }, timeoutMs);
      const check = (err: CdError | null): void => {
        const r = takeReplies(s.buffer, count - got.length);
        got.push(...r.replies);
        s.buffer = r.rest;
        if (got.length === count) {
          clearTimeout(timer);
          s.waiter = null;
          resolve(got);
          return;
        }
        if (err) {
          clearTimeout(timer);
          s.waiter = null;
          reject(err);
        }
      };
      s.waiter = check;
      check(s.closed ? new CdError('HAPROXY_PROTOCOL', `${label}: the runtime API session is closed`) : null);
    });

  const exchange = async (commands: string[], timeoutMs: number): Promise<CommandRecord[]> => {
    for (const c of commands) {
      const bad = validateCommand(c);
      if (bad) throw new CdError('INVALID_ARGUMENT', `${label}: ${bad}`);
    }
    const readOnly = commands.every((c) => c.startsWith('show '));
    const gen = generation;
    for (let attempt = 0; ; attempt++) {
      let s = session;
      if (s && (s.closed || Date.now() - s.lastUsed > IDLE_REOPEN_MS)) {
        drop(s);
        s = null;
      }
      s ??= await open();
      const at = Date.now();
      const t0 = performance.now();
      s.buffer = '';
      s.stream.write(`${commands.join(';')}\n`);
      try {
        const replies = await readReplies(s, commands.length, timeoutMs);
        s.lastUsed = Date.now();
        const ms = Math.round((performance.now() - t0) * 100) / 100;
        return commands.map((command, i) => {
          const reply = replies[i] ?? '';
          const err = replyError(command, reply);
          return { at, command, reply, ms, error: err ? err.toData() : null };
        });
      } catch (e) {
        // A read that raced HAProxy closing the session is safe to send again; a change is not:
        // the caller re-reads the state instead of guessing whether it landed.
        // (Not when the owner closed the client: that is a decision, not a race.)
        if (readOnly && attempt === 0 && gen === generation && e instanceof CdError && e.code === 'HAPROXY_PROTOCOL') continue;
        throw e;
      }
    }
  };

  return {
    run(commands, ropts = {}) {
      const timeoutMs = ropts.timeoutMs ?? opts.timeoutMs ?? 5_000;
      const p = queue.then(
        () => exchange(commands, timeoutMs),
        () => exchange(commands, timeoutMs),
      );
      queue = p.catch(() => undefined);
      return p.then(
        (records) => {
          for (const r of records) opts.onCommand?.(r);
          return records;
        },
        (e: unknown) => {
          const err = e instanceof CdError ? e : new CdError('HAPROXY_PROTOCOL', `${label}: ${(e as Error).message}`);
          opts.onCommand?.({ at: Date.now(), command: commands.join(';'), reply: '', ms: 0, error: err.toData() });
          throw err;
        },
      );
    },
    describe: () => label,
    level: () => null,
    close() {
      generation++;
      if (session) drop(session);
    },
  };
}
