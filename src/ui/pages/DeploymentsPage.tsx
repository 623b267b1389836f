import { describeTarget, type DeploymentTarget, type TargetStatus } from '../../sdk/deployments-client.js';
import { errorMessage } from '../client.js';
import { Breadcrumbs } from '../components/Breadcrumbs.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Link } from '../components/Link.js';
import { Pager } from '../components/Pager.js';
import { Spinner } from '../components/Spinner.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { deploymentPath, deploymentState, splitSegments, targetsWithErrors } from '../deployment-format.js';
import { formatTime } from '../format.js';
import { DEPLOYMENTS_PAGE, LIST_REFRESH_MS, useDeployments, type DeploymentRow } from '../hooks/useDeployments.js';
import { versionPath } from '../model-format.js';

const DEPLOY = 'pitwall deploy NAME models:/MODEL@ALIAS';
const EXAMPLE = 'pitwall deploy titanic models:/titanic@champion';

/** `/deployments`: every deployment by name, with this server's view of its state, refreshed in the background. */
export function DeploymentsPage() {
  const result = useDeployments();
  const first = result.page * DEPLOYMENTS_PAGE + 1;
  const summary = result.items.length > 0 ? `deployments ${first}–${first + result.items.length - 1}` : '';
  const count = result.hasNext || result.page > 0 ? summary : `${result.items.length} deployment${result.items.length === 1 ? '' : 's'}`;

  return (
    <div className="page">
      <Breadcrumbs items={[{ label: 'Deployments' }]} />
      <div className="page-head">
        <h1>Deployments</h1>
      </div>
      <div className="toolbar">
        {result.loading ? (
          <Spinner inline label="Loading deployments…" />
        ) : (
          result.items.length > 0 && (
            <span className="muted" data-testid="deployments-count">
              {count} · states refresh every {LIST_REFRESH_MS / 1000} s
            </span>
          )
        )}
      </div>
      {result.error !== undefined && <ErrorMessage error={result.error} onRetry={result.reload} />}
      {result.items.length === 0 && !result.loading && result.error === undefined ? (
        <div className="empty" data-testid="deployments-empty">
          <p>No deployments yet. Serve a registered ONNX or GGUF model from the command line:</p>
          <pre className="command">{DEPLOY}</pre>
          <p>
            for example <span className="mono">{EXAMPLE}</span>, or <span className="mono">POST /api/v1/deployments</span> with{' '}
            <span className="mono">{'{"name": "titanic", "model": "models:/titanic@champion"}'}</span>.
          </p>
        </div>
      ) : (
        result.items.length > 0 && (
          <div className={result.loading ? 'table-scroll busy' : 'table-scroll'}>
            <table className="table" data-testid="deployments-table">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>State</th>
                  <th>Targets</th>
                  <th className="num">Revision</th>
                  <th>Description</th>
                  <th>Last updated</th>
                </tr>
              </thead>
              <tbody>
                {result.items.map((row) => (
                  <DeploymentRowView key={row.deployment.name} row={row} />
                ))}
              </tbody>
            </table>
          </div>
        )
      )}
      {(result.hasNext || result.page > 0) && (
        <Pager page={result.page} hasPrev={result.hasPrev} hasNext={result.hasNext} onPrev={result.prev} onNext={result.next} summary={summary} />
      )}
    </div>
  );
}

function DeploymentRowView({ row }: { row: DeploymentRow }) {
  const { deployment: d, status: s } = row;
  const errors = s ? targetsWithErrors(s) : 0;
  const firstError = s?.targets.find((t) => t.error !== undefined)?.error;
  return (
    <tr data-testid="deployment-row" data-name={d.name}>
      <td className="run-name">
        <Link to={deploymentPath(d.name)} data-testid="deployment-link">
          {d.name}
        </Link>
      </td>
      <td className="nowrap">
        {s ? (
          <StatusBadge status={deploymentState(s)} testId="deployment-state" title={firstError} />
        ) : (
          <span className="muted" data-testid="deployment-state" title={errorMessage(row.statusError)}>
            unknown
          </span>
        )}
        {errors > 0 && (
          <span className="warn small" title={firstError} data-testid="deployment-errors">
            {' '}
            {errors} error{errors === 1 ? '' : 's'}
          </span>
        )}
      </td>
      <td>
        <TargetChips targets={s?.targets ?? d.targets} />
      </td>
      <td className="num" title={s && s.revision !== d.revision ? `This server still serves revision ${s.revision}` : undefined}>
        {d.revision}
        {s && s.revision < d.revision && <span className="muted small"> (applying)</span>}
      </td>
      <td className="description-cell" title={d.description}>
        {d.description || <span className="muted">—</span>}
      </td>
      <td className="nowrap">{formatTime(d.updatedAt)}</td>
    </tr>
  );
}

/** `titanic@champion → v3` or `titanic/2`, each version linking to its registry page; shares when traffic is split. */
function TargetChips({ targets }: { targets: readonly (DeploymentTarget | TargetStatus)[] }) {
  const shares = splitSegments(targets.map((t) => t.weight));
  return (
    <span className="chips" data-testid="deployment-targets">
      {targets.map((t, i) => {
        const served = 'servedVersion' in t ? t.servedVersion : undefined;
        const byAlias = t.alias !== undefined || t.version === undefined;
        return (
          // One inline box inside the (flex) chip, so that the spaces around `→` and `·` are kept.
          <span key={i} className="chip chip-plain" data-testid="deployment-target">
            <span>
              {byAlias ? describeTarget(t) : <Link to={versionPath(t.model, t.version!)} data-testid="deployment-served">{describeTarget(t)}</Link>}
              {byAlias && served !== undefined && (
                <>
                  {' → '}
                  <Link to={versionPath(t.model, served)} data-testid="deployment-served">
                    v{served}
                  </Link>
                </>
              )}
              {targets.length > 1 && <span className="chip-version"> · {shares[i]!.label}</span>}
            </span>
          </span>
        );
      })}
    </span>
  );
}
