/**
 * The recover capability behind the contract: unfinished changes from the intent journal (running,
 * or interrupted: their process is gone), each interruption written to the audit log once, the
 * counts the status snapshot carries, and the resolution of one change (finish or restore).
 */
import type { RecoverAction, RecoveryResult, UnfinishedChange } from '../../shared/contract/recover';
import type { Actor } from '../../shared/domain/audit';
import type { ClusterSettings, ClusterSpec } from '../../shared/domain/cluster';
import type { JournalEntry } from '../../shared/domain/journal';
import { CdError } from '../../shared/errors';
import type { ConfigTarget } from '../config/config-change';
import type { AuditDraft } from '../core/create-core';
import type { Connections } from '../core/connections';
import { createCommandLog, recordingLink } from '../files/command-recorder';
import { hostLink } from '../files/file-hosts';
import type { JournalStore } from '../journal/journal-store';
import { MACHINE, procIdentity, selfOwner } from '../journal/process-identity';
import type { ActionResult } from '../../shared/domain/action';
import { ownerVerdict, ownerWords, type Here, type OwnerVerdict } from './liveness';
import { describeChange, pending, stoppedWords } from './recover-plan';
import { probeTargets } from './recover-probe';
import { runRecovery } from './recover-run';

export interface Counts {
  running: number;
  interrupted: number;
}

export interface RecoverService {
  list(cluster: string, probe: boolean): Promise<{ cluster: string; changes: UnfinishedChange[]; unreadable: string[] }>;
  /** Running and interrupted changes of a cluster, from the journal only (no host is asked); cached about a second. */
  counts(cluster: string): Promise<Counts>;
  /** The last counts at once (zeros before the first read), refreshing them in the background when older than a second. */
  peek(cluster: string): Counts;
  /** Resolves one interrupted change; the caller holds the cluster's action lock. */
  resolve(cluster: string, id: string, action: RecoverAction): Promise<RecoveryResult>;
}

export interface RecoverDeps {
  journal: JournalStore;
  conns: Connections;
  actor: Actor;
  cluster(name: string): Promise<ClusterSpec>;
  record(entry: AuditDraft): Promise<unknown>;
  recordReload(cluster: string, host: string, file: string, at: number): Promise<void>;
  nodeReady(cluster: ClusterSpec, node: string, lbs: string[]): Promise<ActionResult>;
  failoverTargets(cluster: ClusterSpec, settings: ClusterSettings): Promise<ConfigTarget[]>;
  saveSettings(cluster: ClusterSpec, settings: ClusterSettings): Promise<void>;
  /** The counts of a cluster changed (a push started or ended, a process died): show them now. */
  onCounts?(cluster: string): void;
  here?: Here;
  countsTtlMs?: number;
}

const ZERO: Counts = { running: 0, interrupted: 0 };

export function createRecoverService(deps: RecoverDeps): RecoverService {
  const here: Here = deps.here ?? { machine: MACHINE, identity: procIdentity };
  const ttl = deps.countsTtlMs ?? 1000;
  const cache = new Map<string, { at: number; counts: Counts; reading: Promise<Counts> | null }>();
  // Ids this process already saw reported: no lock taken for them on every heartbeat.
  const reported = new Set<string>();
  deps.journal.onChange((c) => cache.delete(c));

  const verdictOf = (e: JournalEntry): OwnerVerdict | null => ownerVerdict(e, here);

  return {
    async list(cluster, probe) {
      const { entries, unreadable } = await deps.journal.list(cluster);
      const open = entries.map((e) => ({ e, v: verdictOf(e) })).filter((x): x is { e: JournalEntry; v: OwnerVerdict } => x.v !== null);
      let spec: ClusterSpec | null = null;
      if (probe && open.some((x) => x.v.state === 'interrupted')) spec = await deps.cluster(cluster);
      const changes: UnfinishedChange[] = [];
      for (const { e, v } of open) {
        if (v.state === 'interrupted') await reportOnce(e, v);
        const probes = spec && v.state === 'interrupted' ? await probeTargets(deps.conns, spec, e) : null;
        changes.push(describeChange(e, v, ownerWords(e, v), probes));
      }
      return { cluster, changes, unreadable };
    },
    async counts(cluster) {
      return readCounts(cluster);
    },
    peek(cluster) {
      const c = cache.get(cluster);
      if (!c || (Date.now() - c.at > ttl && !c.reading)) {
        const before = c?.counts ?? ZERO;
        void readCounts(cluster).then(
          (now) => {
            if (now.running !== before.running || now.interrupted !== before.interrupted) deps.onCounts?.(cluster);
          },
          (e: unknown) => console.error(`clusterdeck: could not read the intent journal of ${cluster}: ${e instanceof Error ? e.message : String(e)}`),
        );
      }
      return c?.counts ?? ZERO;
    },
    async resolve(cluster, id, action) {
      const spec = await deps.cluster(cluster);
      const found = await deps.journal.get(spec.name, id);
      if (!found) throw new CdError('NOT_FOUND', `${cluster} has no change "${id}" in its journal`, { cluster, id });
      const v = verdictOf(found);
      if (!v) throw new CdError('NOT_FOUND', `change ${id} of ${cluster} is not unfinished: it is ${found.state}${found.resolution ? ` (${found.resolution})` : ''}`, { cluster, id });
      if (v.state === 'running') throw new CdError('LOCKED', `change ${id} of ${cluster} is still running (${v.why}); it can be resolved only once its process is gone`, { cluster, id });
      await reportOnce(found, v);
      const handle = await deps.journal.adopt(spec.name, id, selfOwner(deps.actor), (e) => verdictOf(e)?.state === 'interrupted');
      if (!handle) throw new CdError('LOCKED', `change ${id} of ${cluster} was taken up by another process meanwhile`, { cluster, id });
      const entry = handle.entry();
      const log = createCommandLog();
      const links = new Map<string, ReturnType<typeof recordingLink>>();
      const link = (host: string) => {
        let l = links.get(host);
        if (!l) links.set(host, (l = recordingLink(hostLink(deps.conns, spec, host), host, log)));
        return l;
      };
      let run: Awaited<ReturnType<typeof runRecovery>>;
      try {
        const probes = await probeTargets(deps.conns, spec, entry, link);
        run = await runRecovery(
          {
            cluster: spec,
            conns: deps.conns,
            entry,
            handle,
            probes,
            log,
            link,
            recordReload: (host, file, at) => deps.recordReload(spec.name, host, file, at),
            nodeReady: (node, lbs) => deps.nodeReady(spec, node, lbs),
            ...(entry.kind === 'failover-settings'
              ? {
                  failover: {
                    targets: (s: ClusterSettings) => deps.failoverTargets(spec, s),
                    current: async () => (await deps.cluster(spec.name)).settings,
                    save: (s: ClusterSettings) => deps.saveSettings(spec, s),
                  },
                }
              : {}),
          },
          action,
        );
      } catch (e) {
        // Still unfinished: shown as interrupted again, to be tried once more.
        await handle.abandon();
        throw e;
      }
      // A host that could not be read or reloaded is worth another try; a file changed by someone else since is not (left alone).
      const retry = run.targets.some((t) => t.outcome === 'failed');
      if (retry) await handle.abandon();
      else
        await handle.change((e, now) => {
          e.state = 'resolved';
          e.resolvedAt = now;
          e.resolution = action;
        });
      const commands = log.list();
      await deps.record({
        kind: 'recovery',
        cluster: spec.name,
        journalId: id,
        changeKind: entry.kind,
        action,
        outcome: run.outcome,
        summary: `${action} of ${entry.summary}: ${run.message}${retry ? ' (still unfinished: try again)' : ''}`,
        commands,
      });
      return { id, cluster: spec.name, action, commands, ...run };
    },
  };

  /** The first process to find an interruption writes it to the audit log, once (a lock makes it the only one). */
  async function reportOnce(e: JournalEntry, v: OwnerVerdict): Promise<void> {
    if (e.reportedAt !== null || reported.has(e.id)) return;
    await deps.journal.update(e.cluster, e.id, async (cur) => {
      if (cur.reportedAt !== null || verdictOf(cur)?.state !== 'interrupted') return null;
      // Inside the lock: the audit entry and the mark go together, so it is written exactly once.
      const todo = cur.targets.filter(pending);
      await deps.record({
        kind: 'interrupted-change',
        cluster: cur.cluster,
        journalId: cur.id,
        changeKind: cur.kind,
        summary: `${cur.summary}, by ${ownerWords(cur, v)}, was interrupted: ${todo.length ? todo.map((t) => `${t.host} ${t.path} ${stoppedWords(t)}`).join('; ') : 'no file was replaced yet'}${cur.drained.length ? `; drained: ${cur.drained.map((d) => d.node).join(', ')}` : ''}`,
        targets: todo.map((t) => ({ host: t.host, path: t.path, stoppedAt: stoppedWords(t) })),
      });
      return { ...cur, reportedAt: Date.now() };
    });
    reported.add(e.id);
  }

  async function readCounts(cluster: string): Promise<Counts> {
    const c = cache.get(cluster);
    if (c && Date.now() - c.at <= ttl) return c.counts;
    if (c?.reading) return c.reading;
    const reading = (async () => {
      const { entries } = await deps.journal.list(cluster);
      const counts = { running: 0, interrupted: 0 };
      for (const e of entries) {
        const v = verdictOf(e);
        if (!v) continue;
        counts[v.state]++;
        if (v.state === 'interrupted') {
          await reportOnce(e, v).catch((err: unknown) =>
            console.error(`clusterdeck: could not write the interrupted change ${e.id} of ${cluster} to the audit log: ${err instanceof Error ? err.message : String(err)}`),
          );
        }
      }
      return counts;
    })();
    cache.set(cluster, { at: c?.at ?? 0, counts: c?.counts ?? ZERO, reading });
    try {
      const counts = await reading;
      cache.set(cluster, { at: Date.now(), counts, reading: null });
      return counts;
    } catch (e) {
      cache.set(cluster, { at: c?.at ?? 0, counts: c?.counts ?? ZERO, reading: null });
      throw e;
    }
  }
}
