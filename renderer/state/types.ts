import type { ClusterDeckContract } from '../../shared/contract';
import type { ResultOf } from '../../shared/rpc/define';

export type { CommandLog } from '../../shared/contract';
export type ClusterSummary = ResultOf<ClusterDeckContract, 'clusters.list'>[number];
export type NodePreview = ResultOf<ClusterDeckContract, 'nodes.preview'>;
export type AuditPage = ResultOf<ClusterDeckContract, 'audit.list'>;
export type FailoverView = ResultOf<ClusterDeckContract, 'failover.get'>;
export type FailoverPreview = ResultOf<ClusterDeckContract, 'failover.preview'>;
export type FailoverApplied = ResultOf<ClusterDeckContract, 'failover.apply'>;

export const CLUSTER_TABS = ['overview', 'failover', 'configuration', 'drills', 'activity'] as const;
export type ClusterTab = (typeof CLUSTER_TABS)[number];

/** An error as the UI shows it: what failed (title), the core's own words, and what to do next. */
export interface ShownError {
  code: string;
  title: string;
  detail: string;
  next: string;
}
