import type { Deployment, DeploymentStatus } from '../../sdk/deployments-client.js';
import { client } from '../client.js';
import { usePagedSearch, type PagedSearch } from './usePagedSearch.js';

export const DEPLOYMENTS_PAGE = 50;
/** The list re-reads its page and every status on it this often (one request per deployment, 8 at a time). */
export const LIST_REFRESH_MS = 5000;

export interface DeploymentRow {
  readonly deployment: Deployment;
  /** This server's view; undefined when it could not be read (`statusError` says why). */
  readonly status: DeploymentStatus | undefined;
  readonly statusError: unknown;
}

/** `fn` over `items`, at most `limit` at a time, answers in order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** One page of deployments by name, each with its status, refreshed in the background while the list is open. */
export function useDeployments(): PagedSearch<DeploymentRow> {
  return usePagedSearch<DeploymentRow>(
    'deployments',
    async (pageToken) => {
      const page = await client.deployments.list({ maxResults: DEPLOYMENTS_PAGE, ...(pageToken !== undefined ? { pageToken } : {}) });
      const items = await mapLimit(page.deployments, 8, (deployment) =>
        client.deployments.status(deployment.name).then(
          (status): DeploymentRow => ({ deployment, status, statusError: undefined }),
          (statusError: unknown): DeploymentRow => ({ deployment, status: undefined, statusError }),
        ),
      );
      return { items, nextPageToken: page.nextPageToken };
    },
    LIST_REFRESH_MS,
  );
}
