import type { PitwallClient } from './client.js';
import { PitwallNetworkError } from './errors.js';
import type { MetricInput } from './options.js';
import type { SystemMetricsSampler } from './system-metrics.js';
import type { Run, RunStatus } from './types.js';

/** MLflow's `MAX_METRICS_PER_BATCH`. */
export const MAX_METRICS_PER_BATCH = 1000;
/** MLflow's `MAX_PARAMS_TAGS_PER_BATCH`. */
export const MAX_PARAMS_TAGS_PER_BATCH = 100;

export interface ActiveRunOptions {
  /** How long a logged metric may wait in the buffer before it is sent (default 1000 ms). */
  flushIntervalMs?: number;
  /** Buffer bound while the server is unreachable; the oldest metrics are dropped beyond it (default 100 000). */
  maxBufferedMetrics?: number;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * A run being recorded. Metrics are buffered and sent with log-batch (≤1000 per request) shortly after they are
 * logged, when the buffer fills, on `flush()` and on `end()`. A failed send is reported by the next `flush()` / `end()`:
 * metrics the server rejected are dropped (resending cannot succeed); metrics that could not reach it stay buffered.
 */
export class ActiveRun {
  readonly runId: string;
  readonly experimentId: string;
  /** The run as the server returned it on creation. */
  readonly run: Run;
  private readonly client: PitwallClient;
  private readonly flushIntervalMs: number;
  private readonly maxBuffered: number;
  private buffer: Required<MetricInput>[] = [];
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> = Promise.resolve();
  private error: unknown;
  private sampler: SystemMetricsSampler | undefined;
  private ending: Promise<void> | undefined;
  private readonly onBeforeExit = (): void => {
    // Once only: if the server is down, retrying here would keep the process alive forever.
    process.off('beforeExit', this.onBeforeExit);
    if (this.buffer.length > 0) void this.send();
  };

  constructor(client: PitwallClient, run: Run, opts: ActiveRunOptions = {}) {
    this.client = client;
    this.run = run;
    this.runId = run.info.run_id;
    this.experimentId = run.info.experiment_id;
    this.flushIntervalMs = opts.flushIntervalMs ?? 1000;
    this.maxBuffered = opts.maxBufferedMetrics ?? 100_000;
    // A script that forgets flush()/end() still gets its last metrics sent before Node exits.
    process.on('beforeExit', this.onBeforeExit);
  }

  get ended(): boolean {
    return this.ending !== undefined;
  }

  /** Number of metrics waiting to be sent. */
  get pending(): number {
    return this.buffer.length;
  }

  logMetric(key: string, value: number, step = 0): void {
    this.assertOpen();
    if (typeof key !== 'string' || key === '') throw new TypeError('metric key must be a non-empty string');
    if (typeof value !== 'number') throw new TypeError(`metric '${key}' value must be a number, got ${typeof value}`);
    if (!Number.isInteger(step)) throw new TypeError(`metric '${key}' step must be an integer, got ${step}`);
    this.buffer.push({ key, value, step, timestamp: Date.now() });
    if (this.buffer.length > this.maxBuffered) {
      const dropped = this.buffer.length - this.maxBuffered;
      this.buffer.splice(0, dropped);
      this.error ??= new Error(`dropped ${dropped} buffered metrics of run ${this.runId}: more than ${this.maxBuffered} waiting to be sent`);
    }
    if (this.buffer.length >= MAX_METRICS_PER_BATCH) void this.send();
    else this.schedule();
  }

  logMetrics(metrics: Record<string, number>, step = 0): void {
    for (const [k, v] of Object.entries(metrics)) this.logMetric(k, v, step);
  }

  async logParams(params: Record<string, string | number | boolean>): Promise<void> {
    this.assertOpen();
    const list = Object.entries(params).map(([key, value]) => ({ key, value: String(value) }));
    for (const part of chunks(list, MAX_PARAMS_TAGS_PER_BATCH)) await this.client.logBatch({ runId: this.runId, params: part });
  }

  async setTags(tags: Record<string, string>): Promise<void> {
    this.assertOpen();
    const list = Object.entries(tags).map(([key, value]) => ({ key, value: String(value) }));
    for (const part of chunks(list, MAX_PARAMS_TAGS_PER_BATCH)) await this.client.logBatch({ runId: this.runId, tags: part });
  }

  /** Sends every buffered metric; throws the first send error since the last flush, if any. */
  async flush(): Promise<void> {
    await this.send();
    this.throwPending();
  }

  /** Stops system metrics, sends what is buffered, and marks the run ended. Calling it again does nothing. */
  end(status: RunStatus = 'FINISHED'): Promise<void> {
    this.ending ??= this.finish(status);
    return this.ending;
  }

  /** @internal Hands the run a sampler to stop on `end()`. */
  attachSampler(sampler: SystemMetricsSampler): void {
    this.sampler = sampler;
  }

  private async finish(status: RunStatus): Promise<void> {
    this.sampler?.stop();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    process.off('beforeExit', this.onBeforeExit);
    await this.send();
    await this.client.updateRun({ runId: this.runId, status, endTime: Date.now() });
    this.throwPending();
  }

  private assertOpen(): void {
    if (this.ending) throw new Error(`run ${this.runId} has ended`);
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.send();
    }, this.flushIntervalMs);
    this.timer.unref();
  }

  private throwPending(): void {
    if (this.error === undefined) return;
    const e = this.error;
    this.error = undefined;
    throw e;
  }

  /** Queues a send after the ones already under way, so batches reach the server in logging order. */
  private send(): Promise<void> {
    this.sending = this.sending.then(() => this.drain());
    return this.sending;
  }

  private async drain(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.buffer.length > 0) {
      const batch = this.buffer.splice(0, MAX_METRICS_PER_BATCH);
      try {
        await this.client.logBatch({ runId: this.runId, metrics: batch });
      } catch (e) {
        this.error ??= e;
        if (e instanceof PitwallNetworkError) {
          this.buffer.unshift(...batch);
          if (!this.ending) this.schedule();
          return;
        }
      }
    }
  }
}
