import type { Run } from '../../sdk/types.js';
import { client } from '../client.js';
import { usePagedSearch, type PagedSearch } from './usePagedSearch.js';

export const RUNS_PAGE_SIZE = 100;

/** One page (100 runs) of an experiment's runs, filtered, ordered and paged by the server. */
export function useRunsSearch(experimentId: string, filter: string, orderBy: string | undefined): PagedSearch<Run> {
  return usePagedSearch(JSON.stringify([experimentId, filter, orderBy]), async (pageToken) => {
    const res = await client.searchRuns({
      experimentIds: [experimentId],
      maxResults: RUNS_PAGE_SIZE,
      ...(filter ? { filter } : {}),
      ...(orderBy ? { orderBy: [orderBy] } : {}),
      ...(pageToken !== undefined ? { pageToken } : {}),
    });
    return { items: res.runs, nextPageToken: res.next_page_token };
  });
}
