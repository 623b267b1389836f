import { type Deployment, type DeploymentConfig, type DeploymentStatus, describeTarget } from '../../sdk/deployments-client.js';
import { client } from '../client.js';
import { Breadcrumbs } from '../components/Breadcrumbs.js';
import { Endpoints } from '../components/deployments/Endpoints.js';
import { MonitoringSection } from '../components/deployments/MonitoringSection.js';
import { TargetPanel } from '../components/deployments/TargetPanel.js';
import { TrafficSplit } from '../components/deployments/TrafficSplit.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { MonitorsSection } from '../components/monitors/MonitorsSection.js';
import { Spinner } from '../components/Spinner.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { deploymentState, formatCounter, formatMs, isLlmDeployment, splitSegments } from '../deployment-format.js';
import { formatTime } from '../format.js';
import { usePolling } from '../hooks/usePolling.js';

/** The status (and the record, whose revision moves on edits) is read again this long after each answer. */
export const STATUS_REFRESH_MS = 2000;

async function loadDeployment(name: string): Promise<{ deployment: Deployment; status: DeploymentStatus }> {
  const [deployment, status] = await Promise.all([client.deployments.get(name), client.deployments.status(name)]);
  return { deployment, status };
}

/** The config fields that matter for what the deployment serves: batching and onnxruntime threads, or an LLM's slots. */
function configFacts(c: DeploymentConfig, llm: boolean, upstreamOnly: boolean): [label: string, value: string, testId: string][] {
  // Upstream servers have their own slots and queue (set in the server's configuration): only the deadline applies.
  if (upstreamOnly) return [['Timeout', formatMs(c.timeoutMs), 'config-timeout']];
  if (llm) {
    return [
      ['Parallel sequences', String(c.parallel), 'config-parallel'],
      ['Context size', c.contextSize === 0 ? "model's (≤ 4,096 tokens)" : `${formatCounter(c.contextSize)} tokens`, 'config-context-size'],
      ['Threads', c.threads === 0 ? 'half the cores' : String(c.threads), 'config-threads'],
      ['KV cache budget', `${formatCounter(c.kvCacheMb)} MiB`, 'config-kv-cache'],
      ['Queue capacity', String(c.maxQueue), 'config-max-queue'],
      ['Timeout', formatMs(c.timeoutMs), 'config-timeout'],
    ];
  }
  return [
    ['Max batch size', c.maxBatchSize === 1 ? '1 (no batching)' : String(c.maxBatchSize), 'config-max-batch-size'],
    ['Max queue delay', formatMs(c.maxQueueDelayMs), 'config-max-queue-delay'],
    ['Queue capacity', String(c.maxQueue), 'config-max-queue'],
    ['Timeout', formatMs(c.timeoutMs), 'config-timeout'],
    ['Threads (intra / inter-op)', `${c.intraOpThreads} / ${c.interOpThreads}`, 'config-threads'],
  ];
}

/**
 * `/deployments/:name`: a deployment's config, traffic split and endpoints, and per target the version this server
 * serves, its state and last error, memory and queue counters (an LLM: slots, tokens, latencies); refreshed every 2 s
 * while the page is open. Below them its monitoring: stats per version over time and the latest predictions (every 5 s),
 * and its drift monitors (every 10 s).
 */
export function DeploymentPage({ name }: { name: string }) {
  const live = usePolling(() => loadDeployment(name), [name], STATUS_REFRESH_MS);
  const crumbs = [{ label: 'Deployments', to: '/deployments' }, { label: name }];

  if (live.error !== undefined && !live.data) {
    return (
      <div className="page">
        <Breadcrumbs items={crumbs} />
        <ErrorMessage error={live.error} onRetry={live.reload} />
      </div>
    );
  }
  if (!live.data) {
    return (
      <div className="page">
        <Breadcrumbs items={crumbs} />
        <Spinner label="Loading deployment…" />
      </div>
    );
  }
  const { deployment: d, status: s } = live.data;
  const shares = splitSegments(s.targets.map((t) => t.weight));
  // Known once a target has loaded (or names an upstream): until then the tensor config is shown.
  const llm = isLlmDeployment(s);
  return (
    <div className="page">
      <Breadcrumbs items={crumbs} />
      <div className="page-head">
        <h1 data-testid="deployment-name">{d.name}</h1>
        <StatusBadge status={deploymentState(s)} testId="deployment-state" />
        <div className="page-meta">
          <span data-testid="deployment-revision">
            Revision {d.revision}
            {s.revision !== d.revision && ` (this server serves revision ${s.revision} until the new one is loaded)`}
          </span>
          <span>Created {formatTime(d.createdAt)}</span>
          <span>Updated {formatTime(d.updatedAt)}</span>
          <span title={`Refreshed every ${STATUS_REFRESH_MS / 1000} s while this page is open`} data-testid="refreshed-at">
            Live · {formatTime(live.updatedAt)}
          </span>
        </div>
      </div>
      {live.error !== undefined && (
        <ErrorMessage error={live.error} testId="refresh-error" onRetry={live.reload} />
      )}
      {s.draining && (
        <div className="error" role="alert" data-testid="draining">
          <span className="error-message">This server is shutting down: it answers new requests with 503 while those in flight finish.</span>
        </div>
      )}
      <div className="two-col">
        <section className="card" data-testid="deployment-info">
          <h2>Description</h2>
          {d.description ? <p className="prose">{d.description}</p> : <p className="muted">No description.</p>}
          <h2 className="subhead">Config</h2>
          <dl className="facts" data-testid="deployment-config" data-kind={llm ? 'llm' : 'tensor'}>
            {configFacts(d.config, llm, d.targets.every((t) => t.upstream !== undefined)).map(([k, v, id]) => (
              <div key={k} className="fact">
                <dt>{k}</dt>
                <dd data-testid={id}>{v}</dd>
              </div>
            ))}
          </dl>
        </section>
        <section className="card">
          <h2>Endpoints</h2>
          <Endpoints origin={window.location.origin} name={d.name} llm={llm} />
        </section>
      </div>
      <section className="card">
        <div className="card-head">
          <h2>Traffic split</h2>
          <span className="muted small">by weight, {s.targets.length === 1 ? 'one target' : `${s.targets.length} targets`}</span>
        </div>
        <TrafficSplit targets={s.targets} />
      </section>
      <div className="card-head section-title">
        <h2>Targets</h2>
        <span className="muted small">as this server serves them (each replica loads its own copy)</span>
      </div>
      {s.targets.map((t, i) => (
        <TargetPanel key={`${describeTarget(t)}/${i}`} target={t} index={i} share={shares[i]!.label} />
      ))}
      <MonitoringSection name={d.name} llm={llm} logSampleRate={d.config.logSampleRate} />
      <MonitorsSection deployment={d.name} />
    </div>
  );
}
