import { useApp } from '../state/store';

/** First run: no cluster yet. Teaches the two ways in, and what will happen next. */
export function EmptyState() {
  const openDialog = useApp((s) => s.openDialog);
  return (
    <section className="empty" data-testid="empty-state" aria-labelledby="empty-title">
      <h1 id="empty-title">No cluster yet</h1>
      <p className="empty-lead">
        ClusterDeck watches your app nodes and the HAProxy load balancers in front of them, and drains, readies or parks a node on
        every LB at once, behind a safety gate.
      </p>
      <div className="empty-actions">
        <button type="button" className="btn btn-primary btn-large" onClick={() => openDialog('import')} data-testid="empty-import">
          Import an Ansible inventory
        </button>
        <button type="button" className="btn btn-large" onClick={() => openDialog('add-cluster')} data-testid="empty-add">
          Add a cluster by hand
        </button>
      </div>
      <ol className="empty-steps">
        <li>
          <strong>Import</strong> the inventory your playbooks already use (YAML or INI): LBs from the <code>lbservers</code> group,
          nodes from the hosts carrying <code>lb_server</code>. You see every problem with its line before anything is saved.
        </li>
        <li>
          <strong>Check each host key.</strong> ClusterDeck asks once per host and shows its SHA256 fingerprint; compare it with{' '}
          <code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code> on the host.
        </li>
        <li>
          <strong>Watch and act.</strong> Each node's state on every LB, live; every drain or maintenance is confirmed, gated and
          audited.
        </li>
      </ol>
    </section>
  );
}
