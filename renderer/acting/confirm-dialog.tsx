import './acting.css';
import { useEffect, useState } from 'react';
import { cancelConfirm, confirmAction } from '../state/ops/acting-ops';
import { useApp } from '../state/store';
import { AppDialog } from '../ui/dialog';
import { ErrorBox } from '../ui/error-box';
import { Field } from '../ui/field';
import { actionLabel, consequenceMain, dialogTitle, overrideLabel, parseWaitSeconds } from './acting-view';
import { GateRefusal } from './gate-section';

/**
 * Every state-changing click lands here: one line of consequence computed by the core from what
 * the LBs say now, the gate's verdict, and a primary button named for the action.
 */
export function ConfirmDialog() {
  const c = useApp((s) => s.confirm);
  const [wait, setWait] = useState('');
  const [override, setOverride] = useState('');
  const key = c ? `${c.cluster}/${c.node}/${c.action}` : '';
  useEffect(() => {
    setWait('');
    setOverride('');
  }, [key]);
  if (!c) return null;

  const p = c.preview;
  const refused = p ? !p.gate.allowed : false;
  const w = parseWaitSeconds(wait);
  const overridden = refused && override === c.node;
  const canGo = !!p && !c.loading && w.ok && (!refused || overridden);
  const danger = c.action === 'maint' || refused;
  const go = (): void => {
    if (!canGo) return;
    confirmAction({ waitSeconds: w.ok ? w.value : undefined, forceGate: refused ? override : undefined });
  };

  return (
    <AppDialog
      open
      onOpenChange={(o) => !o && cancelConfirm()}
      title={dialogTitle(c.action, c.node)}
      description={`Cluster ${c.cluster}`}
      testid="confirm-dialog"
      tone={danger ? 'danger' : 'normal'}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          go();
        }}
      >
        {c.loading ? (
          <p className="consequence loading" role="status">
            Reading every LB of {c.cluster} to compute what this does…
          </p>
        ) : null}
        {c.error ? <ErrorBox error={c.error} /> : null}
        {p ? (
          <>
            <p className="consequence" data-testid="consequence">
              {consequenceMain(p.consequence)}
            </p>
            <p className="sessions-now muted">
              Sessions per LB:{' '}
              {Object.entries(p.sessions)
                .map(([lb, n]) => `${lb} ${n ?? 'unreadable'}`)
                .join(' · ')}
            </p>
          </>
        ) : null}
        {p && c.action === 'drain' ? (
          <Field
            label="Wait for sessions to drain (seconds, optional)"
            hint="Empty: done as soon as every LB confirms DRAIN. With a wait, you choose what happens if sessions remain at the deadline."
            inputMode="numeric"
            value={wait}
            onValue={setWait}
            placeholder="e.g. 30"
            testid="wait-seconds"
            error={w.ok ? undefined : w.error}
          />
        ) : null}
        {p && refused ? <GateRefusal gate={p.gate} node={c.node} value={override} onValue={setOverride} /> : null}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={cancelConfirm} data-testid="confirm-cancel">
            Cancel
          </button>
          <button type="submit" className={`btn ${danger ? 'btn-danger' : 'btn-primary'}`} disabled={!canGo} data-testid="confirm-action">
            {refused ? overrideLabel(c.action) : actionLabel(c.action, c.node)}
          </button>
        </div>
      </form>
    </AppDialog>
  );
}
