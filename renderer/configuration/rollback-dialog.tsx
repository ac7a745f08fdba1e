import { resultView, OUTCOME_WORD } from '../failover/apply-view';
import { StepList } from '../failover/step-list';
import { chooseBackup, closeRollback, openRollback, runRollback } from '../state/ops/files-ops';
import { filesOf } from '../state/files-slice';
import { useApp } from '../state/store';
import { AppDialog } from '../ui/dialog';
import { ErrorBox } from '../ui/error-box';
import { fileStepRows } from './push-view';
import { cellOf, formatBytes, formatStamp, shortSha } from './sync-view';

/** Host + file → its backups on that host (date, fingerprint, matching version) → restore one through the safe path. */
export function RollbackDialog({ cluster }: { cluster: string }) {
  const rb = useApp((s) => filesOf(s, cluster).rollback);
  const m = useApp((s) => filesOf(s, cluster).matrix);
  if (!rb) return null;
  const file = m?.files.find((f) => f.id === rb.file) ?? null;
  const hosts = m ? m.hosts.filter((h) => cellOf(m, h, rb.file)) : [rb.host];
  const current = m ? cellOf(m, rb.host, rb.file) : null;
  const chosen = rb.backups?.find((b) => b.id === rb.chosen) ?? null;
  const r = rb.result;
  const v = r ? resultView(r) : null;
  return (
    <AppDialog
      open
      onOpenChange={(o) => {
        if (!o) closeRollback(cluster);
      }}
      title={`Roll back ${rb.file} on ${rb.host}`}
      description="Restoring a backup takes the same safe path as a push: staged beside the file, validated, the current file backed up, renamed, reloaded, checked; put back if the reload or check fails."
      testid="rollback-dialog"
      size="wide"
      dismissable={!rb.running}
    >
      <div className="cfg-bar">
        <label className="cfg-filter">
          <span>Host</span>
          <select value={rb.host} disabled={rb.running} onChange={(e) => void openRollback(cluster, e.target.value, rb.file)} data-testid="rollback-host">
            {hosts.map((h) => (
              <option key={h} value={h}>
                {h}
              </option>
            ))}
          </select>
        </label>
        <label className="cfg-filter">
          <span>File</span>
          <select value={rb.file} disabled={rb.running} onChange={(e) => void openRollback(cluster, rb.host, e.target.value)} data-testid="rollback-file">
            {(m?.files ?? []).map((f) => (
              <option key={f.id} value={f.id}>
                {f.id} ({f.path})
              </option>
            ))}
          </select>
        </label>
        {current ? (
          <span className="muted">
            now on {rb.host}: <span className="mono">{shortSha(current.sha256)}</span>
          </span>
        ) : null}
      </div>
      {rb.loading ? (
        <p className="loading" role="status">
          <span className="spinner" aria-hidden="true" /> Listing the backups of {file?.path ?? rb.file} on {rb.host}…
        </p>
      ) : null}
      {rb.error ? <ErrorBox error={rb.error} testid="rollback-error" /> : null}
      {rb.backups ? (
        rb.backups.length ? (
          <table className="backups-table" data-testid="rollback-backups">
            <thead>
              <tr>
                <th scope="col">
                  <span className="visually-hidden">Choose</span>
                </th>
                <th scope="col">Taken</th>
                <th scope="col">SHA-256</th>
                <th scope="col">Version</th>
                <th scope="col">Size</th>
                <th scope="col">Backup</th>
              </tr>
            </thead>
            <tbody>
              {rb.backups.map((b) => (
                <tr key={b.id} className={rb.chosen === b.id ? 'backup-chosen' : ''} data-testid={`backup-${b.id}`}>
                  <td>
                    <input
                      type="radio"
                      name="backup"
                      aria-label={`Backup taken ${formatStamp(b.at)}`}
                      checked={rb.chosen === b.id}
                      disabled={rb.running}
                      onChange={() => chooseBackup(cluster, b.id)}
                      data-testid={`backup-choose-${b.id}`}
                    />
                  </td>
                  <td className="num">{formatStamp(b.at)}</td>
                  <td className="mono">{shortSha(b.sha256, 12)}</td>
                  <td>{b.version !== null ? `v${b.version}${file && b.version === file.current.version ? ' (desired)' : ''}` : <span className="muted">no stored version</span>}</td>
                  <td className="num">{formatBytes(b.size)}</td>
                  <td className="mono backup-id" title={b.path}>
                    {b.id}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted" data-testid="rollback-none">
            No backup of {file?.path ?? rb.file} on {rb.host} yet: ClusterDeck keeps one each time it replaces the file.
          </p>
        )
      ) : null}
      {rb.running ? (
        <p className="loading" role="status" data-testid="rollback-running">
          <span className="spinner" aria-hidden="true" /> Restoring {rb.chosen} on {rb.host}…
        </p>
      ) : null}
      {rb.runError ? <ErrorBox error={rb.runError} testid="rollback-run-error" /> : null}
      {r && v ? (
        <section className={`fo-result fo-result-${v.tone} cfg-result`} data-testid="rollback-result" data-outcome={r.outcome}>
          <h4 role="status">
            <span className={`tone tone-${v.tone}`}>{OUTCOME_WORD[r.outcome]}</span> {r.message}
          </h4>
          {r.targets.map((t) => (
            <StepList key={t.target} rows={fileStepRows(t.steps, true)} testid={`rollback-steps-${t.target}`} />
          ))}
        </section>
      ) : null}
      <div className="dialog-actions">
        <button type="button" className="btn" disabled={rb.running} onClick={() => closeRollback(cluster)} data-testid="rollback-close">
          {r ? 'Close' : 'Cancel'}
        </button>
        <button type="button" className="btn btn-primary" disabled={!chosen || rb.running || !!r} onClick={() => void runRollback(cluster)} data-testid="rollback-run">
          {chosen ? `Restore the backup of ${formatStamp(chosen.at)} on ${rb.host}` : 'Choose a backup to restore'}
        </button>
      </div>
    </AppDialog>
  );
}
