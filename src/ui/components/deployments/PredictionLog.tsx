import { useState } from 'react';
import type { PredictionRecord } from '../../../sdk/monitoring-client.js';
import { client } from '../../client.js';
import { usePagedSearch } from '../../hooks/usePagedSearch.js';
import { requestHint } from '../../monitoring-format.js';
import { ErrorMessage } from '../ErrorMessage.js';
import { Pager } from '../Pager.js';
import { Segmented } from '../Segmented.js';
import { Spinner } from '../Spinner.js';
import { PredictionRow } from './PredictionRow.js';

export const PREDICTIONS_PAGE = 20;

type StatusFilter = 'all' | 'errors';
const FILTERS = [
  { value: 'all', label: 'All' },
  { value: 'errors', label: 'Errors' },
] as const;

async function loadPage(name: string, filter: StatusFilter, pageToken: string | undefined) {
  const page = await client.monitoring.predictions({
    deployment: name,
    maxResults: PREDICTIONS_PAGE,
    ...(filter === 'errors' ? { status: 'error' } : {}),
    ...(pageToken !== undefined ? { pageToken } : {}),
  });
  return { items: page.predictions, nextPageToken: page.nextPageToken };
}

/** What an empty log says: where to send a request, or that this deployment logs nothing. */
function emptyText(name: string, llm: boolean, filter: StatusFilter, logSampleRate: number): string {
  if (filter === 'errors') return 'No failed requests (4xx or 5xx) in the log.';
  if (logSampleRate <= 0) return 'This deployment logs no predictions (its log_sample_rate is 0).';
  const sampled = logSampleRate < 1 ? ` (it logs ${Math.round(logSampleRate * 1000) / 10}% of requests)` : '';
  return `No predictions logged yet — ${requestHint(name, llm)}${sampled}.`;
}

/**
 * The latest predictions of a deployment, newest first, a page of 20 re-read in the background: all or only errors,
 * each row expanding to its full inputs and outputs, with 👍 / 👎 buttons that send feedback and refresh the page
 * (and, through `onFeedback`, the stats).
 */
export function PredictionLog({ name, llm, logSampleRate, refreshMs, onFeedback }: { name: string; llm: boolean; logSampleRate: number; refreshMs: number; onFeedback: () => void }) {
  const [filter, setFilter] = useState<StatusFilter>('all');
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set());
  const [sending, setSending] = useState<string | undefined>(undefined);
  const [sendError, setSendError] = useState<unknown>(undefined);
  const log = usePagedSearch<PredictionRecord>(`${name}\u0000${filter}`, (pageToken) => loadPage(name, filter, pageToken), refreshMs);
  const first = log.page * PREDICTIONS_PAGE + 1;
  const summary = log.items.length > 0 ? `predictions ${first}–${first + log.items.length - 1}` : '';

  const toggle = (id: string) =>
    setOpen((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const sendThumbs = async (id: string, thumbs: 'up' | 'down') => {
    setSending(id);
    setSendError(undefined);
    try {
      await client.monitoring.feedback(id, { thumbs });
      log.reload();
      onFeedback();
    } catch (e) {
      setSendError(e);
    } finally {
      setSending(undefined);
    }
  };

  return (
    <section className="card" data-testid="prediction-log">
      <div className="card-head">
        <h2>Recent predictions</h2>
        <span className="monitoring-tools">
          {log.loading && log.items.length > 0 && <Spinner inline label="Refreshing…" />}
          <span className="muted small">newest first · {PREDICTIONS_PAGE} a page · live</span>
          <Segmented options={FILTERS} value={filter} onChange={setFilter} label="Status" testId="prediction-filter" />
        </span>
      </div>
      {sendError !== undefined && <ErrorMessage error={sendError} testId="feedback-error" />}
      {log.error !== undefined && <ErrorMessage error={log.error} testId="predictions-error" onRetry={log.reload} />}
      {log.items.length === 0 ? (
        log.loading ? (
          <Spinner label={`Loading the latest ${PREDICTIONS_PAGE} ${filter === 'errors' ? 'failed ' : ''}predictions…`} />
        ) : (
          log.error === undefined && (
            <div className="empty" data-testid="predictions-empty">
              {emptyText(name, llm, filter, logSampleRate)}
            </div>
          )
        )
      ) : (
        <div className={log.loading ? 'table-scroll busy' : 'table-scroll'}>
          <table className="table prediction-table" data-testid="predictions-table">
            <thead>
              <tr>
                <th aria-label="Expand" />
                <th>Time</th>
                <th>Version</th>
                <th>Status</th>
                <th className="num">Latency</th>
                <th className="num" title="Prompt → generated tokens">
                  Tokens
                </th>
                <th className="num">Cost</th>
                <th>Entity</th>
                <th>Inputs</th>
                <th>Outputs</th>
                <th>Label</th>
                <th>Feedback</th>
              </tr>
            </thead>
            <tbody>
              {log.items.map((p) => (
                <PredictionRow key={p.id} p={p} open={open.has(p.id)} onToggle={() => toggle(p.id)} sending={sending === p.id} onThumbs={(t) => void sendThumbs(p.id, t)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(log.hasNext || log.page > 0) && <Pager page={log.page} hasPrev={log.hasPrev} hasNext={log.hasNext} onPrev={log.prev} onNext={log.next} summary={summary} />}
    </section>
  );
}
