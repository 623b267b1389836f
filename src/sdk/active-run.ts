import type { PitwallClient } from './client.js';
import { endOnSignal } from './end-on-signal.js';
import { PitwallApiError, PitwallNetworkError } from './errors.js';
import type { MetricInput } from './options.js';
import type { SystemMetricsSampler } from './system-metrics.js';
import type { Run, RunStatus } from './types.js';
import { validateKey, validateMetric } from './validate.js';

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

/** First wait before resending a batch the server could not take (doubling per failure, up to `MAX_RETRY_BACKOFF_MS`). */
export const RETRY_BACKOFF_MS = 250;
export const MAX_RETRY_BACKOFF_MS = 10_000;

/** Worth sending again: the server was unreachable, overloaded (429) or failing (5xx). Other 4xx will fail again. */
function isRetryable(e: unknown): boolean {
  return e instanceof PitwallNetworkError || (e instanceof PitwallApiError && (e.status === 429 || e.status >= 500));
}

/** `{key: value}` as MLflow's `[{key, value}]`; throws before anything is sent when a key is bad. */
function keyValues(kind: 'param' | 'tag', record: Record<string, string | number | boolean>): Array<{ key: string; value: string }> {
  return Object.entries(record).map(([key, value]) => ({ key: validateKey(kind, key), value: String(value) }));
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * A run being recorded. Metrics are buffered and sent with log-batch (≤1000 per request) shortly after they are
 * logged, when the buffer fills, on `flush()` and on `end()`. Keys and values are checked as the server checks them
 * when they are logged, so a bad one throws at the call site instead of failing the batch it would have joined.
 * A failed send is reported by the next `flush()` / `end()`: a batch the server rejected (4xx) is dropped, since
 * resending cannot succeed; a batch that could not reach it, or was answered 429 or 5xx, stays buffered and is resent
 * after a short backoff, growing per failure.
 *
 * While the run is open, SIGINT and SIGTERM end it as `KILLED` (after sending what is buffered) before the signal
 * terminates the process.
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
  /** A batch was dropped: reported by the next flush()/end(). */
  private error: unknown;
  /** The last send failed and its batch waits for a retry: reported unless a retry gets through first. */
  private retryError: unknown;
  private failures = 0;
  private retryAt = 0;
  /** A drain queued behind the one under way; further sends join it. */
  private queued: Promise<void> | undefined;
  private readonly stopSignalWatch: () => void;
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
    this.stopSignalWatch = endOnSignal(this);
  }

  get ended(): boolean {
    return this.ending !== undefined;
  }

  /** Number of metrics waiting to be sent. */
  get pending(): number {
    return this.buffer.length;
  }

  /**
   * Buffers one metric. Throws a `TypeError` at once for a key the server would refuse (see `validateKey`), a value
   * that is not a number (NaN and ±Infinity are fine) or a step that is not a safe integer.
   */
  logMetric(key: string, value: number, step = 0): void {
    this.assertOpen();
    validateMetric(key, value, step);
    this.push([{ key, value, step, timestamp: Date.now() }]);
  }

  /** Buffers several metrics at one step; when one of them is invalid, throws and buffers none. */
  logMetrics(metrics: Record<string, number>, step = 0): void {
    this.assertOpen();
    const entries = Object.entries(metrics);
    for (const [k, v] of entries) validateMetric(k, v, step);
    const timestamp = Date.now();
    this.push(entries.map(([key, value]) => ({ key, value, step, timestamp })));
  }

  /** Sends params (≤100 per request); a bad key rejects before any is sent. */
  async logParams(params: Record<string, string | number | boolean>): Promise<void> {
    this.assertOpen();
    const list = keyValues('param', params);
    for (const part of chunks(list, MAX_PARAMS_TAGS_PER_BATCH)) await this.client.logBatch({ runId: this.runId, params: part });
  }

  /** Sets tags (≤100 per request); a bad key rejects before any is sent. */
  async setTags(tags: Record<string, string>): Promise<void> {
    this.assertOpen();
    const list = keyValues('tag', tags);
    for (const part of chunks(list, MAX_PARAMS_TAGS_PER_BATCH)) await this.client.logBatch({ runId: this.runId, tags: part });
  }

  private push(metrics: Required<MetricInput>[]): void {
    if (metrics.length === 0) return;
    this.buffer.push(...metrics);
    if (this.buffer.length > this.maxBuffered) {
      const dropped = this.buffer.length - this.maxBuffered;
      this.buffer.splice(0, dropped);
      this.error ??= new Error(`dropped ${dropped} buffered metrics of run ${this.runId}: more than ${this.maxBuffered} waiting to be sent`);
    }
    if (this.buffer.length >= MAX_METRICS_PER_BATCH && this.failures === 0) void this.send();
    else this.schedule();
  }

  /**
   * Sends every buffered metric. Throws the first error since the last flush that cost metrics (a rejected batch),
   * else the error of a send that failed and is still waiting for a retry.
   */
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
    try {
      await this.send();
      await this.client.updateRun({ runId: this.runId, status, endTime: Date.now() });
    } finally {
      this.stopSignalWatch();
    }
    this.throwPending();
  }

  private assertOpen(): void {
    if (this.ending) throw new Error(`run ${this.runId} has ended`);
  }

  private schedule(delayMs = this.flushIntervalMs): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.send();
    }, delayMs);
    this.timer.unref();
  }

  private throwPending(): void {
    const e = this.error ?? this.retryError;
    this.error = undefined;
    this.retryError = undefined;
    if (e !== undefined) throw e;
  }

  /** Queues a send after the one under way, so batches reach the server in logging order; one queued send serves all callers. */
  private send(): Promise<void> {
    this.queued ??= this.sending.then(() => {
      this.queued = undefined;
      return this.drain();
    });
    this.sending = this.queued;
    return this.queued;
  }

  private async drain(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    // After a retryable failure, wait out the backoff, whoever asked for this send.
    const wait = this.retryAt - Date.now();
    if (this.buffer.length > 0 && wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    while (this.buffer.length > 0) {
      const batch = this.buffer.splice(0, MAX_METRICS_PER_BATCH);
      try {
        await this.client.logBatch({ runId: this.runId, metrics: batch });
        this.failures = 0;
        this.retryAt = 0;
        this.retryError = undefined;
      } catch (e) {
        if (!isRetryable(e)) {
          this.error ??= e;
          continue;
        }
        this.buffer.unshift(...batch);
        this.retryError = e;
        const backoff = Math.min(RETRY_BACKOFF_MS * 2 ** this.failures, MAX_RETRY_BACKOFF_MS);
        this.failures++;
        this.retryAt = Date.now() + backoff;
        if (!this.ending) this.schedule(Math.max(backoff, this.flushIntervalMs));
        return;
      }
    }
  }
}
