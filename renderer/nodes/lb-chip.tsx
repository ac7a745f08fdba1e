import type { LbNodeView } from '../../shared/domain/status';
import type { LbProgressLine } from '../acting/acting-view';
import { Tip } from '../ui/tip';
import { chipParts, stateOfStatus, STATE_WORD } from './node-view';

/** One LB's view of one node: HAProxy's own status text, sessions, last check (and live progress). */
export function LbChip({ node, view, progress }: { node: string; view: LbNodeView; progress: LbProgressLine | null }) {
  const testid = `lb-chip-${node}-${view.lb}`;
  const prog = progress ? (
    <span className={`chip-progress ${progress.failed ? 'chip-progress-failed' : ''}`} data-testid={`progress-${node}-${view.lb}`}>
      {progress.short}
    </span>
  ) : null;
  if (!view.stat) {
    return (
      <Tip content={view.error ? `${view.lb}: ${view.error.message}` : `${view.lb} has not been read yet`}>
        <span className="chip chip-none" data-testid={testid} data-status="" tabIndex={-1}>
          <span className="chip-status">{view.error ? 'no data' : '…'}</span>
          {prog ?? <span className="chip-sub">{view.error ? view.error.code.toLowerCase().replaceAll('_', ' ') : 'reading'}</span>}
        </span>
      </Tip>
    );
  }
  const c = chipParts(view.stat);
  // While an action runs its progress is fresher than the last status snapshot (one per heartbeat).
  const state = progress?.status ? stateOfStatus(progress.status, c.backup) : view.state;
  if (progress?.status) c.status = progress.status;
  if (progress && progress.sessions !== null) c.sessions = `${progress.sessions} sess`;
  const tip = [
    `${view.lb}: ${c.status}${c.backup ? ' (backup server)' : ''} — ${STATE_WORD[state]}`,
    `${view.stat.sessions} current sessions`,
    view.stat.checkDesc || view.stat.lastCheck ? `last check: ${[view.stat.checkStatus, view.stat.checkDesc, view.stat.lastCheck].filter(Boolean).join(', ')}` : 'no health check',
  ].join('\n');
  return (
    <Tip content={<span className="pre-line">{tip}</span>}>
      <span className={`chip state-${state}`} data-testid={testid} data-status={c.status} tabIndex={-1}>
        <span className="chip-status">{c.status}</span>
        {c.backup ? <span className="chip-tag">bck</span> : null}
        <span className="chip-sess">{c.sessions}</span>
        {prog ?? <span className="chip-sub">{c.check || 'no check'}</span>}
      </span>
    </Tip>
  );
}
