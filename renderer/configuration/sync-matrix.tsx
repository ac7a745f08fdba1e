import type { SyncMatrix } from '../../shared/domain/managed-files';
import { loadMatrix, openCell, setHostFilter } from '../state/ops/files-ops';
import { filesOf } from '../state/files-slice';
import { useApp } from '../state/store';
import { ErrorBox } from '../ui/error-box';
import { Tip } from '../ui/tip';
import { useNow } from '../ui/use-now';
import { cellOf, checkedAgo, matrixHosts, matrixSummary, shortSha, SYNC_MEANING, SYNC_STATES_SHOWN, SYNC_WORD } from './sync-view';

/** One state as the matrix, the legend and the node table draw it: its word, its outline, its colour. */
export function SyncBadge({ state, testid }: { state: keyof typeof SYNC_WORD; testid?: string }) {
  return (
    <span className={`sync-badge sync-${state}`} data-state={state} data-testid={testid}>
      {SYNC_WORD[state]}
    </span>
  );
}

function Legend() {
  return (
    <ul className="sync-legend" aria-label="What the states mean">
      {SYNC_STATES_SHOWN.map((s) => (
        <li key={s}>
          <Tip content={SYNC_MEANING[s]}>
            <span tabIndex={0}>
              <SyncBadge state={s} />
            </span>
          </Tip>
        </li>
      ))}
    </ul>
  );
}

/**
 * Hosts (rows) × managed files (columns): each cell the state's word and the file's short
 * SHA-256 on that host. A cell opens its diff. Live through sync.changed; Refresh asks every host.
 */
export function SyncMatrixView({ cluster }: { cluster: string }) {
  const st = useApp((s) => filesOf(s, cluster));
  const now = useNow(true, 1000);
  const m = st.matrix;
  if (!m) {
    return (
      <section className="cfg-matrix" data-testid="sync-matrix" aria-label="Sync matrix">
        <h3>Sync status</h3>
        {st.error ? <ErrorBox error={st.error} testid="sync-error" /> : <p className="loading" role="status">Reading the sync matrix…</p>}
      </section>
    );
  }
  const hosts = matrixHosts(m, st.hostFilter);
  return (
    <section className="cfg-matrix" data-testid="sync-matrix" aria-label="Sync matrix" aria-busy={st.refreshing}>
      <div className="cfg-bar">
        <h3>Sync status</h3>
        <label className="cfg-filter">
          <span>Host</span>
          <select value={st.hostFilter ?? ''} onChange={(e) => setHostFilter(cluster, e.target.value || null)} data-testid="sync-host-filter">
            <option value="">All hosts</option>
            {(st.hostFilter && !m.hosts.includes(st.hostFilter) ? [...m.hosts, st.hostFilter] : m.hosts).map((h) => (
              <option key={h} value={h}>
                {h}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="btn btn-small" disabled={st.refreshing} onClick={() => void loadMatrix(cluster, true)} data-testid="sync-refresh">
          {st.refreshing ? (
            <>
              <span className="spinner" aria-hidden="true" /> Checking every host…
            </>
          ) : (
            'Refresh'
          )}
        </button>
        <span className="muted num" data-testid="sync-checked" role="status">
          {checkedAgo(m.checkedAt, now)}
          {m.durationMs !== null ? ` (took ${m.durationMs < 1000 ? `${Math.round(m.durationMs)} ms` : `${(m.durationMs / 1000).toFixed(1)} s`})` : ''}
        </span>
        <span className="cfg-summary" data-testid="sync-summary">
          {matrixSummary(m, hosts)}
        </span>
      </div>
      {st.error ? <ErrorBox error={st.error} testid="sync-error" /> : null}
      {st.hostFilter ? (
        <p className="cfg-filtered" data-testid="sync-filtered">
          Showing <strong>{st.hostFilter}</strong> only.{' '}
          <button type="button" className="link-button" onClick={() => setHostFilter(cluster, null)} data-testid="sync-show-all">
            Show all hosts
          </button>
        </p>
      ) : null}
      {m.files.length === 0 ? (
        <p className="cfg-empty" data-testid="sync-empty">
          No managed file yet. Add one (an app config on the nodes, or haproxy.cfg on the LBs) and ClusterDeck compares its SHA-256 on every
          host with the desired one.
        </p>
      ) : hosts.length === 0 ? (
        <p className="muted" data-testid="sync-no-host">
          No managed file targets {st.hostFilter}.
        </p>
      ) : (
        <MatrixTable cluster={cluster} m={m} hosts={hosts} />
      )}
      <Legend />
    </section>
  );
}

function MatrixTable({ cluster, m, hosts }: { cluster: string; m: SyncMatrix; hosts: string[] }) {
  return (
    <div className="cfg-scroll">
      <table className="sync-table" data-testid="sync-table">
        <thead>
          <tr>
            <th scope="col">Host</th>
            {m.files.map((f) => (
              <th key={f.id} scope="col" data-testid={`sync-col-${f.id}`}>
                <span className="sync-file-id">{f.id}</span>
                <span className="mono muted sync-file-path">{f.path}</span>
                <span className="mono muted">
                  v{f.current.version} · {shortSha(f.current.sha256)}
                </span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {hosts.map((h) => (
            <tr key={h} data-testid={`sync-row-${h}`}>
              <th scope="row" className="sync-host">
                {h}
              </th>
              {m.files.map((f) => {
                const c = cellOf(m, h, f.id);
                if (!c) {
                  return (
                    <td key={f.id} className="sync-na">
                      <span className="muted">not managed here</span>
                    </td>
                  );
                }
                return (
                  <td key={f.id}>
                    <Tip content={c.detail || SYNC_MEANING[c.state]}>
                      <button
                        type="button"
                        className={`sync-cell sync-cell-${c.state}`}
                        onClick={() => void openCell(cluster, h, f.id)}
                        data-testid={`sync-cell-${h}-${f.id}`}
                        data-state={c.state}
                        aria-label={`${f.id} on ${h}: ${SYNC_WORD[c.state]}${c.sha256 ? `, sha256 ${shortSha(c.sha256)}` : ''}. Open the diff`}
                      >
                        <SyncBadge state={c.state} />
                        <span className="mono sync-sha">{shortSha(c.sha256)}</span>
                      </button>
                    </Tip>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
