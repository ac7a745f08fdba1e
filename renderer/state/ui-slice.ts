import type { Slice } from './slice';
import type { ClusterTab } from './types';

export type OpenDialog = 'import' | 'add-cluster' | null;

export interface UiSlice {
  selectedCluster: string | null;
  tab: ClusterTab;
  railCollapsed: boolean;
  drawerOpen: boolean;
  search: string;
  /** The node whose side panel is open. */
  panelNode: string | null;
  /** The table row that has (or last had) the keyboard focus. */
  focusedNode: string | null;
  dialog: OpenDialog;
  selectCluster(name: string | null): void;
  setTab(tab: ClusterTab): void;
  setRailCollapsed(v: boolean): void;
  setDrawerOpen(v: boolean): void;
  setSearch(q: string): void;
  setPanelNode(n: string | null): void;
  setFocusedNode(n: string | null): void;
  openDialog(d: OpenDialog): void;
}

export const createUiSlice: Slice<UiSlice> = (set, get) => ({
  selectedCluster: null,
  tab: 'overview',
  railCollapsed: false,
  drawerOpen: false,
  search: '',
  panelNode: null,
  focusedNode: null,
  dialog: null,
  selectCluster: (name) => {
    if (get().selectedCluster === name) return;
    set({ selectedCluster: name, tab: 'overview', search: '', panelNode: null, focusedNode: null });
  },
  setTab: (tab) => set({ tab }),
  setRailCollapsed: (railCollapsed) => set({ railCollapsed }),
  setDrawerOpen: (drawerOpen) => set({ drawerOpen }),
  setSearch: (search) => set({ search }),
  setPanelNode: (panelNode) => set({ panelNode }),
  setFocusedNode: (focusedNode) => set({ focusedNode }),
  openDialog: (dialog) => set({ dialog }),
});
