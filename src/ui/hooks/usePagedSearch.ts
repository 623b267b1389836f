import { useState } from 'react';
import { usePolling } from './usePolling.js';

export interface PagedSearch<T> {
  readonly items: readonly T[];
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
 * One server page of a search that pages with opaque tokens. The tokens of the pages visited so far form a stack, so
 * "previous" needs no offset arithmetic. A new `queryKey` (filter, order, …) starts again from the first page.
 * While a request is in flight the previous items stay available (callers dim them) so the page does not jump.
 * With `refreshMs` the page shown is fetched again in the background that often (see `usePolling`).
 */
export function usePagedSearch<T>(
  queryKey: string,
  fetchPage: (pageToken: string | undefined) => Promise<{ items: T[]; nextPageToken: string | undefined }>,
  refreshMs?: number,
): PagedSearch<T> {
  const [paging, setPaging] = useState<{ query: string; tokens: (string | undefined)[] }>({ query: queryKey, tokens: [undefined] });
  const tokens = paging.query === queryKey ? paging.tokens : [undefined];
  const token = tokens[tokens.length - 1];
  const result = usePolling(() => fetchPage(token), [queryKey, token], refreshMs);
  const nextToken = result.data?.nextPageToken;
  return {
    // A failed search (a bad filter) shows no rows; a failed background refresh keeps the rows it had.
    items: result.error !== undefined && refreshMs === undefined ? [] : (result.data?.items ?? []),
    loading: result.loading,
    error: result.error,
    page: tokens.length - 1,
    hasPrev: tokens.length > 1 && !result.loading,
    hasNext: nextToken !== undefined && !result.loading && !result.error,
    next: () => {
      if (nextToken !== undefined) setPaging({ query: queryKey, tokens: [...tokens, nextToken] });
    },
    prev: () => {
      if (tokens.length > 1) setPaging({ query: queryKey, tokens: tokens.slice(0, -1) });
    },
    reload: result.reload,
  };
}
