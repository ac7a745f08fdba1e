import type { AuditEntry } from '../../shared/domain/audit';
import type { HostCommand } from '../../shared/domain/managed-files';
import { commandHead, fileStepRows, HOST_OUTCOME, hostReason, pushResultView } from '../configuration/push-view';
import { DiffBlock } from '../failover/diff-block';
import { StepList } from '../failover/step-list';

/** The exact commands run on one host, in order, with how long each took and whether it failed. */
export function HostCommands({ commands, host }: { commands: HostCommand[]; host: string }) {
  const mine = commands.filter((c) => c.host === host);
  if (!mine.length) return null;
  return (
    <ol className="cmd-list" data-testid={`audit-commands-${host}`}>
      {mine.map((c, i) => {
        const h = commandHead(c.command);
        const line = (
          <>
            <span className="cmd-prompt" aria-hidden="true">
              $
            </span>
            <code className="cmd-text" data-testid="audit-command">
              {h.head}
            </code>
            <span className="muted num">{c.ms.toFixed(0)} ms</span>
            {c.ok ? null : <span className="tone tone-error">failed</span>}
          </>
        );
        return (
          <li key={i} className="cmd">
            {h.long ? (
              // Scripts are long: folded to their first line, the whole text one click away.
              <details className="cmd-fold">
                <summary className="cmd-line">{line}</summary>
                <pre className="cmd-reply">{c.command}</pre>
              </details>
            ) : (
              <div className="cmd-line">{line}</div>
            )}
          </li>
        );
      })}
    </ol>
  );
}

/** A push: the outcome per host (steps per file, notes such as drain and port waits) and the exact commands run on each host. */
export function PushDetails({ e }: { e: Extract<AuditEntry, { kind: 'push' }> }) {
  const r = e.result;
  const v = pushResultView(r);
  return (
    <div className="audit-details" data-testid="audit-push">
      <p className={`audit-config-title tone-text-${v.tone}`}>{v.title}</p>
      <p className="muted">
        {r.mode === 'rolling' ? 'Rolling, one node at a time' : 'All at once'} · done: {v.done.join(', ') || 'none'} · failed: {v.failed.join(', ') || 'none'} · not
        started: {v.notStarted.join(', ') || 'none'}
      </p>
      {v.left.length && r.outcome !== 'ok' ? (
        <ul className="audit-config-lines">
          {v.left.map((l, i) => (
            <li key={i}>{l}</li>
          ))}
        </ul>
      ) : null}
      {r.hosts.map((h) => {
        const o = HOST_OUTCOME[h.outcome];
        const reason = h.outcome === 'done' || h.outcome === 'unchanged' ? null : hostReason(h);
        return (
          <section key={h.host} className="audit-lb" data-testid={`audit-host-${h.host}`} data-outcome={h.outcome}>
            <h4>
              {h.host} <span className={`tone tone-${o.tone}`}>{o.word}</span>
              {h.drained ? <span className="muted"> drained for the update, ready after</span> : null}
            </h4>
            {reason ? <p className="runtime-bad">{reason}</p> : null}
            {h.notes.length ? (
              <ul className="audit-config-lines">
                {h.notes.map((n, i) => (
                  <li key={i}>{n}</li>
                ))}
              </ul>
            ) : null}
            {h.files.map((f) => (
              <div key={f.file}>
                <p className="muted mono">
                  {f.file}: {f.path}
                  {f.backup ? ` (backup ${f.backup})` : ''}
                </p>
                <StepList rows={fileStepRows(f.steps, true)} testid={`audit-steps-${h.host}-${f.file}`} />
                {f.diff ? (
                  <details className="cmd-fold">
                    <summary>diff of {f.path}</summary>
                    <DiffBlock diff={f.diff} label={`Changes to ${f.path} on ${h.host}`} />
                  </details>
                ) : null}
              </div>
            ))}
            <HostCommands commands={e.commands} host={h.host} />
          </section>
        );
      })}
    </div>
  );
}
