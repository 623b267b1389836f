import { monitors } from '../client.js';
import { Breadcrumbs } from '../components/Breadcrumbs.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { ColumnCard } from '../components/monitors/ColumnCard.js';
import { ColumnsTable } from '../components/monitors/ColumnsTable.js';
import { PerformanceReportView } from '../components/monitors/PerformanceReportView.js';
import { QualityReportView } from '../components/monitors/QualityReportView.js';
import { Spinner } from '../components/Spinner.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { formatTime } from '../format.js';
import { useAsync } from '../hooks/useAsync.js';
import { columnRows, formatRange, monitorPath, reportSummary, statusLabel } from '../monitor-format.js';
import { type DriftReport, driftReportOf, type MonitorRun } from '../monitors-client.js';
import { performanceReportOf } from '../performance-report.js';
import { qualityReportOf } from '../quality-report.js';

const CORRECTIONS = { none: '', bonferroni: 'Bonferroni', bh: 'Benjamini–Hochberg' } as const;

/** The verdict line: dataset drift or not, N of M columns (share against threshold), rows of each side, window. */
function Summary({ run, report }: { run: MonitorRun; report: DriftReport }) {
  const s = reportSummary(report);
  return (
    <p className="report-summary" data-testid="report-summary" data-drift={String(report.datasetDrift)}>
      <strong className={report.datasetDrift ? 'drift-yes' : 'drift-no'} data-testid="report-headline">
        {s.headline}
      </strong>
      : <span data-testid="report-detail">{s.detail}</span> · reference {report.referenceRows.toLocaleString('en-US')} rows · current{' '}
      {report.currentRows.toLocaleString('en-US')} rows · window {formatRange(run.windowFrom, run.windowTo)}
      {report.correction !== 'none' && ` · p-values corrected (${CORRECTIONS[report.correction]})`}
    </p>
  );
}

/**
 * `/monitors/:name/runs/:id`: one check's report. A drift report: the verdict, a table of the columns (descriptors of
 * text columns indented under them), then a card per column with its distributions drawn over each other (and for
 * text, the words and examples typical of each side). A performance report: the metric per chunk against the band; a
 * quality report: the rate signals with their intervals, feedback, judge, human review and agreement.
 */
export function MonitorRunPage({ name, id }: { name: string; id: string }) {
  const result = useAsync(() => monitors.run(name, id), [name, id]);
  const run = result.data;
  const crumbs = [{ label: 'Monitors', to: '/monitors' }, { label: name, to: monitorPath(name) }, { label: run ? `Check ${formatTime(run.time)}` : 'Check' }];
  if (result.error !== undefined && !run) {
    return (
      <div className="page">
        <Breadcrumbs items={crumbs} />
        <ErrorMessage error={result.error} onRetry={result.reload} />
      </div>
    );
  }
  if (!run) {
    return (
      <div className="page">
        <Breadcrumbs items={crumbs} />
        <Spinner label="Loading the check's report…" />
      </div>
    );
  }
  const report = driftReportOf(run);
  const performance = performanceReportOf(run);
  const quality = qualityReportOf(run);
  return (
    <div className="page">
      <Breadcrumbs items={crumbs} />
      <div className="page-head">
        <h1>Check of {formatTime(run.time)}</h1>
        <StatusBadge status={run.status} label={statusLabel(run.status)} testId="run-status" />
        <div className="page-meta">
          <span className="mono">{run.id}</span>
          {run.alert && <span data-testid="run-alert">sent a {run.alert} alert</span>}
        </div>
      </div>
      {run.error && (
        <div className="error" role="alert" data-testid="run-error">
          <span className="error-message">{run.error}</span>
        </div>
      )}
      {run.alertError && (
        <div className="error" role="alert" data-testid="run-alert-error">
          <span className="error-message">A webhook failed (the check stands): {run.alertError}</span>
        </div>
      )}
      {report ? (
        <>
          <section className="card">
            <Summary run={run} report={report} />
            <ColumnsTable columns={report.columns} />
          </section>
          <div className="chart-grid column-cards" data-testid="column-cards">
            {columnRows(report.columns).map(({ column }) => (
              <ColumnCard key={column.column} c={column} />
            ))}
          </div>
        </>
      ) : performance ? (
        <PerformanceReportView run={run} report={performance} />
      ) : quality ? (
        <QualityReportView run={run} report={quality} />
      ) : run.report ? (
        <section className="card">
          <h2>Report</h2>
          <pre className="code-block" data-testid="run-report-json">
            {JSON.stringify(run.report, null, 2)}
          </pre>
        </section>
      ) : (
        !run.error && <div className="empty">This check made no report.</div>
      )}
    </div>
  );
}
