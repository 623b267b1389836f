import { describe } from 'node:test';
import type { Store } from '../store.js';
import { deploymentCases } from './deployments.js';
import { experimentSearchCases } from './experiments-search.js';
import { experimentCases } from './experiments.js';
import { loggedModelCases } from './logged-models.js';
import { metricCases } from './metrics.js';
import { monitorCases } from './monitors.js';
import { reviewCases } from './reviews.js';
import { predictionCases } from './predictions.js';
import { registryCases } from './registry.js';
import { runWriteCases } from './run-writes.js';
import { runCases } from './runs.js';
import { searchRunCases } from './search-runs.js';

export type { OpenStore } from './helpers.js';

/**
 * The store conformance suite: declares `node:test` suites that exercise the `Store` contract only (no SQL, no
 * dialect checks), so every dialect runs it unchanged. `open` must return a fresh, empty store (experiment 0 only)
 * on every call; each case opens its own and closes it when done.
 */
export function storeConformance(name: string, open: () => Promise<Store>): void {
  describe(`store conformance: ${name}`, () => {
    experimentCases(open);
    experimentSearchCases(open);
    runCases(open);
    runWriteCases(open);
    searchRunCases(open);
    metricCases(open);
    registryCases(open);
    loggedModelCases(open);
    deploymentCases(open);
    predictionCases(open);
    monitorCases(open);
    reviewCases(open);
  });
}
