import './failover.css';
import { useEffect, useMemo, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ClusterSettings } from '../../shared/domain/cluster';
import { formatDuration } from '../frame/budget';
import { failoverOf } from '../state/failover-slice';
import { applyFailover, editFailoverDraft, loadFailover, previewFailover, resetFailoverDraft } from '../state/ops/failover-ops';
import { useApp } from '../state/store';
import { ErrorBox } from '../ui/error-box';
import { Field } from '../ui/field';
import { Tip } from '../ui/tip';
import { ApplyPanel } from './apply-panel';
import { DiffBlock } from './diff-block';
import { diffStat, parseUnifiedDiff } from './diff-view';
import {
  andList,
  failoverWarnings,
  failoverWords,
  gateWords,
  modeWords,
  sameSettings,
  setActiveCount,
  settingChanges,
  standbyBlocked,
  toggleStandby,
  validateFailoverDraft,
  type FailoverErrors,
} from './settings-form';

function useNodes(cluster: string): string[] {
  return useApp(
    useShallow((s) => {
      const spec = s.specs[cluster];
      if (spec) return spec.nodes.map((n) => n.name);
      const st = s.status[cluster];
      if (st) return st.nodes.map((n) => n.node);
      const v = s.failover[cluster]?.view;
      return v ? [...v.roles.active, ...v.roles.standby] : [];
    }),
  );
}

function useLbs(cluster: string): string[] {
  return useApp(useShallow((s) => s.specs[cluster]?.lbs.map((l) => l.name) ?? s.status[cluster]?.lbs.map((l) => l.lb) ?? []));
}

/**
 * Failover settings: heartbeat interval, failover heartbeats, rise, active/standby, the gate's
 * minimum and the VIP. The form refuses bad values by their field; Preview shows the haproxy.cfg
 * diff on each LB (validated there); Apply writes exactly what was previewed, with per-LB progress.
 */
export function FailoverTab({ cluster }: { cluster: string }) {
  const st = useApp((s) => failoverOf(s, cluster));
  const nodes = useNodes(cluster);
  const lbs = useLbs(cluster);

  useEffect(() => {
    void loadFailover(cluster);
  }, [cluster]);

  const checked = useMemo(() => (st.draft ? validateFailoverDraft(st.draft, nodes) : null), [st.draft, nodes]);
  if (!st.draft || !st.view || !checked) {
    return (
      <section className="fo" data-testid="failover-tab">
        <h2>Failover settings</h2>
        {st.error ? <ErrorBox error={st.error} /> : <p className="loading" role="status">Reading the settings in force and the LBs' roles…</p>}
      </section>
    );
  }
  const errors: FailoverErrors = { ...st.serverErrors, ...checked.errors };
  const d = st.draft;
  const settings = checked.settings;
  const edit = (fn: Parameters<typeof editFailoverDraft>[1]) => editFailoverDraft(cluster, fn);
  const current = st.view.settings;
  const changes = settings ? settingChanges(current, settings) : [];
  const dirty = settings ? !sameSettings(settings, current) : true;
  const busy = !!st.preview?.loading || !!st.apply?.running;

  return (
    <section className="fo" data-testid="failover-tab" aria-label="Failover settings">
      <header className="fo-head">
        <h2>Failover settings</h2>
        <p className="muted">
          What HAProxy on {andList(lbs)} checks, and how ClusterDeck's own heartbeat follows each node. Nothing is written until you preview
          the change on every LB and apply it.
        </p>
      </header>
      <div className="fo-grid">
        <form
          className="fo-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (settings && !busy) void previewFailover(cluster, settings);
          }}
        >
          <fieldset className="fo-set">
            <legend>Heartbeat and failover</legend>
            <div className="fo-row">
              <Field
                label="Heartbeat interval"
                hint="How often HAProxy checks each node and ClusterDeck pings it: 100 ms to 60 s, e.g. 500ms, 1s, 1.5s"
                value={d.interval}
                error={errors.interval}
                autoComplete="off"
                spellCheck={false}
                onValue={(v) => edit((x) => ({ ...x, interval: v }))}
                testid="fo-interval"
              />
              <Field
                label="Failover heartbeats"
                hint="Checks missed in a row before a node is taken out (HAProxy fall)"
                value={d.heartbeats}
                error={errors.heartbeats}
                inputMode="numeric"
                autoComplete="off"
                onValue={(v) => edit((x) => ({ ...x, heartbeats: v }))}
                testid="fo-heartbeats"
              />
              <Field
                label="Rise count"
                hint="Checks passed in a row before it gets traffic again (HAProxy rise)"
                value={d.rise}
                error={errors.rise}
                inputMode="numeric"
                autoComplete="off"
                onValue={(v) => edit((x) => ({ ...x, rise: v }))}
                testid="fo-rise"
              />
            </div>
          </fieldset>

          <fieldset className="fo-set">
            <legend>Active and standby nodes</legend>
            <div className="fo-row">
              <Field
                label="Number of active nodes"
                hint={`1 = HA mode (one active, the others standby); ${nodes.length} = all load-balanced`}
                value={d.active}
                error={errors.active}
                inputMode="numeric"
                autoComplete="off"
                onValue={(v) => edit((x) => setActiveCount(x, v, nodes))}
                testid="fo-active"
              />
              <Field
                label="Minimum active nodes (safety gate)"
                hint="Drain and maintenance are refused below this many UP active nodes per LB"
                value={d.minActive}
                error={errors.minActive}
                inputMode="numeric"
                autoComplete="off"
                onValue={(v) => edit((x) => ({ ...x, minActive: v }))}
                testid="fo-min-active"
              />
            </div>
            <div className={`fo-standby ${errors.standby ? 'field-invalid' : ''}`} role="group" aria-labelledby="fo-standby-label" data-testid="fo-standby">
              <div id="fo-standby-label" className="fo-label">
                Standby nodes <span className="muted">(HAProxy backup servers)</span>
              </div>
              <ul className="fo-checks">
                {nodes.map((n) => {
                  const on = d.standby.includes(n);
                  const blocked = standbyBlocked(d, n, nodes);
                  const now = st.view!.roles.standby.includes(n) ? 'standby now' : 'active now';
                  const box = (
                    <label className={`check fo-check ${blocked ? 'fo-check-blocked' : ''}`} tabIndex={blocked ? 0 : undefined}>
                      <input
                        type="checkbox"
                        checked={on}
                        disabled={!!blocked}
                        aria-describedby={blocked ? `fo-blocked-${n}` : undefined}
                        onChange={(e) => edit((x) => toggleStandby(x, n, e.target.checked, nodes))}
                        data-testid={`fo-standby-${n}`}
                      />
                      <span className="fo-check-name">{n}</span>
                      <span className="muted fo-check-now">{now}</span>
                      {blocked ? (
                        <span id={`fo-blocked-${n}`} className="visually-hidden">
                          {blocked}
                        </span>
                      ) : null}
                    </label>
                  );
                  return <li key={n}>{blocked ? <Tip content={blocked}>{box}</Tip> : box}</li>;
                })}
              </ul>
              {errors.standby ? (
                <div className="field-error" role="alert" data-testid="fo-standby-error">
                  {errors.standby}
                </div>
              ) : null}
            </div>
          </fieldset>

          <fieldset className="fo-set">
            <legend>Virtual IP</legend>
            <div className="fo-row">
              <Field
                label="Cluster VIP (optional)"
                hint="The address keepalived moves between the LBs; ClusterDeck shows which LB holds it"
                value={d.vip}
                error={errors.vip}
                placeholder="none"
                autoComplete="off"
                spellCheck={false}
                onValue={(v) => edit((x) => ({ ...x, vip: v }))}
                testid="fo-vip"
              />
            </div>
          </fieldset>

          <div className="fo-actions">
            <button type="submit" className="btn btn-primary" disabled={!settings || busy} data-testid="failover-preview">
              {st.preview?.loading ? (
                <>
                  <span className="spinner" aria-hidden="true" /> Previewing…
                </>
              ) : (
                'Preview changes'
              )}
            </button>
            <button
              type="button"
              className="btn"
              disabled={busy || (!dirty && !st.preview && !st.apply && !Object.keys(errors).length)}
              onClick={() => resetFailoverDraft(cluster)}
              data-testid="failover-reset"
            >
              Discard changes
            </button>
            <span className={settings ? 'muted' : 'field-error'} role="status" data-testid="failover-form-status">
              {!settings
                ? 'Fix the fields marked in red to preview.'
                : dirty
                  ? `${changes.length} change${changes.length === 1 ? '' : 's'} from what runs now; nothing is written until you apply.`
                  : 'These are the settings in force.'}
            </span>
          </div>
        </form>

        <Explain settings={settings} current={current} nodes={nodes} changes={changes} invalid={!settings} />
      </div>

      <PreviewSection cluster={cluster} settings={settings} lbs={lbs} dirty={dirty} />
      <ApplyPanel cluster={cluster} lbs={lbs} />
    </section>
  );
}

/** The right-hand column: the failover time and what the numbers mean for these nodes. */
function Explain({
  settings,
  current,
  nodes,
  changes,
  invalid,
}: {
  settings: ClusterSettings | null;
  current: ClusterSettings;
  nodes: string[];
  changes: ReturnType<typeof settingChanges>;
  invalid: boolean;
}) {
  // While the form has an error, the explanation keeps describing the last valid state: the settings in force.
  const s = settings ?? current;
  const w = failoverWords(s);
  const mode = modeWords(nodes, s.standbyNodes);
  const warnings = failoverWarnings(s);
  return (
    <aside className="fo-explain" aria-label="What these settings mean" data-testid="failover-explain">
      <div className="fo-time">
        <span className="fo-time-label">Failover time</span>
        <strong className="fo-time-value num" data-testid="failover-time">
          {w.time}
        </strong>
        <span className="muted num">
          {formatDuration(s.heartbeatIntervalMs)} × {s.failoverHeartbeats} heartbeat{s.failoverHeartbeats === 1 ? '' : 's'}
        </span>
        {!settings ? <span className="tone tone-warn">form has errors: showing the settings in force</span> : null}
      </div>
      <p data-testid="failover-words">{w.out}</p>
      <p>{w.back}</p>
      {warnings.map((x) => (
        <p key={x} className="fo-warning" data-testid="failover-warning">
          <span className="tone tone-warn">check</span> {x}
        </p>
      ))}
      <h3 data-testid="mode-title">{mode.title}</h3>
      <p data-testid="mode-words">{mode.text}</p>
      <p className="muted">
        ClusterDeck shows nodes beyond the active count as <strong>standby</strong> even before HAProxy is told; applying makes them HAProxy
        backup servers.
      </p>
      <h3>Safety gate</h3>
      <p>{gateWords(s.minActive)}</p>
      <h3>Changes</h3>
      {invalid ? (
        <p className="muted" data-testid="failover-changes-invalid">
          The form has errors: fix the fields marked in red to see what would change.
        </p>
      ) : changes.length ? (
        <table className="fo-changes" data-testid="failover-changes">
          <tbody>
            {changes.map((c) => (
              <tr key={c.label}>
                <th scope="row">{c.label}</th>
                <td className="num">{c.from}</td>
                <td aria-hidden="true">→</td>
                <td className="num fo-change-to">{c.to}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">None: the form shows what runs now.</p>
      )}
    </aside>
  );
}

function validityOf(valid: boolean | null): { word: string; tone: string } {
  if (valid === true) return { word: '✓ HAProxy accepts it', tone: 'ok' };
  if (valid === false) return { word: '✗ HAProxy refuses it', tone: 'error' };
  return { word: 'not checked', tone: 'info' };
}

/** The preview: per LB, the haproxy.cfg diff and HAProxy's verdict; then Apply. */
function PreviewSection({ cluster, settings, lbs, dirty }: { cluster: string; settings: ClusterSettings | null; lbs: string[]; dirty: boolean }) {
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
