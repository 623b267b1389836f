import { describeTarget, type TargetStatus } from '../../../sdk/deployments-client.js';
import { formatBytes } from '../../artifact-preview.js';
import { formatCounter, meanBatchSize } from '../../deployment-format.js';
import { formatTime } from '../../format.js';
import { versionPath } from '../../model-format.js';
import { seriesColor } from '../../palette.js';
import { Link } from '../Link.js';
import { StatusBadge } from '../StatusBadge.js';
import { type Fact, Facts } from './Facts.js';
import { LlmLoad } from './LlmLoad.js';
import { QueueBar } from './QueueBar.js';

/** How the target batches, as the panel says it. */
function batchingText(t: TargetStatus): string {
  if (t.batching === 'continuous') return t.llm ? `continuous (${formatCounter(t.llm.slots)} sequences at once)` : 'continuous';
  if (t.batching === 'upstream') return 'upstream server';
  if (t.batching === 'none') return 'none (one request at a time)';
  return t.batching ?? '—';
}

/** The load section: the batch queue of a tensor model, or an LLM's slots, tokens and latencies. */
function Load({ t }: { t: TargetStatus }) {
  const q = t.queue;
  if (t.llm) return <LlmLoad llm={t.llm} upstream={t.upstream !== undefined} />;
  if (q) {
    return (
      <>
        <h4 className="subhead">Queue</h4>
        <QueueBar queue={q} />
        <Facts
          testId="queue-counters"
          items={[
            ['Requests', formatCounter(q.requests), 'counter-requests'],
            ['Rejected (429)', formatCounter(q.rejected), 'counter-rejected'],
            ['Expired (504)', formatCounter(q.expired), 'counter-expired'],
            ['Cancelled', formatCounter(q.cancelled), 'counter-cancelled'],
            ['Batches', formatCounter(q.batches), 'counter-batches'],
            ['Mean batch size', meanBatchSize(q), 'counter-mean-batch'],
          ]}
        />
      </>
    );
  }
  if (t.upstream !== undefined) return <p className="muted small">{t.state === 'loading' ? 'Connecting to the upstream server.' : 'Not connected, so no counters.'}</p>;
  return <p className="muted small">{t.state === 'loading' ? 'Loading: the queue opens once a version is loaded and warmed up.' : 'No version loaded, so no queue.'}</p>;
}

/** The error a target reports: a failed load with nothing to serve, or a newer version that failed while the old one serves. */
function TargetError({ t }: { t: TargetStatus }) {
  const serving = t.state !== 'failed' && t.servedVersion !== undefined;
  return (
    <div className="error target-error" role="alert" data-testid="target-error">
      <span className="error-code">{t.state === 'failed' ? 'LOAD FAILED' : 'LAST ERROR'}</span>
      <span className="error-message">
        {t.error}
        {serving && <span className="target-error-note">{`\nVersion ${t.servedVersion} keeps serving.`}</span>}
      </span>
    </div>
  );
}

/**
 * One target of a deployment as this server serves it: the version loaded (linked to its registry page) or the
 * upstream server and whether it is available, state and last error, batching mode, memory, requests in flight, and
 * the batch queue's counters (tensor models) or the slots, tokens and latencies of an LLM.
 */
export function TargetPanel({ target: t, index, share }: { target: TargetStatus; index: number; share: string }) {
  const served = t.servedVersion !== undefined ? (
    <Link to={versionPath(t.model, t.servedVersion)} data-testid="served-version">
      version {t.servedVersion}
    </Link>
  ) : (
    <span className="muted">none loaded</span>
  );
  const upstream = t.upstream !== undefined;
  const facts: Fact[] = upstream
    ? [
        ['Upstream', t.upstream, 'target-upstream'],
        [
          'Available',
          t.available === undefined ? '—' : <span className={t.available ? undefined : 'warn'} title="The last health check of the upstream server">{t.available ? 'yes' : 'no (out of rotation)'}</span>,
          'target-available',
        ],
      ]
    : [['Served version', served]];
  facts.push(['Batching', batchingText(t), 'target-batching']);
  if (!upstream) facts.push(['Memory', formatBytes(t.memoryBytes)]);
  facts.push(['In flight', formatCounter(t.inFlight), 'target-in-flight'], [upstream ? 'Connected' : 'Loaded', formatTime(t.loadedAt)]);
  return (
    <section className="card target-panel" data-testid="target-panel" data-target={describeTarget(t)} data-batching={t.batching}>
      <div className="card-head">
        <h3 className="target-title">
          <span className="legend-swatch" style={{ background: seriesColor(index) }} aria-hidden="true" />
          <span className="mono">{describeTarget(t)}</span>
          {t.alias !== undefined && t.servedVersion !== undefined && <span className="muted"> → v{t.servedVersion}</span>}
        </h3>
        <span className="target-meta">
          <span className="muted small" title="Share of the requests this target gets">
            weight {t.weight} · {share}
          </span>
          <StatusBadge status={t.state} testId="target-state" />
        </span>
      </div>
      {t.error !== undefined && <TargetError t={t} />}
      <Facts testId="target-facts" items={facts} />
      <Load t={t} />
    </section>
  );
}
