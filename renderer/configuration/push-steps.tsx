import { useShallow } from 'zustand/react/shallow';
import type { PushPreview } from '../../shared/domain/managed-files';
import { DiffBlock } from '../failover/diff-block';
import { diffStat, parseUnifiedDiff } from '../failover/diff-view';
import { andList } from '../failover/settings-form';
import { filesOf } from '../state/files-slice';
import { useApp } from '../state/store';
import { ErrorBox } from '../ui/error-box';
import { hostPlan, previewBlocked, previewHosts } from './push-view';

function verdict(valid: boolean | null, changed: boolean): { word: string; tone: string } {
  if (!changed) return { word: 'no change', tone: 'info' };
  if (valid === true) return { word: '✓ validate accepts it', tone: 'ok' };
  if (valid === false) return { word: '✗ validate refuses it', tone: 'error' };
  return { word: 'no validate command', tone: 'info' };
}

function PreviewItems({ p }: { p: PushPreview }) {
  return (
    <div className="wiz-hosts">
      {previewHosts(p).map((h) => (
        <article key={h.host} className={`wiz-host ${h.refused.length ? 'wiz-host-bad' : ''}`} data-testid={`wiz-preview-host-${h.host}`} data-changed={h.changed.length > 0}>
          <h4>
            {h.host} <span className="muted">{h.changed.length ? `${h.changed.length} file${h.changed.length === 1 ? '' : 's'} change` : 'nothing changes'}</span>
          </h4>
          {h.items.map((i) => {
            const v = verdict(i.valid, i.changed);
            return (
              <div key={i.file} className="wiz-item" data-testid={`wiz-preview-${i.host}-${i.file}`} data-valid={String(i.valid)} data-changed={i.changed}>
                <div className="wiz-item-head">
                  <strong>{i.file}</strong> <span className="mono ellipsis">{i.path}</span>
                  <span className="muted num">{i.changed ? diffStat(parseUnifiedDiff(i.diff)) : ''}</span>
                  <span className={`tone tone-${v.tone}`}>{v.word}</span>
                </div>
                {i.message ? <pre className={`fo-target-msg ${i.valid === false ? 'fo-target-msg-bad' : ''}`}>{i.message}</pre> : null}
                {i.changed ? <DiffBlock diff={i.diff} label={`${i.path} on ${i.host}: now → desired`} testid={`wiz-diff-${i.host}-${i.file}`} /> : null}
              </div>
            );
          })}
        </article>
      ))}
    </div>
  );
}

/** Step 2: per host per file, the diff (on the host → desired) and the validate command's verdict on a staged copy. */
export function PreviewStep({ cluster }: { cluster: string }) {
  const p = useApp((s) => filesOf(s, cluster).wizard.preview);
  if (!p) return null;
  if (p.loading) {
    return (
      <p className="loading" role="status">
        <span className="spinner" aria-hidden="true" /> Reading the files on {andList(p.request.hosts ?? [])} and validating a staged copy there…
      </p>
    );
  }
  if (p.error) return <ErrorBox error={p.error} testid="wiz-preview-error" />;
  if (!p.result) return null;
  const blocked = previewBlocked(p.result);
  return (
    <>
      <p className="wiz-lead">Nothing has been written. This is what a push would change, read from each host just now.</p>
      {blocked ? (
        <p className="warn-box" role="alert" data-testid="wiz-refusal">
          <span className="warn-text">Cannot push: </span>
          {blocked}
        </p>
      ) : null}
      <PreviewItems p={p.result} />
    </>
  );
}

/** Step 4: exactly what will happen, per host, in the order the hosts will be done. */
export function ReviewStep({ cluster }: { cluster: string }) {
  const p = useApp((s) => filesOf(s, cluster).wizard.preview);
  const files = useApp(useShallow((s) => filesOf(s, cluster).matrix?.files ?? []));
  const nodes = useApp(useShallow((s) => s.specs[cluster]?.nodes.map((n) => n.name) ?? []));
  const lbs = useApp(useShallow((s) => s.specs[cluster]?.lbs.map((l) => l.name) ?? []));
  if (!p) return null;
  if (p.loading) {
    return (
      <p className="loading" role="status">
        <span className="spinner" aria-hidden="true" /> Checking the plan on every host (the files may have changed since the preview)…
      </p>
    );
  }
  if (p.error) return <ErrorBox error={p.error} testid="wiz-review-error" />;
  const r = p.result;
  if (!r) return null;
  const req = p.request;
  const blocked = previewBlocked(r);
  const chosen = files.filter((f) => (req.files ?? []).includes(f.id));
  const hostsInfo = previewHosts(r);
  return (
    <>
      <p className="wiz-lead" data-testid="wiz-review-lead">
        {r.mode === 'rolling'
          ? `Rolling, one node at a time, in this order: ${r.hosts.join(' → ')}. A failed node stops the run; the nodes after it are not touched.`
          : `All at once on ${andList(r.hosts)}. A failed host does not stop the others.`}{' '}
        On every host: staged beside the file, validated there, the old file kept as a backup, renamed into place; if the reload or the check
        fails, the backup is put back and the service reloaded again.
      </p>
      {blocked ? (
        <p className="warn-box" role="alert" data-testid="wiz-refusal">
          <span className="warn-text">Cannot push: </span>
          {blocked}
        </p>
      ) : null}
      <ol className="wiz-review" data-testid="wiz-review">
        {hostsInfo.map((h) => (
          <li key={h.host} data-testid={`wiz-review-host-${h.host}`}>
            <h4>{h.host}</h4>
            <ol className="wiz-plan">
              {hostPlan(h.host, chosen, {
                mode: r.mode,
                isNode: nodes.includes(h.host),
                lbs,
                drainWaitSec: req.drainWaitSec ?? 30,
                portWaitSec: req.portWaitSec ?? 30,
                changed: h.changed,
              }).map((l, i) => (
                <li key={i}>{l}</li>
              ))}
            </ol>
          </li>
        ))}
      </ol>
    </>
  );
}
