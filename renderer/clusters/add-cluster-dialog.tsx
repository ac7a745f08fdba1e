import { useEffect, useState } from 'react';
import { createCluster } from '../state/ops/clusters-ops';
import { useApp } from '../state/store';
import type { ShownError } from '../state/types';
import { AppDialog } from '../ui/dialog';
import { ErrorBox } from '../ui/error-box';
import { Field } from '../ui/field';
import { emptyForm, emptyLb, emptyNode, validateClusterForm, type ClusterForm, type FieldErrors, type LbRow, type NodeRow } from './cluster-form';

type Kind = 'nodes' | 'lbs';

function HostRows<R extends NodeRow | LbRow>({
  kind,
  rows,
  errors,
  onChange,
  onRemove,
}: {
  kind: Kind;
  rows: R[];
  errors: FieldErrors;
  onChange(i: number, k: keyof R, v: string): void;
  onRemove(i: number): void;
}) {
  const what = kind === 'nodes' ? 'Node' : 'LB';
  return (
    <>
      {rows.map((r, i) => {
        const e = (k: string) => errors[`${kind}.${i}.${k}`];
        const tid = (k: string) => `${kind}-${i}-${k}`;
        return (
          <fieldset key={i} className="host-row" data-testid={`${kind}-row-${i}`}>
            <legend>
              {what} {i + 1}
              {rows.length > 1 ? (
                <button type="button" className="link-button remove" onClick={() => onRemove(i)} aria-label={`Remove ${what.toLowerCase()} ${i + 1}`}>
                  remove
                </button>
              ) : null}
            </legend>
            <Field label="Name" value={r.name} onValue={(v) => onChange(i, 'name', v)} error={e('name')} testid={tid('name')} placeholder={kind === 'nodes' ? 'node1' : 'lb1'} />
            <Field label="Host" value={r.host} onValue={(v) => onChange(i, 'host', v)} error={e('host')} testid={tid('host')} placeholder="10.0.0.11" />
            <Field label="Port" value={r.port} onValue={(v) => onChange(i, 'port', v)} error={e('port')} testid={tid('port')} inputMode="numeric" className="field-narrow" />
            <Field label="User" value={r.user} onValue={(v) => onChange(i, 'user', v)} error={e('user')} testid={tid('user')} placeholder="root" />
            <Field label="Key file" value={r.keyFile} onValue={(v) => onChange(i, 'keyFile', v)} error={e('keyFile')} testid={tid('keyFile')} placeholder="empty: ssh-agent, then ~/.ssh/id_*" />
            {'server' in r ? (
              <Field label="HAProxy server" value={r.server} onValue={(v) => onChange(i, 'server' as keyof R, v)} error={e('server')} testid={tid('server')} placeholder={r.name || 'same as name'} />
            ) : (
              <Field
                label="haproxy_socket"
                value={(r as LbRow).socket}
                onValue={(v) => onChange(i, 'socket' as keyof R, v)}
                error={e('socket')}
                testid={tid('socket')}
                placeholder="/run/haproxy/admin.sock or 127.0.0.1:9999"
              />
            )}
          </fieldset>
        );
      })}
    </>
  );
}

/** A cluster by hand: checked here against the contract's own schema, then by clusters.save; errors by field. */
export function AddClusterDialog() {
  const open = useApp((s) => s.dialog === 'add-cluster');
  const openDialog = useApp((s) => s.openDialog);
  const [form, setForm] = useState<ClusterForm>(emptyForm);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<ShownError | null>(null);
  const [busy, setBusy] = useState(false);
  const [submitted, setSubmitted] = useState(false);

  useEffect(() => {
    if (!open) {
      setForm(emptyForm());
      setErrors({});
      setError(null);
      setBusy(false);
      setSubmitted(false);
    }
  }, [open]);

  // After a first submit, errors follow the typing so a fixed field clears at once.
  const update = (next: ClusterForm): void => {
    setForm(next);
    if (submitted) setErrors(validateClusterForm(next).errors);
  };
  const change =
    <K extends Kind>(kind: K) =>
    (i: number, k: string, v: string): void =>
      update({ ...form, [kind]: form[kind].map((r, j) => (j === i ? { ...r, [k]: v } : r)) } as ClusterForm);

  const save = async (): Promise<void> => {
    setSubmitted(true);
    const v = validateClusterForm(form);
    setErrors(v.errors);
    setError(null);
    if (!v.spec) return;
    setBusy(true);
    const r = await createCluster(v.spec);
    setBusy(false);
    if (!r.ok) {
      setErrors(r.fields);
      setError(r.error);
    }
  };

  const count = Object.keys(errors).length;
  return (
    <AppDialog
      open={open}
      onOpenChange={(o) => !o && openDialog(null)}
      title="Add a cluster by hand"
      description="The app nodes, the HAProxy backend that holds them, and the load balancers whose admin socket ClusterDeck drives over SSH."
      testid="add-cluster-dialog"
      size="wide"
      dismissable={!busy}
    >
      <form
        className="add-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <div className="form-grid">
          <Field label="Cluster name" value={form.name} onValue={(v) => update({ ...form, name: v })} error={errors.name} testid="cluster-name-input" placeholder="prod" />
          <Field label="HAProxy backend" value={form.backend} onValue={(v) => update({ ...form, backend: v })} error={errors.backend} testid="cluster-backend" placeholder="app" />
        </div>
        <h3 className="form-section">Nodes</h3>
        {errors.nodes ? <p className="field-error">{errors.nodes}</p> : null}
        <HostRows kind="nodes" rows={form.nodes} errors={errors} onChange={change('nodes')} onRemove={(i) => update({ ...form, nodes: form.nodes.filter((_, j) => j !== i) })} />
        <button type="button" className="btn btn-small" onClick={() => update({ ...form, nodes: [...form.nodes, emptyNode()] })} data-testid="add-node-row">
          + Add node
        </button>
        <h3 className="form-section">Load balancers</h3>
        {errors.lbs ? <p className="field-error">{errors.lbs}</p> : null}
        <HostRows kind="lbs" rows={form.lbs} errors={errors} onChange={change('lbs')} onRemove={(i) => update({ ...form, lbs: form.lbs.filter((_, j) => j !== i) })} />
        <button type="button" className="btn btn-small" onClick={() => update({ ...form, lbs: [...form.lbs, emptyLb()] })} data-testid="add-lb-row">
          + Add load balancer
        </button>
        {error ? <ErrorBox error={error} /> : null}
        <div className="dialog-actions">
          {count ? (
            <span className="field-error" role="status">
              {count} field{count === 1 ? '' : 's'} to fix
            </span>
          ) : null}
          <button type="button" className="btn" onClick={() => openDialog(null)} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="cluster-save">
            {busy ? 'Saving…' : form.name.trim() ? `Create cluster ${form.name.trim()}` : 'Create cluster'}
          </button>
        </div>
      </form>
    </AppDialog>
  );
}
