import { useEffect, useRef } from 'react';
import type { ClusterSettings } from '../../shared/domain/cluster';
import { failoverOf } from '../state/failover-slice';
import { applyFailover } from '../state/ops/failover-ops';
import { useApp } from '../state/store';
import { ErrorBox } from '../ui/error-box';
import { DiffBlock } from './diff-block';
import { diffStat, parseUnifiedDiff } from './diff-view';
import { andList, sameSettings } from './settings-form';

function validityOf(valid: boolean | null): { word: string; tone: string } {
  if (valid === true) return { word: '✓ HAProxy accepts it', tone: 'ok' };
  if (valid === false) return { word: '✗ HAProxy refuses it', tone: 'error' };
  return { word: 'not checked', tone: 'info' };
}

/** The preview: per LB, the haproxy.cfg diff and HAProxy's verdict; then Apply. */
export function PreviewSection({ cluster, settings, lbs, dirty }: { cluster: string; settings: ClusterSettings | null; lbs: string[]; dirty: boolean }) {
  const p = useApp((s) => failoverOf(s, cluster).preview);
  const applying = useApp((s) => !!failoverOf(s, cluster).apply?.running);
  const ref = useRef<HTMLElement>(null);
  // The answer to "Preview changes" appears where the admin is looking, not below the fold.
  const loading = !!p?.loading;
  useEffect(() => {
    if (loading) ref.current?.scrollIntoView({ block: 'start' });
  }, [loading]);
  if (!p) return null;
  const stale = !sameSettings(p.settings, settings);
  const r = p.result;
  const refused = r?.targets.filter((t) => t.valid === false) ?? [];
  const changed = r?.targets.filter((t) => t.changed) ?? [];
  const names = r ? r.targets.map((t) => t.target) : lbs;
  const nothing = !!r && changed.length === 0 && !dirty;
  const why = p.loading
    ? 'The preview is still running.'
    : stale
      ? 'The form changed after this preview: preview again.'
      : refused.length
        ? `HAProxy refuses the new file on ${andList(refused.map((t) => t.target))}: nothing can be applied.`
        : nothing
          ? 'Nothing to apply: these are the settings in force.'
          : applying
            ? 'Applying…'
            : null;
  return (
    <section ref={ref} className="fo-preview" aria-label="Preview" aria-busy={p.loading} data-testid="failover-preview-result" data-stale={stale}>
      <h3>
        Preview{' '}
        {stale && !p.loading ? (
          <span className="tone tone-warn" data-testid="preview-stale">
            out of date: the form changed
          </span>
        ) : null}
      </h3>
      {p.loading ? (
        <p className="loading" role="status">
          <span className="spinner" aria-hidden="true" /> Reading haproxy.cfg on {andList(lbs)} and checking the new file there with haproxy -c…
        </p>
      ) : null}
      {p.error ? <ErrorBox error={p.error} testid="preview-error" /> : null}
      {r ? (
        <>
          <p className="fo-preview-lead">
            With these settings the cluster {r.budget}. {changed.length ? `haproxy.cfg changes on ${andList(changed.map((t) => t.target))}.` : 'haproxy.cfg stays as it is on every LB.'}
          </p>
          <div className="fo-targets">
            {r.targets.map((t) => {
              const v = validityOf(t.valid);
              const stat = diffStat(parseUnifiedDiff(t.diff));
              return (
                <article key={t.target} className={`fo-target ${t.valid === false ? 'fo-target-bad' : ''}`} data-testid={`preview-target-${t.target}`} data-valid={String(t.valid)} data-changed={t.changed}>
                  <header className="fo-target-head">
                    <span className="lb-name">{t.target}</span>
                    <span className="mono ellipsis">{t.path}</span>
                    <span className="muted num">{t.changed ? stat : 'no change'}</span>
                    <span className={`tone tone-${v.tone}`} data-testid={`preview-valid-${t.target}`}>
                      {v.word}
                    </span>
                  </header>
                  {t.message ? (
                    <pre className={`fo-target-msg ${t.valid === false ? 'fo-target-msg-bad' : ''}`} data-testid={`preview-message-${t.target}`}>
                      {t.message}
                    </pre>
                  ) : null}
                  {t.changed ? <DiffBlock diff={t.diff} label={`Changes to ${t.path} on ${t.target}`} testid={`preview-diff-${t.target}`} /> : null}
                </article>
              );
            })}
          </div>
          <div className="fo-apply-bar">
            <p className="fo-consequence" data-testid="apply-consequence">
              On each LB the new file is checked with <code>haproxy -c</code>, the current one is kept as a backup, then HAProxy reloads keeping
              its servers' states. If HAProxy refuses the file on any LB, nothing is changed anywhere; if a reload or check fails after the
              swap, the backup is put back.
            </p>
            <div className="fo-apply-row">
              <button
                type="button"
                className="btn btn-primary btn-large"
                disabled={!!why}
                aria-describedby={why ? 'fo-apply-why' : undefined}
                onClick={() => void applyFailover(cluster)}
                data-testid="failover-apply"
              >
                {changed.length ? `Apply to ${andList(names)}` : 'Save settings (haproxy.cfg unchanged)'}
              </button>
              {why ? (
                <span id="fo-apply-why" className="muted" data-testid="apply-disabled-why">
                  {why}
                </span>
              ) : null}
            </div>
          </div>
        </>
      ) : null}
    </section>
  );
}
