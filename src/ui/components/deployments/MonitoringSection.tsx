import { useState } from 'react';
import type { DeploymentStats } from '../../../sdk/monitoring-client.js';
import { client } from '../../client.js';
import { formatTime } from '../../format.js';
import { usePolling } from '../../hooks/usePolling.js';
import { requestHint } from '../../monitoring-format.js';
import { DEFAULT_RANGE, type RangeKey, STATS_RANGES, sortVersions, statsRange, statsWindow } from '../../stats-series.js';
import { ErrorMessage } from '../ErrorMessage.js';
import { Segmented } from '../Segmented.js';
import { Spinner } from '../Spinner.js';
import { PredictionLog } from './PredictionLog.js';
import { StatsCharts } from './StatsCharts.js';
import { StatsTotals } from './StatsTotals.js';

/** Stats and the prediction log are read again this long after each answer while the page is open. */
export const MONITORING_REFRESH_MS = 5000;

const RANGE_OPTIONS = STATS_RANGES.map((r) => ({ value: r.key, label: r.label }));

/** The stats of the range ending now; the range comes back with them, so a page can tell old data from new. */
async function loadStats(name: string, range: RangeKey): Promise<{ range: RangeKey; stats: DeploymentStats }> {
  return { range, stats: await client.monitoring.stats(name, statsWindow(range, Date.now())) };
}

/**
 * A deployment's monitoring: per version, totals over the chosen range and live charts (request and error rates,
 * latency, cost, tokens, feedback, labelled performance), then the latest predictions logged, with feedback buttons
 * that refresh both. Everything is re-read every 5 s while the page is open.
 */
export function MonitoringSection({ name, llm, logSampleRate }: { name: string; llm: boolean; logSampleRate: number }) {
  const [range, setRange] = useState<RangeKey>(DEFAULT_RANGE);
  const live = usePolling(() => loadStats(name, range), [name, range], MONITORING_REFRESH_MS);
  const wanted = statsRange(range);
  const data = live.data;
  // After a range change the old range's charts stay (dimmed) until the new ones arrive.
  const switching = data !== undefined && data.range !== range;
  const shown = statsRange(data?.range ?? range);
  const versions = data ? sortVersions(data.stats.versions) : [];

  return (
    <>
      <section className="card monitoring" data-testid="monitoring" data-range={data?.range}>
        <div className="card-head monitoring-head">
          <h2>Monitoring</h2>
          <span className="monitoring-tools">
            {switching && <Spinner inline label={`Loading the last ${wanted.label}…`} />}
            {data && (
              <span className="muted small" title={`Refreshed every ${MONITORING_REFRESH_MS / 1000} s while this page is open`} data-testid="stats-refreshed-at">
                per {shown.stepLabel} · live · {formatTime(live.updatedAt)}
              </span>
            )}
            <span className="muted small">Last</span>
            <Segmented options={RANGE_OPTIONS} value={range} onChange={setRange} label="Time range" testId="range" />
          </span>
        </div>
        {live.error !== undefined && <ErrorMessage error={live.error} testId="stats-error" onRetry={live.reload} />}
        {!data ? (
          live.loading && <Spinner label={`Loading the last ${wanted.label} of stats (${wanted.ms / wanted.stepMs} steps of ${wanted.stepLabel})…`} />
        ) : versions.length === 0 ? (
          <div className="empty" data-testid="stats-empty">
            No requests in the last {shown.label} — {requestHint(name, llm)}.
          </div>
        ) : (
          <div className={switching ? 'monitoring-body busy' : 'monitoring-body'}>
            <StatsTotals versions={versions} />
            <StatsCharts stats={data.stats} versions={versions} stepLabel={shown.stepLabel} />
          </div>
        )}
      </section>
      <PredictionLog name={name} llm={llm} logSampleRate={logSampleRate} refreshMs={MONITORING_REFRESH_MS} onFeedback={live.reload} />
    </>
  );
}
