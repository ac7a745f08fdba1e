import './failover.css';
import { useEffect, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ClusterSettings } from '../../shared/domain/cluster';
import { formatDuration } from '../frame/budget';
import { failoverOf } from '../state/failover-slice';
import { editFailoverDraft, loadFailover, previewFailover, resetFailoverDraft } from '../state/ops/failover-ops';
import { useApp } from '../state/store';
import { ErrorBox } from '../ui/error-box';
import { Field } from '../ui/field';
import { Tip } from '../ui/tip';
import { ApplyPanel } from './apply-panel';
import { PreviewSection } from './preview-section';
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
 * minimum, the VIP and the SSH connect deadline. The form refuses bad values by their field; Preview shows the haproxy.cfg
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

          <fieldset className="fo-set">
            <legend>SSH connections</legend>
            <div className="fo-row">
              <Field
                label="Connect deadline"
                hint="How long ClusterDeck waits for an SSH connection to come up before calling the host unreachable: 1 s to 120 s. A handshake takes about 7 round trips: allow 20s or more for far or slow links. HAProxy is not changed."
                value={d.connectTimeout}
                error={errors.connectTimeout}
                autoComplete="off"
                spellCheck={false}
                onValue={(v) => edit((x) => ({ ...x, connectTimeout: v }))}
                testid="fo-connect-timeout"
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
