/**
 * Reloading HAProxy (master-worker mode) and confirming it, through the LB's SSH connection.
 *
 * HAProxy 2.6's master CLI `reload` answers (with nothing) before the new worker is ready, and a
 * refused configuration leaves the old worker running with no error on that connection. So a
 * reload is confirmed only by what the admin socket says afterwards: a different worker pid with
 * a small uptime. A runtime session opened before the reload still talks to the OLD worker (and
 * keeps it alive while it stays open): every read during confirmation uses a fresh session, and
 * the caller's shared client is closed so its next command reaches the new worker.
 */
import type { Duplex } from 'node:stream';
import type { CommandRecord } from '../../shared/domain/action';
import type { LbSpec } from '../../shared/domain/cluster';
import { CdError, fromErrorData } from '../../shared/errors';
import { parseServersState } from '../haproxy/parse/servers-state';
import { parseShowInfo, type ShowInfo } from '../haproxy/parse/show-info';
import { parseShowStat } from '../haproxy/parse/show-stat';
import { createRuntimeClient, type RuntimeClient } from '../haproxy/runtime-client';
import type { SshLink } from '../ssh/ssh-link';
import { validatorSummary } from './config-report';
import { readGlobal } from './haproxy-cfg';
import { adminHolds, compareServerStats, describeExpected, describeProc, goneHolds, lostHolds, parseShowProc, reloadRefused, type ExpectedServer, type ShowProc } from './haproxy-proc';
import { readRemoteFile, writeRemoteFileAtomic } from './remote-file';
import { boundOutput } from './remote-scripts';
import { shq } from './shell';

export interface ReloadHaproxyOptions {
  link: SshLink;
  lb: LbSpec;
  /** The LB's shared runtime client: used before the reload, closed after it so it reopens on the new worker. */
  runtime: RuntimeClient;
  /** Where to save the runtime server states before the reload; undefined: from the config on the LB; null: none. */
  serverStateFile?: string | null;
  /** How long to wait for the new worker (default 15 s), polled every pollMs (default 100 ms). */
  timeoutMs?: number;
  pollMs?: number;
  /** For the diagnosis of a failed reload (`haproxy -c`), default "haproxy". */
  haproxyBin?: string;
}

export interface ReloadResult {
  oldPid: number;
  newPid: number;
  detail: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function checked(recs: CommandRecord[]): string[] {
  for (const r of recs) if (r.error) throw fromErrorData(r.error);
  return recs.map((r) => r.reply);
}

/**
 * One command on the master CLI: send it, half-close (the master answers and closes only then),
 * read until the channel closes. Bounded by timeoutMs.
 */
export async function masterCommand(link: SshLink, socketPath: string, command: string, timeoutMs = 10_000): Promise<string> {
  const stream: Duplex = await link.openUnixSocket(socketPath);
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (err: CdError | null): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      stream.destroy();
      if (err) reject(err);
      else resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const timer = setTimeout(
      () => finish(new CdError('HAPROXY_TIMEOUT', `${link.name}: the master CLI ${socketPath} did not answer "${command}" within ${timeoutMs} ms`, { host: link.name })),
      timeoutMs,
    );
    stream.on('data', (d: Buffer | string) => chunks.push(Buffer.isBuffer(d) ? d : Buffer.from(d)));
    stream.on('end', () => finish(null));
    stream.on('close', () => finish(null));
    stream.on('error', (e: Error) => finish(new CdError('HAPROXY_PROTOCOL', `${link.name}: master CLI ${socketPath}: ${e.message}`, { host: link.name })));
    stream.end(`${command}\n`);
  });
}

async function showProc(link: SshLink, lb: LbSpec): Promise<ShowProc | null> {
  try {
    const p = parseShowProc(await masterCommand(link, lb.masterSocket, 'show proc', 3000));
    return p.master ? p : null;
  } catch {
    return null; // the master CLI is optional when a reloadCommand is used
  }
}

/** `show info` over a session of its own, so it reaches whichever worker accepts now. */
async function freshInfo(link: SshLink, lb: LbSpec): Promise<ShowInfo> {
  const rt = createRuntimeClient({ lb: lb.name, link, socket: lb.socket, timeoutMs: 2000 });
  try {
    return parseShowInfo(checked(await rt.run(['show info']))[0]!);
  } finally {
    rt.close();
  }
}

async function trigger(link: SshLink, lb: LbSpec): Promise<string> {
  if (lb.reloadCommand) {
    const r = await link.exec(lb.reloadCommand, { timeoutMs: 60_000, maxBytes: 1024 * 1024 });
    if (r.code !== 0) {
      throw new CdError('HAPROXY_ERROR', `${lb.name}: "${lb.reloadCommand}" failed (${r.code === null ? 'no exit status' : `exit ${r.code}`}): ${boundOutput(`${r.stdout}${r.stderr}`, 1500) || 'no output'}`, { host: lb.name });
    }
    return `ran "${lb.reloadCommand}"`;
  }
  const reply = await masterCommand(link, lb.masterSocket, 'reload');
  // 2.7+ answers "Success=0|1" and the startup logs; 2.6 answers nothing.
  if (/^Success=0/m.test(reply)) throw new CdError('HAPROXY_ERROR', `${lb.name}: HAProxy's master refused the reload: ${validatorSummary(reply, null, lb.configPath)}`, { host: lb.name, reply: boundOutput(reply) });
  return `master CLI ${lb.masterSocket}: reload`;
}

/** Why a reload did not take: the master's view and `haproxy -c` of the file on disk. */
async function diagnose(link: SshLink, lb: LbSpec, bin: string): Promise<string> {
  const parts: string[] = [];
  const proc = await showProc(link, lb);
  if (proc) parts.push(`master: ${describeProc(proc)}`);
  const c = await link.exec(`${shq(bin)} -c -f ${shq(lb.configPath)} 2>&1`, { timeoutMs: 30_000 }).catch(() => null);
  if (c && c.code !== 0) parts.push(`haproxy -c: ${validatorSummary(c.stdout + c.stderr, null, lb.configPath)}`);
  return parts.join('; ');
}

export async function reloadHaproxy(o: ReloadHaproxyOptions): Promise<ReloadResult> {
  const { link, lb, runtime } = o;
  const timeoutMs = o.timeoutMs ?? 15_000;
  const pollMs = o.pollMs ?? 100;
  const notes: string[] = [];

  // (a)+(b) The shared session may still be on a worker an earlier reload replaced: start afresh.
  runtime.close();
  const [infoText, stateText] = checked(await runtime.run(['show info', 'show servers state']));
  const before = parseShowInfo(infoText!);
  if (before.pid === null) throw new CdError('HAPROXY_PROTOCOL', `${lb.name}: show info has no Pid`, { host: lb.name });
  const oldPid = before.pid;
  const holds = adminHolds(parseServersState(stateText!));

  let stateFile = o.serverStateFile;
  if (stateFile === undefined) {
    try {
      const g = readGlobal((await readRemoteFile(link, lb.configPath)).content);
      stateFile = g.serverStateFile ?? null;
      if (g.note) notes.push(g.note);
    } catch (e) {
      stateFile = null;
      notes.push(`server-state-file unknown (${(e as Error).message})`);
    }
  }
  if (stateFile) {
    await writeRemoteFileAtomic(link, stateFile, `${stateText}\n`);
    notes.push(`server states saved to ${stateFile}`);
  }

  // (c) reload
  const procBefore = await showProc(link, lb);
  const t0 = Date.now();
  const how = await trigger(link, lb);

  // (d) confirm: a new pid, freshly started. Bounded in count and time.
  let newPid: number | null = null;
  let refused = false;
  let lastError = '';
  const maxPolls = Math.ceil(timeoutMs / pollMs) + 1;
  for (let i = 0; i < maxPolls && Date.now() - t0 < timeoutMs; i++) {
    const info = await freshInfo(link, lb).catch((e: Error) => {
      lastError = e.message;
      return null;
    });
    const upBound = Math.ceil((Date.now() - t0) / 1000) + 1;
    if (info && info.pid !== null && info.pid !== oldPid && (info.uptimeSec ?? 0) <= upBound) {
      newPid = info.pid;
      break;
    }
    if (i % 5 === 4 && procBefore && reloadRefused(procBefore, await showProc(link, lb))) {
      refused = true;
      break;
    }
    await sleep(pollMs);
  }
  if (newPid === null) {
    const why = await diagnose(link, lb, o.haproxyBin ?? 'haproxy');
    throw new CdError(
      'HAPROXY_ERROR',
      `${lb.name}: the reload did not take: ${refused ? "HAProxy's master refused the configuration and " : ''}worker ${oldPid} is still serving after ${((Date.now() - t0) / 1000).toFixed(1)} s${why ? `; ${why}` : ''}${lastError ? `; last read: ${lastError}` : ''}`,
      { host: lb.name, oldPid },
    );
  }
  const confirmMs = Date.now() - t0;

  // The shared client's session belongs to the old worker: close it; check it reaches the new one.
  runtime.close();
  let sharedPid: number | null = null;
  for (let i = 0; i < 3 && sharedPid !== newPid; i++) {
    sharedPid = parseShowInfo(checked(await runtime.run(['show info']))[0]!).pid;
    if (sharedPid !== newPid) {
      runtime.close();
      await sleep(pollMs);
    }
  }
  if (sharedPid !== newPid) notes.push(`the runtime session still reached pid ${sharedPid}`);

  // Admin states (drain/maint) the new worker must have, from the state file or set again now.
  if (holds.length) {
    const after = parseServersState(checked(await runtime.run(['show servers state']))[0]!);
    const lost = lostHolds(holds, after);
    const gone = goneHolds(holds, after);
    if (gone.length) notes.push(`not in the new configuration: ${gone.map((h) => `${h.backend}/${h.server}`).join(', ')}`);
    if (lost.length) {
      checked(await runtime.run(lost.map((h) => `set server ${h.backend}/${h.server} state ${h.state}`)));
      const again = lostHolds(lost, parseServersState(checked(await runtime.run(['show servers state']))[0]!));
      if (again.length) {
        throw new CdError('NOT_CONFIRMED', `${lb.name}: after the reload, ${again.map((h) => `${h.backend}/${h.server}`).join(', ')} could not be put back in ${again.map((h) => h.state).join('/')}`, { host: lb.name });
      }
      notes.push(`set again after the reload: ${lost.map((h) => `${h.server} ${h.state}`).join(', ')}`);
    }
    const kept = holds.filter((h) => !lost.includes(h) && !gone.includes(h));
    if (kept.length) notes.push(`kept across the reload: ${kept.map((h) => `${h.server} ${h.state}`).join(', ')}`);
  }
  return { oldPid, newPid, detail: `${how}; worker ${oldPid} → ${newPid}, confirmed in ${confirmMs} ms${notes.length ? `; ${notes.join('; ')}` : ''}` };
}

/**
 * The running servers of `backend` against the new file, by `show stat` (bck, check_fall,
 * check_rise). 2.6's stats have no check interval: `inter` is confirmed by the file on disk being
 * the one written (the engine's sha256 check) and the reload having loaded it.
 */
export async function verifyServers(runtime: RuntimeClient, backend: string, expected: Record<string, ExpectedServer>): Promise<string> {
  const [stat] = checked(await runtime.run(['show stat']));
  const { mismatches, unverified } = compareServerStats(parseShowStat(stat!).rows, backend, expected);
  if (mismatches.length) {
    throw new CdError('NOT_CONFIRMED', `${runtime.describe()}: backend ${backend} does not run the new settings: ${mismatches.join('; ')}`, { backend, mismatches });
  }
  return `${backend} confirmed by show stat: ${describeExpected(expected)}${unverified.length ? `; fall/rise not verifiable for ${unverified.join(', ')}` : ''}`;
}
