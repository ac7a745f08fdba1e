import type { Api } from '../../api/client';
import { setCore } from '../core';
import { app } from '../store';
import { startActionsSync } from './actions-sync';
import { startAuditSync } from './audit-sync';
import { startClustersSync } from './clusters-sync';
import { startCommandsSync } from './commands-sync';
import { startConfigSync } from './config-sync';
import { startFilesSync } from './files-sync';
import { startHostKeysSync } from './host-keys-sync';
import { startMetricsSync } from './metrics-sync';
import { startStatusSync } from './status-sync';

/** Wires every push topic into the store, once, right after connecting. */
export function startSync(api: Api): void {
  setCore(api);
  app().setConn('open');
  api.onClose(() =>
    app().setConn('closed', 'The connection to ClusterDeck closed: nothing on this page is live any more. Restart ClusterDeck if it stopped, then reload this page.'),
  );
  startCommandsSync(api);
  startActionsSync(api);
  startAuditSync(api);
  startHostKeysSync(api);
  startStatusSync(api);
  startClustersSync(api);
  startConfigSync(api);
  startMetricsSync(api);
  startFilesSync(api);
}
