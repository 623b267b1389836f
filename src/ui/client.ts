import { PitwallClient } from '../sdk/client.js';
import { PitwallApiError, PitwallNetworkError } from '../sdk/errors.js';
import { Transport } from '../sdk/transport.js';
import { MonitorsClient } from './monitors-client.js';
import { ReviewsClient } from './reviews-client.js';

/**
 * The one SDK client of the web app, talking to the server that served the page.
 * Imported from the SDK's browser-safe modules (`client`, `errors`, `types`) rather than its `index.ts`, which also
 * re-exports Node-only helpers (git info, system metrics) that have no place in the browser bundle.
 */
export const client = new PitwallClient({ baseUrl: window.location.origin });

const transport = new Transport({ baseUrl: window.location.origin, fetchImpl: globalThis.fetch.bind(globalThis), timeoutMs: 30_000, headers: {} });

/** Drift monitors, over the SDK's transport to the same server (the SDK has no monitors part yet). */
export const monitors = new MonitorsClient(transport);

/** The review queue of LLM answers, over the same transport (the SDK has no reviews part either). */
export const reviews = new ReviewsClient(transport);

/** The message to show a user for a failed request: the server's own message for API errors. */
export function errorMessage(e: unknown): string {
  if (e instanceof PitwallApiError) return e.message;
  if (e instanceof PitwallNetworkError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

/** The MLflow error code of a failed request, when the server sent one. */
export function errorCode(e: unknown): string | undefined {
  return e instanceof PitwallApiError ? e.errorCode : undefined;
}
