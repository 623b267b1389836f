import type { Experiment } from '../../sdk/types.js';
import { client } from '../client.js';
import { Breadcrumbs } from '../components/Breadcrumbs.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { FilterBar } from '../components/FilterBar.js';
import { Link } from '../components/Link.js';
import { Pager } from '../components/Pager.js';
import { Spinner } from '../components/Spinner.js';
import { formatTime } from '../format.js';
import { usePagedSearch } from '../hooks/usePagedSearch.js';
import { navigate, withQuery } from '../navigation.js';

const PAGE_SIZE = 100;

/** `/`: every active experiment, filtered and paged by the server. */
export function ExperimentsPage({ search }: { search: string }) {
  const filter = new URLSearchParams(search).get('filter') ?? '';
  const result = usePagedSearch<Experiment>(filter, async (pageToken) => {
    const res = await client.searchExperiments({
      maxResults: PAGE_SIZE,
      ...(filter ? { filter } : {}),
      ...(pageToken !== undefined ? { pageToken } : {}),
    });
    return { items: res.experiments, nextPageToken: res.next_page_token };
  });

  return (
    <div className="page">
      <Breadcrumbs items={[{ label: 'Experiments' }]} />
      <div className="page-head">
        <h1>Experiments</h1>
      </div>
      <div className="toolbar">
        <FilterBar
          value={filter}
          placeholder="Filter experiments, e.g. name LIKE '%mnist%'"
          onApply={(f) => navigate(withQuery('/', { filter: f }))}
        />
        {result.loading && <Spinner inline />}
      </div>
      {result.error !== undefined && <ErrorMessage error={result.error} testId="filter-error" onRetry={result.reload} />}
      {result.items.length === 0 && !result.loading && result.error === undefined ? (
        <p className="empty">{filter ? 'No experiment matches this filter.' : 'No experiments yet. Log a run with the MLflow client to create one.'}</p>
      ) : (
        <div className={result.loading ? 'table-scroll busy' : 'table-scroll'}>
          <table className="table" data-testid="experiments-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>ID</th>
                <th>Created</th>
                <th>Last updated</th>
              </tr>
            </thead>
            <tbody>
              {result.items.map((e) => (
                <tr key={e.experiment_id} data-testid="experiment-row">
                  <td>
                    <Link to={`/experiments/${encodeURIComponent(e.experiment_id)}`} data-testid="experiment-link">
                      {e.name}
                    </Link>
                  </td>
                  <td className="mono">{e.experiment_id}</td>
                  <td className="nowrap">{formatTime(e.creation_time)}</td>
                  <td className="nowrap">{formatTime(e.last_update_time)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(result.hasNext || result.page > 0) && (
        <Pager page={result.page} hasPrev={result.hasPrev} hasNext={result.hasNext} onPrev={result.prev} onNext={result.next} />
      )}
    </div>
  );
}
