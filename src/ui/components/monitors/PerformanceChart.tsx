import { useWidth } from '../../hooks/useWidth.js';
import { seriesColor, withAlpha } from '../../palette.js';
import { performanceGeometry } from '../../performance-geometry.js';
import { estimateText, formatMetric, metricTitle, type PerformanceReport } from '../../performance-report.js';

const REFERENCE = seriesColor(0);
const CURRENT = seriesColor(1);
const BAND = '#8a94a3';
const ALERT = '#e15759';
const DASH = '5 4';

/** A legend entry: a short line (dashed or not), a shaded box, or a red dot. */
function Swatch({ kind, color }: { kind: 'line' | 'dashed' | 'area' | 'alert'; color: string }) {
  return (
    <svg className="line-swatch" width={18} height={10} aria-hidden="true">
      {kind === 'area' && <rect x={1} y={1} width={16} height={8} fill={withAlpha(color, 0.18)} />}
      {kind === 'alert' && <circle cx={9} cy={5} r={4} fill={ALERT} />}
      {(kind === 'line' || kind === 'dashed') && <line x1={1} x2={17} y1={5} y2={5} stroke={color} strokeWidth={2} strokeDasharray={kind === 'dashed' ? '4 3' : undefined} />}
    </svg>
  );
}

/**
 * The metric per chunk, as NannyML plots it: the reference's chunks, a divider, the current window's chunks (realized
 * solid, CBPE's estimates dashed within their shaded confidence interval), the band's thresholds dashed across, and
 * alerting chunks as red dots. Hovering a chunk tells its values.
 */
export function PerformanceChart({ report, height = 260 }: { report: PerformanceReport; height?: number }) {
  const [host, width] = useWidth<HTMLDivElement>();
  const g = width > 0 ? performanceGeometry(report, width, height) : undefined;
  const name = metricTitle(report.metric);
  const alerts = report.chunks.filter((c) => c.alert).length;
  const bottom = g ? g.plot.y + g.plot.height : 0;
  return (
    <div className="dist-chart" ref={host} data-testid="performance-chart" data-metric={report.metric} data-reference-chunks={report.reference.chunks.length} data-chunks={report.chunks.length} data-alerts={alerts}>
      {g && (
        <svg width={g.width} height={g.height} role="img" aria-label={`${name} per chunk: reference, then current`}>
          {g.yTicks.map((t) => (
            <g key={t.label}>
              <line className="ts-grid" x1={g.plot.x} x2={g.plot.x + g.plot.width} y1={t.at} y2={t.at} />
              <text className="ts-tick" x={g.plot.x - 6} y={t.at + 4} textAnchor="end">
                {t.label}
              </text>
            </g>
          ))}
          {g.xTicks.map((t) => (
            <text key={t.at} className="ts-tick" x={t.at} y={bottom + 16} textAnchor="middle">
              {t.label}
            </text>
          ))}
          <line className="ts-axis" x1={g.plot.x} x2={g.plot.x + g.plot.width} y1={bottom} y2={bottom} />
          {g.sides.reference !== null && (
            <text className="ts-tick" x={g.sides.reference} y={12} textAnchor="middle">
              reference
            </text>
          )}
          {g.sides.current !== null && (
            <text className="ts-tick" x={g.sides.current} y={12} textAnchor="middle">
              current
            </text>
          )}
          {g.divider !== null && <line data-testid="performance-divider" x1={g.divider} x2={g.divider} y1={g.plot.y - 4} y2={bottom} stroke="#5b6472" strokeWidth={1} />}
          {g.ciArea && <path d={g.ciArea} fill={withAlpha(CURRENT, 0.18)} stroke="none" data-testid="performance-ci" />}
          {g.ciBars.map((b) => (
            <line key={b.x} x1={b.x} x2={b.x} y1={b.y1} y2={b.y2} stroke={withAlpha(CURRENT, 0.55)} strokeWidth={1.5} data-testid="performance-ci-bar" />
          ))}
          {g.lower !== null && <line data-testid="band-lower" x1={g.plot.x} x2={g.plot.x + g.plot.width} y1={g.lower} y2={g.lower} stroke={BAND} strokeDasharray={DASH} />}
          {g.upper !== null && <line data-testid="band-upper" x1={g.plot.x} x2={g.plot.x + g.plot.width} y1={g.upper} y2={g.upper} stroke={BAND} strokeDasharray={DASH} />}
          <path d={g.reference.d} fill="none" stroke={REFERENCE} strokeWidth={1.75} data-testid="performance-reference" />
          {g.reference.dots.map((p) => (
            <circle key={p.x} cx={p.x} cy={p.y} r={2.5} fill={REFERENCE} />
          ))}
          <path d={g.estimated.d} fill="none" stroke={CURRENT} strokeWidth={1.75} strokeDasharray={DASH} data-testid="performance-estimated" />
          <path d={g.realized.d} fill="none" stroke={CURRENT} strokeWidth={2} data-testid="performance-realized" />
          {g.current.map((p) =>
            p.y === null ? null : (
              <circle
                key={p.index}
                cx={p.x}
                cy={p.y}
                r={p.chunk.alert ? 4.5 : 3}
                fill={p.chunk.alert ? ALERT : p.chunk.basis === 'estimated' ? '#fff' : CURRENT}
                stroke={p.chunk.alert ? '#fff' : CURRENT}
                strokeWidth={1.5}
                data-testid="performance-point"
                data-basis={p.chunk.basis ?? ''}
                data-alert={String(p.chunk.alert)}
              >
                <title>{`chunk ${p.index} (rows ${p.chunk.start}–${p.chunk.end}): realized ${formatMetric(p.chunk.realized)} · estimated ${estimateText(p.chunk)}${p.chunk.alert ? ' · outside the band' : ''}`}</title>
              </circle>
            ),
          )}
        </svg>
      )}
      <div className="chart-legend" data-testid="performance-legend">
        <span className="legend-item">
          <Swatch kind="line" color={REFERENCE} />
          reference
        </span>
        <span className="legend-item">
          <Swatch kind="line" color={CURRENT} />
          realized
        </span>
        <span className="legend-item">
          <Swatch kind="dashed" color={CURRENT} />
          estimated
        </span>
        <span className="legend-item">
          <Swatch kind="area" color={CURRENT} />
          confidence interval
        </span>
        <span className="legend-item">
          <Swatch kind="dashed" color={BAND} />
          band (lower / upper)
        </span>
        <span className="legend-item">
          <Swatch kind="alert" color={ALERT} />
          alerting chunk
        </span>
      </div>
    </div>
  );
}
