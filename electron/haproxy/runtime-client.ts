import type { Duplex } from 'node:stream';
import type { HaproxySocket } from '../../shared/domain/cluster';
import type { CommandRecord } from '../../shared/domain/action';
import type { CliLevel } from '../../shared/domain/reloads';
import { CdError } from '../../shared/errors';
import type { SshLink } from '../ssh/ssh-link';
import { replyError } from './parse/reply-errors';
import { parseShowInfo } from './parse/show-info';
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

// A session whose worker was not seen current for this long gets a `show info` with its next
// exchange: after a reload by someone else, our open session still reaches the OLD worker (and
// keeps it alive), which answers reads with stale state and changes with "Proxy is disabled.".
const VERIFY_EVERY_MS = 1_000;

const PROXY_DISABLED = 'Proxy is disabled.';

interface Session {
  stream: Duplex;
  buffer: string;
  lastUsed: number;
  closed: boolean;
  waiter: ((err: CdError | null) => void) | null;
  /** `show cli level` when the session opened (null: HAProxy has no such command). */
  level: CliLevel | null;
  /** The worker this session reaches, from `show info`. */
  pid: number | null;
  /** When `show info` last said this worker is current (not stopping). */
  verifiedAt: number;
}

/** `show info` says this session reaches a worker that is being replaced (or a different one). */
function staleWorker(infoReply: string, pid: number | null): boolean {
  try {
    const info = parseShowInfo(infoReply);
    return info.fields['Stopping'] === '1' || (pid !== null && info.pid !== null && info.pid !== pid);
  } catch {
    return false;
  }
}

function levelOf(reply: string): CliLevel | null {
  const l = reply.trim();
  return l === 'admin' || l === 'operator' || l === 'user' ? l : null;
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
  let lastLevel: CliLevel | null = null;
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
    const s: Session = { stream, buffer: '', lastUsed: Date.now(), closed: false, waiter: null, level: null, pid: null, verifiedAt: 0 };
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
    try {
      await readReplies(s, 1, opts.timeoutMs ?? 5_000);
      // What this session may do and which worker it reaches: once per session, one round trip.
      s.buffer = '';
      stream.write('show cli level;show info\n');
      const [level, info] = await readReplies(s, 2, opts.timeoutMs ?? 5_000);
      s.level = levelOf(level ?? '');
      try {
        s.pid = parseShowInfo(info ?? '').pid;
        s.verifiedAt = Date.now();
      } catch {
        s.pid = null;
      }
    } catch (e) {
      drop(s);
      throw e;
    }
    lastLevel = s.level;
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

  /** Sends one line and reads its replies; `probe` adds a `show info` to check the worker is current. */
  const send = async (s: Session, commands: string[], timeoutMs: number, probe: boolean): Promise<{ records: CommandRecord[]; stale: boolean }> => {
    const line = probe ? [...commands, 'show info'] : commands;
    const at = Date.now();
    const t0 = performance.now();
    s.buffer = '';
    s.stream.write(`${line.join(';')}\n`);
    const replies = await readReplies(s, line.length, timeoutMs);
    s.lastUsed = Date.now();
    const ms = Math.round((performance.now() - t0) * 100) / 100;
    const records = line.map((command, i) => {
      const reply = replies[i] ?? '';
      const err = replyError(command, reply);
      return { at, command, reply, ms, error: err ? err.toData() : null };
    });
    const infos = records.filter((r) => r.command === 'show info' && !r.error);
    const stale = infos.some((r) => staleWorker(r.reply, s.pid));
    if (infos.length && !stale) s.verifiedAt = Date.now();
    return { records, stale };
  };

  const exchange = async (commands: string[], timeoutMs: number): Promise<{ records: CommandRecord[]; probes: CommandRecord[] }> => {
    for (const c of commands) {
      const bad = validateCommand(c);
      if (bad) throw new CdError('INVALID_ARGUMENT', `${label}: ${bad}`);
    }
    const readOnly = commands.every((c) => c.startsWith('show '));
    const gen = generation;
    const probes: CommandRecord[] = [];
    for (let attempt = 0; ; attempt++) {
      let s = session;
      if (s && (s.closed || Date.now() - s.lastUsed > IDLE_REOPEN_MS)) {
        drop(s);
        s = null;
      }
      s ??= await open();
      const probe = Date.now() - s.verifiedAt > VERIFY_EVERY_MS && !commands.includes('show info');
      try {
        const { records, stale } = await send(s, commands, timeoutMs, probe);
        const mine = probe ? records.slice(0, -1) : records;
        if (probe) probes.push(records[records.length - 1]!);
        const refusedAsOld = mine.some((r) => r.reply.trim() === PROXY_DISABLED);
        if (stale || refusedAsOld) {
          // Close it at once: our open session is what keeps a replaced worker alive.
          drop(s);
          // Nothing was changed on an old worker when every change got "Proxy is disabled.", so the
          // line goes again, once, to the worker that accepts now.
          const nothingChanged = mine.every((r) => r.command.startsWith('show ') || r.reply.trim() === PROXY_DISABLED);
          if (attempt === 0 && gen === generation && (readOnly || nothingChanged)) continue;
        }
        return { records: mine, probes };
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
        ({ records, probes }) => {
          for (const r of [...records, ...probes]) opts.onCommand?.(r);
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
    level: () => session?.level ?? lastLevel,
    close() {
      generation++;
      if (session) drop(session);
    },
  };
}
