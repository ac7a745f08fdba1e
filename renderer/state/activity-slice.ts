import type { AuditEntry } from '../../shared/domain/audit';
import type { Slice } from './slice';
import type { ShownError } from './types';

export interface AuditView {
  cluster: string | null;
  /** Server-side filter: only this node's entries (null = all). */
  node: string | null;
  entries: AuditEntry[];
  skippedLines: number;
  loading: boolean;
  error: ShownError | null;
}

export interface ActivitySlice {
  audit: AuditView;
  expandedAudit: string[];
  setAudit(p: Partial<AuditView>): void;
  prependAudit(e: AuditEntry): void;
  toggleAuditEntry(id: string): void;
}

export const AUDIT_PAGE = 300;

export const createActivitySlice: Slice<ActivitySlice> = (set) => ({
  audit: { cluster: null, node: null, entries: [], skippedLines: 0, loading: false, error: null },
  expandedAudit: [],
  setAudit: (p) => set((s) => ({ audit: { ...s.audit, ...p } })),
  prependAudit: (e) =>
    set((s) => {
      if (s.audit.entries.some((x) => x.id === e.id)) return {};
      return { audit: { ...s.audit, entries: [e, ...s.audit.entries].slice(0, AUDIT_PAGE) } };
    }),
  toggleAuditEntry: (id) =>
    set((s) => ({ expandedAudit: s.expandedAudit.includes(id) ? s.expandedAudit.filter((x) => x !== id) : [...s.expandedAudit, id] })),
});
