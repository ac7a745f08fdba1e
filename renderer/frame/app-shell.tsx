import './frame.css';
import './pages.css';
import './drawer.css';
import { useEffect } from 'react';
import { useApp } from '../state/store';
import { ErrorBox } from '../ui/error-box';
import { ClusterView } from './cluster-view';
import { CommandDrawer } from './command-drawer';
import { EmptyState } from './empty-state';
import { LeftRail } from './left-rail';
import { SEARCH_ID } from './top-bar';

const typing = (t: EventTarget | null): boolean => {
  const el = t as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
};

/** `/` focuses the node search from anywhere except a text field or an open dialog. */
function useSearchShortcut(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      if (document.querySelector('[role=dialog][aria-modal=true]')) return;
      const input = document.getElementById(SEARCH_ID) as HTMLInputElement | null;
      if (!input) return;
      e.preventDefault();
      input.focus();
      input.select();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/** Rail, the selected cluster (or the empty state), and the command drawer along the bottom. */
export function AppShell() {
  useSearchShortcut();
  const collapsed = useApp((s) => s.railCollapsed);
  const drawerOpen = useApp((s) => s.drawerOpen);
  const loaded = useApp((s) => s.clustersLoaded);
  const none = useApp((s) => s.clusters.length === 0);
  const selected = useApp((s) => s.selectedCluster);
  const conn = useApp((s) => s.conn);
  const connError = useApp((s) => s.connError);
  const clustersError = useApp((s) => s.clustersError);
  return (
    <div className={`shell ${collapsed ? 'shell-rail-collapsed' : ''} ${drawerOpen ? 'shell-drawer-open' : ''}`}>
      <LeftRail />
      <main className="main" aria-busy={!loaded}>
        {conn === 'closed' || conn === 'failed' ? (
          <div className="banner banner-error" role="alert" data-testid="connection-banner">
            {connError}
          </div>
        ) : null}
        {clustersError ? <ErrorBox error={clustersError} /> : null}
        {!loaded ? (
          <p className="loading" role="status">
            Loading clusters…
          </p>
        ) : none ? (
          <EmptyState />
        ) : selected ? (
          <ClusterView key={selected} cluster={selected} />
        ) : null}
      </main>
      <CommandDrawer />
    </div>
  );
}
