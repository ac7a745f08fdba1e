import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { acceptKey, loadPins, refuseKey } from '../state/ops/host-keys-ops';
import type { PendingHostKey, PinnedHostKey } from '../../shared/domain/host-keys';
import { useApp } from '../state/store';
import { AppDialog } from '../ui/dialog';
import { ErrorBox } from '../ui/error-box';
import { clearSteps, hostLabel, keyId, keyQueue, nextKeyToShow } from './host-key-view';

function ClearSteps({ k, pins }: { k: PendingHostKey; pins: PinnedHostKey[] }) {
  const steps = clearSteps(k, pins);
  return (
    <>
      <p>Only when you are sure the new key is legitimate, remove the old pin, then accept the new key when ClusterDeck asks:</p>
      {steps.forget ? (
        <pre className="mono copyable" data-testid="host-key-forget">
          {steps.forget}
        </pre>
      ) : null}
      {steps.edits.map((e) => (
        <p key={`${e.file}:${e.line}`} data-testid="host-key-edit">
          Delete line <strong>{e.line}</strong> of <code>{e.file}</code> yourself: it is a known_hosts file you trust, and ClusterDeck never writes
          it.
        </p>
      ))}
    </>
  );
}

/**
 * One host key at a time. Unknown: the fingerprint to compare, Accept / Refuse. Changed or revoked:
 * both fingerprints and why it cannot be accepted here; the only way is a deliberate
 * `clusterdeck host-keys forget` after checking the host.
 */
export function HostKeyDialog() {
  const k = useApp((s) => nextKeyToShow(s.pendingKeys, s.dismissedKeys));
  const q = useApp(useShallow((s) => keyQueue(s.pendingKeys, s.dismissedKeys)));
  const busy = useApp((s) => s.keyBusy);
  const error = useApp((s) => s.keyError);
  const pins = useApp((s) => s.pins);
  const refusedId = k && k.status !== 'unknown' ? keyId(k) : null;
  useEffect(() => {
    if (refusedId) void loadPins();
  }, [refusedId]);
  if (!k) return null;
  const label = hostLabel(k);
  const names = k.names.join(', ') || '(no inventory name)';

  if (k.status !== 'unknown') {
    return (
      <AppDialog
        key={keyId(k)}
        open
        onOpenChange={(o) => !o && refuseKey(k)}
        title={`${k.status === 'changed' ? 'Host key CHANGED' : 'Host key REVOKED'}: ${label}`}
        description="ClusterDeck refused to connect, before logging in. Nothing is sent to this host, and no action that involves it sends anything to any LB."
        testid="host-key-dialog"
        tone="danger"
        size="wide"
      >
        <div data-status={k.status} data-testid="host-key-changed">
          <dl className="kv kv-wide">
            <dt>Host</dt>
            <dd className="mono" data-testid="host-key-host">
              {k.host}:{k.port}
            </dd>
            <dt>Names</dt>
            <dd data-testid="host-key-names">{names}</dd>
            <dt>Key type</dt>
            <dd className="mono">{k.keyType}</dd>
            <dt>Presented now</dt>
            <dd className="mono fingerprint fp-bad" data-testid="host-key-presented">
              {k.fingerprint}
            </dd>
            <dt>Pinned</dt>
            <dd className="mono fingerprint" data-testid="host-key-pinned">
              {k.expected.length
                ? k.expected.map((f) => {
                    const type = pins.find((p) => p.fingerprint === f && p.host === k.host && p.port === k.port)?.keyType;
                    return (
                      <div key={f}>
                        {f}
                        {type ? <span className="muted"> ({type})</span> : null}
                      </div>
                    );
                  })
                : 'revoked (marked @revoked in a known_hosts file)'}
            </dd>
          </dl>
          <div className="warn-box">
            <p>
              <strong>This cannot be accepted from here.</strong> A changed key means the host was reinstalled or re-keyed, or someone is
              between you and it. Check with whoever runs {k.names[0] ?? k.host}, and compare the new fingerprint on the host itself (
              <code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code>).
            </p>
            <ClearSteps k={k} pins={pins} />
          </div>
          <div className="dialog-actions">
            <button type="button" className="btn btn-primary" onClick={() => refuseKey(k)} data-testid="host-key-close">
              I understand, keep refusing
            </button>
          </div>
        </div>
      </AppDialog>
    );
  }

  return (
    <AppDialog
      key={keyId(k)}
      open
      onOpenChange={(o) => !o && refuseKey(k)}
      title={`New host key: ${label}`}
      description={`ClusterDeck has never connected to this host. Compare the fingerprint below with the one on the host before trusting it.${q.open > 1 ? ` (${q.open} keys waiting)` : ''}`}
      testid="host-key-dialog"
      size="wide"
      dismissable={!busy}
    >
      <div data-status="unknown">
        <dl className="kv kv-wide">
          <dt>Host</dt>
          <dd className="mono" data-testid="host-key-host">
            {k.host}:{k.port}
          </dd>
          <dt>Names</dt>
          <dd data-testid="host-key-names">{names}</dd>
          <dt>Key type</dt>
          <dd className="mono" data-testid="host-key-type">
            {k.keyType}
          </dd>
          <dt>Fingerprint</dt>
          <dd className="mono fingerprint" data-testid="host-key-fingerprint">
            {k.fingerprint}
          </dd>
        </dl>
        <p className="muted">
          On the host: <code>ssh-keygen -lf /etc/ssh/ssh_host_{k.keyType.replace(/^ssh-/, '').replace(/^ecdsa-sha2-nistp\d+$/, 'ecdsa')}_key.pub</code> prints
          the same SHA256 fingerprint if this is really that host.
        </p>
        {error ? <ErrorBox error={error} /> : null}
        <div className="dialog-actions">
          <button type="button" className="btn" disabled={busy} onClick={() => refuseKey(k)} data-testid="host-key-refuse">
            Refuse
          </button>
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void acceptKey(k)} data-testid="host-key-accept">
            {busy ? 'Pinning…' : `Accept and pin this key`}
          </button>
        </div>
      </div>
    </AppDialog>
  );
}
