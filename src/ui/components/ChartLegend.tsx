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

function lastValue(column: readonly (number | null | undefined)[] | undefined): number | null {
  return column ? valueAt(column, column.length - 1) : null;
}

/** One row per series with its colour; shows the values under the cursor, or the last values when not hovering. */
export function ChartLegend({ series, data, hoverIdx }: { series: readonly ChartSeries[]; data: ChartData; hoverIdx: number | null }) {
  const columns = data.smoothed ?? data.raw;
  const step = hoverIdx === null ? null : data.steps[hoverIdx];
  return (
    <div className="chart-legend" data-testid="chart-legend">
      <span className="legend-step">{step === null || step === undefined ? 'last' : `step ${step}`}</span>
      {series.map((s, i) => {
        const v = hoverIdx === null ? lastValue(columns[i]) : valueAt(columns[i], hoverIdx);
        return (
          <span key={i} className="legend-item" data-testid="legend-item">
            <span className="legend-swatch" style={{ background: s.color }} />
            <span className="legend-label">{s.label}</span>
            <span className="legend-value">{v === null ? '—' : formatValue(v)}</span>
          </span>
        );
      })}
    </div>
  );
}
