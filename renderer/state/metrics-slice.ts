import type { ClusterMetrics } from '../../shared/domain/metrics';
import type { ChartRange } from '../charts/chart-data';
import type { Slice } from './slice';
import type { ShownError } from './types';

export interface MetricsSlice {
  /** The charts' data of the open cluster, for the range shown. */
  metrics: Record<string, { range: ChartRange; data: ClusterMetrics; at: number } | undefined>;
  metricsError: Record<string, ShownError | null>;
  chartRange: ChartRange;
  setMetrics(range: ChartRange, data: ClusterMetrics): void;
  setMetricsError(cluster: string, e: ShownError | null): void;
  setChartRange(r: ChartRange): void;
}

export const createMetricsSlice: Slice<MetricsSlice> = (set) => ({
  metrics: {},
  metricsError: {},
  chartRange: '5m',
  setMetrics: (range, data) =>
    set((s) => ({ metrics: { ...s.metrics, [data.cluster]: { range, data, at: Date.now() } }, metricsError: { ...s.metricsError, [data.cluster]: null } })),
  setMetricsError: (cluster, e) => set((s) => ({ metricsError: { ...s.metricsError, [cluster]: e } })),
  setChartRange: (chartRange) => set({ chartRange }),
});
