import { useEffect, useState } from 'react';
import { monitors } from '../client.js';
import { Breadcrumbs } from '../components/Breadcrumbs.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { ChecksTable } from '../components/monitors/ChecksTable.js';
import { CheckCharts } from '../components/monitors/CheckCharts.js';
import { Link } from '../components/Link.js';
import { MonitorSettings } from '../components/monitors/MonitorSettings.js';
import { Spinner } from '../components/Spinner.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { formatTime } from '../format.js';
import { PENDING_POLL_MS, useCheckNow } from '../hooks/useCheckNow.js';
import { MONITORS_REFRESH_MS } from '../hooks/useMonitors.js';
import { usePolling } from '../hooks/usePolling.js';
import { checkWording } from '../monitor-format.js';
import type { Monitor, MonitorRun } from '../monitors-client.js';
import { reviewsPath } from '../review-format.js';

/** Checks read with their reports, for the charts and the table. */
export const CHECKS_SHOWN = 50;

async function loadMonitor(name: string): Promise<{ monitor: Monitor; runs: MonitorRun[] }> {
  const [monitor, runs] = await Promise.all([monitors.get(name), monitors.runs(name, { maxResults: CHECKS_SHOWN, reports: true })]);
  return { monitor, runs };
}

/** What a monitor without checks says: how to get one, and what is missing first. */
function NoChecks({ m }: { m: Monitor }) {
  return (
    <div className="empty" data-testid="checks-empty">
      No checks yet — press <strong>Check now</strong>, or wait for the schedule (<span className="mono">{m.schedule}</span>, {m.timezone}
      {m.enabled ? '' : '; paused'}).
      {!m.reference && m.type !== 'llm_quality' && (
        <p className="warn">
          It has no reference yet, so checks will fail: upload one with <span className="mono">PUT /api/v1/monitors/{m.name}/reference</span> (CSV with a header, or JSON lines).
        </p>
      )}
    </div>
  );
}

/**
 * `/monitors/:name`: a monitor's settings, a "Check now" button, its last 50 checks over time in its type's terms
 * (drifted columns and each column's score; alerting chunks and the latest metric against the band; degraded signals
 * and each rate against its threshold), and the checks themselves, each linking to its report. An LLM quality
 * monitor links to its review queue. Re-read every 10 s (every second while a check asked for is on its way).
 */
export function MonitorPage({ name }: { name: string }) {
  // Every second while a check asked for is on its way (the flag is known only once the data is: a render late).
  const [fast, setFast] = useState(false);
  const live = usePolling(() => loadMonitor(name), [name], fast ? PENDING_POLL_MS : MONITORS_REFRESH_MS);
  const check = useCheckNow(name, live.data?.runs[0]?.id);
  useEffect(() => setFast(check.pending), [check.pending]);
  const data = live.data;
  const crumbs = [{ label: 'Monitors', to: '/monitors' }, { label: name }];

  if (live.error !== undefined && !data) {
    return (
      <div className="page">
        <Breadcrumbs items={crumbs} />
        <ErrorMessage error={live.error} onRetry={live.reload} />
      </div>
    );
  }
  if (!data) {
    return (
      <div className="page">
        <Breadcrumbs items={crumbs} />
        <Spinner label="Loading monitor…" />
      </div>
    );
  }
  const { monitor: m, runs } = data;
  const wording = checkWording(m.type);
  return (
    <div className="page">
      <Breadcrumbs items={crumbs} />
      <div className="page-head">
        <h1 data-testid="monitor-name">{m.name}</h1>
        <StatusBadge status={m.state} testId="monitor-state" title="unknown until the first tested check; then whether the last tested check found dataset drift" />
        <div className="page-meta">
          <span title={`Refreshed every ${MONITORS_REFRESH_MS / 1000} s while this page is open`} data-testid="refreshed-at">
            Live · {formatTime(live.updatedAt)}
          </span>
        </div>
        <span className="toolbar-right">
          {m.type === 'llm_quality' && (
            <Link to={reviewsPath({ monitor: m.name })} className="button" data-testid="monitor-reviews-link">
              Review queue
            </Link>
          )}
          {check.pending && <Spinner inline label="Checking…" />}
          <button type="button" className="button button-primary" data-testid="check-now" disabled={check.pending} onClick={check.start}>
            Check now
          </button>
        </span>
      </div>
      {check.error !== undefined && <ErrorMessage error={check.error} testId="check-now-error" />}
      {live.error !== undefined && <ErrorMessage error={live.error} testId="refresh-error" onRetry={live.reload} />}
      <MonitorSettings m={m} />
      <section className="card" data-testid="monitor-drift">
        <div className="card-head">
          <h2>{wording.section}</h2>
          <span className="muted small">
            {runs.length === 0 ? 'no checks yet' : `last ${runs.length} check${runs.length === 1 ? '' : 's'}`} · {wording.marked}
          </span>
        </div>
        {runs.length === 0 ? <NoChecks m={m} /> : <CheckCharts type={m.type} runs={runs} />}
      </section>
      {runs.length > 0 && (
        <section className="card" data-testid="monitor-checks">
          <div className="card-head">
            <h2>Checks</h2>
            <span className="muted small">newest first · click a time for its report</span>
          </div>
          <ChecksTable name={m.name} runs={runs} type={m.type} />
        </section>
      )}
    </div>
  );
}
