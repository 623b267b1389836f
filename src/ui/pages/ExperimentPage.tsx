import { useState } from 'react';
import type { Run } from '../../sdk/types.js';
import { client } from '../client.js';
import { Breadcrumbs } from '../components/Breadcrumbs.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { FilterBar } from '../components/FilterBar.js';
import { Pager } from '../components/Pager.js';
import { RunsTable } from '../components/RunsTable.js';
import { Spinner } from '../components/Spinner.js';
import { useAsync } from '../hooks/useAsync.js';
import { RUNS_PAGE_SIZE, useRunsSearch } from '../hooks/useRunsSearch.js';
import { navigate, withQuery } from '../navigation.js';
import { formatSort, nextSort, orderByClause, parseSort, runLabel } from '../run-columns.js';

/**
 * `/experiments/:id`: the experiment's runs, 100 per page. Filtering, ordering and paging all happen on the server,
 * so an experiment with 10,000 runs costs the browser one page. Filter and order live in the URL.
 */
export function ExperimentPage({ experimentId, search }: { experimentId: string; search: string }) {
  const params = new URLSearchParams(search);
  const filter = params.get('filter') ?? '';
  const sort = parseSort(params.get('sort'));
  const experiment = useAsync(() => client.getExperiment(experimentId), [experimentId]);
  const runs = useRunsSearch(experimentId, filter, sort ? orderByClause(sort) : undefined);
  const [selected, setSelected] = useState<ReadonlyMap<string, string>>(new Map());

  const path = `/experiments/${encodeURIComponent(experimentId)}`;
  const setQuery = (next: { filter?: string; sort?: string | undefined }) =>
    navigate(withQuery(path, { filter: next.filter ?? filter, sort: 'sort' in next ? next.sort : formatSort(sort) }));

  const toggle = (run: Run, checked: boolean) =>
    setSelected((prev) => {
      const next = new Map(prev);
      if (checked) next.set(run.info.run_id, runLabel(run));
      else next.delete(run.info.run_id);
      return next;
    });
  const toggleAll = (page: readonly Run[], checked: boolean) =>
    setSelected((prev) => {
      const next = new Map(prev);
      for (const r of page) {
        if (checked) next.set(r.info.run_id, runLabel(r));
        else next.delete(r.info.run_id);
      }
      return next;
    });

  const name = experiment.data?.name ?? (experiment.error ? experimentId : '…');
  const first = runs.page * RUNS_PAGE_SIZE + 1;
  return (
    <div className="page">
      <Breadcrumbs items={[{ label: 'Experiments', to: '/' }, { label: name }]} />
      <div className="page-head">
        <h1 data-testid="experiment-name">{name}</h1>
        {experiment.data && (
          <div className="page-meta">
            <span>
              ID <span className="mono">{experiment.data.experiment_id}</span>
            </span>
            <span className="mono muted" title="Artifact location">
              {experiment.data.artifact_location}
            </span>
          </div>
        )}
      </div>
      {experiment.error !== undefined && <ErrorMessage error={experiment.error} />}

      <div className="toolbar">
        <FilterBar
          value={filter}
          placeholder="Filter runs, e.g. metrics.loss < 0.5 and params.lr = '0.01'"
          onApply={(f) => setQuery({ filter: f })}
        />
        <div className="toolbar-right">
          {selected.size > 0 && (
            <button type="button" className="button button-quiet" onClick={() => setSelected(new Map())}>
              Clear selection
            </button>
          )}
          <button
            type="button"
            className="button button-primary"
            data-testid="compare-button"
            disabled={selected.size < 2}
            title={selected.size < 2 ? 'Select two or more runs' : undefined}
            onClick={() => navigate(withQuery('/compare', { runs: [...selected.keys()].join(',') }))}
          >
            Compare{selected.size > 0 ? ` (${selected.size})` : ''}
          </button>
        </div>
      </div>

      {runs.error !== undefined && <ErrorMessage error={runs.error} testId="filter-error" onRetry={runs.reload} />}

      <div className="table-wrap">
        {runs.loading && (
          <div className="table-spinner" data-testid="runs-loading">
            <Spinner />
          </div>
        )}
        {runs.items.length === 0 && !runs.loading ? (
          runs.error === undefined && (
            <p className="empty" data-testid="runs-empty">
              {filter ? 'No run matches this filter.' : 'No runs in this experiment yet.'}
            </p>
          )
        ) : (
          <RunsTable
            runs={runs.items}
            sort={sort}
            onSort={(column) => setQuery({ sort: formatSort(nextSort(sort, column)) })}
            selected={selected}
            onToggle={toggle}
            onToggleAll={toggleAll}
            busy={runs.loading}
          />
        )}
      </div>
      <Pager
        page={runs.page}
        hasPrev={runs.hasPrev}
        hasNext={runs.hasNext}
        onPrev={runs.prev}
        onNext={runs.next}
        summary={runs.items.length > 0 ? `runs ${first.toLocaleString('en-US')}–${(first + runs.items.length - 1).toLocaleString('en-US')}` : ''}
      />
    </div>
  );
}
