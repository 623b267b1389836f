import type { Serving } from '../serving/serving.js';
import { requestCost } from './cost.js';
import { Exposition } from './exposition.js';
import { type PredictionLog, payloadText } from './prediction-log.js';
import { RequestMetrics } from './request-metrics.js';
import type { RollupWriter } from './rollups.js';
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
  /** Where sampled predictions are written; none: metrics only. */
  log?: PredictionLog | undefined;
  /** Where every request is summed per minute for the stats API. */
  rollups?: RollupWriter | undefined;
  /** Longest inputs or outputs kept per prediction (characters of JSON). */
  maxPayloadBytes?: number;
  /** Draws the sampling decision (tests fix it). */
  random?: () => number;
}

/**
 * Where finished inference requests go: the request metrics and cost (every request), the prediction log (sampled
 * at the deployment's `log_sample_rate`), and the Prometheus exposition of all of it with the serving state read at
 * scrape time.
 */
export class Monitoring {
  readonly requests = new RequestMetrics();

  constructor(private readonly o: MonitoringOptions) {}

  /** Counts a finished request; requests naming no deployment served here (404s) are not counted, so names stay bounded. */
  record(p: FinishedPrediction): void {
    const config = this.o.serving.configOf(p.deployment);
    if (!config) return;
    const costUsd = requestCost(config, { status: p.status, promptTokens: p.promptTokens, completionTokens: p.completionTokens, seconds: p.latencySeconds });
    this.requests.observe({ deployment: p.deployment, model: p.model ?? '', version: p.version ?? '', status: p.status, seconds: p.latencySeconds, costUsd });
    // What the roll-ups sum, and what the log stores beside inputs and outputs.
    const facts = {
      deployment: p.deployment,
      model: p.model ?? '',
      version: p.version ?? '',
      time: p.time,
      status: p.status,
      latencyMs: p.latencySeconds * 1000,
      promptTokens: p.promptTokens,
      completionTokens: p.completionTokens,
      costUsd,
    };
    this.o.rollups?.observe(facts);
    const log = this.o.log;
    if (!log) return;
    if (config.logSampleRate < 1 && (this.o.random ?? Math.random)() >= config.logSampleRate) {
      log.sampledOut();
      return;
    }
    const max = this.o.maxPayloadBytes ?? 65_536;
    const inputs = payloadText(p.inputs, max);
    const outputs = payloadText(p.outputs, max);
    log.add({
      deployment: facts.deployment,
      model: facts.model,
      version: facts.version,
      time: facts.time,
      status: facts.status,
      latencyMs: facts.latencyMs,
      promptTokens: facts.promptTokens,
      completionTokens: facts.completionTokens,
      costUsd: facts.costUsd,
      id: p.id,
      endpoint: p.endpoint,
      entityKey: p.entityKey ?? null,
      inputs: inputs.text,
      outputs: outputs.text,
      truncated: inputs.truncated || outputs.truncated,
    });
  }

  /** Everything in the Prometheus text format. */
  metricsText(): string {
    const x = new Exposition();
    this.requests.write(x);
    this.o.log?.write(x);
    this.o.rollups?.write(x);
    writeServingMetrics(x, this.o.serving);
    writeProcessMetrics(x, performance.timeOrigin);
    return x.text();
  }
}
