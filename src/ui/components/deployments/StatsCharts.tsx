import type { DeploymentStats, VersionStats } from '../../../sdk/monitoring-client.js';
import { chartLines, statsCharts, stepTimes } from '../../stats-series.js';
import { TimeSeriesChart } from '../TimeSeriesChart.js';

/** The window's charts, one line per version (sorted, as in the totals table), each chart with its own legend. */
export function StatsCharts({ stats, versions, stepLabel }: { stats: DeploymentStats; versions: readonly VersionStats[]; stepLabel: string }) {
  const times = stepTimes(versions);
  return (
    <div className="stats-grid">
      {statsCharts(versions, stepLabel).map((c) => (
        <div key={c.id} className="stats-panel">
          <h3 className="stats-title">{c.title}</h3>
          <TimeSeriesChart
            testId="stats-chart"
            metric={c.id}
            name={`${c.title}, per version`}
            times={times}
            stepMs={stats.stepSeconds * 1000}
            from={stats.from}
            to={stats.to}
            lines={chartLines(versions, c)}
            format={c.format}
            empty={c.empty}
          />
        </div>
      ))}
    </div>
  );
}
