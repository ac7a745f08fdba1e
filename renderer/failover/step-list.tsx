import './diff-steps.css';
import type { StepRow } from './apply-view';

const ICON: Record<StepRow['state'], string> = { done: '✓', failed: '✗', running: '', pending: '○', skipped: '–' };
const SPOKEN: Record<StepRow['state'], string> = { done: 'done', failed: 'FAILED', running: 'running', pending: 'waiting', skipped: 'skipped' };

/** One host's steps of a configuration change, ticking as they are reported. */
export function StepList({ rows, testid }: { rows: StepRow[]; testid?: string }) {
  return (
    <ol className="steps" data-testid={testid}>
      {rows.map((r) => (
        <li key={r.step} className={`step step-${r.state}`} data-step={r.step} data-state={r.state}>
          <span className="step-icon" aria-hidden="true">
            {r.state === 'running' ? <span className="spinner" /> : ICON[r.state]}
          </span>
          <span className="step-word">
            {r.word}
            <span className="visually-hidden">: {SPOKEN[r.state]}</span>
          </span>
          {r.detail ? (
            <span className="step-detail" title={r.detail}>
              {r.detail}
            </span>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
