import { deploymentPath } from '../../deployment-format.js';
import { formatTime } from '../../format.js';
import { formatMinutes, optionsJson, referenceText, scheduleText, webhookOrigin } from '../../monitor-format.js';
import type { Monitor } from '../../monitors-client.js';
import { withQuery } from '../../navigation.js';
import { type Fact, Facts } from '../deployments/Facts.js';
import { Link } from '../Link.js';

const OPTIONS_NOTE = {
  data: 'of the drift report: columns, tests, thresholds, correction, drift share…',
  performance: 'of the performance check: metric, chunk size, positive label, estimates…',
  llm_quality: 'of the quality check: judge, review sample, pass score, thresholds, confidence…',
} as const;

/** The reference, linking to the run's artifact or the deployment when it is one. */
function Reference({ m }: { m: Monitor }) {
  const r = m.reference;
  if (r?.type === 'run_artifact') {
    return (
      <Link to={withQuery(`/runs/${encodeURIComponent(r.runId)}`, { artifact: r.path })} data-testid="monitor-reference">
        {referenceText(r)}
      </Link>
    );
  }
  return (
    <span className={r ? undefined : 'warn'} data-testid="monitor-reference">
      {referenceText(r)}
    </span>
  );
}

/**
 * What a monitor is told to do: deployment, schedule and timezone, window, reference, webhooks (by origin only: a
 * Slack webhook's path is its secret) and its type's settings as JSON (drift options, performance or quality settings).
 */
export function MonitorSettings({ m }: { m: Monitor }) {
  const facts: Fact[] = [
    m.current
      ? ['Data', <span>{m.current.path} of the newest run of <Link to={`/experiments/${encodeURIComponent(m.current.experimentId)}`}>experiment {m.current.experimentId}</Link></span>, 'monitor-current']
      : ['Deployment', <Link to={deploymentPath(m.deployment)}>{m.deployment}</Link>, 'monitor-deployment'],
    ['Schedule', scheduleText(m), 'monitor-schedule'],
    ['Window', `last ${formatMinutes(m.windowMinutes)}, at most ${m.maxRows.toLocaleString('en-US')} rows`, 'monitor-window'],
    ['Type', m.type, 'monitor-type'],
    ['Created', formatTime(m.createdAt)],
    ['Updated', formatTime(m.updatedAt)],
  ];
  return (
    <div className="two-col">
      <section className="card" data-testid="monitor-settings">
        <h2>Settings</h2>
        {m.description && <p className="prose">{m.description}</p>}
        <Facts items={facts} testId="monitor-facts" />
        <h3 className="subhead">Reference</h3>
        <p className="prose">
          {m.type === 'llm_quality' ? (
            <span className="muted" data-testid="monitor-reference">
              none needed: answers are graded by users, the judge and people
            </span>
          ) : (
            <Reference m={m} />
          )}
        </p>
        <h3 className="subhead">Webhooks</h3>
        {m.webhooks.length === 0 ? (
          <p className="muted small">None: drift is only shown here.</p>
        ) : (
          <ul className="webhooks" data-testid="monitor-webhooks">
            {m.webhooks.map((h, i) => (
              <li key={i} data-testid="monitor-webhook">
                <span className="mono">{webhookOrigin(h.url)}/…</span> <span className="chip chip-plain">{h.format}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card">
        <h2>Options</h2>
        <p className="muted small">{OPTIONS_NOTE[m.type]}</p>
        <pre className="code-block" data-testid="monitor-options">
          {optionsJson((m.type === 'llm_quality' ? m.quality : m.type === 'performance' ? m.performance : m.options) ?? {})}
        </pre>
      </section>
    </div>
  );
}
