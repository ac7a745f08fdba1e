import { clockHMS, spanWords, valueWords } from './chart-data';

export type Unit = 'ms' | 'sessions' | 'req/s';

export interface SeriesStyle {
  key: string;
  color: string;
  /** Dashed for LBs on the RTT chart: never colour alone. */
  dash?: string;
}

/** A short line in the series' colour and dash, as an SVG (attributes, no inline style). */
export function Swatch({ color, dash, area }: { color: string; dash?: string | undefined; area?: boolean }) {
  return (
    <svg className="swatch" width="18" height="10" viewBox="0 0 18 10" aria-hidden="true">
      {area ? <rect x="1" y="1" width="16" height="8" fill={color} fillOpacity="0.55" stroke={color} strokeWidth="1.5" /> : null}
      {!area ? <line x1="1" y1="5" x2="17" y2="5" stroke={color} strokeWidth="2.5" strokeDasharray={dash} /> : null}
    </svg>
  );
}

/** The legend under a chart: every series by name, its swatch, and its latest value. */
export function SeriesLegend({ series, latest, unit, area, testid }: { series: SeriesStyle[]; latest: Record<string, number | null>; unit: Unit; area?: boolean; testid?: string }) {
  return (
    <ul className="chart-legend" data-testid={testid}>
      {series.map((s) => (
        <li key={s.key} data-series={s.key} data-latest={latest[s.key] ?? ''}>
          <Swatch color={s.color} dash={s.dash} area={area ?? false} />
          <span className="chart-legend-name">{s.key}</span>
          <span className="muted num">{valueWords(latest[s.key], unit)}</span>
        </li>
      ))}
    </ul>
  );
}

/**
 * Hover: the exact time (24 h, local) and each series' value with its unit; stacked charts add the
 * total. When a point stands for several readings the bucket says so.
 */
/** What this tooltip reads of recharts' content props (whatever their value types). */
interface TipProps {
  active?: boolean | undefined;
  payload?: ReadonlyArray<{ dataKey?: unknown; value?: unknown; name?: unknown; color?: string | undefined }> | undefined;
  label?: unknown;
}

export function SeriesTooltip(props: TipProps & { unit: Unit; bucket: number; agg: string; stacked?: boolean; styles: SeriesStyle[] }) {
  const { active, payload, label, unit, bucket, agg, stacked, styles } = props;
  if (!active || !payload?.length || typeof label !== 'number') return null;
  const rows = payload.filter((p) => typeof p.value === 'number');
  const total = rows.reduce((s, p) => s + (typeof p.value === 'number' ? p.value : 0), 0);
  const styleOf = (k: string) => styles.find((s) => s.key === k);
  return (
    <div className="chart-tip" role="status">
      <div className="chart-tip-time num">
        {clockHMS(label)}
        {bucket > 1000 ? <span className="muted"> · {agg} over {spanWords(bucket)}</span> : null}
      </div>
      <table>
        <tbody>
          {(stacked ? [...rows].reverse() : rows).map((p) => {
            const st = styleOf(String(p.dataKey));
            return (
              <tr key={String(p.dataKey)}>
                <td>
                  <Swatch color={st?.color ?? String(p.color)} dash={st?.dash} area={stacked ?? false} />
                </td>
                <td className="chart-tip-name">{String(p.name)}</td>
                <td className="num chart-tip-value">{valueWords(p.value as number, unit)}</td>
              </tr>
            );
          })}
          {stacked && rows.length > 1 ? (
            <tr className="chart-tip-total">
              <td />
              <td>total</td>
              <td className="num chart-tip-value">{valueWords(total, unit)}</td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}
