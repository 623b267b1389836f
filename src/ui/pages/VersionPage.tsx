import type { ModelVersion } from '../../sdk/registry-types.js';
import { client } from '../client.js';
import { AliasChips } from '../components/AliasChips.js';
import { ApprovalsTable } from '../components/ApprovalsTable.js';
import { Breadcrumbs } from '../components/Breadcrumbs.js';
import { DecisionBadge } from '../components/DecisionBadge.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { KeyValueTable } from '../components/KeyValueTable.js';
import { LineageGraph } from '../components/LineageGraph.js';
import { Link } from '../components/Link.js';
import { ManifestSection } from '../components/ManifestSection.js';
import { ModelCardSection } from '../components/ModelCardSection.js';
import { Spinner } from '../components/Spinner.js';
import { formatTime } from '../format.js';
import { useAsync } from '../hooks/useAsync.js';
import { modelPath, runPath } from '../model-format.js';

/** `/models/:name/versions/:version`: where the version came from, what its files are, its card, reviews and lineage. */
export function VersionPage({ name, version }: { name: string; version: string }) {
  const v = useAsync(() => client.registry.getVersion(name, version), [name, version]);
  const model = useAsync(() => client.registry.getModel(name), [name]);
  const approvals = useAsync(() => client.registry.listApprovals(name, version), [name, version]);
  const lineage = useAsync(() => client.registry.lineage({ model: `${name}/${version}` }), [name, version]);
  const crumbs = [{ label: 'Models', to: '/models' }, { label: name, to: modelPath(name) }, { label: `Version ${version}` }];

  if (v.error !== undefined && !v.data) {
    return (
      <div className="page">
        <Breadcrumbs items={crumbs} />
        <ErrorMessage error={v.error} onRetry={v.reload} />
      </div>
    );
  }
  if (!v.data) {
    return (
      <div className="page">
        <Breadcrumbs items={crumbs} />
        <Spinner label="Loading version…" />
      </div>
    );
  }
  const mv = v.data;
  const protectedAliases = model.data?.protectedAliases ?? [];
  return (
    <div className="page">
      <Breadcrumbs items={crumbs} />
      <div className="page-head">
        <h1 data-testid="version-title">
          {mv.name} <span className="muted">v{mv.version}</span>
        </h1>
        <AliasChips model={mv.name} aliases={mv.aliases.map((alias) => ({ alias, version: mv.version }))} protectedAliases={protectedAliases} withVersion={false} />
        {approvals.data && <DecisionBadge approval={approvals.data[0]} />}
      </div>
      <VersionInfo v={mv} />

      <section className="card">
        <div className="card-head">
          <h2>Lineage</h2>
          {lineage.loading && <Spinner inline />}
        </div>
        {lineage.error !== undefined && <ErrorMessage error={lineage.error} testId="lineage-error" onRetry={lineage.reload} />}
        {lineage.data && <LineageGraph graph={lineage.data} />}
      </section>

      <ManifestSection manifest={mv.manifest} />
      <div className="two-col">
        <ModelCardSection card={mv.card} />
        <section className="card" data-testid="approvals">
          <div className="card-head">
            <h2>Approvals</h2>
            {approvals.loading && <Spinner inline />}
          </div>
          {protectedAliases.length > 0 && (
            <p className="muted small">
              Protected aliases ({protectedAliases.map((a) => `@${a}`).join(', ')}) may only point at a version whose latest review is an
              approval.
            </p>
          )}
          {approvals.error !== undefined && <ErrorMessage error={approvals.error} testId="approvals-error" onRetry={approvals.reload} />}
          {approvals.data && <ApprovalsTable approvals={approvals.data} name={mv.name} version={mv.version} />}
        </section>
      </div>
      <section className="card">
        <h2>Tags</h2>
        <KeyValueTable rows={mv.tags} testId="version-tags" empty="No tags." />
      </section>
    </div>
  );
}

function VersionInfo({ v }: { v: ModelVersion }) {
  return (
    <section className="card">
      {v.description && <p className="prose">{v.description}</p>}
      <dl className="info-grid" data-testid="version-info">
        <dt>Source</dt>
        <dd className="mono break" data-testid="version-source">
          {v.source}
        </dd>
        <dt>Run</dt>
        <dd>
          {v.runId ? (
            <Link to={runPath(v.runId)} className="mono" data-testid="version-run">
              {v.runId}
            </Link>
          ) : (
            '—'
          )}
        </dd>
        <dt>Storage location</dt>
        <dd className="mono break" data-testid="storage-location">
          {v.storageLocation || '—'}
        </dd>
        <dt>Logged model</dt>
        <dd className="mono">{v.modelId || '—'}</dd>
        <dt>Stage</dt>
        <dd>{v.currentStage}</dd>
        <dt>Status</dt>
        <dd>
          {v.status}
          {v.statusMessage && <span className="muted"> — {v.statusMessage}</span>}
        </dd>
        <dt>Created</dt>
        <dd>
          {formatTime(v.creationTimestamp)}
          {v.userId && <span className="muted"> by {v.userId}</span>}
        </dd>
        <dt>Updated</dt>
        <dd>{formatTime(v.lastUpdatedTimestamp)}</dd>
      </dl>
    </section>
  );
}
