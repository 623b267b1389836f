import type { ReactNode } from 'react';
import { describeTarget, type TargetStatus } from '../../../sdk/deployments-client.js';
import { formatBytes } from '../../artifact-preview.js';
import { formatCounter, meanBatchSize } from '../../deployment-format.js';
import { formatTime } from '../../format.js';
import { versionPath } from '../../model-format.js';
import { seriesColor } from '../../palette.js';
import { Link } from '../Link.js';
import { StatusBadge } from '../StatusBadge.js';
import { QueueBar } from './QueueBar.js';

type Fact = [label: string, value: ReactNode, testId?: string];

function Facts({ items, testId }: { items: Fact[]; testId: string }) {
  return (
    <dl className="facts" data-testid={testId}>
      {items.map(([k, v, id]) => (
        <div key={k} className="fact">
          <dt>{k}</dt>
          <dd data-testid={id}>{v}</dd>
        </div>
      ))}
    </dl>
  );
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
 * One target of a deployment as this server serves it: the version loaded (linked to its registry page), state and
 * last error, batching mode, memory, requests in flight and the batch queue's counters.
 */
export function TargetPanel({ target: t, index, share }: { target: TargetStatus; index: number; share: string }) {
  const served = t.servedVersion !== undefined ? (
    <Link to={versionPath(t.model, t.servedVersion)} data-testid="served-version">
      version {t.servedVersion}
    </Link>
  ) : (
    <span className="muted">none loaded</span>
  );
  const q = t.queue;
  return (
    <section className="card target-panel" data-testid="target-panel" data-target={describeTarget(t)}>
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
      <Facts
        testId="target-facts"
        items={[
          ['Served version', served],
          ['Batching', t.batching === undefined ? '—' : t.batching === 'dynamic' ? 'dynamic' : 'none (one request at a time)', 'target-batching'],
          ['Memory', formatBytes(t.memoryBytes)],
          ['In flight', formatCounter(t.inFlight), 'target-in-flight'],
          ['Loaded', formatTime(t.loadedAt)],
        ]}
      />
      {q ? (
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
      ) : (
        <p className="muted small">{t.state === 'loading' ? 'Loading: the queue opens once a version is loaded and warmed up.' : 'No version loaded, so no queue.'}</p>
      )}
    </section>
  );
}
