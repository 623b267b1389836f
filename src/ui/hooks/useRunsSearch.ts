import { useState } from 'react';
import type { Run } from '../../sdk/types.js';
import { client } from '../client.js';
import { useAsync } from './useAsync.js';

export const RUNS_PAGE_SIZE = 100;

export interface RunsSearch {
  readonly runs: readonly Run[];
  readonly loading: boolean;
  readonly error: unknown;
  /** Zero-based index of the page shown. */
  readonly page: number;
  readonly hasPrev: boolean;
  readonly hasNext: boolean;
  readonly next: () => void;
  readonly prev: () => void;
  readonly reload: () => void;
}

/**
 * One page of an experiment's runs, filtered and ordered by the server. Paging walks the server's page tokens: the
 * tokens of the pages visited so far form a stack, so "previous" needs no offset arithmetic. A new query (filter,
 * order) starts again from the first page.
 */
export function useRunsSearch(experimentId: string, filter: string, orderBy: string | undefined): RunsSearch {
  const query = JSON.stringify([experimentId, filter, orderBy]);
  const [paging, setPaging] = useState<{ query: string; tokens: (string | undefined)[] }>({ query, tokens: [undefined] });
  const tokens = paging.query === query ? paging.tokens : [undefined];
  const token = tokens[tokens.length - 1];

  const result = useAsync(
    () =>
      client.searchRuns({
        experimentIds: [experimentId],
        maxResults: RUNS_PAGE_SIZE,
        ...(filter ? { filter } : {}),
        ...(orderBy ? { orderBy: [orderBy] } : {}),
        ...(token !== undefined ? { pageToken: token } : {}),
      }),
    [query, token],
  );

  // While a request is in flight the previous rows stay on screen (the table dims them) so the page does not jump;
  // paging controls are disabled until the answer arrives.
  const nextToken = result.data?.next_page_token;
  return {
    runs: result.error ? [] : (result.data?.runs ?? []),
    loading: result.loading,
    error: result.error,
    page: tokens.length - 1,
    hasPrev: tokens.length > 1 && !result.loading,
    hasNext: nextToken !== undefined && !result.loading && !result.error,
    next: () => {
      if (nextToken !== undefined) setPaging({ query, tokens: [...tokens, nextToken] });
    },
    prev: () => {
      if (tokens.length > 1) setPaging({ query, tokens: tokens.slice(0, -1) });
    },
    reload: result.reload,
  };
}
