import type { FileHosts, ManagedFile, NodeSync, SyncCell, SyncMatrix, SyncState } from '../../shared/domain/managed-files';

/** The word each sync state is shown with (never colour alone). */
export const SYNC_WORD: Record<SyncState, string> = {
  'in-sync': 'in sync',
  'out-of-sync': 'out of sync',
  missing: 'missing',
  unreadable: 'unreadable',
  'pending-restart': 'pending restart',
  unknown: 'unknown',
};

/** What each state means, for the matrix legend and tooltips. */
export const SYNC_MEANING: Record<SyncState, string> = {
  'in-sync': 'the file on the host has the desired SHA-256',
  'out-of-sync': 'the file on the host differs from the desired one',
  missing: 'the file does not exist on the host',
  unreadable: 'ClusterDeck could not read the file (permissions?)',
  'pending-restart': 'the file is right, but the service has not reloaded since it changed',
  unknown: 'the host could not be asked (SSH link down)',
};

/** Worst first: what a summary of several cells shows. */
const RANK: Record<SyncState, number> = { 'out-of-sync': 0, missing: 1, unreadable: 2, 'pending-restart': 3, unknown: 4, 'in-sync': 5 };
export const worstSync = (states: SyncState[]): SyncState | null => (states.length ? [...states].sort((a, b) => RANK[a] - RANK[b])[0]! : null);

/** "1a2b3c4d" — enough to tell fingerprints apart at a glance; the dialog shows the whole one. */
export const shortSha = (sha: string | null | undefined, n = 8): string => (sha ? sha.slice(0, n) : '—');

/** States that need a push (the file itself is wrong on the host). */
export const needsPush = (s: SyncState): boolean => s === 'out-of-sync' || s === 'missing' || s === 'unreadable';

export function cellOf(m: SyncMatrix, host: string, file: string): SyncCell | null {
  return m.cells.find((c) => c.host === host && c.file === file) ?? null;
}

/** Hosts shown in the matrix: all, or just the filtered one (kept even if it manages nothing, so the filter says so). */
export function matrixHosts(m: SyncMatrix, filter: string | null): string[] {
  if (!filter) return m.hosts;
  return m.hosts.filter((h) => h === filter);
}

/** Counts of each state over the shown cells, worst first, for the header line: "1 out of sync, 5 in sync". */
export function matrixSummary(m: SyncMatrix, hosts: string[]): string {
  const shown = m.cells.filter((c) => hosts.includes(c.host));
  if (!shown.length) return m.files.length ? 'No checks yet.' : '';
  const counts = new Map<SyncState, number>();
  for (const c of shown) counts.set(c.state, (counts.get(c.state) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => RANK[a[0]] - RANK[b[0]])
    .map(([s, n]) => `${n} ${SYNC_WORD[s]}`)
    .join(', ');
}

/** "checked 4 s ago", "checked 3 min ago", "never checked". */
export function checkedAgo(at: number | null, now: number): string {
  if (at === null) return 'never checked';
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 60) return `checked ${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `checked ${m} min ago`;
  return `checked ${Math.floor(m / 60)} h ${m % 60} min ago`;
}

/** Which hosts a file goes to, in words: "all nodes", "all LBs", "node1, node2". */
export function hostsWords(h: FileHosts): string {
  if (h === 'nodes') return 'all nodes';
  if (h === 'lbs') return 'all LBs';
  return h.join(', ');
}

/** The hosts a file is managed on, resolved against the cluster. */
export function resolveHosts(h: FileHosts, nodes: string[], lbs: string[]): string[] {
  if (h === 'nodes') return nodes;
  if (h === 'lbs') return lbs;
  return h;
}

/** The file's reload in words for the files list. */
export function reloadWords(f: Pick<ManagedFile, 'reload'>): string {
  if (f.reload.kind === 'none') return 'none';
  if (f.reload.kind === 'haproxy') return 'HAProxy reload';
  return f.reload.command;
}

export interface NodeSyncView {
  word: string;
  /** CSS class suffix: sync-<state> or sync-none. */
  cls: string;
  tip: string;
}

/** The node table's Sync cell: the node's worst file, its word, and the files behind it. */
export function nodeSyncView(s: NodeSync | null | undefined): NodeSyncView {
  if (!s) return { word: '—', cls: 'sync-none', tip: 'No managed file on this node (or not checked yet): open Configuration' };
  const files = s.files.length ? `: ${s.files.join(', ')}` : '';
  const tip =
    s.state === 'in-sync'
      ? 'Every managed file is in sync: open Configuration'
      : s.state === 'out-of-sync'
        ? `Out of sync${files}: open Configuration to see the diff and push`
        : `${SYNC_WORD[s.state]}${files}: ${SYNC_MEANING[s.state]}`;
  return { word: SYNC_WORD[s.state], cls: `sync-${s.state}`, tip };
}

/** 24 h local date and time for backups and versions: "2026-11-22 14:03:22". */
export function formatStamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** "812 B", "3.4 KiB", "1.0 MiB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** Legend order: the states an admin acts on first. */
export const SYNC_STATES_SHOWN = ['in-sync', 'out-of-sync', 'missing', 'unreadable', 'pending-restart', 'unknown'] as const;
