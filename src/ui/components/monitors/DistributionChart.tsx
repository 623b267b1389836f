import { distributionGeometry } from '../../distribution-geometry.js';
import { useWidth } from '../../hooks/useWidth.js';
import type { Distribution } from '../../monitors-client.js';
import { formatPercent } from '../../monitoring-format.js';
import { seriesColor, withAlpha } from '../../palette.js';

export const REFERENCE_COLOR = seriesColor(0);
export const CURRENT_COLOR = seriesColor(1);

/**
 * A column's reference and current distributions over each other, as shares of each side: a histogram (reference
 * bars, current lighter bars outlined as steps) or grouped bars per category. Hovering a bin tells both shares.
 */
export function DistributionChart({ column, d, height = 170 }: { column: string; d: Distribution; height?: number }) {
  const [host, width] = useWidth<HTMLDivElement>();
  const g = width > 0 ? distributionGeometry(d, width, height) : undefined;
  const base = g ? g.plot.y + g.plot.height : 0;
  return (
    <div className="dist-chart" ref={host} data-testid="distribution-chart" data-column={column} data-type={d.type} data-bins={d.type === 'histogram' ? d.edges.length - 1 : d.categories.length}>
      {g && (
        <svg width={g.width} height={g.height} role="img" aria-label={`${column}: reference and current distributions`}>
          {g.yTicks.map((t) => (
            <g key={t.label}>
              <line className="ts-grid" x1={g.plot.x} x2={g.plot.x + g.plot.width} y1={t.at} y2={t.at} />
              <text className="ts-tick" x={g.plot.x - 6} y={t.at + 4} textAnchor="end">
                {t.label}
              </text>
            </g>
          ))}
          {g.bins.map((b, i) => (
            <g key={i} data-testid="distribution-bin">
              <title>{`${b.label}: reference ${formatPercent(b.referenceShare)} · current ${formatPercent(b.currentShare)}`}</title>
              <rect {...b.reference} fill={withAlpha(REFERENCE_COLOR, g.type === 'histogram' ? 0.55 : 0.9)} data-side="reference" />
              <rect {...b.current} fill={withAlpha(CURRENT_COLOR, g.type === 'histogram' ? 0.22 : 0.9)} data-side="current" />
            </g>
          ))}
          {g.currentStep && <path d={g.currentStep} fill="none" stroke={CURRENT_COLOR} strokeWidth={1.75} strokeLinejoin="round" data-testid="distribution-step" />}
          <line className="ts-axis" x1={g.plot.x} x2={g.plot.x + g.plot.width} y1={base} y2={base} />
          {g.xTicks.map((t) => (
            <text key={t.at} className="ts-tick" x={t.at} y={base + 15} textAnchor="middle">
              {t.label}
            </text>
          ))}
          {g.labels.map((l, i) =>
            g.slanted ? (
              <text key={i} className="ts-tick" x={l.x} y={base + 12} textAnchor="end" transform={`rotate(-40 ${l.x} ${base + 12})`}>
                <title>{l.full}</title>
                {l.text}
              </text>
            ) : (
              <text key={i} className="ts-tick" x={l.x} y={base + 15} textAnchor="middle">
                <title>{l.full}</title>
                {l.text}
              </text>
            ),
          )}
        </svg>
      )}
      <div className="chart-legend">
        <span className="legend-item">
          <span className="legend-swatch" style={{ background: withAlpha(REFERENCE_COLOR, 0.7) }} />
          reference
        </span>
        <span className="legend-item">
          <span className="legend-swatch dist-current-swatch" style={{ background: withAlpha(CURRENT_COLOR, d.type === 'histogram' ? 0.22 : 0.9), borderColor: CURRENT_COLOR }} />
          current
        </span>
      </div>
    </div>
  );
}
