import type { RegisteredModel } from '../../sdk/registry-types.js';
import { client } from '../client.js';
import { AliasChips } from '../components/AliasChips.js';
import { Breadcrumbs } from '../components/Breadcrumbs.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { FilterBar } from '../components/FilterBar.js';
import { Link } from '../components/Link.js';
import { Pager } from '../components/Pager.js';
import { Spinner } from '../components/Spinner.js';
import { formatTime } from '../format.js';
import { usePagedSearch } from '../hooks/usePagedSearch.js';
import { modelPath, modelsFilter, versionPath } from '../model-format.js';
import { navigate, withQuery } from '../navigation.js';

const PAGE_SIZE = 50;
const REGISTER = 'pitwall models register ./model.onnx --name titanic';

/** `/models`: registered models, filtered (plain words search names) and paged by the server. */
export function ModelsPage({ search }: { search: string }) {
  const typed = new URLSearchParams(search).get('filter') ?? '';
  const filter = modelsFilter(typed);
  const result = usePagedSearch<RegisteredModel>(filter, async (pageToken) => {
    const res = await client.registry.searchModels({
      maxResults: PAGE_SIZE,
      orderBy: ['name ASC'],
      ...(filter ? { filter } : {}),
      ...(pageToken !== undefined ? { pageToken } : {}),
    });
    return { items: res.models, nextPageToken: res.nextPageToken };
  });
  const first = result.page * PAGE_SIZE + 1;
  const summary = result.items.length > 0 ? `models ${first}–${first + result.items.length - 1}` : '';

  return (
    <div className="page">
      <Breadcrumbs items={[{ label: 'Models' }]} />
      <div className="page-head">
        <h1>Registered models</h1>
      </div>
      <div className="toolbar">
        <FilterBar
          value={typed}
          placeholder="Filter models: a name, or e.g. name LIKE 'titanic%' · tags.team = 'risk'"
          testId="models-filter"
          onApply={(f) => navigate(withQuery('/models', { filter: f }))}
        />
        {result.loading ? (
          <Spinner inline label={result.page > 0 || typed ? 'Searching…' : 'Loading models…'} />
        ) : (
          result.error === undefined && (
            <span className="muted" data-testid="models-count">
              {result.items.length === 0 ? '' : result.hasNext || result.page > 0 ? summary : `${result.items.length} model${result.items.length === 1 ? '' : 's'}`}
            </span>
          )
        )}
      </div>
      {result.error !== undefined && <ErrorMessage error={result.error} testId="filter-error" onRetry={result.reload} />}
      {result.items.length === 0 && !result.loading && result.error === undefined ? (
        typed ? (
          <p className="empty" data-testid="models-empty">
            No model matches <span className="mono">{filter}</span>.
          </p>
        ) : (
          <div className="empty" data-testid="models-empty">
            <p>No registered models yet. Register an ONNX or GGUF file from the command line:</p>
            <pre className="command">{REGISTER}</pre>
            <p>or from Python with MLflow: <span className="mono">mlflow.register_model("runs:/&lt;run_id&gt;/model", "titanic")</span>.</p>
          </div>
        )
      ) : (
        <div className={result.loading ? 'table-scroll busy' : 'table-scroll'}>
          <table className="table" data-testid="models-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Latest versions</th>
                <th>Aliases</th>
                <th>Description</th>
                <th>Last updated</th>
              </tr>
            </thead>
            <tbody>
              {result.items.map((m) => (
                <tr key={m.name} data-testid="model-row">
                  <td className="run-name">
                    <Link to={modelPath(m.name)} data-testid="model-link">
                      {m.name}
                    </Link>
                  </td>
                  <td>
                    {m.latestVersions.length === 0 ? (
                      <span className="muted">—</span>
                    ) : (
                      <span className="chips">
                        {[...m.latestVersions]
                          .sort((a, b) => Number(b.version) - Number(a.version))
                          .map((v) => (
                            <Link key={v.version} to={versionPath(m.name, v.version)} className="chip chip-plain" title={`stage ${v.currentStage}`}>
                              v{v.version}
                              {v.currentStage !== 'None' && <span className="chip-version"> · {v.currentStage}</span>}
                            </Link>
                          ))}
                      </span>
                    )}
                  </td>
                  <td>
                    <AliasChips model={m.name} aliases={m.aliases} protectedAliases={m.protectedAliases} />
                  </td>
                  <td className="description-cell" title={m.description}>
                    {m.description || <span className="muted">—</span>}
                  </td>
                  <td className="nowrap">{formatTime(m.lastUpdatedTimestamp)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(result.hasNext || result.page > 0) && (
        <Pager page={result.page} hasPrev={result.hasPrev} hasNext={result.hasNext} onPrev={result.prev} onNext={result.next} summary={summary} />
      )}
    </div>
  );
}
