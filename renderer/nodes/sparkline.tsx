import { sparkPoints } from './node-view';

/** Recent heartbeat round trips as a tiny line (plain SVG; charts come later). */
export function Sparkline({ values, width = 64, height = 16, label }: { values: readonly number[]; width?: number; height?: number; label: string }) {
  const pts = sparkPoints(values, width, height);
  return (
    <svg className="spark" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label}>
      {pts ? <polyline points={pts} fill="none" strokeWidth="1.25" vectorEffect="non-scaling-stroke" /> : null}
    </svg>
  );
}
