import { Toast } from 'radix-ui';
import { dismissSplit, retrySplit } from '../state/ops/acting-ops';
import { useApp } from '../state/store';
import { failedLbs, perLbSummary } from './outcome';

/** A split result: some LBs applied, some failed. Stays until dismissed; Retry per failed LB. */
export function SplitCard({ id }: { id: string }) {
  const split = useApp((s) => s.splits.find((x) => x.result.id === id));
  const busy = useApp((s) => Object.keys(s.running).length > 0);
  if (!split) return null;
  const r = split.result;
  const fails = failedLbs(r);
  const applied = r.lbs.filter((l) => l.outcome === 'applied').map((l) => l.lb);
  return (
    <Toast.Root className="toast toast-error toast-split" duration={Infinity} type="foreground" data-testid="split-result" onOpenChange={(o) => !o && dismissSplit(id)}>
      <Toast.Title className="toast-title">
        Split result: {r.node} is {r.action === 'drain' ? 'draining' : r.action === 'maint' ? 'in maintenance' : 'ready'} on {applied.join(', ') || 'no LB'}; FAILED on{' '}
        {fails.map((f) => f.lb).join(', ')}
      </Toast.Title>
      <Toast.Description asChild>
        <div className="toast-body">
          <p className="muted">{perLbSummary(r.lbs)}. The LBs that applied keep their new state; the failed ones were left as they were.</p>
          {fails.map((f) => (
            <div key={f.lb} className="split-lb" data-testid={`split-lb-${f.lb}`}>
              <div className="split-lb-title">{f.title}</div>
              <div className="split-lb-detail">{f.detail}</div>
              <div className="split-lb-next">
                <span className="error-next-label">Next: </span>
                {f.next}
              </div>
              <button
                type="button"
                className="btn btn-primary btn-small"
                disabled={split.retrying !== null || busy}
                onClick={() => void retrySplit(id, f.lb)}
                data-testid={`retry-${f.lb}`}
              >
                {split.retrying === f.lb ? `Retrying on ${f.lb}…` : `Retry ${r.action} on ${f.lb}`}
              </button>
            </div>
          ))}
        </div>
      </Toast.Description>
      <Toast.Close className="icon-button toast-close" aria-label="Dismiss the split result">
        ✕
      </Toast.Close>
    </Toast.Root>
  );
}
