/**
 * The words of the interrupted-change banner: what it says, each change's hosts and what they hold,
 * and the confirm dialog of finish / restore. Pure, so every wording is pinned by a unit test.
 */
import type { RecoverAction, RecoveryResult, UnfinishedChange } from '../../shared/contract/recover';

export type Tone = 'ok' | 'warn' | 'error' | 'info';

export interface BannerView {
  show: boolean;
  tone: Tone;
  title: string;
  /** One line under the title. */
  detail: string;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** From the status snapshot's counts; interrupted changes are a warning, running ones a note. */
export function bannerView(cluster: string, counts: { running: number; interrupted: number } | undefined): BannerView {
  if (!counts || (counts.interrupted === 0 && counts.running === 0)) return { show: false, tone: 'info', title: '', detail: '' };
  if (counts.interrupted > 0) {
    return {
      show: true,
      tone: 'warn',
      title: `${plural(counts.interrupted, 'change', 'changes')} on ${cluster} ${counts.interrupted === 1 ? 'was' : 'were'} interrupted`,
      detail: 'The ClusterDeck that ran it stopped part-way: a host may hold a new file that was never reloaded. Finish it, or put the backup back.',
    };
  }
  return {
    show: true,
    tone: 'info',
    title: `${plural(counts.running, 'change', 'changes')} running on ${cluster}`,
    detail: 'Another ClusterDeck (or this one) is changing files on the hosts right now.',
  };
}

export interface TargetRow {
  key: string;
  host: string;
  path: string;
  stoppedAt: string;
  holds: string;
  tone: Tone;
}

/** The targets worth a line: those left part-way, or whose host was read. */
export function targetRows(c: UnfinishedChange): TargetRow[] {
  return c.targets
    .filter((t) => t.pending)
    .map((t) => ({
      key: `${t.host}:${t.path}`,
      host: t.host,
      path: t.path,
      stoppedAt: t.stoppedAt,
      holds: t.holdsText,
      tone: t.holds === 'new' ? 'warn' : t.holds === 'other' || t.holds === 'unknown' ? 'error' : 'info',
    }));
}

export const ACTION_LABEL: Record<RecoverAction, string> = { finish: 'Finish (reload)', restore: 'Restore the backup' };

export interface ConfirmView {
  title: string;
  body: string;
  button: string;
  danger: boolean;
}

export function confirmView(c: UnfinishedChange, action: RecoverAction): ConfirmView {
  const o = c.offers[action];
  if (action === 'finish') {
    return { title: `Finish "${c.summary}"?`, body: `This will ${o.what}.`, button: ACTION_LABEL.finish, danger: false };
  }
  return { title: `Restore the state before "${c.summary}"?`, body: `This will ${o.what}.`, button: ACTION_LABEL.restore, danger: true };
}

/** A button's tooltip when its way out is not offered. */
export function disabledWhy(c: UnfinishedChange, action: RecoverAction): string | null {
  return c.offers[action].available ? null : (c.offers[action].why ?? 'not offered');
}

export function resultTone(r: RecoveryResult): Tone {
  return r.outcome === 'ok' ? 'ok' : r.outcome === 'partial' ? 'warn' : 'error';
}

export function resultTitle(r: RecoveryResult): string {
  const what = r.action === 'finish' ? 'Finished' : 'Restored';
  return r.outcome === 'ok' ? `${what} the interrupted change` : r.outcome === 'partial' ? `${what} in part` : `Could not ${r.action} the interrupted change`;
}
