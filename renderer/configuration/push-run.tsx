import type { PushHostResult } from '../../shared/domain/managed-files';
import { DiffBlock } from '../failover/diff-block';
import { StepList } from '../failover/step-list';
import { formatDuration } from '../frame/budget';
import { filesOf } from '../state/files-slice';
import { useApp } from '../state/store';
import { ErrorBox } from '../ui/error-box';
import { useNow } from '../ui/use-now';
import { fileStepRows, HOST_OUTCOME, hostReason, PHASE_WORD, phaseTone, pushResultView, PUSH_OUTCOME, verifyRows } from './push-view';

const ms = (n: number) => formatDuration(Math.round(n / 100) * 100 || n);

function HostLog({ lines, host }: { lines: string[]; host: string }) {
  if (!lines.length) return null;
  return (
    <details className="wiz-log" open>
      <summary>Log of {host}</summary>
      <pre data-testid={`wiz-log-${host}`}>{lines.join('\n')}</pre>
    </details>
  );
}

function HostResult({ h, log }: { h: PushHostResult; log: string[] }) {
  const o = HOST_OUTCOME[h.outcome];
  const reason = h.outcome === 'done' || h.outcome === 'unchanged' ? null : hostReason(h);
  return (
    <article className={`wiz-host wiz-host-${o.tone}`} data-testid={`wiz-run-host-${h.host}`} data-outcome={h.outcome}>
      <h4>
        {h.host} <span className={`tone tone-${o.tone}`}>{o.word}</span> <span className="muted num">{h.durationMs ? ms(h.durationMs) : ''}</span>
        {h.drained ? <span className="muted"> · drained and made ready again</span> : null}
      </h4>
      <progress className={`wiz-bar wiz-bar-${o.tone}`} max={100} value={h.outcome === 'not-started' ? 0 : 100} aria-label={`${h.host}: ${o.word}`} />
      {reason ? (
        <p className="runtime-bad" data-testid={`wiz-run-reason-${h.host}`}>
          {reason}
        </p>
      ) : null}
      {h.notes.length ? (
        <ul className="wiz-notes">
          {h.notes.map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      ) : null}
      {h.files.map((f) => (
        <div key={f.file} className="wiz-item">
          <div className="wiz-item-head">
            <strong>{f.file}</strong> <span className="mono ellipsis">{f.path}</span>
            {f.backup ? <span className="muted mono ellipsis">backup {f.backup}</span> : null}
          </div>
          <StepList rows={fileStepRows(f.steps, true)} testid={`wiz-steps-${h.host}-${f.file}`} />
          {f.diff ? (
            <details className="fo-fold">
              <summary>What changed in {f.path}</summary>
              <DiffBlock diff={f.diff} label={`Changes to ${f.path} on ${h.host}`} />
            </details>
          ) : null}
        </div>
      ))}
      <HostLog lines={log} host={h.host} />
    </article>
  );
}

/** Step 5: a bar and a log per host while it runs; then the result per host and what was left as it was. */
export function RunStep({ cluster }: { cluster: string }) {
  const run = useApp((s) => filesOf(s, cluster).wizard.run);
  const order = useApp((s) => filesOf(s, cluster).wizard.preview?.result?.hosts ?? null);
  const live = useApp((s) => filesOf(s, cluster).live);
  const now = useNow(!!run?.running, 500);
  if (!run) return null;
  const hosts = order ?? run.request.hosts ?? [];
  if (run.running) {
    return (
      <div aria-busy="true" data-testid="wiz-running">
        <p className="wiz-lead" role="status">
          <span className="spinner" aria-hidden="true" /> Pushing ({run.request.mode}) <span className="muted num">{ms(Math.max(0, now - run.startedAt))}</span>
        </p>
        <div className="wiz-hosts">
          {hosts.map((h) => {
            const l = live?.hosts[h];
            const phase = l?.phase ?? 'waiting';
            return (
              <article key={h} className="wiz-host" data-testid={`wiz-run-host-${h}`} data-phase={phase}>
                <h4>
                  {h} <span className={`tone tone-${phaseTone(phase)}`}>{PHASE_WORD[phase]}</span> <span className="muted num">{l ? `${Math.round(l.percent)} %` : ''}</span>
                </h4>
                <progress className={`wiz-bar wiz-bar-${phaseTone(phase)}`} max={100} value={l?.percent ?? 0} aria-label={`${h}: ${PHASE_WORD[phase]}`} />
                {l?.detail ? <p className="muted">{l.detail}</p> : null}
                <HostLog lines={l?.log ?? []} host={h} />
              </article>
            );
          })}
        </div>
      </div>
    );
  }
  if (run.error) {
    return (
      <div data-testid="wiz-run-result" data-outcome="error">
        <ErrorBox error={run.error} testid="wiz-run-error" />
        <p className="muted">ClusterDeck did not get a result: the sync matrix (refreshed now) shows what each host has; the Activity tab has what was recorded.</p>
      </div>
    );
  }
  const r = run.result;
  if (!r) return null;
  const v = pushResultView(r);
  return (
    <div data-testid="wiz-run-result" data-outcome={r.outcome}>
      <div className={`fo-result fo-result-${v.tone} wiz-summary`}>
        <h4 role="status">
          <span className={`tone tone-${v.tone}`}>{PUSH_OUTCOME[r.outcome].word}</span> <span data-testid="wiz-result-title">{v.title}</span>{' '}
          <span className="muted num">in {ms(r.durationMs)}</span>
        </h4>
        <dl className="kv" data-testid="wiz-result-counts">
          <dt>Done</dt>
          <dd data-testid="wiz-result-done">{v.done.join(', ') || 'none'}</dd>
          <dt>Failed</dt>
          <dd data-testid="wiz-result-failed">{v.failed.join(', ') || 'none'}</dd>
          <dt>Not started</dt>
          <dd data-testid="wiz-result-not-started">{v.notStarted.join(', ') || 'none'}</dd>
        </dl>
        {v.left.length ? (
          <>
            <p className="wiz-left-head">Left as it was:</p>
            <ul className="wiz-left" data-testid="wiz-result-left">
              {v.left.map((l, i) => (
                <li key={i}>{l}</li>
              ))}
            </ul>
          </>
        ) : null}
        <p className="muted">{r.message}</p>
      </div>
      <div className="wiz-hosts">
        {r.hosts.map((h) => (
          <HostResult key={h.host} h={h} log={live?.hosts[h.host]?.log ?? []} />
        ))}
      </div>
    </div>
  );
}

/** Step 6: the fingerprints read back after the push, against the desired ones. */
export function VerifyStep({ cluster }: { cluster: string }) {
  const r = useApp((s) => filesOf(s, cluster).wizard.run?.result ?? null);
  if (!r) return null;
  const rows = verifyRows(r.verify);
  const bad = rows.filter((x) => !x.ok);
  return (
    <>
      <p className="wiz-lead" role="status" data-testid="wiz-verify-lead">
        {rows.length === 0
          ? 'Nothing was read back.'
          : bad.length
            ? `${bad.length} of ${rows.length} file${rows.length === 1 ? '' : 's'} not in sync after the push: ${bad.map((b) => `${b.file} on ${b.host}`).join(', ')}.`
            : `All ${rows.length} file${rows.length === 1 ? '' : 's'} read back with the desired fingerprint.`}
      </p>
      <table className="verify-table" data-testid="wiz-verify">
        <thead>
          <tr>
            <th scope="col">Host</th>
            <th scope="col">File</th>
            <th scope="col">State</th>
            <th scope="col">SHA-256 on the host</th>
            <th scope="col">Desired</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((x) => (
            <tr key={`${x.host}/${x.file}`} data-testid={`wiz-verify-${x.host}-${x.file}`} data-ok={x.ok}>
              <th scope="row">{x.host}</th>
              <td>{x.file}</td>
              <td>
                <span className={`tone tone-${x.ok ? 'ok' : 'error'}`}>
                  {x.ok ? '✓' : '✗'} {x.state}
                </span>
              </td>
              <td className="mono">{x.onHost}</td>
              <td className="mono">{x.desired}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
