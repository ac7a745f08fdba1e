import './charts.css';
import { ToggleGroup } from 'radix-ui';
import { useMemo, type ReactNode } from 'react';
import { Area, AreaChart, CartesianGrid, Line, LineChart, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useShallow } from 'zustand/react/shallow';
import type { ClusterMetrics } from '../../shared/domain/metrics';
import { useApp } from '../state/store';
import { ErrorBox } from '../ui/error-box';
import { bucketMs, clockHM, clockHMS, lbNames, peak, pickSeries, RANGE_WORD, RANGES, rttData, serverData, stateBands, timeTicks, type Bucketed, type ChartRange } from './chart-data';
import { SeriesLegend, SeriesTooltip, type SeriesStyle, type Unit } from './chart-parts';
import { StateTimeline } from './state-timeline';
import { useCssColors } from './use-css-colors';

const COLOR_VARS = ['series-1', 'series-2', 'series-3', 'series-4', 'series-5', 'series-6', 'chart-grid', 'chart-axis', 'surface'] as const;
type Colors = Record<(typeof COLOR_VARS)[number], string>;
const SERIES = ['series-1', 'series-2', 'series-3', 'series-4', 'series-5', 'series-6'] as const;
const DASHES = [undefined, '6 3', '2 2', '8 3 2 3'];

/** Up to this many series per chart; a 500-node cluster shows the ones that matter. */
const MAX_SERIES = 8;
const MAX_TIMELINE_ROWS = 24;
const CHART_H = 200;

/**
 * A host keeps its colour on every chart (its index in the cluster); LBs are dashed on the RTT chart
 * and hosts beyond six colours get a dash pattern too, so no two series differ by colour alone.
 */
function styleFor(c: Colors, hosts: readonly string[], key: string, dashed: boolean): SeriesStyle {
  const i = Math.max(0, hosts.indexOf(key));
  const dash = DASHES[(Math.floor(i / SERIES.length) + (dashed ? 1 : 0)) % DASHES.length];
  return { key, color: c[SERIES[i % SERIES.length]!], ...(dash ? { dash } : {}) };
}

const latestOf = (d: Bucketed): Record<string, number | null> => {
  const out: Record<string, number | null> = {};
  for (const k of d.keys) {
    const row = [...d.rows].reverse().find((r) => r[k] !== null && r[k] !== undefined);
    out[k] = row ? (row[k] ?? null) : null;
  }
  return out;
};

function axisProps(c: Colors, from: number, to: number) {
  return {
    dataKey: 't',
    type: 'number' as const,
    scale: 'time' as const,
    domain: [from, to],
    allowDataOverflow: true,
    ticks: timeTicks(from, to),
    tickFormatter: clockHM,
    stroke: c['chart-axis'],
    tick: { fill: c['chart-axis'], fontSize: 11 },
  };
}

/**
 * The part of the window before the first reading (ClusterDeck was not watching yet), shaded and
 * labelled, so an empty stretch is not mistaken for zero.
 */
function noReadings(c: Colors, from: number, to: number, first: number | undefined) {
  if (first === undefined || first - from < (to - from) * 0.04) return null;
  return (
    <ReferenceArea
      x1={from}
      x2={first}
      fill={c['chart-grid']}
      fillOpacity={0.45}
      stroke="none"
      ifOverflow="hidden"
      label={{ value: 'no readings', fill: c['chart-axis'], fontSize: 11, position: 'center' }}
    />
  );
}

function ChartCard({ title, sub, children }: { title: string; sub?: ReactNode; children: ReactNode }) {
  return (
    <article className="chart-card">
      <header className="chart-card-head">
        <h3>{title}</h3>
        {sub ? <span className="muted">{sub}</span> : null}
      </header>
      {children}
    </article>
  );
}

function Empty({ what }: { what: string }) {
  return <p className="chart-empty muted">{what}</p>;
}

function RttChart({ m, hosts, lbs, c }: { m: ClusterMetrics; hosts: string[]; lbs: string[]; c: Colors }) {
  const bucket = bucketMs((m.to - m.from) / 1000);
  const pick = pickSeries(hosts, (h) => (lbs.includes(h) ? Infinity : peak(m.rtt[h])), MAX_SERIES);
  const d = useMemo(() => rttData(m, pick.shown, bucket), [m, pick.shown.join('|'), bucket]); // eslint-disable-line react-hooks/exhaustive-deps
  const styles = d.keys.map((k) => styleFor(c, hosts, k, lbs.includes(k)));
  return (
    <ChartCard title="Heartbeat round trip per host" sub={bucket > 1000 ? `highest per ${bucket / 1000} s` : 'per heartbeat'}>
      <div className="chart" data-testid="chart-rtt" data-points={d.points}>
        {d.points === 0 ? (
          <Empty what="No heartbeat recorded in this window yet." />
        ) : (
          <ResponsiveContainer width="100%" height={CHART_H} initialDimension={{ width: 800, height: CHART_H }}>
            <LineChart data={d.rows} margin={{ top: 8, right: 16, bottom: 0, left: 4 }}>
              <CartesianGrid stroke={c['chart-grid']} vertical={false} />
              <XAxis {...axisProps(c, m.from, m.to)} />
              <YAxis width={56} stroke={c['chart-axis']} tick={{ fill: c['chart-axis'], fontSize: 11 }} tickFormatter={(v: number) => `${v} ms`} />
              {noReadings(c, m.from, m.to, d.rows[0]?.t)}
              <Tooltip isAnimationActive={false} content={(p) => <SeriesTooltip {...p} unit="ms" bucket={bucket} agg="highest" styles={styles} />} />
              {styles.map((s) => (
                <Line
                  key={s.key}
                  dataKey={s.key}
                  name={s.key}
                  stroke={s.color}
                  strokeDasharray={s.dash}
                  strokeWidth={1.75}
                  dot={false}
                  activeDot={{ r: 3 }}
                  connectNulls
                  isAnimationActive={false}
                />
              ))}
            </LineChart>
          </ResponsiveContainer>
        )}
      </div>
      <SeriesLegend series={styles} latest={latestOf(d)} unit="ms" testid="legend-rtt" />
      {pick.hidden ? <p className="muted chart-note">{pick.hidden} more hosts not drawn: the ones with the highest round trip come first.</p> : null}
    </ChartCard>
  );
}

function ServerChart({ m, lb, what, nodes, c }: { m: ClusterMetrics; lb: string; what: 'sessions' | 'reqRate'; nodes: string[]; c: Colors }) {
  const bucket = bucketMs((m.to - m.from) / 1000);
  const on = m.servers.filter((s) => s.lb === lb);
  const pick = pickSeries(
    nodes.filter((n) => on.some((s) => s.node === n)),
    (n) => peak(on.find((s) => s.node === n)?.[what]),
    MAX_SERIES,
  );
  const d = useMemo(() => serverData(m, lb, what, pick.shown, bucket), [m, lb, what, pick.shown.join('|'), bucket]); // eslint-disable-line react-hooks/exhaustive-deps
  const keys = d.keys.filter((k) => pick.shown.includes(k));
  const styles = keys.map((k) => styleFor(c, nodes, k, false));
  const unit: Unit = what === 'sessions' ? 'sessions' : 'req/s';
  const title = what === 'sessions' ? `Sessions on ${lb}` : `Requests per second on ${lb}`;
  return (
    <ChartCard title={title} sub={what === 'sessions' ? 'current sessions, stacked per server' : `stacked per server${bucket > 1000 ? `, mean per ${bucket / 1000} s` : ''}`}>
      <div className="chart" data-testid={`chart-${what === 'sessions' ? 'sessions' : 'reqrate'}-${lb}`} data-points={d.points}>
        {d.points === 0 ? (
          <Empty what={`No reading from ${lb} in this window yet.`} />
        ) : (
          <ResponsiveContainer width="100%" height={CHART_H} initialDimension={{ width: 500, height: CHART_H }}>
            <AreaChart data={d.rows} margin={{ top: 8, right: 16, bottom: 0, left: 4 }}>
              <CartesianGrid stroke={c['chart-grid']} vertical={false} />
              <XAxis {...axisProps(c, m.from, m.to)} />
              <YAxis
                width={48}
                allowDecimals={what !== 'sessions'}
                stroke={c['chart-axis']}
                tick={{ fill: c['chart-axis'], fontSize: 11 }}
                tickFormatter={(v: number) => (what === 'sessions' ? String(v) : v >= 10 ? String(Math.round(v)) : String(Math.round(v * 10) / 10))}
              />
              {noReadings(c, m.from, m.to, d.rows[0]?.t)}
              <Tooltip
                isAnimationActive={false}
                content={(p) => <SeriesTooltip {...p} unit={unit} bucket={bucket} agg={what === 'sessions' ? 'last reading' : 'mean'} stacked styles={styles} />}
              />
              {styles.map((s) => (
                <Area
                  key={s.key}
                  dataKey={s.key}
                  name={s.key}
                  stackId="servers"
                  type={what === 'sessions' ? 'stepAfter' : 'linear'}
                  // A separator, not a coloured edge: a server at 0 would otherwise draw its colour on
                  // top of the stack and read as carrying the total.
                  stroke={c.surface}
                  strokeWidth={1}
                  fill={s.color}
                  fillOpacity={0.55}
                  activeDot={{ r: 3 }}
                  isAnimationActive={false}
                />
              ))}
            </AreaChart>
          </ResponsiveContainer>
        )}
      </div>
      <SeriesLegend series={styles} latest={latestOf(d)} unit={unit} area testid={`legend-${what}-${lb}`} />
      {pick.hidden ? <p className="muted chart-note">{pick.hidden} more servers not drawn: the busiest come first.</p> : null}
    </ChartCard>
  );
}

/**
 * Charts below the node table: heartbeat RTT per host, sessions and request rate per server on each
 * LB, and a state timeline per node, over the last 5 min or hour (kept by the core, local 24 h time).
 */
export function ChartsSection({ cluster }: { cluster: string }) {
  const range = useApp((s) => s.chartRange);
  const setRange = useApp((s) => s.setChartRange);
  const held = useApp((s) => s.metrics[cluster]);
  const error = useApp((s) => s.metricsError[cluster] ?? null);
  const nodes = useApp(useShallow((s) => s.status[cluster]?.nodes.map((n) => n.node) ?? []));
  const lbsLive = useApp(useShallow((s) => s.status[cluster]?.lbs.map((l) => l.lb) ?? []));
  const c = useCssColors(COLOR_VARS);
  const m = held && held.range === range ? held.data : null;
  const lbs = m ? [...new Set([...lbsLive, ...lbNames(m)])] : lbsLive;
  const hosts = [...nodes, ...lbs];
  const timeline = useMemo(() => {
    if (!m) return null;
    const all = stateBands(m, nodes);
    const changed = (r: (typeof all)[number]) => (r.bands.some((b) => b.state !== 'active' && b.state !== 'standby') ? 1 : 0) + (r.bands.length > 1 ? 1 : 0);
    const pick = pickSeries(
      all.map((r) => r.node),
      (n) => changed(all.find((r) => r.node === n)!),
      MAX_TIMELINE_ROWS,
    );
    return { rows: all.filter((r) => pick.shown.includes(r.node)), hidden: pick.hidden };
  }, [m, nodes]);

  return (
    <section className="charts" aria-label="Charts" data-testid="charts">
      <header className="charts-head">
        <h2>Charts</h2>
        <ToggleGroup.Root
          type="single"
          className="range-seg"
          value={range}
          onValueChange={(v) => v && setRange(v as ChartRange)}
          aria-label="Time range of the charts"
        >
          {(Object.keys(RANGES) as ChartRange[]).map((r) => (
            <ToggleGroup.Item key={r} value={r} className="range-item" data-testid={`chart-range-${r}`}>
              {RANGE_WORD[r]}
            </ToggleGroup.Item>
          ))}
        </ToggleGroup.Root>
        <span className="muted num" data-testid="charts-window">
          {m ? `${clockHMS(m.from)} – ${clockHMS(m.to)} local time` : `loading the last ${RANGE_WORD[range]}…`}
        </span>
      </header>
      {error ? <ErrorBox error={error} /> : null}
      {m && timeline ? (
        <div className="charts-body">
          <RttChart m={m} hosts={hosts} lbs={lbs} c={c} />
          <div className="charts-grid">
            {lbs.map((lb) => (
              <ServerChart key={`s-${lb}`} m={m} lb={lb} what="sessions" nodes={nodes} c={c} />
            ))}
            {lbs.map((lb) => (
              <ServerChart key={`r-${lb}`} m={m} lb={lb} what="reqRate" nodes={nodes} c={c} />
            ))}
          </div>
          <ChartCard title="State per node" sub="merged state over time">
            <StateTimeline rows={timeline.rows} from={m.from} to={m.to} axis={c['chart-axis']} hidden={timeline.hidden} />
          </ChartCard>
        </div>
      ) : !error ? (
        <p className="loading" role="status">
          Loading the last {RANGE_WORD[range]}…
        </p>
      ) : null}
    </section>
  );
}
