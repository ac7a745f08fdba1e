import { useId, useState } from 'react';
import { ComposedChart, ResponsiveContainer, usePlotArea, useXAxisScale, XAxis } from 'recharts';
import { NODE_STATES, type NodeState } from '../../shared/domain/status';
import { STATE_WORD } from '../nodes/node-view';
import { StateBadge } from '../nodes/state-badge';
import { clockHM, clockHMS, spanWords, timeTicks, type Band } from './chart-data';

const ROW_H = 26;
const LABEL_W = 92;

interface Hover {
  node: string;
  band: Band;
}

/** Drawn inside the recharts chart with its own time scale: one row per node, one rect per band. */
function Bands({ rows, hatch, onHover }: { rows: Array<{ node: string; bands: Band[] }>; hatch: string; onHover(h: Hover | null): void }) {
  const plot = usePlotArea();
  const x = useXAxisScale();
  if (!plot || !x) return null;
  const h = plot.height / Math.max(1, rows.length);
  const px = (t: number): number => Number(x(t)) || plot.x;
  return (
    <g className="tl">
      <defs>
        <pattern id={hatch} width="7" height="7" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <rect width="3" height="7" className="tl-hatch-line" />
        </pattern>
      </defs>
      {rows.map((r, i) => {
        const y = plot.y + i * h + 3;
        const bh = Math.max(4, h - 6);
        return (
          <g key={r.node} data-testid={`timeline-row-${r.node}`}>
            <text x={plot.x - 8} y={y + bh / 2} textAnchor="end" dominantBaseline="central" className="tl-node">
              {r.node}
            </text>
            <rect x={plot.x} y={y} width={plot.width} height={bh} className="tl-none" />
            {r.bands.map((b, j) => {
              const x0 = px(b.from);
              const w = Math.max(2, px(b.to) - x0);
              return (
                <g
                  key={j}
                  className={`tl-band state-${b.state}`}
                  data-state={b.state}
                  onMouseEnter={() => onHover({ node: r.node, band: b })}
                  onMouseLeave={() => onHover(null)}
                >
                  <rect x={x0} y={y} width={w} height={bh} rx="3" className="tl-rect">
                    <title>{`${r.node}: ${STATE_WORD[b.state]} from ${clockHMS(b.from)} to ${clockHMS(b.to)} (${spanWords(b.to - b.from)})`}</title>
                  </rect>
                  {b.state === 'unreachable' ? <rect x={x0} y={y} width={w} height={bh} rx="3" fill={`url(#${hatch})`} pointerEvents="none" /> : null}
                  {w > 84 ? (
                    <text x={x0 + 7} y={y + bh / 2} dominantBaseline="central" className="tl-word">
                      {STATE_WORD[b.state]}
                    </text>
                  ) : null}
                </g>
              );
            })}
          </g>
        );
      })}
    </g>
  );
}

/**
 * The merged state of each node over time, as coloured bands in the state vocabulary, each with its
 * word (inside the band when it fits, on hover and in the legend always): never colour alone.
 */
export function StateTimeline({ rows, from, to, axis, hidden }: { rows: Array<{ node: string; bands: Band[] }>; from: number; to: number; axis: string; hidden: number }) {
  const [hover, setHover] = useState<Hover | null>(null);
  const hatch = `tl-hatch-${useId().replace(/[^a-zA-Z0-9_-]/g, '')}`;
  const present = NODE_STATES.filter((s) => rows.some((r) => r.bands.some((b) => b.state === s)));
  const bands = rows.reduce((n, r) => n + r.bands.length, 0);
  return (
    <div className="chart" data-testid="chart-states" data-points={bands}>
      <ResponsiveContainer width="100%" height={rows.length * ROW_H + 34} initialDimension={{ width: 800, height: rows.length * ROW_H + 34 }}>
        <ComposedChart data={[{ t: from }, { t: to }]} margin={{ top: 4, right: 16, bottom: 0, left: LABEL_W }} accessibilityLayer={false}>
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={[from, to]}
            allowDataOverflow
            ticks={timeTicks(from, to)}
            tickFormatter={clockHM}
            stroke={axis}
            tick={{ fill: axis, fontSize: 11 }}
          />
          <Bands rows={rows} hatch={hatch} onHover={setHover} />
        </ComposedChart>
      </ResponsiveContainer>
      <div className="tl-foot">
        <p className="tl-readout num" data-testid="timeline-readout" aria-live="polite">
          {hover
            ? `${hover.node}: ${STATE_WORD[hover.band.state]} from ${clockHMS(hover.band.from)} to ${clockHMS(hover.band.to)} (${spanWords(hover.band.to - hover.band.from)})`
            : 'Hover a band for its state and exact times.'}
        </p>
        <ul className="tl-legend" aria-label="States shown">
          {(present.length ? present : (['active', 'standby'] as NodeState[])).map((s) => (
            <li key={s}>
              <StateBadge state={s} small />
            </li>
          ))}
        </ul>
      </div>
      {hidden ? <p className="muted chart-note">{hidden} more nodes not drawn: the ones that changed state come first.</p> : null}
      <ul className="visually-hidden" aria-label="State history per node">
        {rows.map((r) => (
          <li key={r.node}>
            {r.node}: {r.bands.map((b) => `${STATE_WORD[b.state]} ${clockHMS(b.from)} to ${clockHMS(b.to)}`).join(', ') || 'no data'}
          </li>
        ))}
      </ul>
    </div>
  );
}
