import type { AuditEntry } from '../../shared/domain/audit';
import { OUTCOME_TONE, OUTCOME_WORD } from '../failover/apply-view';

export type Tone = 'ok' | 'warn' | 'error' | 'info';

const ACTION_WORD = { drain: 'Drain', maint: 'Maintenance', ready: 'Ready' } as const;

/** One line saying what happened: "Drain node1", "Cluster imported", "Host key pinned". */
export function entryTitle(e: AuditEntry): string {
  switch (e.kind) {
    case 'node-action':
      return `${ACTION_WORD[e.result.action]} ${e.result.node}`;
    case 'cluster-change':
      return `Cluster ${e.change}`;
    case 'config-change':
      return e.result.kind === 'failover-settings' ? 'Failover settings' : 'Managed file change';
    case 'push':
      return `Push configuration (${e.result.mode})`;
    case 'managed-file':
      return `Managed file ${e.change}: ${e.file}`;
    case 'host-key':
      return `Host key ${e.change === 'refused-changed' ? 'changed: refused' : e.change}: ${e.host}${e.port === 22 ? '' : `:${e.port}`}`;
    case 'outside-reload':
      return `${e.reload.lb} reloaded outside ClusterDeck`;
    case 'interrupted-change':
      return `Interrupted change found (${e.changeKind})`;
    case 'recovery':
      return `Interrupted change: ${e.action === 'finish' ? 'finished' : 'restored'} (${e.changeKind})`;
  }
}

/** The outcome word and its tone for the badge. */
export function entryOutcome(e: AuditEntry): { word: string; tone: Tone } {
  if (e.kind === 'node-action') {
    const o = e.result.outcome;
    const tone: Tone = o === 'ok' ? 'ok' : o === 'timeout' || o === 'refused' ? 'warn' : 'error';
    return { word: e.result.forced ? `${o}, gate overridden` : o, tone };
  }
  if (e.kind === 'host-key') return { word: e.change, tone: e.change === 'refused-changed' ? 'error' : 'info' };
  if (e.kind === 'config-change') return { word: OUTCOME_WORD[e.result.outcome], tone: OUTCOME_TONE[e.result.outcome] };
  if (e.kind === 'push') return { word: e.result.outcome, tone: e.result.outcome === 'ok' || e.result.outcome === 'unchanged' ? 'ok' : 'error' };
  if (e.kind === 'outside-reload') return e.reload.changed.length ? { word: 'state changed', tone: 'warn' } : { word: 'state kept', tone: 'info' };
  if (e.kind === 'interrupted-change') return { word: 'interrupted', tone: 'warn' };
  if (e.kind === 'recovery') return { word: e.outcome, tone: e.outcome === 'ok' ? 'ok' : e.outcome === 'partial' ? 'warn' : 'error' };
  return { word: e.change, tone: 'info' };
}

export function entrySummary(e: AuditEntry): string {
  return e.kind === 'node-action' || e.kind === 'config-change' || e.kind === 'push' ? e.result.message : e.summary;
}

/** "14:03:22" today, "3 Mar 14:03:22" otherwise; local time. */
export function formatWhen(iso: string, now: Date = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  const sameDay = d.toDateString() === now.toDateString();
  return sameDay ? time : `${d.toLocaleDateString([], { day: 'numeric', month: 'short' })} ${time}`;
}

export function actorLine(e: AuditEntry): string {
  return `${e.actor.user}@${e.actor.machine} via ${e.actor.via}`;
}

/** HAProxy answers a successful admin command with nothing: say so rather than show a blank. */
export function replyText(reply: string): string {
  const t = reply.replace(/\n+$/, '');
  return t === '' ? '(empty reply: accepted)' : t;
}

/** Commands that only read (show …) vs the ones that change something. */
export const isReadCommand = (command: string): boolean => /^\s*show\s/i.test(command);
