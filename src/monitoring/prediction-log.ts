import type { MonitoringConfig } from '../config/config.js';
import type { Prediction, PredictionStore } from '../store/index.js';
import type { Exposition } from './exposition.js';

/** Days the hourly roll-ups are kept (at least `retentionDays`). */
export const HOURLY_ROLLUP_DAYS = 400;

/** Inputs or outputs as stored: JSON text (a string as it is, for CSV bodies), cut at `max` UTF-16 characters and flagged so. */
export function payloadText(v: unknown, max: number): { text: string | null; truncated: boolean } {
  if (v === undefined || v === null) return { text: null, truncated: false };
  let text: string;
  try {
    text = typeof v === 'string' ? v : JSON.stringify(v);
  } catch {
    return { text: null, truncated: true };
  }
  if (text.length <= max) return { text, truncated: false };
  // Never half a surrogate pair: the cut text stays valid UTF-16 (and UTF-8 once stored).
  const end = max > 0 && /[\uD800-\uDBFF]/.test(text[max - 1]!) ? max - 1 : max;
  return { text: text.slice(0, end), truncated: true };
}

/**
 * The write side of the prediction log. `add` only appends to a bounded in-memory buffer, so the request path never
 * waits on the database; a timer (and a full batch) writes the buffer out in batches, one write at a time. Policy
 * when the buffer is full: **drop and count** (`pitwall_prediction_log_dropped_total{reason="buffer_full"}`); a batch
 * the store refuses is dropped and counted too (`reason="write_error"`), never retried without bound. Retention runs
 * on its own timer: by age, then by row count.
 */
export class PredictionLog {
  private buffer: Prediction[] = [];
  private timer: NodeJS.Timeout | undefined;
  private retention: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private closed = false;
  readonly counts = { logged: 0, written: 0, droppedFull: 0, droppedError: 0, sampledOut: 0, deleted: 0 };
  lastError: string | undefined;

  constructor(
    private readonly store: PredictionStore,
    private readonly cfg: MonitoringConfig,
    private readonly log: (msg: string) => void = (m) => process.stderr.write(`${m}\n`),
  ) {}

  start(retentionEveryMs = 10 * 60_000): void {
    this.timer = setInterval(() => void this.flush(), this.cfg.flushMs).unref();
    const prune = () => void this.prune().catch((e: unknown) => this.log(`prediction log: retention failed: ${String(e)}`));
    prune();
    this.retention = setInterval(prune, retentionEveryMs).unref();
  }

  get buffered(): number {
    return this.buffer.length;
  }

  /** Queues one prediction for writing; false when the buffer is full and it was dropped. */
  add(p: Prediction): boolean {
    if (this.closed || this.buffer.length >= this.cfg.bufferSize) {
      this.counts.droppedFull++;
      return false;
    }
    this.buffer.push(p);
    this.counts.logged++;
    if (this.buffer.length >= this.cfg.batchSize && !this.writing) void this.flush();
    return true;
  }

  /** Counts a request left out by its deployment's sample rate. */
  sampledOut(): void {
    this.counts.sampledOut++;
  }

  /** Writes everything buffered now (resolves once it is stored, or dropped after a write error). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.buffer.length === 0) return;
    this.writing = this.drain().finally(() => (this.writing = undefined));
    await this.writing;
  }

  /** Writes batch after batch until the buffer is empty; one drain runs at a time. */
  private async drain(): Promise<void> {
    while (this.buffer.length > 0) {
      const batch = this.buffer.splice(0, this.cfg.batchSize);
      try {
        await this.store.insert(batch);
        this.counts.written += batch.length;
      } catch (e) {
        this.counts.droppedError += batch.length;
        this.lastError = e instanceof Error ? e.message : String(e);
        this.log(`prediction log: a batch of ${batch.length} could not be written and was dropped: ${this.lastError}`);
      }
    }
  }

  /**
   * Deletes predictions past retention: older than `retentionDays`, then beyond `maxRows`. Minute roll-ups go after
   * `retentionDays` too; hourly ones are kept `HOURLY_ROLLUP_DAYS`, so long-range charts outlive the raw log.
   */
  async prune(now = Date.now()): Promise<number> {
    const n = (await this.store.deleteBefore(now - this.cfg.retentionDays * 86_400_000)) + (await this.store.keepNewest(this.cfg.maxRows));
    this.counts.deleted += n;
    const minute = Math.floor(now / 60_000);
    await this.store.deleteRollupsBefore(minute - this.cfg.retentionDays * 1440, minute - Math.max(HOURLY_ROLLUP_DAYS, this.cfg.retentionDays) * 1440);
    return n;
  }

  /** Stops the timers and writes what is buffered. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    clearInterval(this.retention);
    await this.flush();
  }

  write(x: Exposition): void {
    const c = this.counts;
    x.counter('pitwall_prediction_log_written_total', 'Predictions written to the prediction log', [[{}, c.written]]);
    x.counter('pitwall_prediction_log_dropped_total', 'Predictions not logged: buffer_full (the policy is to drop and count) or write_error', [
      [{ reason: 'buffer_full' }, c.droppedFull],
      [{ reason: 'write_error' }, c.droppedError],
    ]);
    x.counter('pitwall_prediction_log_sampled_out_total', "Requests left out by their deployment's log_sample_rate", [[{}, c.sampledOut]]);
    x.counter('pitwall_prediction_log_deleted_total', 'Predictions deleted by retention (age, then row count)', [[{}, c.deleted]]);
    x.gauge('pitwall_prediction_log_buffered', 'Predictions waiting to be written', [[{}, this.buffer.length]]);
    x.gauge('pitwall_prediction_log_buffer_capacity', 'Predictions the buffer holds at most', [[{}, this.cfg.bufferSize]]);
  }
}
