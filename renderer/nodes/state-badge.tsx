import type { NodeState } from '../../shared/domain/status';
import { Tip } from '../ui/tip';
import { STATE_WORD } from './node-view';

/** The merged state: its word and its colour (never colour alone), the one-line reason on hover. */
export function StateBadge({ state, reason, testid, small }: { state: NodeState; reason?: string; testid?: string; small?: boolean }) {
  const badge = (
    <span className={`badge state-${state} ${small ? 'badge-small' : ''}`} data-testid={testid} data-state={state} tabIndex={reason ? -1 : undefined}>
      <span className="badge-dot" aria-hidden="true" />
      {STATE_WORD[state]}
    </span>
  );
  return reason ? <Tip content={reason}>{badge}</Tip> : badge;
}

/** A dot for the rail: the cluster's worst state, with its word for screen readers. */
export function StateDot({ state, label }: { state: NodeState | null; label: string }) {
  return <span className={`dot ${state ? `state-${state}` : 'dot-none'}`} role="img" aria-label={label} />;
}
