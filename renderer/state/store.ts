import { create } from 'zustand';
import { createActingSlice, type ActingSlice } from './acting-slice';
import { createActivitySlice, type ActivitySlice } from './activity-slice';
import { createClustersSlice, type ClustersSlice } from './clusters-slice';
import { createCommandLogSlice, type CommandLogSlice } from './command-log-slice';
import { createConnectionSlice, type ConnectionSlice } from './connection-slice';
import { createFailoverSlice, type FailoverSlice } from './failover-slice';
import { createFilesSlice, type FilesSlice } from './files-slice';
import { createHostKeysSlice, type HostKeysSlice } from './host-keys-slice';
import { createMetricsSlice, type MetricsSlice } from './metrics-slice';
import { createRecoverSlice, type RecoverSlice } from './recover-slice';
import { createStatusSlice, type StatusSlice } from './status-slice';
import { createToastsSlice, type ToastsSlice } from './toasts-slice';
import { createUiSlice, type UiSlice } from './ui-slice';

export type AppState = ConnectionSlice &
  ClustersSlice &
  StatusSlice &
  HostKeysSlice &
  ActingSlice &
  ToastsSlice &
  ActivitySlice &
  CommandLogSlice &
  FailoverSlice &
  FilesSlice &
  MetricsSlice &
  RecoverSlice &
  UiSlice;

/** The one store. Components select narrowly (useShallow); sync and ops modules write to it. */
export const useApp = create<AppState>()((...a) => ({
  ...createConnectionSlice(...a),
  ...createClustersSlice(...a),
  ...createStatusSlice(...a),
  ...createHostKeysSlice(...a),
  ...createActingSlice(...a),
  ...createToastsSlice(...a),
  ...createActivitySlice(...a),
  ...createCommandLogSlice(...a),
  ...createFailoverSlice(...a),
  ...createFilesSlice(...a),
  ...createMetricsSlice(...a),
  ...createRecoverSlice(...a),
  ...createUiSlice(...a),
}));

export const app = (): AppState => useApp.getState();
