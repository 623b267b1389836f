import { AppError, invalidParam } from '../core/errors/index.js';
import type { Engine, Tensor } from './engine.js';
import { Histogram } from './histogram.js';

/** Bounds of the batch-size histogram (rows per batch). */
export const BATCH_SIZE_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096];

export interface BatcherOptions {
  /** Most rows (along the first dimension) in one batch; 1 turns batching off. */
  maxBatchSize: number;
  /** Longest a request waits for others to join its batch, in ms (Triton's `max_queue_delay_microseconds`, in ms). */
  maxQueueDelayMs: number;
  /** Requests waiting at most; one more is refused at once with 429. */
  maxQueue: number;
  /** Default deadline of a request, in ms from its arrival. */
  timeoutMs: number;
}

export interface SubmitOptions {
  /** Overrides the default deadline (ms from now). */
  timeoutMs?: number;
  /** Aborted when the client goes away: queued work is dropped. */
  signal?: AbortSignal;
}

interface Pending {
  inputs: Tensor[];
  rows: number;
  arrived: number;
  resolve(out: Tensor[]): void;
  reject(e: unknown): void;
  timer: NodeJS.Timeout;
  /** Answered already (deadline passed or cancelled): a late batch result is ignored. */
  done?: boolean;
  onAbort?: () => void;
  signal?: AbortSignal;
}

export interface BatcherStats {
  batches: number;
  requests: number;
  rejected: number;
  expired: number;
  cancelled: number;
  queued: number;
  inFlight: boolean;
}

/** Rows of a request: the first dimension its inputs share. */
function rowsOf(inputs: Tensor[]): number {
  const first = inputs[0]?.shape[0] ?? 1;
  if (inputs.some((t) => t.shape[0] !== first)) throw new AppError('INVALID_PARAMETER_VALUE', 'All inputs must have the same first (batch) dimension', { field: 'inputs' });
  return first;
}

/** Stacks requests along the first dimension, input by input. */
export function concatBatch(requests: Tensor[][]): Tensor[] {
  return requests[0]!.map((t) => {
    const parts = requests.map((r) => r.find((x) => x.name === t.name)!);
    return { name: t.name, datatype: t.datatype, shape: [parts.reduce((n, p) => n + p.shape[0]!, 0), ...t.shape.slice(1)], data: parts.flatMap((p) => p.data as unknown[]) as Tensor['data'] };
  });
}

/** Cuts a batch's outputs back into each request's rows. */
export function splitBatch(outputs: Tensor[], rows: number[]): Tensor[][] {
  const total = rows.reduce((a, b) => a + b, 0);
  const result: Tensor[][] = rows.map(() => []);
  for (const o of outputs) {
    if (o.shape[0] !== total) throw new Error(`output '${o.name}' has first dimension ${o.shape[0]}, not the batch's ${total} rows`);
    const per = o.shape.slice(1).reduce((a, b) => a * b, 1);
    let row = 0;
    rows.forEach((r, i) => {
      result[i]!.push({ name: o.name, datatype: o.datatype, shape: [r, ...o.shape.slice(1)], data: o.data.slice(row * per, (row + r) * per) as Tensor['data'] });
      row += r;
    });
  }
  return result;
}

/**
 * Dynamic batching for one engine, as Triton and BentoML do it: requests wait in a bounded queue; a batch forms from
 * whatever waits, up to `maxBatchSize` rows, as soon as it is full or the oldest request has waited
 * `maxQueueDelayMs`; one batch runs at a time. A full queue refuses at once (429); a request past its deadline is
 * dropped from the queue (504); an aborted one is dropped too. Engines without a free batch dimension run each
 * request alone.
 */
export class DynamicBatcher {
  private readonly queue: Pending[] = [];
  private running = false;
  private flushTimer: NodeJS.Timeout | undefined;
  private aborted: AppError | undefined;
  /** Requests in the running batch, so that `abort` can answer them. */
  private inBatch: Pending[] = [];
  private readonly stats = { batches: 0, requests: 0, rejected: 0, expired: 0, cancelled: 0 };
  /** Rows per batch run. */
  readonly batchSizes = new Histogram(BATCH_SIZE_BUCKETS);

  constructor(
    private readonly engine: Engine,
    private readonly opts: BatcherOptions,
  ) {}

  snapshot(): BatcherStats {
    return { ...this.stats, queued: this.queue.length, inFlight: this.running };
  }

  /** True when one more request would be refused. */
  get full(): boolean {
    return this.queue.length >= this.opts.maxQueue;
  }

  /** Counts and returns the refusal of a request that finds the queue full. */
  refusal(): AppError {
    this.stats.rejected++;
    return new AppError('REQUEST_LIMIT_EXCEEDED', `The deployment's queue is full (${this.opts.maxQueue} requests waiting); retry shortly`);
  }

  submit(inputs: Tensor[], opts: SubmitOptions = {}): Promise<Tensor[]> {
    if (opts.signal?.aborted) return Promise.reject(new AppError('BAD_REQUEST', 'The request was cancelled'));
    if (this.aborted) return Promise.reject(this.aborted);
    if (this.full) return Promise.reject(this.refusal());
    const rows = rowsOf(inputs);
    if (rows > this.opts.maxBatchSize && this.engine.capabilities.batching === 'dynamic') {
      // As Triton: a request may not hold more rows than a batch (it would hold everyone else up, and the batch
      // size is what bounds an inference's memory and time).
      return Promise.reject(invalidParam(`The request holds ${rows} rows; this deployment takes at most ${this.opts.maxBatchSize} per request (max_batch_size)`, 'inputs'));
    }
    const timeout = opts.timeoutMs ?? this.opts.timeoutMs;
    return new Promise<Tensor[]>((resolve, reject) => {
      const p: Pending = {
        inputs,
        rows,
        arrived: Date.now(),
        resolve,
        reject,
        // Past the deadline the caller gets a 504 at once: dropped from the queue if still waiting; if its batch is
        // already running, the batch's answer for it is discarded.
        timer: setTimeout(() => {
          this.drop(p);
          p.done = true;
          this.stats.expired++;
          reject(new AppError('DEADLINE_EXCEEDED', `The request took longer than its ${timeout} ms deadline`));
        }, timeout),
      };
      if (opts.signal) {
        p.signal = opts.signal;
        p.onAbort = () => {
          if (this.drop(p)) {
            p.done = true;
            this.stats.cancelled++;
            reject(new AppError('BAD_REQUEST', 'The request was cancelled'));
          }
        };
        opts.signal.addEventListener('abort', p.onAbort, { once: true });
      }
      this.queue.push(p);
      this.schedule();
    });
  }

  /**
   * Answers every request now with `error` (queued ones are dropped; those in the running batch get it at once, and
   * their results are discarded), and refuses new ones with it. For shutdown once the drain grace period is over.
   */
  abort(error: AppError): void {
    this.aborted = error;
    clearTimeout(this.flushTimer);
    for (const p of this.queue.splice(0)) {
      clearTimeout(p.timer);
      this.settle(p);
      this.finish(p, undefined, error);
    }
    for (const p of this.inBatch) this.finish(p, undefined, error);
  }

  /** Removes a waiting request; false when it already left the queue (it is in a running batch). */
  private drop(p: Pending): boolean {
    const i = this.queue.indexOf(p);
    if (i < 0) return false;
    this.queue.splice(i, 1);
    clearTimeout(p.timer);
    this.settle(p);
    return true;
  }

  /** Answers a request that left the queue for a batch, unless its deadline already answered it. */
  private finish(p: Pending, out: Tensor[] | undefined, err?: unknown): void {
    clearTimeout(p.timer);
    if (p.done) return;
    p.done = true;
    if (out) p.resolve(out);
    else p.reject(err);
  }

  /** The request leaves the queue: a cancellation no longer reaches it (the batch runs for everyone in it). */
  private settle(p: Pending): void {
    if (p.onAbort) p.signal?.removeEventListener('abort', p.onAbort);
  }

  private get maxRows(): number {
    return this.engine.capabilities.batching === 'dynamic' ? this.opts.maxBatchSize : 1;
  }

  private schedule(): void {
    if (this.running || this.queue.length === 0) return;
    const queuedRows = this.queue.reduce((n, p) => n + p.rows, 0);
    const oldestWait = Date.now() - this.queue[0]!.arrived;
    if (queuedRows >= this.maxRows || this.maxRows === 1 || oldestWait >= this.opts.maxQueueDelayMs) {
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
      void this.runBatch();
    } else if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => {
        this.flushTimer = undefined;
        this.schedule();
      }, Math.max(0, this.opts.maxQueueDelayMs - oldestWait));
    }
  }

  private async runBatch(): Promise<void> {
    const batch: Pending[] = [];
    let rows = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0]!;
      if (batch.length > 0 && rows + next.rows > this.maxRows) break;
      this.queue.shift();
      batch.push(next);
      rows += next.rows;
      if (this.maxRows === 1) break;
    }
    for (const p of batch) this.settle(p);
    this.inBatch = batch;
    this.running = true;
    this.stats.batches++;
    this.stats.requests += batch.length;
    this.batchSizes.observe(rows);
    try {
      const outputs = await this.engine.infer(batch.length === 1 ? batch[0]!.inputs : concatBatch(batch.map((p) => p.inputs)));
      const parts = batch.length === 1 ? [outputs] : splitBatch(outputs, batch.map((p) => p.rows));
      batch.forEach((p, i) => this.finish(p, parts[i]!));
    } catch (e) {
      for (const p of batch) this.finish(p, undefined, e);
    } finally {
      this.inBatch = [];
      this.running = false;
      if (!this.aborted) this.schedule();
    }
  }
}
