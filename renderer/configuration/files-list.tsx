import { openFileEditor, openRollback, openWizard } from '../state/ops/files-ops';
import { filesOf } from '../state/files-slice';
import { useApp } from '../state/store';
import { formatStamp, hostsWords, reloadWords, shortSha } from './sync-view';

/** The managed files: where each goes, how it is checked and reloaded, its desired version. */
export function FilesList({ cluster }: { cluster: string }) {
  const m = useApp((s) => filesOf(s, cluster).matrix);
  const files = m?.files ?? [];
  return (
    <section className="cfg-files" aria-label="Managed files" data-testid="files-list">
      <div className="cfg-bar">
        <h3>Managed files</h3>
        <button type="button" className="btn btn-small" onClick={() => openFileEditor(cluster, '')} data-testid="file-add">
          Add file
        </button>
      </div>
      {files.length ? (
        <div className="cfg-scroll">
          <table className="files-table">
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Path</th>
                <th scope="col">Hosts</th>
                <th scope="col">Validate / reload / check</th>
                <th scope="col">Desired</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {files.map((f) => (
                <tr key={f.id} data-testid={`file-row-${f.id}`}>
                  <th scope="row">{f.id}</th>
                  <td className="mono">{f.path}</td>
                  <td>{hostsWords(f.hosts)}</td>
                  <td className="files-cmds">
                    <span>
                      <span className="muted">validate</span> <code>{f.validate ?? 'none'}</code>
                    </span>
                    <span>
                      <span className="muted">reload</span> <code>{reloadWords(f)}</code>
                    </span>
                    <span>
                      <span className="muted">check</span> <code>{f.check ?? 'none'}</code>
                    </span>
                  </td>
                  <td className="num">
                    <span data-testid={`file-version-${f.id}`}>v{f.current.version}</span> <span className="mono">{shortSha(f.current.sha256)}</span>
                    <div className="muted">{formatStamp(f.current.addedAt)}</div>
                  </td>
                  <td className="files-actions">
                    <button type="button" className="btn btn-small" onClick={() => openFileEditor(cluster, f.id)} data-testid={`file-edit-${f.id}`}>
                      Edit
                    </button>
                    <button type="button" className="btn btn-small" onClick={() => openWizard(cluster, { files: [f.id], hosts: m?.cells.filter((c) => c.file === f.id).map((c) => c.host) ?? [] })} data-testid={`file-push-${f.id}`}>
                      Push…
                    </button>
                    {m?.hosts.length ? (
                      <button type="button" className="btn btn-small" onClick={() => void openRollback(cluster, m.cells.find((c) => c.file === f.id)?.host ?? m.hosts[0]!, f.id)} data-testid={`file-rollback-${f.id}`}>
                        Roll back…
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="muted">Nothing managed yet.</p>
      )}
    </section>
  );
}
