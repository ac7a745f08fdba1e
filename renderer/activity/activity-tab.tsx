import './activity.css';
import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { AuditEntry } from '../../shared/domain/audit';
import { fileStepRows } from '../configuration/push-view';
import { resultView, stepRowsOfResult, TARGET_WORD } from '../failover/apply-view';
import { DiffBlock } from '../failover/diff-block';
import { StepList } from '../failover/step-list';
import { loadAudit } from '../state/ops/audit-ops';
import { useApp } from '../state/store';
import { ErrorBox } from '../ui/error-box';
import { HostCommands, PushDetails } from './push-details';
import { actorLine, entryOutcome, entrySummary, entryTitle, formatWhen, isReadCommand, replyText } from './audit-view';

/** A configuration change: its outcome in words, then per LB the steps, the backup and the diff. */
function ConfigChangeDetails({ e }: { e: Extract<AuditEntry, { kind: 'config-change' }> }) {
  const r = e.result;
  const v = resultView(r);
  return (
    <div className="audit-details" data-testid="audit-config-change">
      <p className={`audit-config-title tone-text-${v.tone}`}>{v.title}</p>
      {v.lines.length ? (
        <ul className="audit-config-lines">
          {v.lines.map((l, i) => (
            <li key={i}>{l}</li>
          ))}
        </ul>
      ) : null}
      {r.targets.map((t) => {
        const tw = TARGET_WORD[t.outcome];
        return (
          <section key={t.target} className="audit-lb" data-testid={`audit-lb-${t.target}`}>
            <h4>
              {t.target} <span className={`tone tone-${tw.tone}`}>{tw.word}</span> <span className="muted mono">{t.path}</span>
            </h4>
            <StepList rows={r.kind === 'managed-file' ? fileStepRows(t.steps, true) : stepRowsOfResult(t.steps)} testid={`audit-steps-${t.target}`} />
            {e.commands ? <HostCommands commands={e.commands} host={t.target} /> : null}
            {t.error ? (
              <p className="runtime-bad">
                {t.error.code}: {t.error.message}
              </p>
            ) : null}
            {t.diff ? (
              <details className="cmd-fold" open={r.outcome !== 'ok'}>
                <summary>diff of {t.path}</summary>
                <DiffBlock diff={t.diff} label={`Changes to ${t.path} on ${t.target}`} testid={`audit-diff-${t.target}`} />
              </details>
            ) : null}
          </section>
        );
      })}
    </div>
  );
}

function EntryDetails({ e }: { e: AuditEntry }) {
  if (e.kind === 'config-change') return <ConfigChangeDetails e={e} />;
  if (e.kind === 'push') return <PushDetails e={e} />;
  if (e.kind !== 'node-action') {
    return (
      <div className="audit-details">
        <p>{e.summary}</p>
        {e.kind === 'host-key' ? <p className="mono">{e.fingerprint}</p> : null}
      </div>
    );
  }
  const r = e.result;
  return (
    <div className="audit-details">
      {r.gate.reasons.length ? (
        <p className="audit-gate">
          Safety gate {r.gate.allowed ? 'allowed' : r.forced ? 'refused, overridden by typing the node name' : 'refused'}: {r.gate.reasons.join('; ')}
        </p>
      ) : null}
      {r.wait ? (
        <p>
          Waited up to {r.wait.seconds} s for sessions: {r.wait.drained ? 'drained' : 'not drained'} (
          {Object.entries(r.wait.sessions)
            .map(([lb, n]) => `${lb}: ${n ?? '?'}`)
            .join(', ')}
          )
        </p>
      ) : null}
      {r.lbs.map((lb) => (
        <section key={lb.lb} className="audit-lb" data-testid={`audit-lb-${lb.lb}`}>
          <h4>
            {lb.lb} <span className={`tone tone-${lb.outcome === 'applied' ? 'ok' : lb.outcome === 'failed' ? 'error' : 'info'}`}>{lb.outcome}</span>
            {lb.statusAfter ? <span className="muted"> now {lb.statusAfter}, {lb.sessions ?? '?'} sessions</span> : null}
          </h4>
          {lb.error ? (
            <p className="runtime-bad">
              {lb.error.code}: {lb.error.message}
            </p>
          ) : null}
          <ol className="cmd-list">
            {lb.commands.map((c, i) => (
              <li key={i} className={`cmd ${isReadCommand(c.command) ? '' : 'cmd-change'}`}>
                <div className="cmd-line">
                  <span className="cmd-prompt" aria-hidden="true">
                    &gt;
                  </span>
                  <code className="cmd-text" data-testid="audit-command">
                    {c.command}
                  </code>
                  <span className="muted num">{c.ms.toFixed(1)} ms</span>
                </div>
                {c.error ? (
                  <pre className="cmd-reply cmd-reply-error">
                    {c.error.code}: {c.error.message}
                  </pre>
                ) : isReadCommand(c.command) ? (
                  // Reads are long CSV dumps: folded, so the commands that changed something stand out.
                  <details className="cmd-fold">
                    <summary>reply: {c.reply.split('\n').filter(Boolean).length} lines</summary>
                    <pre className="cmd-reply">{replyText(c.reply)}</pre>
                  </details>
                ) : (
                  <pre className="cmd-reply cmd-reply-change" data-testid="audit-reply">
                    {replyText(c.reply)}
                  </pre>
                )}
              </li>
            ))}
          </ol>
        </section>
      ))}
    </div>
  );
}

/** The audit log, newest first, filterable by node; each action expands to the exact commands and replies per LB. */
export function ActivityTab({ cluster }: { cluster: string }) {
  const audit = useApp((s) => s.audit);
  const expanded = useApp((s) => s.expandedAudit);
  const toggle = useApp((s) => s.toggleAuditEntry);
  const nodes = useApp(useShallow((s) => s.specs[cluster]?.nodes.map((n) => n.name) ?? []));
  const filter = audit.cluster === cluster ? audit.node : null;

  useEffect(() => {
    void loadAudit(cluster, null);
  }, [cluster]);

  const shown = audit.cluster === cluster ? audit.entries : [];
  return (
    <section className="activity" aria-label="Activity">
      <div className="activity-bar">
        <label htmlFor="audit-node">Node</label>
        <select id="audit-node" value={filter ?? ''} onChange={(e) => void loadAudit(cluster, e.target.value || null)} data-testid="audit-filter">
          <option value="">All nodes and changes</option>
          {nodes.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
        <span className="muted" role="status">
          {audit.loading ? 'Loading…' : `${shown.length} entr${shown.length === 1 ? 'y' : 'ies'}, newest first`}
          {audit.skippedLines ? ` · ${audit.skippedLines} unreadable line(s) skipped in the log file` : ''}
        </span>
      </div>
      {audit.error ? <ErrorBox error={audit.error} /> : null}
      <ol className="audit-list" data-testid="activity-list">
        {shown.map((e) => {
          const open = expanded.includes(e.id);
          const o = entryOutcome(e);
          const detailsId = `audit-${e.id}`;
          return (
            <li key={e.id} className={`audit-entry ${open ? 'audit-open' : ''}`} data-testid="audit-entry" data-kind={e.kind}>
              <button type="button" className="audit-head" aria-expanded={open} aria-controls={detailsId} onClick={() => toggle(e.id)}>
                <span className="audit-caret" aria-hidden="true">
                  {open ? '▾' : '▸'}
                </span>
                <time className="num audit-when" dateTime={e.at}>
                  {formatWhen(e.at)}
                </time>
                <span className="audit-title">{entryTitle(e)}</span>
                <span className={`tone tone-${o.tone}`}>{o.word}</span>
                <span className="audit-summary">{entrySummary(e)}</span>
                <span className="audit-actor muted">{actorLine(e)}</span>
              </button>
              {open ? (
                <div id={detailsId}>
                  <EntryDetails e={e} />
                </div>
              ) : null}
            </li>
          );
        })}
      </ol>
      {!audit.loading && shown.length === 0 && !audit.error ? <p className="muted pad">Nothing recorded yet{filter ? ` for ${filter}` : ''}.</p> : null}
    </section>
  );
}
