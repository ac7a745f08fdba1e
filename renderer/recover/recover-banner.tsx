import './recover.css';
import { useEffect } from 'react';
import type { RecoverAction, UnfinishedChange } from '../../shared/contract/recover';
import { askResolve, cancelResolve, dismissRecoverResult, loadRecover, runResolve } from '../state/ops/recover-ops';
import { recoverOf } from '../state/recover-slice';
import { useApp } from '../state/store';
import { AppDialog } from '../ui/dialog';
import { ErrorBox } from '../ui/error-box';
import { ACTION_LABEL, bannerView, confirmView, disabledWhy, resultTitle, resultTone, targetRows } from './recover-view';

/**
 * Above a cluster's tabs while the intent journal has unfinished changes: each interrupted one with
 * the host, file and step it stopped at and what the host holds now, and its two ways out behind a
 * confirm; running ones are said to be running, nothing more.
 */
export function RecoverBanner({ cluster }: { cluster: string }) {
  const counts = useApp((s) => s.status[cluster]?.changes);
  const st = useApp((s) => recoverOf(s, cluster));
  const interrupted = counts?.interrupted ?? 0;
  const running = counts?.running ?? 0;
  useEffect(() => {
    if (interrupted > 0 || running > 0) void loadRecover(cluster);
  }, [cluster, interrupted, running]);

  const v = bannerView(cluster, counts);
  if (!v.show && !st.result && !st.runError) return null;
  const changes = st.changes ?? [];
  const open = st.confirm ? changes.find((c) => c.id === st.confirm!.id) ?? null : null;
  return (
    <section className={`recover-banner recover-${v.show ? v.tone : st.result ? resultTone(st.result) : 'error'}`} role={v.tone === 'warn' ? 'alert' : 'status'} data-testid="recover-banner">
      {v.show ? (
        <>
          <h3 className="recover-title" data-testid="recover-title">
            {v.title}
          </h3>
          <p className="recover-detail">{v.detail}</p>
        </>
      ) : null}
      {st.loading && !st.changes ? <p className="muted">Reading what the hosts hold now…</p> : null}
      {st.error ? <ErrorBox error={st.error} testid="recover-error" /> : null}
      {changes.map((c) => (
        <ChangeItem key={c.id} cluster={cluster} c={c} busy={st.running} />
      ))}
      {st.result ? (
        <div className={`recover-result recover-result-${resultTone(st.result)}`} data-testid="recover-result" data-outcome={st.result.outcome}>
          <strong>{resultTitle(st.result)}</strong>: {st.result.message}
          <button type="button" className="btn btn-small" onClick={() => dismissRecoverResult(cluster)} data-testid="recover-result-close">
            Close
          </button>
        </div>
      ) : null}
      {open && st.confirm ? <ConfirmResolve cluster={cluster} c={open} action={st.confirm.action} running={st.running} /> : null}
      {st.runError && !st.confirm ? <ErrorBox error={st.runError} testid="recover-run-error" /> : null}
    </section>
  );
}

function ChangeItem({ cluster, c, busy }: { cluster: string; c: UnfinishedChange; busy: boolean }) {
  if (c.state === 'running') {
    return (
      <div className="recover-change recover-running" data-testid={`recover-change-${c.id}`} data-state="running">
        <span className="tone tone-info">running</span> {c.summary} <span className="muted">({c.ownerText})</span>
      </div>
    );
  }
  const rows = targetRows(c);
  return (
    <div className="recover-change" data-testid={`recover-change-${c.id}`} data-state="interrupted">
      <div className="recover-change-head">
        <span className="tone tone-warn">interrupted</span> <strong>{c.summary}</strong> <span className="muted">by {c.ownerText}</span>
      </div>
      {rows.length ? (
        <table className="recover-targets" data-testid={`recover-targets-${c.id}`}>
          <thead>
            <tr>
              <th scope="col">Host</th>
              <th scope="col">File</th>
              <th scope="col">Stopped at</th>
              <th scope="col">On the host now</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} data-testid={`recover-target-${r.host}`}>
                <td>{r.host}</td>
                <td className="mono">{r.path}</td>
                <td>{r.stoppedAt}</td>
                <td className={`recover-holds recover-holds-${r.tone}`}>{r.holds}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">{c.message}</p>
      )}
      {c.drained.length ? <p className="muted">Drained by this change: {c.drained.map((d) => d.node).join(', ')}; made ready again either way.</p> : null}
      <div className="recover-actions">
        {(['finish', 'restore'] as const).map((a) => (
          <button
            key={a}
            type="button"
            className={`btn btn-small ${a === 'finish' ? 'btn-primary' : 'btn-warn'}`}
            disabled={busy || !c.offers[a].available}
            title={disabledWhy(c, a) ?? c.offers[a].what}
            onClick={() => askResolve(cluster, c.id, a)}
            data-testid={`recover-${a}-${c.id}`}
          >
            {ACTION_LABEL[a]}
          </button>
        ))}
      </div>
    </div>
  );
}

function ConfirmResolve({ cluster, c, action, running }: { cluster: string; c: UnfinishedChange; action: RecoverAction; running: boolean }) {
  const v = confirmView(c, action);
  const err = useApp((s) => recoverOf(s, cluster).runError);
  return (
    <AppDialog
      open
      onOpenChange={(o) => {
        if (!o) cancelResolve(cluster);
      }}
      title={v.title}
      description={v.body}
      testid="recover-confirm"
      tone={v.danger ? 'danger' : 'normal'}
      dismissable={!running}
    >
      <p className="muted">Hosts are changed one at a time; every command run is kept in the audit log.</p>
      {running ? (
        <p className="loading" role="status" data-testid="recover-running">
          <span className="spinner" aria-hidden="true" /> Working on the hosts…
        </p>
      ) : null}
      {err ? <ErrorBox error={err} testid="recover-confirm-error" /> : null}
      <div className="dialog-actions">
        <button type="button" className="btn" disabled={running} onClick={() => cancelResolve(cluster)} data-testid="recover-cancel">
          Cancel
        </button>
        <button type="button" className={`btn ${v.danger ? 'btn-danger' : 'btn-primary'}`} disabled={running} onClick={() => void runResolve(cluster)} data-testid="recover-confirm-run">
          {v.button}
        </button>
      </div>
    </AppDialog>
  );
}
