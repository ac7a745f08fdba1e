/**
 * What an interrupted change left on each host and what each way out would do. Pure: the journal
 * entry and what the hosts hold now (sha256 read at listing time) in, words and decisions out.
 */
import type { Holds, UnfinishedChange, UnfinishedTarget } from '../../shared/contract/recover';
import type { ConfigStepName, JournalEntry, JournalTarget } from '../../shared/domain/journal';
import { names } from '../config/config-report';
import type { OwnerVerdict } from './liveness';

/** What was read on a target's host: its file's sha256 (null: no such file), or why it could not be read. */
export type Probe = { sha: string | null } | { error: string };

export const targetKey = (t: Pick<JournalTarget, 'host' | 'path'>): string => `${t.host}\u0000${t.path}`;

/** Steps that change a file or a service, in the order a change runs them. */
function forwardSteps(t: JournalTarget): ConfigStepName[] {
  return t.reload.kind === 'none' ? ['backup', 'replace', 'verify'] : ['backup', 'replace', 'reload', 'verify'];
}

/** The target has been changed (or may have been): a rename was at least under way. */
export function touched(t: JournalTarget): boolean {
  const past = (s: ConfigStepName | null): boolean => s !== null && s !== 'backup';
  return past(t.done) || past(t.doing) || t.reloads.length > 0;
}

/** The change ran to its end on this target: replaced, reloaded, checked. */
export function complete(t: JournalTarget): boolean {
  return t.doing === null && t.done === 'verify' && t.lastOk === true;
}

/** Where the target stopped: the last step done and the first not done (null: none / nothing left). */
export function stopPoint(t: JournalTarget): { after: string | null; before: string | null } {
  if (t.doing === 'restore' || t.done === 'restore') {
    // The engine was putting the old file back when the process died.
    if (t.doing === 'restore') return { after: 'rollback start', before: 'restore' };
    return { after: t.lastOk ? 'restore' : 'failed restore', before: t.reload.kind === 'none' ? null : 'reload' };
  }
  const steps = forwardSteps(t);
  if (t.doing) {
    const i = steps.indexOf(t.doing);
    return { after: i > 0 ? steps[i - 1]! : null, before: t.doing };
  }
  if (t.done === null) return { after: null, before: steps[0]! };
  if (t.lastOk === false) return { after: `failed ${t.done}`, before: 'restore' };
  const i = steps.indexOf(t.done);
  return { after: t.done, before: steps[i + 1] ?? null };
}

/** "replace done, reload not"; "not started"; "done". */
export function stoppedAt(t: JournalTarget): string {
  if (t.unchanged) return 'already had it';
  if (complete(t)) return 'done';
  if (!touched(t) && t.doing === null && (t.done === null || t.done === 'backup')) return t.done === 'backup' ? 'backed up, not replaced' : 'not started';
  const { after, before } = stopPoint(t);
  if (after === null) return `${before} under way`;
  return before ? `${after} done, ${before} not` : `${after} done`;
}

/** "stopped after replace, before reload" (the warning line's words). */
export function stoppedWords(t: JournalTarget): string {
  const { after, before } = stopPoint(t);
  if (after === null) return `stopped during ${before}`;
  return before ? `stopped after ${after}, before ${before}` : `stopped after ${after}`;
}

export function holdsOf(t: JournalTarget, p: Probe | undefined): Holds {
  if (!p || 'error' in p) return 'unknown';
  if (p.sha === null) return t.shaBefore === null && t.prepared ? 'absent' : 'other';
  if (t.shaNew !== null && p.sha === t.shaNew) return 'new';
  if (t.shaBefore !== null && p.sha === t.shaBefore) return 'old';
  return 'other';
}

/** Whether the running service may have loaded the new file (a reload was started by this change). */
export const mayHaveLoaded = (t: JournalTarget): boolean => t.reloads.length > 0;

export function holdsWords(t: JournalTarget, holds: Holds, p: Probe | undefined): string {
  const reloaded = t.reloads.some((r) => r.ok === true) ? 'reloaded' : t.reloads.length ? 'reload not confirmed' : 'not reloaded';
  switch (holds) {
    case 'new':
      return complete(t) ? `${t.host} has the new file, reloaded and checked` : `${t.host} has the new file, ${t.reload.kind === 'none' ? 'not checked' : reloaded}`;
    case 'old':
      return `${t.host} has the old file${mayHaveLoaded(t) ? ` (the new one may have been loaded: ${reloaded})` : ''}`;
    case 'absent':
      return `${t.host} has no ${t.path} (as before the change)`;
    case 'other':
      return `${t.host} has a file that is neither the old nor the new one: changed by someone else since`;
    default:
      return p && 'error' in p ? `could not read it on ${t.host}: ${p.error}` : `not read (the journal says ${stoppedAt(t)})`;
  }
}

/** Left to do on this target after an interruption. */
export function pending(t: JournalTarget): boolean {
  return !t.unchanged && touched(t) && !complete(t);
}

const reloadWord = (t: JournalTarget): string => (t.reload.kind === 'none' ? 'check' : 'reload');

/** Both ways out, with what they would do; a target changed by someone else blocks both (by hand, then). */
export function offers(e: JournalEntry, holds: Map<string, Holds>, probed: boolean): UnfinishedChange['offers'] {
  const todo = e.targets.filter(pending);
  const h = (t: JournalTarget): Holds => holds.get(targetKey(t)) ?? 'unknown';
  // A file changed by someone else since is left alone either way (and said so); a host that could
  // not be read blocks both, since what it holds decides what to do.
  const other = todo.filter((t) => h(t) === 'other');
  const unknown = probed ? todo.filter((t) => h(t) === 'unknown') : [];
  const blocked = unknown.length ? `${names(unknown.map((t) => t.host))} could not be read: try again when ${unknown.length === 1 ? 'it answers' : 'they answer'}` : null;
  const leave = other.length ? `; leave ${names(other.map((t) => `${t.host} ${t.path}`))} alone (changed since: check by hand)` : '';
  const nodes = e.drained.map((d) => d.node);
  const ready = nodes.length ? `; make ${names(nodes)} ready on ${names([...new Set(e.drained.flatMap((d) => d.lbs))])}` : '';

  const finishing = todo.filter((t) => !probed || h(t) === 'new');
  const notReplaced = e.kind === 'failover-settings' ? e.targets.filter((t) => !t.unchanged && (probed ? h(t) === 'old' : !touched(t))) : [];
  const finishWhat = [
    ...(finishing.length ? [`${finishing.some((t) => t.reload.kind !== 'none') ? 'reload and check' : 'check'} ${names(finishing.map((t) => t.host))}`] : []),
    ...(notReplaced.length ? [`apply the new settings on ${names(notReplaced.map((t) => t.host))}`] : []),
    ...(e.kind === 'failover-settings' ? ['save the new settings'] : []),
  ].join(', ');
  const finish = {
    available: blocked === null && (finishing.length > 0 || notReplaced.length > 0 || e.kind === 'failover-settings' || nodes.length > 0),
    what: `${finishWhat || 'nothing left on the hosts'}${leave}${ready}`,
    why: blocked ?? (finishing.length || notReplaced.length || e.kind === 'failover-settings' || nodes.length ? null : 'no host holds the new file: there is nothing to finish'),
  };

  const restoring = todo.filter((t) => !probed || h(t) === 'new' || ((h(t) === 'old' || h(t) === 'absent') && mayHaveLoaded(t)));
  const restoreWhat = restoring
    .map((t) => {
      const back = !probed || h(t) === 'new' ? (t.shaBefore === null ? `remove ${t.path} from ${t.host}` : `put the backup of ${t.path} back on ${t.host}`) : `${t.path} is back on ${t.host}`;
      return mayHaveLoaded(t) && t.reload.kind !== 'none' ? `${back} and ${reloadWord(t)}` : back;
    })
    .join('; ');
  const restore = {
    available: blocked === null && (restoring.length > 0 || e.kind === 'failover-settings' || nodes.length > 0),
    what: `${restoreWhat || 'every host already has its file from before'}${e.kind === 'failover-settings' ? '; keep the previous settings' : ''}${leave}${ready}`,
    why: blocked ?? (restoring.length || e.kind === 'failover-settings' || nodes.length ? null : 'every host already has its file from before'),
  };
  return { finish, restore };
}

/** The listing of one unfinished change. */
export function describeChange(e: JournalEntry, v: OwnerVerdict, ownerText: string, probes: Map<string, Probe> | null): UnfinishedChange {
  const holds = new Map<string, Holds>();
  const targets: UnfinishedTarget[] = e.targets.map((t) => {
    const p = probes?.get(targetKey(t));
    const hd = holdsOf(t, p);
    holds.set(targetKey(t), hd);
    return {
      host: t.host,
      role: t.role,
      path: t.path,
      file: t.file,
      stoppedAt: stoppedAt(t),
      done: t.done,
      doing: t.doing,
      holds: hd,
      holdsText: holdsWords(t, hd, p),
      pending: pending(t),
      backup: t.backup,
      reload: t.reload,
    };
  });
  const todo = e.targets.filter(pending);
  const message =
    v.state === 'running'
      ? `running: ${v.why}`
      : todo.length
        ? todo.map((t) => `${t.host} ${t.path} ${stoppedWords(t)}`).join('; ')
        : e.drained.length
          ? `stopped with ${names(e.drained.map((d) => d.node))} drained`
          : 'stopped before any file was replaced';
  return {
    id: e.id,
    cluster: e.cluster,
    kind: e.kind,
    summary: e.summary,
    state: v.state,
    owner: { pid: e.owner.pid, machine: e.owner.machine, actor: e.owner.actor },
    ownerText,
    startedAt: e.startedAt,
    updatedAt: e.updatedAt,
    message,
    targets,
    drained: e.drained.map((d) => ({ node: d.node, lbs: d.lbs })),
    offers:
      v.state === 'interrupted'
        ? offers(e, holds, probes !== null)
        : { finish: { available: false, what: '', why: 'it is still running' }, restore: { available: false, what: '', why: 'it is still running' } },
  };
}
