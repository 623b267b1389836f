import type { Serving } from '../serving/serving.js';
import { requestCost } from './cost.js';
import { Exposition } from './exposition.js';
import { RequestMetrics } from './request-metrics.js';
import { writeProcessMetrics, writeServingMetrics } from './serving-metrics.js';

/** One inference request once its answer is written (or its client has gone). */
export interface FinishedPrediction {
  id: string;
  /** Arrival, epoch ms. */
  time: number;
  deployment: string;
  /** The version that answered; absent when the request was refused before one was chosen (a 429 at admission). */
  model?: string | undefined;
  version?: string | undefined;
  /** The route: `/v2/models/{name}/infer`, `/v1/chat/completions`… */
  endpoint: string;
  status: number;
  latencySeconds: number;
  entityKey?: string | undefined;
  promptTokens: number;
  completionTokens: number;
  inputs?: unknown;
  outputs?: unknown;
}

export interface MonitoringOptions {
  serving: Serving;
}

/**
 * Where finished inference requests go: the request metrics (every request), the cost model, and the Prometheus
 * exposition of all of it with the serving state read at scrape time.
 */
export class Monitoring {
  readonly requests = new RequestMetrics();
  private readonly startedAt = Date.now();

  constructor(private readonly o: MonitoringOptions) {}

  /** Counts a finished request; requests naming no deployment served here (404s) are not counted, so names stay bounded. */
  record(p: FinishedPrediction): void {
    const config = this.o.serving.configOf(p.deployment);
    if (!config) return;
    const costUsd = requestCost(config, { promptTokens: p.promptTokens, completionTokens: p.completionTokens, seconds: p.latencySeconds });
    this.requests.observe({ deployment: p.deployment, model: p.model ?? '', version: p.version ?? '', status: p.status, seconds: p.latencySeconds, costUsd });
  }

  /** Everything in the Prometheus text format. */
  metricsText(): string {
    const x = new Exposition();
    this.requests.write(x);
    writeServingMetrics(x, this.o.serving);
    writeProcessMetrics(x, this.startedAt);
    return x.text();
  }
}
