import { monitors } from '../client.js';
import type { Monitor, MonitorRun } from '../monitors-client.js';
import { mapLimit } from './useDeployments.js';
import { type PollingState, usePolling } from './usePolling.js';

/** Monitor lists and pages re-read their data this long after each answer while open. */
export const MONITORS_REFRESH_MS = 10_000;

export interface MonitorRow {
  readonly monitor: Monitor;
  /** Its newest check, undefined before the first (or when it could not be read: `lastError`). */
  readonly last: MonitorRun | undefined;
  readonly lastError: unknown;
}

/** Every monitor (of `deployment` when given), each with its newest check (8 requests at a time). */
export async function loadMonitorRows(deployment?: string): Promise<MonitorRow[]> {
  const list = await monitors.list(deployment);
  return mapLimit(list, 8, (monitor) =>
    monitors.runs(monitor.name, { maxResults: 1 }).then(
      (runs): MonitorRow => ({ monitor, last: runs[0], lastError: undefined }),
      (lastError: unknown): MonitorRow => ({ monitor, last: undefined, lastError }),
    ),
  );
}

/** The monitors with their newest checks, refreshed every 10 s while shown. */
export function useMonitors(deployment?: string): PollingState<MonitorRow[]> {
  return usePolling(() => loadMonitorRows(deployment), [deployment], MONITORS_REFRESH_MS);
}
