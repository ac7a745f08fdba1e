import { useShallow } from 'zustand/react/shallow';
import { activeCount } from '../nodes/node-view';
import { StateDot } from '../nodes/state-badge';
import { useApp } from '../state/store';
import { Tip } from '../ui/tip';

/** Clusters with their health (worst merged state, "2/3 active"), and the ways to add one. */
export function LeftRail() {
  const clusters = useApp((s) => s.clusters);
  const selected = useApp((s) => s.selectedCluster);
  const collapsed = useApp((s) => s.railCollapsed);
  const health = useApp(
    useShallow((s) => Object.fromEntries(Object.values(s.status).map((st) => [st.cluster, `${st.worst}|${activeCount(st)}`]))),
  );
  const { selectCluster, setRailCollapsed, openDialog } = useApp(
    useShallow((s) => ({ selectCluster: s.selectCluster, setRailCollapsed: s.setRailCollapsed, openDialog: s.openDialog })),
  );
  return (
    <nav className={`rail ${collapsed ? 'rail-collapsed' : ''}`} aria-label="Clusters" data-testid="left-rail">
      <div className="rail-head">
        {collapsed ? null : <span className="brand">ClusterDeck</span>}
        <Tip content={collapsed ? 'Expand the sidebar' : 'Collapse the sidebar'} side="right">
          <button
            type="button"
            className="icon-button"
            aria-label={collapsed ? 'Expand the sidebar' : 'Collapse the sidebar'}
            aria-expanded={!collapsed}
            onClick={() => setRailCollapsed(!collapsed)}
            data-testid="rail-toggle"
          >
            {collapsed ? '»' : '«'}
          </button>
        </Tip>
      </div>
      {collapsed ? null : <div className="rail-section">Clusters</div>}
      <ul className="rail-list">
        {clusters.map((c) => {
          const h = health[c.name];
          const [worst, count] = h ? (h.split('|') as [string, string]) : [null, null];
          const label = h ? `${c.name}: worst state ${worst}, ${count}` : `${c.name}: not opened yet`;
          const item = (
            <button
              type="button"
              className="rail-item"
              aria-current={c.name === selected ? 'page' : undefined}
              onClick={() => selectCluster(c.name)}
              data-testid={`rail-cluster-${c.name}`}
              aria-label={collapsed ? label : undefined}
            >
              <StateDot state={(worst as never) ?? null} label={h ? `worst state: ${worst}` : 'not opened yet'} />
              {collapsed ? (
                <span className="rail-initial" aria-hidden="true">
                  {c.name.slice(0, 2)}
                </span>
              ) : (
                <>
                  <span className="rail-name">{c.name}</span>
                  <span className="rail-count num">{count ?? `${c.nodes} nodes`}</span>
                </>
              )}
            </button>
          );
          return <li key={c.name}>{collapsed ? <Tip content={label} side="right">{item}</Tip> : item}</li>;
        })}
      </ul>
      <div className="rail-actions">
        <Tip content="Add a cluster by hand" side="right">
          <button type="button" className="rail-action" onClick={() => openDialog('add-cluster')} data-testid="rail-add-cluster" aria-label="Add cluster">
            <span aria-hidden="true">+</span>
            {collapsed ? null : <span>Add cluster</span>}
          </button>
        </Tip>
        <Tip content="Import an Ansible inventory (YAML or INI)" side="right">
          <button type="button" className="rail-action" onClick={() => openDialog('import')} data-testid="rail-import" aria-label="Import inventory">
            <span aria-hidden="true">⇪</span>
            {collapsed ? null : <span>Import inventory</span>}
          </button>
        </Tip>
      </div>
    </nav>
  );
}
