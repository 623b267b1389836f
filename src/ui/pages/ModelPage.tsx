import type { Approval, ModelVersion, RegisteredModel } from '../../sdk/registry-types.js';
import { client } from '../client.js';
import { AliasChips } from '../components/AliasChips.js';
import { Breadcrumbs } from '../components/Breadcrumbs.js';
import { DecisionBadge } from '../components/DecisionBadge.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { KeyValueTable } from '../components/KeyValueTable.js';
import { Link } from '../components/Link.js';
import { Pager } from '../components/Pager.js';
import { Spinner } from '../components/Spinner.js';
import { formatTime } from '../format.js';
import { useAsync } from '../hooks/useAsync.js';
import { usePagedSearch } from '../hooks/usePagedSearch.js';
import { filterString, latestDecisions, runPath, versionPath } from '../model-format.js';

const VERSIONS_PAGE = 100;

/** `/models/:name`: a registered model's versions (newest first), aliases and their protection, description, tags. */
export function ModelPage({ name }: { name: string }) {
  const model = useAsync(() => client.registry.getModel(name), [name]);
  const approvals = useAsync(() => client.registry.listApprovals(name), [name]);
  const versions = usePagedSearch<ModelVersion>(name, async (pageToken) => {
    const res = await client.registry.searchVersions({
      filter: `name = ${filterString(name)}`,
      orderBy: ['version_number DESC'],
      maxResults: VERSIONS_PAGE,
      ...(pageToken !== undefined ? { pageToken } : {}),
    });
    return { items: res.versions, nextPageToken: res.nextPageToken };
  });
  const crumbs = [{ label: 'Models', to: '/models' }, { label: name }];

  if (model.error !== undefined && !model.data) {
    return (
      <div className="page">
        <Breadcrumbs items={crumbs} />
        <ErrorMessage error={model.error} onRetry={model.reload} />
      </div>
    );
  }
  if (!model.data) {
    return (
      <div className="page">
        <Breadcrumbs items={crumbs} />
        <Spinner label="Loading model…" />
      </div>
    );
  }
  const m = model.data;
  const decisions = latestDecisions(approvals.data ?? []);
  return (
    <div className="page">
      <Breadcrumbs items={crumbs} />
      <div className="page-head">
        <h1 data-testid="model-name">{m.name}</h1>
        <div className="page-meta">
          <span>Created {formatTime(m.creationTimestamp)}</span>
          <span>Updated {formatTime(m.lastUpdatedTimestamp)}</span>
        </div>
      </div>
      <div className="two-col">
        <section className="card">
          <h2>Description</h2>
          {m.description ? <p className="prose">{m.description}</p> : <p className="muted">No description.</p>}
          <h2 className="subhead">Tags</h2>
          <KeyValueTable rows={m.tags} testId="model-tags" empty="No tags." />
        </section>
        <AliasesPanel model={m} />
      </div>

      <section className="section">
        <div className="card-head">
          <h2>Versions</h2>
          {versions.loading && <Spinner inline label="Loading versions…" />}
        </div>
        {versions.error !== undefined && <ErrorMessage error={versions.error} onRetry={versions.reload} />}
        {approvals.error !== undefined && <ErrorMessage error={approvals.error} testId="approvals-error" onRetry={approvals.reload} />}
        {versions.items.length === 0 && !versions.loading && versions.error === undefined ? (
          <p className="empty">
            No versions yet. Register one with <span className="mono">pitwall models register ./model.onnx --name {m.name}</span>.
          </p>
        ) : (
          <VersionsTable model={m} versions={versions.items} decisions={decisions} busy={versions.loading} />
        )}
        {(versions.hasNext || versions.page > 0) && (
          <Pager page={versions.page} hasPrev={versions.hasPrev} hasNext={versions.hasNext} onPrev={versions.prev} onNext={versions.next} />
        )}
      </section>
    </div>
  );
}

function AliasesPanel({ model }: { model: RegisteredModel }) {
  const unset = model.protectedAliases.filter((p) => !model.aliases.some((a) => a.alias === p));
  return (
    <section className="card" data-testid="aliases-panel">
      <h2>Aliases</h2>
      {model.aliases.length === 0 ? (
        <p className="muted">No aliases. Point one at a version, e.g. <span className="mono">champion</span>, to deploy by name.</p>
      ) : (
        <table className="table kv-table" data-testid="aliases-table">
          <tbody>
            {model.aliases.map((a) => {
              const locked = model.protectedAliases.includes(a.alias);
              return (
                <tr key={a.alias} data-testid="alias-row">
                  <th scope="row">
                    <span className="mono">@{a.alias}</span>
                    {locked && <span className="tag-protected" title="Only an approved version may take this alias">protected</span>}
                  </th>
                  <td>
                    <Link to={versionPath(model.name, a.version)}>version {a.version}</Link>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {model.protectedAliases.length > 0 && (
        <p className="muted small" data-testid="protected-aliases">
          Protected (need an approved version): {model.protectedAliases.map((p) => `@${p}`).join(', ')}
          {unset.length > 0 && ` — not set yet: ${unset.map((p) => `@${p}`).join(', ')}`}
        </p>
      )}
    </section>
  );
}

function VersionsTable({
  model,
  versions,
  decisions,
  busy,
}: {
  model: RegisteredModel;
  versions: readonly ModelVersion[];
  decisions: ReadonlyMap<string, Approval>;
  busy: boolean;
}) {
  return (
    <div className={busy ? 'table-scroll busy' : 'table-scroll'}>
      <table className="table" data-testid="versions-table">
        <thead>
          <tr>
            <th>Version</th>
            <th>Stage</th>
            <th>Aliases</th>
            <th>Flavor</th>
            <th>Source</th>
            <th>Created</th>
            <th>Approval</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.version} data-testid="version-row" data-version={v.version}>
              <td className="run-name">
                <Link to={versionPath(model.name, v.version)} data-testid="version-link">
                  v{v.version}
                </Link>
                {v.status !== 'READY' && <span className="status status-failed" title={v.statusMessage}>{v.status.toLowerCase()}</span>}
              </td>
              <td>{v.currentStage}</td>
              <td>
                <AliasChips model={model.name} aliases={v.aliases.map((alias) => ({ alias, version: v.version }))} protectedAliases={model.protectedAliases} withVersion={false} />
              </td>
              <td>{v.manifest?.flavor ?? <span className="muted">—</span>}</td>
              <td className="source-cell">
                <span className="mono break">{v.source}</span>
                {v.runId && (
                  <>
                    {' '}
                    <Link to={runPath(v.runId)} className="small" data-testid="version-run-link">
                      run
                    </Link>
                  </>
                )}
              </td>
              <td className="nowrap">{formatTime(v.creationTimestamp)}</td>
              <td>
                <DecisionBadge approval={decisions.get(v.version)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
