import { formatRange } from '../../monitor-format.js';
import type { MonitorRun } from '../../monitors-client.js';
import { bandText, calibrationText, currentText, estimateText, formatMetric, metricTitle, performanceHeadline, type PerformanceReport } from '../../performance-report.js';
import { type Fact, Facts } from '../deployments/Facts.js';
import { StatusBadge } from '../StatusBadge.js';
import { PerformanceChart } from './PerformanceChart.js';

/** The current window's chunks: rows, labels, realized and estimated values, what the verdict rests on, and whether it alerts. */
function ChunksTable({ report }: { report: PerformanceReport }) {
  const offset = report.reference.chunks.length;
  return (
    <div className="table-scroll">
      <table className="table" data-testid="chunks-table">
        <thead>
          <tr>
            <th className="num" title="Index on the chart's x axis">
              Chunk
            </th>
            <th className="num">Rows</th>
            <th className="num">Labelled</th>
            <th className="num">Realized</th>
            <th className="num" title="CBPE's estimate with its confidence interval">
              Estimated (interval)
            </th>
            <th>Basis</th>
            <th>Alert</th>
          </tr>
        </thead>
        <tbody>
          {report.chunks.map((c, i) => (
            <tr key={i} data-testid="chunk-row" data-alert={String(c.alert)} data-basis={c.basis ?? ''}>
              <td className="num">{offset + i}</td>
              <td className="num" title={c.key}>
                {c.size.toLocaleString('en-US')}
              </td>
              <td className="num">{c.labelled.toLocaleString('en-US')}</td>
              <td className="num" data-testid="chunk-realized">
                {formatMetric(c.realized)}
              </td>
              <td className="num nowrap">{estimateText(c)}</td>
              <td>{c.basis ?? <span className="muted">none</span>}</td>
              <td>{c.value === null ? <span className="muted">—</span> : <StatusBadge status={c.alert ? 'drifted' : 'ok'} label={c.alert ? 'outside band' : 'ok'} testId="chunk-alert" />}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * A performance check's report: the verdict, what it was measured on (metric, chunks, the reference's band, the
 * current window's labels, calibration), the chart of the metric per chunk and the current chunks' table.
 */
export function PerformanceReportView({ run, report }: { run: MonitorRun; report: PerformanceReport }) {
  const v = performanceHeadline(report);
  const facts: Fact[] = [
    ['Metric', metricTitle(report.metric), 'perf-metric'],
    ['Chunks', report.chunkMinutes ? `by ${report.chunkMinutes} min` : `${report.chunkSize.toLocaleString('en-US')} rows`, 'perf-chunk-size'],
    ['Reference', `${report.reference.rows.toLocaleString('en-US')} labelled rows, ${report.reference.chunks.length} chunks`, 'perf-reference'],
    ['Band', bandText(report.reference.band), 'perf-band'],
    ['Current', currentText(report.current), 'perf-current'],
    ['CBPE', calibrationText(report.reference.calibrated), 'perf-calibrated'],
  ];
  return (
    <>
      <section className="card" data-testid="performance-report">
        <p className="report-summary" data-testid="report-summary" data-alerting={String(v.alerting)}>
          <strong className={v.alerting ? 'drift-yes' : 'drift-no'} data-testid="report-headline">
            {v.headline}
          </strong>{' '}
          · window {formatRange(run.windowFrom, run.windowTo)}
        </p>
        <Facts items={facts} testId="performance-facts" />
      </section>
      <section className="card">
        <div className="card-head">
          <h2>{metricTitle(report.metric)} per chunk</h2>
          <span className="muted small">outside the dashed band (reference mean ± 3 std) a chunk alerts</span>
        </div>
        <PerformanceChart report={report} />
      </section>
      <section className="card">
        <h2>Current chunks</h2>
        {report.chunks.length === 0 ? <div className="empty">The window had too few rows for a chunk.</div> : <ChunksTable report={report} />}
      </section>
    </>
  );
}
