import { DiffBlock } from '../failover/diff-block';
import { diffStat, parseUnifiedDiff } from '../failover/diff-view';
import { closeCell, openRollback, openWizard } from '../state/ops/files-ops';
import { filesOf } from '../state/files-slice';
import { useApp } from '../state/store';
import { AppDialog } from '../ui/dialog';
import { ErrorBox } from '../ui/error-box';
import { SyncBadge } from './sync-matrix';
import { formatBytes, formatStamp, needsPush, SYNC_MEANING } from './sync-view';

/** One cell of the matrix: the line diff (on the host → desired), both fingerprints, and what to do about it. */
export function CellDialog({ cluster }: { cluster: string }) {
  const c = useApp((s) => filesOf(s, cluster).cell);
  const cell = useApp((s) => (c ? (filesOf(s, cluster).matrix?.cells.find((x) => x.host === c.host && x.file === c.file) ?? null) : null));
  if (!c) return null;
  const d = c.diff;
  const state = d?.state ?? cell?.state ?? 'unknown';
  return (
    <AppDialog
      open
      onOpenChange={(o) => {
        if (!o) closeCell(cluster);
      }}
      title={
        <>
          {c.file} on {c.host} <SyncBadge state={state} testid="cell-state" />
        </>
      }
      description={d ? `${d.path}: ${d.detail || SYNC_MEANING[state]}` : `Reading the file on ${c.host}…`}
      testid="cell-dialog"
      size="wide"
    >
      {c.loading ? (
        <p className="loading" role="status">
          <span className="spinner" aria-hidden="true" /> Reading {c.file} on {c.host}…
        </p>
      ) : null}
      {c.error ? <ErrorBox error={c.error} testid="cell-error" /> : null}
      {d ? (
        <>
          <dl className="kv kv-wide" data-testid="cell-fingerprints">
            <dt>On {c.host}</dt>
            <dd className="mono fingerprint" data-testid="cell-sha-host">
              {d.sha256 ?? `none (${state})`}
            </dd>
            <dt>Desired</dt>
            <dd className="mono fingerprint" data-testid="cell-sha-desired">
              {d.desiredSha256}
            </dd>
            {cell?.mtime ? (
              <>
                <dt>Changed on the host</dt>
                <dd className="num">
                  {formatStamp(cell.mtime)}
                  {cell.size !== null ? ` · ${formatBytes(cell.size)}` : ''}
                </dd>
              </>
            ) : null}
          </dl>
          {d.diff === null ? (
            <p className="muted" data-testid="cell-no-diff">
              No line diff: the file on the host {state === 'missing' ? 'does not exist' : 'is not text or could not be read'}.
            </p>
          ) : d.diff === '' ? (
            <p className="muted" data-testid="cell-same">
              The file on {c.host} is the desired one.
            </p>
          ) : (
            <>
              <p className="cfg-diff-head">
                <span className="diff-legend">
                  <span className="diff-legend-del">− on {c.host}</span> <span className="diff-legend-add">+ desired</span>
                </span>{' '}
                <span className="muted num">{diffStat(parseUnifiedDiff(d.diff))}</span>
              </p>
              <DiffBlock diff={d.diff} label={`${d.path} on ${c.host} against the desired content`} testid="cell-diff" />
            </>
          )}
        </>
      ) : null}
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={() => void openRollback(cluster, c.host, c.file)} data-testid="cell-rollback">
          Roll back…
        </button>
        <span className="dialog-spacer" />
        <button type="button" className="btn" onClick={() => closeCell(cluster)}>
          Close
        </button>
        <button
          type="button"
          className={`btn ${needsPush(state) ? 'btn-primary' : ''}`}
          onClick={() => openWizard(cluster, { files: [c.file], hosts: [c.host] })}
          data-testid="cell-push"
        >
          Push this file to {c.host}
        </button>
      </div>
    </AppDialog>
  );
}
