import { useEffect, useRef } from 'react';
import { failoverOf } from '../state/failover-slice';
import { useApp } from '../state/store';
import { ErrorBox } from '../ui/error-box';
import { useNow } from '../ui/use-now';
import { OUTCOME_WORD, resultView, stepRows, stepRowsOfResult, TARGET_WORD } from './apply-view';
import { DiffBlock } from './diff-block';
import { StepList } from './step-list';
import { andList } from './settings-form';
import { formatDuration } from '../frame/budget';

/**
 * Apply's progress (per LB, each step ticking as config.progress reports it) and then its result:
 * applied, refused (nothing changed anywhere, HAProxy's message), rolled back (what was restored).
 */
export function ApplyPanel({ cluster, lbs }: { cluster: string; lbs: string[] }) {
  const a = useApp((s) => failoverOf(s, cluster).apply);
  const run = useApp((s) => s.configRuns[cluster]);
  const now = useNow(!!a?.running, 500);
  const ref = useRef<HTMLElement>(null);
  const running = !!a?.running;
  // Progress, then the result, where the admin is looking.
  useEffect(() => {
    if (running) ref.current?.scrollIntoView({ block: 'start' });
  }, [running]);
  if (!a) return null;
  const live = run && run.id !== a.priorRunId ? run : null;

  if (a.running) {
    const names = lbs.length ? lbs : Object.keys(live?.steps ?? {});
    return (
      <section ref={ref} className="fo-apply" aria-label="Applying" aria-busy="true" data-testid="apply-progress">
        <h3>
          <span className="spinner" aria-hidden="true" /> Applying to {andList(names)}… <span className="muted num">{formatDuration(Math.max(0, Math.round((now - a.startedAt) / 100) * 100))}</span>
        </h3>
        <div className="fo-apply-lbs">
          {names.map((lb) => (
            <div key={lb} className="fo-apply-lb" data-testid={`apply-lb-${lb}`}>
              <h4>{lb}</h4>
              <StepList rows={stepRows(live?.steps[lb] ?? [], false)} testid={`apply-steps-${lb}`} />
            </div>
          ))}
        </div>
      </section>
    );
  }

  if (a.error) {
    return (
      <section ref={ref} className="fo-apply" aria-label="Apply failed" data-testid="apply-result" data-outcome="error">
        <ErrorBox error={a.error} />
        <p className="muted">ClusterDeck did not get a result; check the Activity tab and the LBs before trying again.</p>
      </section>
    );
  }
  if (!a.result) return null;
  const r = a.result.result;
  const v = resultView(r);
  return (
    <section ref={ref} className={`fo-apply fo-result fo-result-${v.tone}`} aria-label="Apply result" data-testid="apply-result" data-outcome={r.outcome}>
      <h3 role="status">
        <span className={`tone tone-${v.tone}`}>{OUTCOME_WORD[r.outcome]}</span> <span data-testid="apply-result-title">{v.title}</span>
        <span className="muted num"> in {formatDuration(Math.round(r.durationMs / 100) * 100 || r.durationMs)}</span>
      </h3>
      {v.lines.length ? (
        <ul className="fo-result-lines" data-testid="apply-result-lines">
          {v.lines.map((l, i) => (
            <li key={i}>{l}</li>
          ))}
        </ul>
      ) : null}
      <div className="fo-apply-lbs">
        {r.targets.map((t) => {
          const tw = TARGET_WORD[t.outcome];
          return (
            <div key={t.target} className="fo-apply-lb" data-testid={`apply-lb-${t.target}`} data-outcome={t.outcome}>
              <h4>
                {t.target} <span className={`tone tone-${tw.tone}`}>{tw.word}</span>
              </h4>
              <StepList rows={stepRowsOfResult(t.steps)} testid={`apply-steps-${t.target}`} />
              {t.error ? (
                <p className="runtime-bad">
                  {t.error.code}: {t.error.message}
                </p>
              ) : null}
              {t.diff ? (
                <details className="fo-fold">
                  <summary>What changed in {t.path}</summary>
                  <DiffBlock diff={t.diff} label={`Changes to ${t.path} on ${t.target}`} />
                </details>
              ) : null}
            </div>
          );
        })}
      </div>
    </section>
  );
}
