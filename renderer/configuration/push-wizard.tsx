import { useShallow } from 'zustand/react/shallow';
import { andList } from '../failover/settings-form';
import { closeWizard, editChoice, goStep, hostsOfFiles, previewPush, runPush } from '../state/ops/files-ops';
import { filesOf, type WizardState } from '../state/files-slice';
import { useApp } from '../state/store';
import { Field } from '../ui/field';
import { PreviewStep, ReviewStep } from './push-steps';
import { RunStep, VerifyStep } from './push-run';
import { chooseBlocked, previewBlocked, requestOf, STEP_TITLE, WIZARD_STEPS, type WizardStep } from './push-view';
import { SyncBadge } from './sync-matrix';
import { cellOf } from './sync-view';

/** Which steps the stepper lets the admin jump to: none before the run once it started. */
function reachable(w: WizardState, step: WizardStep): boolean {
  if (w.run) return step === 'run' || (step === 'verify' && !!w.run.result);
  switch (step) {
    case 'choose':
      return true;
    case 'preview':
      return !!w.preview;
    case 'mode':
      return !!w.preview?.result && !previewBlocked(w.preview.result);
    case 'review':
      return !!w.preview?.result && w.step === 'review';
    default:
      return false;
  }
}

/**
 * The push-configuration wizard: files and hosts → preview (per host per file diff and the validate
 * verdict) → mode (all at once / rolling) → review (exactly what happens per host, in order) → run
 * (a bar and a log per host) → verify (fingerprints read back). Kept in the store: it can be left
 * (another tab, Close) and resumed.
 */
export function PushWizard({ cluster }: { cluster: string }) {
  const w = useApp((s) => filesOf(s, cluster).wizard);
  const idx = WIZARD_STEPS.indexOf(w.step);
  return (
    <section className="wiz" aria-label="Push configuration" data-testid="push-wizard" data-step={w.step}>
      <header className="wiz-head">
        <h3>Push configuration</h3>
        <button type="button" className="btn btn-small" onClick={() => closeWizard(cluster, !!w.run?.result || !!w.run?.error)} data-testid="wiz-close">
          {w.run?.running ? 'Hide (the push keeps running)' : w.run ? 'Close' : 'Close (keeps your choices)'}
        </button>
      </header>
      <ol className="wiz-steps" aria-label="Steps">
        {WIZARD_STEPS.map((s, i) => {
          const can = reachable(w, s) && s !== w.step;
          const cls = `wiz-step ${s === w.step ? 'wiz-step-current' : i < idx ? 'wiz-step-done' : ''}`;
          return (
            <li key={s} className={cls} aria-current={s === w.step ? 'step' : undefined} data-testid={`wiz-nav-${s}`}>
              <button type="button" className="wiz-step-button" disabled={!can} onClick={() => goStep(cluster, s)}>
                <span className="wiz-step-no" aria-hidden="true">
                  {i < idx ? '✓' : i + 1}
                </span>
                <span>{STEP_TITLE[s]}</span>
              </button>
            </li>
          );
        })}
      </ol>
      <div className="wiz-body" data-testid={`wiz-step-${w.step}`}>
        {w.step === 'choose' ? <ChooseStep cluster={cluster} /> : null}
        {w.step === 'preview' ? <PreviewStep cluster={cluster} /> : null}
        {w.step === 'mode' ? <ModeStep cluster={cluster} /> : null}
        {w.step === 'review' ? <ReviewStep cluster={cluster} /> : null}
        {w.step === 'run' ? <RunStep cluster={cluster} /> : null}
        {w.step === 'verify' ? <VerifyStep cluster={cluster} /> : null}
      </div>
      <WizardNav cluster={cluster} />
    </section>
  );
}

function WizardNav({ cluster }: { cluster: string }) {
  const w = useApp((s) => filesOf(s, cluster).wizard);
  const { request, errors } = requestOf(w.choice);
  const p = w.preview;
  const sameRequest = !!p && !!request && JSON.stringify(p.request) === JSON.stringify(request);
  let back: WizardStep | null = null;
  let next: { label: string; go(): void; why: string | null; testid: string } | null = null;
  switch (w.step) {
    case 'choose':
      next = { label: 'Preview the changes', go: () => void previewPush(cluster, 'preview'), why: chooseBlocked(w.choice), testid: 'wiz-next' };
      break;
    case 'preview':
      back = 'choose';
      next = {
        label: 'Next: mode',
        go: () => goStep(cluster, 'mode'),
        why: !p || p.loading ? 'The preview is still running.' : p.error ? 'The preview failed.' : p.result ? previewBlocked(p.result) : null,
        testid: 'wiz-next',
      };
      break;
    case 'mode':
      back = 'preview';
      next = { label: 'Next: review', go: () => void previewPush(cluster, 'review'), why: Object.keys(errors).length ? 'Fix the wait times first.' : null, testid: 'wiz-next' };
      break;
    case 'review': {
      back = 'mode';
      const n = p?.result?.hosts.length ?? 0;
      next = {
        label: `Push to ${n} host${n === 1 ? '' : 's'}`,
        go: () => void runPush(cluster),
        why: !p || p.loading ? 'Checking the plan on every host…' : p.error ? 'The preview failed.' : !sameRequest ? 'The choice changed: go back and review again.' : p.result ? previewBlocked(p.result) : null,
        testid: 'wiz-run',
      };
      break;
    }
    case 'run':
      next = w.run?.result ? { label: 'Next: verify', go: () => goStep(cluster, 'verify'), why: null, testid: 'wiz-next' } : null;
      break;
    case 'verify':
      back = 'run';
      next = { label: 'Done', go: () => closeWizard(cluster, true), why: null, testid: 'wiz-done' };
      break;
  }
  return (
    <footer className="wiz-nav">
      {back ? (
        <button type="button" className="btn" onClick={() => goStep(cluster, back)} data-testid="wiz-back">
          Back
        </button>
      ) : null}
      <span className="wiz-why muted" data-testid="wiz-why">
        {next?.why ?? ''}
      </span>
      {next ? (
        <button type="button" className={`btn btn-primary ${w.step === 'review' ? 'btn-large' : ''}`} disabled={!!next.why} onClick={next.go} data-testid={next.testid}>
          {next.label}
        </button>
      ) : null}
    </footer>
  );
}

function ChooseStep({ cluster }: { cluster: string }) {
  const w = useApp((s) => filesOf(s, cluster).wizard);
  const m = useApp((s) => filesOf(s, cluster).matrix);
  const hosts = useApp(useShallow(() => hostsOfFiles(cluster, w.choice.files)));
  if (!m) return <p className="loading">Reading the sync matrix…</p>;
  const toggle = (xs: string[], x: string, on: boolean) => (on ? [...xs, x] : xs.filter((y) => y !== x));
  return (
    <div className="wiz-choose">
      <fieldset className="cfg-set">
        <legend>Files</legend>
        <ul className="cfg-checks cfg-checks-col">
          {m.files.map((f) => (
            <li key={f.id}>
              <label className="check">
                <input
                  type="checkbox"
                  checked={w.choice.files.includes(f.id)}
                  onChange={(e) =>
                    editChoice(cluster, (c) => {
                      const files = toggle(c.files, f.id, e.target.checked);
                      const ok = new Set(hostsOfFiles(cluster, files));
                      return { ...c, files, hosts: c.hosts.filter((h) => ok.has(h)) };
                    })
                  }
                  data-testid={`wiz-file-${f.id}`}
                />
                <strong>{f.id}</strong> <span className="mono muted">{f.path}</span> <span className="muted">v{f.current.version}</span>
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <fieldset className="cfg-set">
        <legend>Hosts</legend>
        {hosts.length ? (
          <>
            <div className="wiz-quick">
              <button type="button" className="link-button" onClick={() => editChoice(cluster, (c) => ({ ...c, hosts }))} data-testid="wiz-hosts-all">
                all
              </button>
              <button
                type="button"
                className="link-button"
                onClick={() => editChoice(cluster, (c) => ({ ...c, hosts: hosts.filter((h) => c.files.some((f) => { const x = cellOf(m, h, f); return x && x.state !== 'in-sync'; })) }))}
                data-testid="wiz-hosts-out"
              >
                only those not in sync
              </button>
            </div>
            <ul className="cfg-checks cfg-checks-col">
              {hosts.map((h) => (
                <li key={h}>
                  <label className="check">
                    <input type="checkbox" checked={w.choice.hosts.includes(h)} onChange={(e) => editChoice(cluster, (c) => ({ ...c, hosts: toggle(c.hosts, h, e.target.checked) }))} data-testid={`wiz-host-${h}`} />
                    <strong>{h}</strong>
                    {w.choice.files.map((f) => {
                      const x = cellOf(m, h, f);
                      return x ? <SyncBadge key={f} state={x.state} /> : null;
                    })}
                  </label>
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p className="muted">Choose a file to see its hosts.</p>
        )}
      </fieldset>
      <p className="muted">
        Nothing is written yet: the next step reads each file on {w.choice.hosts.length ? andList(w.choice.hosts) : 'the chosen hosts'} and shows the
        diff, with the validate command's verdict on a staged copy.
      </p>
    </div>
  );
}

function ModeStep({ cluster }: { cluster: string }) {
  const c = useApp((s) => filesOf(s, cluster).wizard.choice);
  const { errors } = requestOf(c);
  return (
    <div className="wiz-mode">
      <div className="cfg-radios cfg-radios-col" role="radiogroup" aria-label="Mode" data-testid="wiz-mode">
        <label className="check wiz-mode-opt">
          <input type="radio" name="mode" checked={c.mode === 'all-at-once'} onChange={() => editChoice(cluster, (x) => ({ ...x, mode: 'all-at-once' }))} data-testid="wiz-mode-all-at-once" />
          <span>
            <strong>All at once</strong>
            <span className="muted"> — every host in parallel; a failed host does not stop the others. For files whose reload keeps serving.</span>
          </span>
        </label>
        <label className="check wiz-mode-opt">
          <input type="radio" name="mode" checked={c.mode === 'rolling'} onChange={() => editChoice(cluster, (x) => ({ ...x, mode: 'rolling' }))} data-testid="wiz-mode-rolling" />
          <span>
            <strong>Rolling, one node at a time</strong>
            <span className="muted"> — drain the node on every LB, push, reload, wait for the service port, make it ready, then the next node. A failed node stops the run; nodes already done stay done.</span>
          </span>
        </label>
      </div>
      <div className="form-grid">
        <Field
          label="Drain wait (s)"
          hint="Rolling: how long to wait for a drained node's sessions to end before pushing anyway"
          value={c.drainWaitSec}
          error={errors.drainWaitSec}
          inputMode="numeric"
          disabled={c.mode !== 'rolling'}
          onValue={(v) => editChoice(cluster, (x) => ({ ...x, drainWaitSec: v }))}
          testid="wiz-drain-wait"
        />
        <Field
          label="Port wait (s)"
          hint="How long to wait for the service port after a reload"
          value={c.portWaitSec}
          error={errors.portWaitSec}
          inputMode="numeric"
          onValue={(v) => editChoice(cluster, (x) => ({ ...x, portWaitSec: v }))}
          testid="wiz-port-wait"
        />
      </div>
    </div>
  );
}
