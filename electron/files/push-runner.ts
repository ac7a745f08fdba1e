/**
 * A push of managed files: all at once (hosts in parallel, bounded, each on its own) or rolling
 * (one host at a time, nodes drained around their update; a failed host stops the run). Then the
 * fingerprints are read back from every host that was attempted.
 */
import { randomUUID } from 'node:crypto';
import type { ClusterSpec } from '../../shared/domain/cluster';
import type { ConfigProgress } from '../../shared/domain/config-change';
import type { HostCommand, ManagedFile, PushHostResult, PushProgress, PushRequest, PushResult, SyncCell } from '../../shared/domain/managed-files';
import { CdError } from '../../shared/errors';
import type { Connections } from '../core/connections';
import type { JournalHandle } from '../journal/journal-handle';
import type { SshLink } from '../ssh/ssh-link';
import { createCommandLog, recordingLink } from './command-recorder';
import { hostLink } from './file-hosts';
import { hostOutcome, hostResult, pushFiles, type PushContext } from './push-host';
import type { PlannedHost, PushPlan } from './push-plan';
import { rollingNode } from './push-rolling';
import { summarizePush } from './push-summary';
import { checkHostFiles } from './sync-check';

export const DEFAULT_CONCURRENCY = 8;

export interface RunPushOptions {
  cluster: ClusterSpec;
  plan: PushPlan;
  request: Pick<PushRequest, 'drainWaitSec' | 'portWaitSec'>;
  conns: Connections;
  /** Desired content of a file's current version. */
  content(file: ManagedFile): Promise<string>;
  reloads(): Promise<Map<string, number>>;
  recordReload(host: string, file: string, at: number): Promise<void>;
  onProgress?: (p: PushProgress) => void;
  onConfigProgress?: (p: ConfigProgress) => void;
  signal?: AbortSignal | undefined;
  /** A node was drained or made ready (the status table can show it at once). */
  onNodeChanged?: () => void;
  concurrency?: number;
  drainPollMs?: number;
  id?: string;
  /** The intent journal entry of this push (opened by the caller before anything is sent). */
  journal?: JournalHandle;
}

const FINAL_PHASE: Record<PushHostResult['outcome'], PushProgress['phase']> = {
  done: 'done',
  unchanged: 'unchanged',
  refused: 'failed',
  restored: 'failed',
  failed: 'failed',
  'not-started': 'skipped',
};

/** Runs `fn` over `items` with at most `limit` at a time, keeping the order of the results. */
async function pool<T, R>(items: T[], limit: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

/** A host pushed on its own: no drain (all-at-once, and LBs in a rolling run). */
async function plainHost(pc: PushContext, h: PlannedHost, link: SshLink): Promise<PushHostResult> {
  const t0 = performance.now();
  const notes = h.note ? [h.note] : [];
  pc.progress(h.host, 'push', 35, `pushing ${h.files.map((f) => f.id).join(', ')}`);
  const pushed = await pushFiles(pc, h, link);
  const outcome = pushed.engine ? hostOutcome(pushed.engine) : 'failed';
  pc.progress(h.host, FINAL_PHASE[outcome], 100, pushed.error?.message ?? pushed.engine?.message ?? '');
  return hostResult(h.host, t0, { outcome, files: pushed.files, notes, error: pushed.error?.toData() ?? null });
}

export async function runPush(o: RunPushOptions): Promise<{ result: PushResult; commands: HostCommand[] }> {
  const { cluster, plan } = o;
  if (plan.refusal) throw new CdError('INVALID_ARGUMENT', `push refused: ${plan.refusal}`, { cluster: cluster.name });
  const id = o.id ?? randomUUID();
  const startedAt = Date.now();
  const t0 = performance.now();
  const log = createCommandLog();
  const emit = (host: string, phase: PushProgress['phase'], percent: number, detail: string): void => {
    try {
      o.onProgress?.({ id, cluster: cluster.name, host, phase, percent, detail });
    } catch {
      // a broken listener must not break a push half-way
    }
  };

  // Every content is read before anything is sent: a missing version stops the push up front.
  const contents = new Map<string, string>();
  for (const f of plan.files) contents.set(f.id, await o.content(f));

  const pc: PushContext = {
    id,
    cluster,
    conns: o.conns,
    contents,
    portWaitSec: o.request.portWaitSec,
    drainWaitSec: o.request.drainWaitSec,
    log,
    signal: o.signal,
    progress: emit,
    onConfigProgress: o.onConfigProgress,
    onReloaded: (host, file) => o.recordReload(host, file, Date.now()),
    drainPollMs: o.drainPollMs,
    onNodeChanged: o.onNodeChanged,
    journal: o.journal,
  };
  const links = new Map(plan.hosts.map((h) => [h.host, recordingLink(hostLink(o.conns, cluster, h.host), h.host, log)]));
  for (const h of plan.hosts) emit(h.host, 'waiting', 0, plan.mode === 'rolling' ? 'waiting for its turn' : 'queued');
  const reloads = await o.reloads();

  const one = async (h: PlannedHost): Promise<PushHostResult> => {
    const started = performance.now();
    const link = links.get(h.host)!;
    try {
      await link.connect();
    } catch (e) {
      const err = e instanceof CdError ? e : new CdError('SSH_CONNECT_FAILED', `${h.host}: ${String(e)}`);
      emit(h.host, 'failed', 100, err.message);
      return hostResult(h.host, started, { outcome: 'failed', error: err.toData(), notes: [`could not connect to ${h.host}; nothing was sent`] });
    }
    return h.drain ? rollingNode(pc, h, link, reloads) : plainHost(pc, h, link);
  };

  let hosts: PushHostResult[];
  let cancelled = false;
  if (plan.mode === 'all-at-once') {
    hosts = await pool(plan.hosts, o.concurrency ?? DEFAULT_CONCURRENCY, (h) => {
      if (o.signal?.aborted) {
        cancelled = true;
        emit(h.host, 'skipped', 100, 'cancelled before its turn');
        return Promise.resolve(hostResult(h.host, performance.now(), { outcome: 'not-started' }));
      }
      return one(h);
    });
  } else {
    hosts = [];
    let stop: string | null = null;
    for (const h of plan.hosts) {
      if (stop === null && o.signal?.aborted) {
        cancelled = true;
        stop = 'the push was cancelled';
      }
      if (stop !== null) {
        emit(h.host, 'skipped', 100, `not started: ${stop}`);
        hosts.push(hostResult(h.host, performance.now(), { outcome: 'not-started', notes: [`not started: ${stop}`] }));
        continue;
      }
      const r = await one(h);
      hosts.push(r);
      if (r.outcome !== 'done' && r.outcome !== 'unchanged') stop = `${h.host} failed`;
    }
  }

  // A cancel that landed inside a host's turn shows in that host's result; the run says it too.
  cancelled ||= o.signal?.aborted === true;
  const verify = await verifyHosts(o, plan, hosts, links, emit);
  for (const h of hosts) {
    const bad = verify.filter((c) => c.host === h.host && c.state !== 'in-sync' && c.state !== 'pending-restart');
    if (h.outcome === 'done' && bad.length) h.notes.push(`read back: ${bad.map((c) => `${c.file} ${c.state} (${c.detail})`).join('; ')}`);
  }
  const { outcome, message } = summarizePush(plan.mode, hosts, cancelled);
  return {
    result: { id, cluster: cluster.name, mode: plan.mode, outcome, message, hosts, verify, startedAt, durationMs: Math.round(performance.now() - t0) },
    commands: log.list(),
  };
}

/** One exec per attempted host: the fingerprints after the push (hosts never started are not asked). */
async function verifyHosts(
  o: RunPushOptions,
  plan: PushPlan,
  hosts: PushHostResult[],
  links: Map<string, SshLink>,
  emit: (host: string, phase: PushProgress['phase'], percent: number, detail: string) => void,
): Promise<SyncCell[]> {
  const reloads = await o.reloads();
  const cells = await Promise.all(
    plan.hosts.map(async (h, i) => {
      const r = hosts[i]!;
      if (r.outcome === 'not-started') return [];
      emit(h.host, 'verify', 95, 'reading the fingerprints back');
      const got = await checkHostFiles(links.get(h.host)!, h.host, h.files, reloads);
      emit(h.host, FINAL_PHASE[r.outcome], 100, `read back: ${got.map((c) => `${c.file} ${c.state}`).join(', ')}`);
      return got;
    }),
  );
  return cells.flat();
}
