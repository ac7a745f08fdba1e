import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../state/store';
import { Tip } from '../ui/tip';
import { drainWhatIf, quorumFacts, whatIfNode } from './quorum-view';

const STATE_TONE = { ok: 'ok', thin: 'warn', lost: 'error' } as const;
const STATE_WORD = { ok: 'quorum held', thin: 'no spare', lost: 'NO QUORUM' } as const;

/**
 * The cluster's quorum arithmetic (size, majority, fault tolerance, healthy now) and what draining
 * the node selected in the table or the side panel would leave.
 */
export function QuorumPanel({ cluster }: { cluster: string }) {
  const q = useApp((s) => s.status[cluster]?.quorum);
  const target = useApp(
    useShallow((s) => {
      const st = s.status[cluster];
      const n = st ? whatIfNode(st, s.panelNode, s.focusedNode) : null;
      return n ? { node: n.node, healthy: n.healthy, merged: n.merged } : null;
    }),
  );
  if (!q) return null;
  const f = quorumFacts(q);
  const w = target ? drainWhatIf(q, target) : null;
  return (
    <section className={`quorum-card quorum-${f.state}`} aria-label="Quorum" data-testid="quorum-panel" data-has-quorum={q.hasQuorum}>
      <div className="quorum-head">
        <h3>Quorum</h3>
        <span className={`tone tone-${STATE_TONE[f.state]}`} data-testid="quorum-state">
          {STATE_WORD[f.state]}
        </span>
      </div>
      <dl className="quorum-facts">
        <Fact label="Cluster size" value={q.size} tip="Nodes of this cluster" testid="quorum-size" />
        <Fact label="Majority" value={q.majority} tip={`More than half of ${q.size}: the cluster needs this many healthy nodes`} testid="quorum-majority" />
        <Fact label="Fault tolerance" value={q.faultTolerance} tip={`Nodes that may fail while ${q.majority} remain`} testid="quorum-tolerance" />
        <Fact label="Healthy now" value={q.healthy} tip="Nodes active or standby right now (not down, draining, in maintenance or unreachable)" testid="quorum-healthy" />
      </dl>
      <p className="quorum-line" data-testid="quorum-headline">
        {f.headline}; {f.spare}.
      </p>
      <p className={`quorum-whatif ${w ? (w.kept ? 'whatif-kept' : 'whatif-lost') : 'muted'}`} data-testid="quorum-whatif" data-kept={w ? String(w.kept) : undefined}>
        {w ? (
          <>
            <span className="quorum-mark" aria-hidden="true">
              {w.kept ? '✓' : '✗'}
            </span>{' '}
            {w.text}
          </>
        ) : (
          'Select a node in the table to see what draining it would leave.'
        )}
      </p>
    </section>
  );
}

function Fact({ label, value, tip, testid }: { label: string; value: number; tip: string; testid: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <Tip content={tip}>
        <dd className="num" data-testid={testid} tabIndex={-1}>
          {value}
        </dd>
      </Tip>
    </div>
  );
}
