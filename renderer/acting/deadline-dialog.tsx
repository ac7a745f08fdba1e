import { useState } from 'react';
import { deadlineBack, deadlineChoose, deadlineDismiss, deadlineForceStep } from '../state/ops/acting-ops';
import { useApp } from '../state/store';
import { AppDialog } from '../ui/dialog';
import { ErrorBox } from '../ui/error-box';
import { Field } from '../ui/field';
import { consequenceMain, parseWaitSeconds } from './acting-view';
import { deadlineView } from './deadline-view';
import { GateRefusal } from './gate-section';

/**
 * A drain with a wait passed its deadline with sessions left: the node stays draining (no new
 * sessions; current ones continue) until the admin chooses. Each choice says what it does.
 */
export function DeadlineDialog() {
  const d = useApp((s) => s.deadline);
  const [keep, setKeep] = useState('');
  const [override, setOverride] = useState('');
  if (!d) return null;
  const r = d.result;
  const v = deadlineView(r);
  const keepRaw = keep || String(v.keepDefault);
  const k = parseWaitSeconds(keepRaw);
  const mp = d.maintPreview;
  const refused = mp ? !mp.gate.allowed : false;

  return (
    <AppDialog
      open
      onOpenChange={(o) => !o && deadlineDismiss()}
      title={v.title}
      description={v.situation}
      testid="deadline-dialog"
      size="wide"
    >
      <p className="sessions-now" data-testid="deadline-sessions">
        {v.stillOpen}
      </p>
      {d.step === 'choose' ? (
        <div className="choices">
          <div className="choice">
            <div className="choice-text">
              <strong>Force maintenance</strong>
              <span className="muted">{v.choices.force}</span>
            </div>
            <button type="button" className="btn btn-danger" onClick={() => void deadlineForceStep()} data-testid="deadline-force-maint">
              Force maintenance…
            </button>
          </div>
          <div className="choice">
            <div className="choice-text">
              <strong>Keep draining</strong>
              <span className="muted">{v.choices.keep}</span>
              <Field label="Wait (seconds)" inputMode="numeric" value={keepRaw} onValue={setKeep} testid="deadline-keep-seconds" error={k.ok ? undefined : k.error} className="field-inline" />
            </div>
            <button
              type="button"
              className="btn btn-primary"
              disabled={!k.ok || k.value === undefined}
              onClick={() => k.ok && k.value !== undefined && deadlineChoose({ kind: 'keep', waitSeconds: k.value })}
              data-testid="deadline-keep"
            >
              Keep draining {k.ok && k.value ? `${k.value} s` : ''}
            </button>
          </div>
          <div className="choice">
            <div className="choice-text">
              <strong>Revert</strong>
              <span className="muted">{v.choices.revert}</span>
            </div>
            <button type="button" className="btn" onClick={() => deadlineChoose({ kind: 'revert' })} data-testid="deadline-revert">
              Make {r.node} ready
            </button>
          </div>
        </div>
      ) : (
        <div className="force-step">
          {d.loading ? (
            <p className="loading" role="status">
              Reading every LB to check the gate for maintenance…
            </p>
          ) : null}
          {d.error ? <ErrorBox error={d.error} /> : null}
          {mp ? (
            <p className="consequence" data-testid="consequence">
              {consequenceMain(mp.consequence)}
            </p>
          ) : null}
          {mp && refused ? <GateRefusal gate={mp.gate} node={r.node} value={override} onValue={setOverride} /> : null}
          <div className="dialog-actions">
            <button type="button" className="btn" onClick={deadlineBack}>
              Back
            </button>
            <button
              type="button"
              className="btn btn-danger"
              disabled={!mp || (refused && override !== r.node)}
              onClick={() => deadlineChoose({ kind: 'force', ...(refused ? { forceGate: override } : {}) })}
              data-testid="deadline-force-confirm"
            >
              {refused ? 'Maintenance anyway' : `Put ${r.node} in maintenance`}
            </button>
          </div>
        </div>
      )}
    </AppDialog>
  );
}
