import { performanceSeries, type ShareOfChecks, shareOfChecks, signalSeries } from '../../check-series.js';
import { checkWording } from '../../monitor-format.js';
import type { MonitorRun, MonitorType } from '../../monitors-client.js';
import { formatPercent } from '../../monitoring-format.js';
import { seriesColor } from '../../palette.js';
import { formatMetric, isErrorMetric, metricTitle } from '../../performance-report.js';
import { signalThresholdText, signalTitle } from '../../quality-report.js';
import { TimeSeriesChart } from '../TimeSeriesChart.js';
import { DriftCharts } from './DriftCharts.js';

type Axis = { times: number[]; stepMs: number; from: number; to: number };

/** The share of alerting chunks or degraded signals per check, alerting checks marked. */
function ShareChart({ type, share, axis }: { type: MonitorType; share: ShareOfChecks; axis: Axis }) {
  const w = checkWording(type);
  return (
    <TimeSeriesChart
      {...axis}
      testId="share-chart"
      metric="share"
      name={w.shareName}
      top={1}
      format={formatPercent}
      empty={share.values.every((v) => v === null) ? 'No check has judged anything yet' : undefined}
      lines={[{ key: 'share', label: w.unit, color: seriesColor(0), values: share.values, marks: share.marks }]}
    />
  );
}

/** Each check's latest chunk against the band of its reference. */
function PerformanceHistory({ runs, axis }: { runs: readonly MonitorRun[]; axis: Axis }) {
  const p = performanceSeries(runs);
  const metric = metricTitle(p.metric ?? 'metric');
  return (
    <>
      <h3 className="subhead">{metric} of the latest chunk per check</h3>
      <TimeSeriesChart
        {...axis}
        testId="performance-history"
        metric={p.metric ?? 'metric'}
        name={`${metric} of each check's latest chunk, with the band`}
        height={150}
        top={p.metric && !isErrorMetric(p.metric) ? 1 : 0}
        format={formatMetric}
        lines={[
          { key: 'value', label: `latest ${metric}`, color: seriesColor(1), values: p.values, marks: p.marks },
          { key: 'lower', label: 'band lower', color: '#8a94a3', dashed: true, values: p.lower },
          { key: 'upper', label: 'band upper', color: '#8a94a3', dashed: true, values: p.upper },
        ]}
      />
    </>
  );
}

/** Each quality signal's rate per check against its threshold. */
function QualityHistory({ runs, axis }: { runs: readonly MonitorRun[]; axis: Axis }) {
  const signals = signalSeries(runs);
  if (signals.length === 0) return null;
  return (
    <>
      <h3 className="subhead">Rates per signal</h3>
      <div className="stats-grid" data-testid="signal-charts">
        {signals.map((s) => (
          <div key={s.name} className="stats-panel">
            <h4 className="stats-title">
              {signalTitle(s.name)} <span className="muted small">degraded when {signalThresholdText(s)}</span>
            </h4>
            <TimeSeriesChart
              {...axis}
              testId="signal-chart"
              metric={s.name}
              name={`${signalTitle(s.name)} per check`}
              height={130}
              top={1}
              format={formatPercent}
              empty={s.values.every((v) => v === null) ? 'Never enough votes or grades to test' : undefined}
              lines={[{ key: 'rate', label: 'rate', color: seriesColor(0), values: s.values, marks: s.marks }]}
              rule={{ value: s.threshold, label: 'threshold' }}
            />
          </div>
        ))}
      </div>
    </>
  );
}

/**
 * A monitor's checks over time in its own terms: drifted columns (data), alerting chunks and the latest metric
 * against the band (performance), degraded signals and each rate against its threshold (LLM quality).
 */
export function CheckCharts({ type, runs }: { type: MonitorType; runs: readonly MonitorRun[] }) {
  if (type === 'data') return <DriftCharts runs={runs} />;
  const share = shareOfChecks(runs);
  const axis = { times: share.times, stepMs: 0, from: share.from, to: share.to };
  return (
    <>
      <ShareChart type={type} share={share} axis={axis} />
      {type === 'performance' ? <PerformanceHistory runs={runs} axis={axis} /> : <QualityHistory runs={runs} axis={axis} />}
    </>
  );
}
