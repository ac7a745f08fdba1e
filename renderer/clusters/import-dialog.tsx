import './clusters.css';
import { useEffect, useRef, useState } from 'react';
import type { InventoryPreview } from '../../shared/domain/inventory';
import { importInventory, previewInventory, type InventoryFile } from '../state/ops/clusters-ops';
import { useApp } from '../state/store';
import type { ShownError } from '../state/types';
import { AppDialog } from '../ui/dialog';
import { ErrorBox } from '../ui/error-box';
import { Field } from '../ui/field';
import { canImport, clusterNameError, IMPORT_DEFAULTS, importOptions, previewHeadline, socketText, sortProblems, sshText, where, type ImportForm } from './import-view';

function Preview({ p }: { p: InventoryPreview }) {
  const problems = sortProblems(p.problems);
  return (
    <section className="import-preview" data-testid="import-preview" aria-label="What would be imported">
      <h3 data-testid="import-headline">{previewHeadline(p)}</h3>
      {problems.length ? (
        <ul className="problems" data-testid="import-problems">
          {problems.map((x, i) => (
            <li key={i} className={`problem problem-${x.severity}`} data-testid="import-problem" data-severity={x.severity}>
              <span className={`tone tone-${x.severity === 'error' ? 'error' : 'warn'}`}>{x.severity}</span>
              <span className="mono problem-where">{where(x)}</span>
              <span>{x.message}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="ok-text">No problems found.</p>
      )}
      {p.cluster ? (
        <div className="preview-tables">
          <table className="mini" data-testid="import-nodes">
            <caption>Nodes</caption>
            <thead>
              <tr>
                <th>Name</th>
                <th>SSH</th>
                <th>Key file</th>
                <th>HAProxy server</th>
              </tr>
            </thead>
            <tbody>
              {p.cluster.nodes.map((n) => (
                <tr key={n.name}>
                  <td>{n.name}</td>
                  <td className="mono">{sshText(n.ssh)}</td>
                  <td className="mono mono-wrap">{n.ssh.keyFile ?? 'agent / ~/.ssh/id_*'}</td>
                  <td className="mono">
                    {n.backend}/{n.server}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <table className="mini" data-testid="import-lbs">
            <caption>Load balancers</caption>
            <thead>
              <tr>
                <th>Name</th>
                <th>SSH</th>
                <th>Key file</th>
                <th>Admin socket</th>
              </tr>
            </thead>
            <tbody>
              {p.cluster.lbs.map((l) => (
                <tr key={l.name}>
                  <td>{l.name}</td>
                  <td className="mono">{sshText(l.ssh)}</td>
                  <td className="mono mono-wrap">{l.ssh.keyFile ?? 'agent / ~/.ssh/id_*'}</td>
                  <td className="mono">{socketText(l.socket)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

/**
 * Import an Ansible inventory: pick the file (read here, handed to the core as text), set the
 * groups and vars your playbooks use, see every problem with file:line, then confirm.
 */
export function ImportDialog() {
  const open = useApp((s) => s.dialog === 'import');
  const openDialog = useApp((s) => s.openDialog);
  const [file, setFile] = useState<InventoryFile | null>(null);
  const [form, setForm] = useState<ImportForm>(IMPORT_DEFAULTS);
  const [preview, setPreview] = useState<{ key: string; p: InventoryPreview } | null>(null);
  const [error, setError] = useState<ShownError | null>(null);
  const [busy, setBusy] = useState<'preview' | 'import' | null>(null);
  const [touched, setTouched] = useState(false);
  const seq = useRef(0);

  const opts = importOptions(form);
  const key = file && opts ? JSON.stringify([file.name, file.content.length, opts]) : null;
  const current = preview && preview.key === key ? preview.p : null;

  useEffect(() => {
    if (!open) {
      setFile(null);
      setForm(IMPORT_DEFAULTS);
      setPreview(null);
      setError(null);
      setBusy(null);
      setTouched(false);
    }
  }, [open]);

  // Preview again whenever the file or an option changes (debounced): what you confirm is what you saw.
  useEffect(() => {
    if (!file || !opts || !key) return;
    const mine = ++seq.current;
    const t = setTimeout(async () => {
      setBusy('preview');
      const r = await previewInventory(file, opts);
      if (mine !== seq.current) return;
      setBusy(null);
      if (r.ok) {
        setPreview({ key, p: r.value });
        setError(null);
      } else setError(r.error);
    }, 300);
    return () => clearTimeout(t);
  }, [key]);

  const set = (k: keyof ImportForm) => (v: string) => setForm((f) => ({ ...f, [k]: v }));
  const nameErr = touched || file ? clusterNameError(form.cluster) : undefined;

  const confirm = async (): Promise<void> => {
    if (!file || !opts || !canImport(current)) return;
    setBusy('import');
    const r = await importInventory(file, opts);
    setBusy(null);
    if (!r.ok) setError(r.error);
  };

  return (
    <AppDialog
      open={open}
      onOpenChange={(o) => !o && openDialog(null)}
      title="Import an Ansible inventory"
      description="The file is read here and previewed by ClusterDeck; nothing is saved until you confirm. group_vars/ and host_vars/ beside the file are not read this way: use the CLI for those."
      testid="import-dialog"
      size="wide"
      dismissable={busy !== 'import'}
    >
      <form
        className="import-form"
        onSubmit={(e) => {
          e.preventDefault();
          void confirm();
        }}
      >
        <div className="field">
          <label htmlFor="inventory-file">Inventory file (YAML or INI)</label>
          <input
            id="inventory-file"
            type="file"
            data-testid="inventory-file"
            accept=".yml,.yaml,.ini,.cfg,.txt,text/plain,application/x-yaml,application/yaml"
            onChange={async (e) => {
              const f = e.target.files?.[0];
              if (!f) return;
              setFile({ name: f.name, content: await f.text() });
              setPreview(null);
              setError(null);
            }}
          />
        </div>
        <div className="form-grid">
          <Field label="Cluster name" required value={form.cluster} onValue={set('cluster')} onBlur={() => setTouched(true)} testid="import-cluster" error={nameErr} placeholder="e.g. prod" />
          <Field label="LB group" value={form.lbGroup} onValue={set('lbGroup')} testid="import-lb-group" placeholder="lbservers" />
          <Field label="Nodes group" value={form.nodesGroup} onValue={set('nodesGroup')} testid="import-nodes-group" placeholder="every host with the server var" />
          <Field label="Backend var" value={form.backendVar} onValue={set('backendVar')} testid="import-backend-var" placeholder="lb_backend" />
          <Field label="Server var" value={form.serverVar} onValue={set('serverVar')} testid="import-server-var" placeholder="lb_server" />
        </div>
        {busy === 'preview' ? (
          <p className="muted" role="status">
            Reading the inventory…
          </p>
        ) : null}
        {!file ? <p className="muted">Choose a file to see what would be imported.</p> : null}
        {error ? <ErrorBox error={error} /> : null}
        {current ? <Preview p={current} /> : null}
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={() => openDialog(null)} disabled={busy === 'import'}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={!canImport(current) || busy !== null} data-testid="import-confirm">
            {busy === 'import' ? 'Importing…' : opts ? `Import cluster ${opts.cluster}` : 'Import'}
          </button>
        </div>
        {current && !canImport(current) ? <p className="field-error">Fix the errors above (or the options) before importing: a file with any error imports nothing.</p> : null}
      </form>
    </AppDialog>
  );
}
