import { useWidth } from '../../hooks/useWidth.js';
import { intervalGeometry, type SignalState } from '../../interval-geometry.js';
import { seriesColor } from '../../palette.js';
import { rateText, type RateSignal, signalThresholdText, signalTitle } from '../../quality-report.js';

const COLOR: Record<SignalState, string> = { degraded: '#e15759', ok: seriesColor(0), insufficient: '#b3bac5' };

/**
 * Each rate signal as a point with its confidence interval as a bar, against its threshold (a dark tick) on a shared
 * 0–100 % axis: degraded ones red, ones with too few votes or grades grey with their count.
 */
export function SignalsChart({ signals, confidence }: { signals: readonly RateSignal[]; confidence: number }) {
  const [host, width] = useWidth<HTMLDivElement>();
  const g = width > 0 ? intervalGeometry(signals, width) : undefined;
  const bottom = g ? g.plot.y + g.plot.height : 0;
  return (
    <div className="dist-chart" ref={host} data-testid="signals-chart">
      {g && (
        <svg width={g.width} height={g.height} role="img" aria-label={`Rates with their ${Math.round(confidence * 100)}% intervals against their thresholds`}>
          {g.xTicks.map((t) => (
            <g key={t.label}>
              <line className="ts-grid" x1={t.at} x2={t.at} y1={g.plot.y} y2={bottom} />
              <text className="ts-tick" x={t.at} y={bottom + 16} textAnchor="middle">
                {t.label}
              </text>
            </g>
          ))}
          <line className="ts-axis" x1={g.plot.x} x2={g.plot.x + g.plot.width} y1={bottom} y2={bottom} />
          {g.rows.map((r) => {
            const c = COLOR[r.state];
            return (
              <g key={r.name} data-testid="signal-mark" data-signal={r.name} data-state={r.state}>
                <title>{`${signalTitle(r.name)}: ${rateText(r.signal)} of ${r.signal.count}; degraded when ${signalThresholdText(r.signal)}`}</title>
                <text className="ts-tick" x={g.plot.x - 10} y={r.y + 4} textAnchor="end" fill={r.state === 'insufficient' ? '#9aa4b2' : undefined}>
                  {signalTitle(r.name)}
                  {r.state === 'insufficient' ? ` (n=${r.signal.count})` : ''}
                </text>
                <line x1={r.threshold} x2={r.threshold} y1={r.y - r.half} y2={r.y + r.half} stroke="#3a4350" strokeWidth={2} data-testid="signal-threshold" />
                {r.bar && (
                  <g data-testid="signal-interval">
                    <line x1={r.bar.x1} x2={r.bar.x2} y1={r.y} y2={r.y} stroke={c} strokeWidth={3} strokeLinecap="round" />
                    <line x1={r.bar.x1} x2={r.bar.x1} y1={r.y - 5} y2={r.y + 5} stroke={c} strokeWidth={2} />
                    <line x1={r.bar.x2} x2={r.bar.x2} y1={r.y - 5} y2={r.y + 5} stroke={c} strokeWidth={2} />
                  </g>
                )}
                {r.point !== null && <circle cx={r.point} cy={r.y} r={5} fill={r.state === 'insufficient' ? '#fff' : c} stroke={c} strokeWidth={2} data-testid="signal-point" />}
              </g>
            );
          })}
        </svg>
      )}
      <div className="chart-legend">
        <span className="legend-item">point: rate · bar: {Math.round(confidence * 100)}% Wilson interval · dark tick: threshold</span>
        <span className="legend-item">
          <span className="legend-swatch" style={{ background: COLOR.degraded }} />
          degraded (whole interval past the threshold)
        </span>
        <span className="legend-item">
          <span className="legend-swatch" style={{ background: COLOR.insufficient }} />
          too few to test
        </span>
      </div>
    </div>
  );
}
