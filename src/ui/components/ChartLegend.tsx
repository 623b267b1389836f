import type { ChartData } from '../chart-data.js';
import { formatValue } from '../format.js';
import type { ChartSeries } from './MetricChart.js';

/** The value at a step for one curve: the last point at or before `idx`, since curves of other runs may not align. */
function valueAt(column: readonly (number | null | undefined)[] | undefined, idx: number): number | null {
  if (!column) return null;
  for (let i = idx; i >= 0; i--) {
    const v = column[i];
    if (v !== undefined) return v;
  }
  return null;
}

/**
 * One row per series with its colour. Under the cursor it shows each curve's value (smoothed, with the raw value in
 * parentheses when smoothing is on). Without a cursor it shows no values: the last drawn point of a downsampled
 * curve is a bucket's extreme, not the run's latest value, and the latest values are in the tables.
 */
export function ChartLegend({ series, data, hoverIdx }: { series: readonly ChartSeries[]; data: ChartData; hoverIdx: number | null }) {
  const step = hoverIdx === null ? undefined : data.steps[hoverIdx];
  const hovering = hoverIdx !== null && step !== undefined;
  return (
    <div className="chart-legend" data-testid="chart-legend">
      <span className="legend-step">{hovering ? `step ${step}` : 'hover for values'}</span>
      {series.map((s, i) => {
        const raw = hovering ? valueAt(data.raw[i], hoverIdx) : null;
        const smooth = hovering && data.smoothed ? valueAt(data.smoothed[i], hoverIdx) : null;
        return (
          <span key={i} className="legend-item" data-testid="legend-item">
            <span className="legend-swatch" style={{ background: s.color }} />
            <span className="legend-label">{s.label}</span>
            {hovering && (
              <span className="legend-value">
                {data.smoothed ? (
                  <>
                    {smooth === null ? '—' : formatValue(smooth)} <span className="muted">({raw === null ? '—' : formatValue(raw)})</span>
                  </>
                ) : raw === null ? (
                  '—'
                ) : (
                  formatValue(raw)
                )}
              </span>
            )}
          </span>
        );
      })}
    </div>
  );
}
