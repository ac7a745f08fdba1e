import { Toast, Tooltip } from 'radix-ui';
import { ConfirmDialog } from '../acting/confirm-dialog';
import { DeadlineDialog } from '../acting/deadline-dialog';
import { AddClusterDialog } from '../clusters/add-cluster-dialog';
import { ImportDialog } from '../clusters/import-dialog';
import { AppShell } from '../frame/app-shell';
import { Toasts } from '../frame/toasts';
import { HostKeyDialog } from '../host-keys/host-key-dialog';

export function App() {
  return (
    <Tooltip.Provider delayDuration={350} skipDelayDuration={150}>
      <Toast.Provider swipeDirection="right" label="Notification">
        <AppShell />
        <ImportDialog />
        <AddClusterDialog />
        <ConfirmDialog />
        <DeadlineDialog />
        <HostKeyDialog />
        <Toasts />
        <Toast.Viewport className="toast-viewport" data-testid="toasts" />
      </Toast.Provider>
    </Tooltip.Provider>
  );
}
