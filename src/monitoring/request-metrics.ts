import { Histogram } from '../serving/histogram.js';
import type { Exposition, Labels } from './exposition.js';

/** Request duration bounds (seconds): sub-millisecond tensor models up to minutes-long generations. */
export const REQUEST_DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

/** What one finished inference request tells the metrics. */
export interface RequestOutcome {
  deployment: string;
  /** The registered model (or `upstream:<name>`); `''` when the request was refused before a version was chosen. */
  model: string;
  version: string;
  /** HTTP status; 499 when the client went away before its answer was written (as nginx logs it). */
  status: number;
  seconds: number;
  costUsd: number;
}

/** How an error status is counted: `client` (4xx), `rejected` (429), `unavailable` (503), `timeout` (504), `cancelled` (499), `server` (other 5xx). */
export function errorClass(status: number): string | undefined {
  if (status < 400) return undefined;
  if (status === 429) return 'rejected';
  if (status === 499) return 'cancelled';
  if (status === 503) return 'unavailable';
  if (status === 504) return 'timeout';
  return status >= 500 ? 'server' : 'client';
}

interface Series {
  labels: Labels;
  byCode: Map<string, number>;
  errors: Map<string, number>;
  duration: Histogram;
  costUsd: number;
}

/**
 * Request counters per deployment, model and version, counted as requests finish: requests by status code, errors
 * by class, rejections (429 and 504), a duration histogram, and cost. Series live as long as the process (a
 * Prometheus client's counters do not go away), one per version a deployment served.
 */
export class RequestMetrics {
  private readonly series = new Map<string, Series>();

  observe(o: RequestOutcome): void {
    const key = `${o.deployment}\u0000${o.model}\u0000${o.version}`;
    let s = this.series.get(key);
    if (!s) {
      s = { labels: { deployment: o.deployment, model: o.model, version: o.version }, byCode: new Map(), errors: new Map(), duration: new Histogram(REQUEST_DURATION_BUCKETS), costUsd: 0 };
      this.series.set(key, s);
    }
    const code = String(o.status);
    s.byCode.set(code, (s.byCode.get(code) ?? 0) + 1);
    const cls = errorClass(o.status);
    if (cls) s.errors.set(cls, (s.errors.get(cls) ?? 0) + 1);
    s.duration.observe(o.seconds);
    s.costUsd += o.costUsd;
  }

  write(x: Exposition): void {
    const all = [...this.series.values()];
    x.counter('pitwall_requests_total', 'Inference requests finished, by HTTP status code', all.flatMap((s) => [...s.byCode].map(([code, n]): [Labels, number] => [{ ...s.labels, code }, n])));
    x.counter(
      'pitwall_request_errors_total',
      'Inference requests that failed, by class: client (4xx), rejected (429), cancelled (client gone), unavailable (503), timeout (504), server (5xx)',
      all.flatMap((s) => [...s.errors].map(([cls, n]): [Labels, number] => [{ ...s.labels, class: cls }, n])),
    );
    x.counter(
      'pitwall_request_rejections_total',
      'Requests shed: 429 (queue full) and 504 (deadline passed)',
      all.flatMap((s) => ['429', '504'].flatMap((code): [Labels, number][] => (s.byCode.has(code) ? [[{ ...s.labels, code }, s.byCode.get(code)!]] : []))),
    );
    x.histogram('pitwall_request_duration_seconds', 'Inference request duration, from arrival to the last byte of the answer', all.map((s): [Labels, Histogram] => [s.labels, s.duration]));
    x.counter('pitwall_cost_usd_total', "Cost of the requests served, by the deployment's cost model (USD)", all.map((s): [Labels, number] => [s.labels, s.costUsd]));
  }
}
