import { flexRender, getCoreRowModel, getSortedRowModel, useReactTable, type ColumnDef, type SortingState } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState, type CSSProperties, type KeyboardEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { NodeStatus } from '../../shared/domain/status';
import { ActionControl } from '../acting/action-control';
import { progressLines, timeLeft } from '../acting/acting-view';
import { nodeSyncView } from '../configuration/sync-view';
import { runKey } from '../state/acting-slice';
import { openConfigurationFor } from '../state/ops/files-ops';
import { useApp } from '../state/store';
import { Tip } from '../ui/tip';
import { useNow } from '../ui/use-now';
import { LbChip } from './lb-chip';
import '../configuration/sync.css';
import { filterNodes, formatMs, linkBad, linkWord, stateRank } from './node-view';
import { Sparkline } from './sparkline';
import { StateBadge } from './state-badge';

const ROW_H = 48;
// The header row is sticky inside the scroller: the virtual list starts below it.
const HEADER_H = 34;

/** Shared with the cells during one render: which row holds the table's single tab stop. */
interface TableMeta {
  focusedId: string | null;
}

/** Columns for this cluster's LBs; cells read live progress from the store themselves. */
function buildColumns(lbs: string[], ctx: { cluster: string }): ColumnDef<NodeStatus>[] {
  return [
    {
      id: 'node',
      header: 'Node',
      accessorFn: (n) => n.node,
      cell: (c) => <NodeNameCell node={c.row.original} focused={(c.table.options.meta as TableMeta).focusedId === c.row.id} />,
    },
    {
      id: 'state',
      header: 'State',
      accessorFn: (n) => stateRank(n.merged),
      cell: (c) => <StateCell node={c.row.original} />,
    },
    ...lbs.map(
      (lb): ColumnDef<NodeStatus> => ({
        id: `lb:${lb}`,
        header: lb,
        enableSorting: false,
        cell: (c) => <ChipCell cluster={ctx.cluster} node={c.row.original} lb={lb} />,
      }),
    ),
    { id: 'role', header: 'Role', accessorFn: (n) => n.role, cell: (c) => <span className="muted-strong">{c.row.original.role}</span> },
    {
      id: 'heartbeat',
      header: 'Heartbeat',
      accessorFn: (n) => (n.link.state === 'up' ? (n.link.rttMs ?? Infinity) : Infinity),
      cell: (c) => <HeartbeatCell node={c.row.original} />,
    },
    {
      id: 'sync',
      header: 'Sync',
      enableSorting: false,
      cell: (c) => <SyncCell cluster={ctx.cluster} node={c.row.original} focused={(c.table.options.meta as TableMeta).focusedId === c.row.id} />,
    },
    {
      id: 'actions',
      header: 'Actions',
      enableSorting: false,
      cell: (c) => <ActionsCell cluster={ctx.cluster} node={c.row.original} focused={(c.table.options.meta as TableMeta).focusedId === c.row.id} />,
    },
  ];
}

function NodeNameCell({ node, focused }: { node: NodeStatus; focused: boolean }) {
  const open = useApp((s) => s.setPanelNode);
  return (
    <div className="nt-name">
      <Tip content="Details (Enter)">
        <button type="button" className="link-button nt-node" tabIndex={focused ? 0 : -1} onClick={() => open(node.node)} data-testid={`open-node-${node.node}`}>
          {node.node}
        </button>
      </Tip>
      <span className="nt-host">{node.address}</span>
    </div>
  );
}

function StateCell({ node }: { node: NodeStatus }) {
  return (
    <div className="nt-state">
      <StateBadge state={node.merged} reason={node.reason} testid={`state-badge-${node.node}`} />
      {node.disagree ? (
        <Tip content={`LBs disagree: ${node.disagreement ?? ''}`}>
          <span className="flag-disagree" data-testid={`disagree-${node.node}`} tabIndex={-1}>
            ≠ LBs
          </span>
        </Tip>
      ) : null}
    </div>
  );
}

function ChipCell({ cluster, node, lb }: { cluster: string; node: NodeStatus; lb: string }) {
  const p = useApp((s) => s.running[runKey(cluster, node.node)]?.progress ?? null);
  const view = node.perLb.find((v) => v.lb === lb);
  if (!view) return <span className="muted">—</span>;
  const line = p && p.phase !== 'done' ? (progressLines(p).find((l) => l.lb === lb) ?? null) : null;
  return <LbChip node={node.node} view={view} progress={line} />;
}

/** The node's worst managed file, its word (out of sync: orange outline); opens Configuration filtered to this node. */
function SyncCell({ cluster, node, focused }: { cluster: string; node: NodeStatus; focused: boolean }) {
  const v = nodeSyncView(node.sync);
  return (
    <Tip content={v.tip}>
      <button
        type="button"
        className={`sync-link ${v.cls}`}
        tabIndex={focused ? 0 : -1}
        onClick={() => openConfigurationFor(cluster, node.node)}
        data-testid={`sync-${node.node}`}
        data-state={node.sync?.state ?? 'none'}
        aria-label={`${node.node} configuration: ${v.word === '—' ? 'no managed file' : v.word}${node.sync?.files.length ? ` (${node.sync.files.join(', ')})` : ''}. Open Configuration`}
      >
        {v.word}
      </button>
    </Tip>
  );
}

function HeartbeatCell({ node }: { node: NodeStatus }) {
  const l = node.link;
  if (l.state !== 'up') {
    return (
      <Tip content={l.lastError ? `${l.target}: ${l.lastError.message}` : `${l.target}: ${linkWord(l.state)}`}>
        <span className={linkBad(l.state) ? 'hb hb-bad' : 'hb muted'} tabIndex={-1}>
          {linkWord(l.state)}
        </span>
      </Tip>
    );
  }
  return (
    <span className="hb">
      <span className="num">{formatMs(l.rttMs)}</span>
      <Sparkline values={l.recentRttMs} label={`recent heartbeat round trips of ${node.node}`} />
    </span>
  );
}

function ActionsCell({ cluster, node, focused }: { cluster: string; node: NodeStatus; focused: boolean }) {
  const run = useApp(useShallow((s) => {
    const r = s.running[runKey(cluster, node.node)];
    return r ? { phase: r.progress?.phase ?? 'starting', deadline: r.progress?.deadline ?? null, ours: r.ours } : null;
  }));
  const now = useNow(run?.deadline != null, 500);
  return (
    <div className="nt-actions">
      <ActionControl cluster={cluster} node={node} tabbable={focused} />
      {run ? (
        <span className="run-pill" data-testid={`running-${node.node}`} role="status">
          <span className="spinner" aria-hidden="true" />
          {run.deadline !== null ? timeLeft(run.deadline, now) : run.phase}
        </span>
      ) : null}
    </div>
  );
}

/**
 * The node table: TanStack Table for columns and sorting, TanStack Virtual for rows (only what is on
 * screen is rendered, so 500 nodes scroll smoothly). Keyboard: arrows/Home/End/Page move the row
 * focus, Enter opens the side panel; focus is always on a real element so it stays visible.
 */
export function NodeTable({ cluster }: { cluster: string }) {
  const nodes = useApp((s) => s.status[cluster]?.nodes);
  const lbNames = useApp(useShallow((s) => s.status[cluster]?.lbs.map((l) => l.lb) ?? []));
  const search = useApp((s) => s.search);
  const focusedNode = useApp((s) => s.focusedNode);
  const setFocusedNode = useApp((s) => s.setFocusedNode);
  const openPanel = useApp((s) => s.setPanelNode);
  const rows = useMemo(() => filterNodes(nodes ?? [], search), [nodes, search]);
  const lbKey = lbNames.join('|');
  // Rebuilt only when the LB set changes, not on every status push.
  const columns = useMemo(() => buildColumns(lbKey ? lbKey.split('|') : [], { cluster }), [lbKey, cluster]);
  const meta = useRef<TableMeta>({ focusedId: null });
  const [sorting, setSorting] = useState<SortingState>([]);
  const table = useReactTable({
    data: rows,
    columns,
    state: { sorting },
    onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    getRowId: (r) => r.node,
    meta: meta.current,
  });
  const tableRows = table.getRowModel().rows;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virt = useVirtualizer({
    count: tableRows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_H,
    overscan: 8,
    scrollMargin: HEADER_H,
    scrollPaddingStart: HEADER_H,
  });
  const pendingFocus = useRef<string | null>(null);

  const focusedIndex = Math.max(0, tableRows.findIndex((r) => r.id === focusedNode));
  const tabStop = tableRows[focusedIndex]?.id ?? null;
  meta.current.focusedId = tabStop;

  // After a keyboard move the target row may only exist once the virtualizer has scrolled to it.
  useEffect(() => {
    const want = pendingFocus.current;
    if (!want) return;
    const el = scrollRef.current?.querySelector<HTMLElement>(`[data-row-id="${CSS.escape(want)}"]`);
    if (el) {
      pendingFocus.current = null;
      el.focus({ preventScroll: true });
    }
  });

  const moveTo = (i: number): void => {
    const clamped = Math.max(0, Math.min(tableRows.length - 1, i));
    const id = tableRows[clamped]?.id;
    if (!id) return;
    pendingFocus.current = id;
    setFocusedNode(id);
    virt.scrollToIndex(clamped, { align: 'auto' });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const t = e.target as HTMLElement;
    if (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA') return;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_H * 10) / ROW_H) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    if (e.key in moves) {
      e.preventDefault();
      moveTo(focusedIndex + moves[e.key]!);
    } else if (e.key === 'Home' && !t.closest('[role=group]')) {
      e.preventDefault();
      moveTo(0);
    } else if (e.key === 'End' && !t.closest('[role=group]')) {
      e.preventDefault();
      moveTo(tableRows.length - 1);
    } else if (e.key === 'Enter' && t.getAttribute('role') === 'row') {
      e.preventDefault();
      const id = t.getAttribute('data-row-id');
      if (id) openPanel(id);
    }
  };

  const gridCols = `minmax(140px, 1.2fr) minmax(136px, 1fr) ${lbNames.map(() => 'minmax(150px, 1fr)').join(' ')} 70px 136px 118px 276px`;
  const minWidth = 140 + 136 + lbNames.length * 150 + 70 + 136 + 118 + 276;

  if (!nodes) return null;
  // Rows, header, borders, and room for a horizontal scrollbar on a narrow window.
  const height = HEADER_H + Math.max(1, tableRows.length) * ROW_H + 2 + 14;
  const cssVars = { '--nt-cols': gridCols, '--nt-minw': `${minWidth}px`, '--nt-h': `${height}px` } as CSSProperties;
  return (
    <div
      className="nt"
      role="grid"
      aria-label={`Nodes of ${cluster}`}
      aria-rowcount={tableRows.length + 1}
      aria-colcount={columns.length}
      data-testid="node-table"
      style={cssVars}
      onKeyDown={onKeyDown}
    >
      <div className="nt-scroll" ref={scrollRef}>
        <div className="nt-head" role="rowgroup">
          {table.getHeaderGroups().map((hg) => (
            <div className="nt-row nt-header-row" role="row" aria-rowindex={1} key={hg.id}>
              {hg.headers.map((h) => {
                const sorted = h.column.getIsSorted();
                const canSort = h.column.getCanSort();
                return (
                  <div
                    key={h.id}
                    role="columnheader"
                    className={`nt-cell nt-th nt-col-${h.column.id.replace(':', '-')}`}
                    aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : canSort ? 'none' : undefined}
                  >
                    {canSort ? (
                      <button type="button" className="th-sort" onClick={h.column.getToggleSortingHandler()}>
                        {flexRender(h.column.columnDef.header, h.getContext())}
                        <span className="sort-mark" aria-hidden="true">
                          {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '↕'}
                        </span>
                      </button>
                    ) : (
                      flexRender(h.column.columnDef.header, h.getContext())
                    )}
                  </div>
                );
              })}
            </div>
          ))}
        </div>
        {tableRows.length === 0 ? (
          <div className="nt-empty" role="rowgroup">
            <div role="row">
              <div role="gridcell">{search ? `No node matches "${search}".` : 'This cluster has no nodes.'}</div>
            </div>
          </div>
        ) : (
          <div className="nt-body" role="rowgroup" style={{ height: virt.getTotalSize() }}>
            {virt.getVirtualItems().map((v) => {
              const row = tableRows[v.index]!;
              const isStop = row.id === tabStop;
              return (
                <div
                  key={row.id}
                  role="row"
                  aria-rowindex={v.index + 2}
                  data-row-id={row.id}
                  data-testid={`node-row-${row.id}`}
                  data-state={row.original.merged}
                  tabIndex={isStop ? 0 : -1}
                  className={`nt-row nt-data-row ${row.original.disagree ? 'nt-row-disagree' : ''}`}
                  style={{ transform: `translateY(${v.start - HEADER_H}px)`, height: ROW_H }}
                  onFocus={(e) => {
                    if (focusedNode !== row.id && e.currentTarget.contains(e.target)) setFocusedNode(row.id);
                  }}
                  onDoubleClick={() => openPanel(row.id)}
                >
                  {row.getVisibleCells().map((c) => (
                    <div role="gridcell" key={c.id} className={`nt-cell nt-col-${c.column.id.replace(':', '-')}`}>
                      {flexRender(c.column.columnDef.cell, c.getContext())}
                    </div>
                  ))}
                </div>
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}
