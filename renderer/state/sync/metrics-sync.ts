import type { Api } from '../../api/client';
import { RANGES, type ChartRange } from '../../charts/chart-data';
import { explainError, toErrorLike } from '../../errors/explain';
import { app, useApp } from '../store';

/** At most one metrics.get per this long while status pushes arrive (every heartbeat). */
const THROTTLE_MS: Record<ChartRange, number> = { '5m': 3000, '1h': 15_000 };
/** And at least one per this long, in case pushes stop (the LBs unreachable, say). */
const POLL_MS = 10_000;

/**
 * Feeds the charts while the open cluster's Overview is shown: once on open and on every range
 * change, then on status.changed, throttled. The core keeps the last hour, so a reload loses nothing.
 */
export function startMetricsSync(api: Api): void {
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let inflight = false;

  const target = (): { cluster: string; range: ChartRange } | null => {
    const s = app();
    return s.selectedCluster && s.tab === 'overview' && s.conn === 'open' ? { cluster: s.selectedCluster, range: s.chartRange } : null;
  };

  const fetchNow = async (): Promise<void> => {
    const t = target();
    if (!t || inflight) return;
    inflight = true;
    last = Date.now();
    try {
      const data = await api.call('metrics.get', { cluster: t.cluster, windowSec: RANGES[t.range] });
      const now = target();
      if (now && now.cluster === t.cluster && now.range === t.range) app().setMetrics(t.range, data);
    } catch (e) {
      app().setMetricsError(t.cluster, explainError(toErrorLike(e)));
    } finally {
      inflight = false;
    }
  };

  const kick = (): void => {
    const t = target();
    if (!t || timer) return;
    const wait = last + THROTTLE_MS[t.range] - Date.now();
    if (wait <= 0) void fetchNow();
    else
      timer = setTimeout(() => {
        timer = null;
        void fetchNow();
      }, wait);
  };

  api.subscribe('status.changed', (s) => {
    if (s.cluster === target()?.cluster) kick();
  });
  useApp.subscribe((s, prev) => {
    if (s.selectedCluster !== prev.selectedCluster || s.tab !== prev.tab || s.chartRange !== prev.chartRange) {
      if (timer) clearTimeout(timer);
      timer = null;
      inflight = false;
      void fetchNow();
    }
  });
  setInterval(() => {
    if (Date.now() - last >= POLL_MS) void fetchNow();
  }, POLL_MS / 2);
  void fetchNow();
}
