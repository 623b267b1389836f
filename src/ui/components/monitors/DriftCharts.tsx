import { columnSeries, shareSeries } from '../../drift-series.js';
import { driftDirection, formatScore, scoreKindLabel } from '../../monitor-format.js';
import type { MonitorRun } from '../../monitors-client.js';
import { formatPercent } from '../../monitoring-format.js';
import { seriesColor } from '../../palette.js';
import { TimeSeriesChart } from '../TimeSeriesChart.js';

/**
 * The drift share of each check over time (drifted checks marked, the dataset threshold dashed), then one small chart
 * per column of the reports: its score per check against its threshold.
 */
export function DriftCharts({ runs }: { runs: readonly MonitorRun[] }) {
  const share = shareSeries(runs);
  const columns = columnSeries(runs);
  const axis = { times: share.times, stepMs: 0, from: share.from, to: share.to };
  return (
    <>
      <TimeSeriesChart
        {...axis}
        testId="share-chart"
        metric="share"
        name="Share of drifted columns per check"
        top={1}
        format={formatPercent}
        empty={share.values.every((v) => v === null) ? 'No check has tested a column yet' : undefined}
        lines={[{ key: 'share', label: 'drifted columns', color: seriesColor(0), values: share.values, marks: share.marks }]}
        rule={{ value: share.driftShare, label: 'dataset drift from' }}
      />
      {columns.length > 0 && (
        <>
          <h3 className="subhead">Scores per column</h3>
          <div className="stats-grid" data-testid="column-charts">
            {columns.map((c) => (
              <div key={c.column} className="stats-panel">
                <h4 className="stats-title">
                  <span className="mono">{c.column}</span> <span className="muted small">{c.testTitle}, drifts {driftDirection(c.scoreKind)} {formatScore(c.threshold)}</span>
                </h4>
                <TimeSeriesChart
                  {...axis}
                  testId="column-chart"
                  metric={c.column}
                  name={`${c.column}: ${scoreKindLabel(c.scoreKind)} per check`}
                  height={130}
                  format={formatScore}
                  lines={[{ key: 'score', label: scoreKindLabel(c.scoreKind), color: seriesColor(0), values: c.values, marks: c.marks }]}
                  rule={{ value: c.threshold, label: 'threshold' }}
                />
              </div>
            ))}
          </div>
        </>
      )}
    </>
  );
}
