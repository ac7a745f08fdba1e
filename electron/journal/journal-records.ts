/**
 * The journal entry as plain data, and how each event of a change updates it. Pure: the store
 * decides when it is written, these only say what it holds.
 */
import { CdError } from '../../shared/errors';
import type { JournalEntry, JournalKind, JournalOwner, JournalState, JournalTarget } from '../../shared/domain/journal';
import type { ReloadSpec } from '../../shared/domain/managed-files';
import type { JournaledStep, PreparedTarget, StepFacts } from '../config/config-journal';

/** What a caller says about a change before it starts. */
export interface JournalDraft {
  id: string;
  cluster: string;
  kind: JournalKind;
  summary: string;
  owner: JournalOwner;
  before?: JournalState | null;
  after?: JournalState | null;
  targets: TargetDraft[];
}

export interface TargetDraft {
  host: string;
  role: 'node' | 'lb';
  path: string;
  file: string | null;
  reload: ReloadSpec;
  check?: string | null;
  servicePort?: number | null;
}

/** Reloads kept per target: an apply, a rollback's, a recovery's; more is a loop gone wrong. */
const MAX_RELOADS = 20;

export function newEntry(d: JournalDraft, now: number): JournalEntry {
  return {
    version: 1,
    id: d.id,
    cluster: d.cluster,
    kind: d.kind,
    summary: d.summary,
    owner: d.owner,
    startedAt: now,
    updatedAt: now,
    state: 'running',
    abandoned: false,
    reportedAt: null,
    resolvedAt: null,
    resolution: null,
    before: d.before ?? null,
    after: d.after ?? null,
    drained: [],
    targets: d.targets.map((t) => ({
      host: t.host,
      role: t.role,
      path: t.path,
      file: t.file,
      shaBefore: null,
      shaNew: null,
      prepared: false,
      unchanged: false,
      backup: null,
      reload: t.reload,
      check: t.check ?? null,
      servicePort: t.servicePort ?? null,
      done: null,
      doing: null,
      lastOk: null,
      reloads: [],
    })),
  };
}

export function findTarget(e: JournalEntry, host: string, path: string): JournalTarget {
  const t = e.targets.find((x) => x.host === host && x.path === path);
  if (!t) throw new CdError('INTERNAL', `the journal of change ${e.id} has no target ${host} ${path}`, { host, path });
  return t;
}

export function applyPrepared(e: JournalEntry, list: PreparedTarget[], now: number): void {
  for (const p of list) {
    const t = findTarget(e, p.target, p.path);
    t.shaBefore = p.shaBefore;
    t.shaNew = p.shaNew;
    t.prepared = true;
    t.unchanged = p.unchanged;
  }
  e.updatedAt = now;
}

export function applyStart(e: JournalEntry, host: string, path: string, step: JournaledStep, now: number): void {
  const t = findTarget(e, host, path);
  t.doing = step;
  if (step === 'reload') {
    t.reloads.push({ startedAt: now, endedAt: null, ok: null, oldPid: null, newPid: null });
    if (t.reloads.length > MAX_RELOADS) t.reloads.splice(0, t.reloads.length - MAX_RELOADS);
  }
  e.updatedAt = now;
}

export function applyEnd(e: JournalEntry, host: string, path: string, step: JournaledStep, facts: StepFacts, now: number): void {
  const t = findTarget(e, host, path);
  t.done = step;
  t.doing = null;
  t.lastOk = facts.ok;
  if (facts.backup !== undefined) t.backup = facts.backup;
  if (step === 'reload') {
    const r = [...t.reloads].reverse().find((x) => x.endedAt === null);
    if (r) {
      r.endedAt = now;
      r.ok = facts.ok;
      r.oldPid = facts.oldPid ?? r.oldPid;
      r.newPid = facts.newPid ?? r.newPid;
    }
  }
  e.updatedAt = now;
}

/** A node about to be drained for the change (recorded before the drain is sent), then the LBs it took on. */
export function applyDrain(e: JournalEntry, node: string, lbs: string[], state: 'draining' | 'drained', now: number): void {
  const cur = e.drained.find((d) => d.node === node);
  if (cur) {
    cur.lbs = lbs;
    cur.state = state;
  } else e.drained.push({ node, lbs, state });
  e.updatedAt = now;
}

/** The node is ready again (or was never drained): nothing for a recovery to undo there. */
export function applyUndrained(e: JournalEntry, node: string, now: number): void {
  e.drained = e.drained.filter((d) => d.node !== node);
  e.updatedAt = now;
}
