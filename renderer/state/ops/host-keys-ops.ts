import type { PendingHostKey } from '../../../shared/domain/host-keys';
import { explainError, toErrorLike } from '../../errors/explain';
import { keyId } from '../../host-keys/host-key-view';
import { core } from '../core';
import { noteKeyDecision } from '../sync/host-keys-sync';
import { app } from '../store';

/** Trusts an unknown key by its fingerprint for exactly that host and port; the core pins it and reconnects. */
export async function acceptKey(k: PendingHostKey): Promise<void> {
  noteKeyDecision();
  app().setKeyBusy(true);
  try {
    await core().call('hostKeys.accept', { fingerprint: k.fingerprint, host: k.host, port: k.port });
    noteKeyDecision();
    app().removePendingKey(keyId(k));
    app().setKeyBusy(false);
  } catch (e) {
    app().setKeyBusy(false, explainError(toErrorLike(e), k.names[0] ?? k.host));
  }
}

/** Refusing leaves the key untrusted (the host stays unreachable); asked again only when reopened. */
export function refuseKey(k: PendingHostKey): void {
  noteKeyDecision();
  app().dismissKey(keyId(k));
}

/** Reads where keys are pinned, for the refused-key dialog's "how to clear it" (best effort). */
export async function loadPins(): Promise<void> {
  try {
    app().setPins(await core().call('hostKeys.list', {}));
  } catch {
    // without the list the dialog falls back to the forget command
  }
}
