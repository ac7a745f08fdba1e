import './diff-steps.css';
import { useMemo } from 'react';
import { DIFF_MARK, parseUnifiedDiff } from './diff-view';

const SPOKEN: Record<string, string> = { add: 'added: ', del: 'removed: ', ctx: '', hunk: '', file: '', note: '' };

/**
 * A unified diff, readable: monospace, line numbers of the current and the new file, added and
 * removed lines coloured AND marked + / − (never colour alone), hunk headers set apart.
 */
export function DiffBlock({ diff, label, testid }: { diff: string; label: string; testid?: string }) {
  const d = useMemo(() => parseUnifiedDiff(diff), [diff]);
  if (!d.lines.length) return <p className="muted">No change to this file.</p>;
  return (
    <div className="diff" role="group" aria-label={label} data-testid={testid} data-added={d.added} data-removed={d.removed}>
      {d.lines.map((l, i) => (
        <div key={i} className={`diff-line diff-${l.kind}`} data-kind={l.kind} data-testid={l.kind === 'add' || l.kind === 'del' ? `diff-${l.kind}` : undefined}>
          <span className="diff-no" aria-hidden="true">
            {l.oldNo ?? ''}
          </span>
          <span className="diff-no" aria-hidden="true">
            {l.newNo ?? ''}
          </span>
          <span className="diff-mark" aria-hidden="true">
            {DIFF_MARK[l.kind]}
          </span>
          <span className="diff-text">
            {SPOKEN[l.kind] ? <span className="visually-hidden">{SPOKEN[l.kind]}</span> : null}
            {l.text}
          </span>
        </div>
      ))}
    </div>
  );
}
