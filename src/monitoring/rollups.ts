import { ROLLUP_LATENCY_BOUNDS_MS, type RollupDelta, type PredictionStore } from '../store/index.js';
import type { Exposition } from './exposition.js';

/** The latency bucket of `ms` in `ROLLUP_LATENCY_BOUNDS_MS` (the last index is the overflow bucket). */
export function latencyBucket(ms: number): number {
  let i = 0;
  while (i < ROLLUP_LATENCY_BOUNDS_MS.length && ms > ROLLUP_LATENCY_BOUNDS_MS[i]!) i++;
  return i;
}

/** What one finished request adds to its minute's roll-up. */
export interface RequestFacts {
  deployment: string;
  model: string;
  version: string;
  /** Arrival, epoch ms. */
  time: number;
  status: number;
  latencyMs: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
}

/** Most distinct (deployment, version, minute) rows held between writes; past it, counts are dropped and counted. */
const MAX_PENDING = 20_000;

/**
 * Minute roll-ups of every request (not only the sampled ones), summed in memory and added to the store's rows every
 * `flushMs`: a few upserts per minute per version instead of a write per request. A write that fails is kept and
 * tried again with the next one (bounded by `MAX_PENDING`).
 */
export class RollupWriter {
  private pending = new Map<string, RollupDelta>();
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  dropped = 0;

  constructor(
    private readonly store: PredictionStore,
    private readonly flushMs = 5_000,
    private readonly log: (msg: string) => void = (m) => process.stderr.write(`${m}\n`),
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.flushMs).unref();
  }

  observe(r: RequestFacts): void {
    const minute = Math.floor(r.time / 60_000);
    const key = `${r.deployment}\u0000${r.model}\u0000${r.version}\u0000${minute}`;
    let d = this.pending.get(key);
    if (!d) {
      if (this.pending.size >= MAX_PENDING) {
        this.dropped++;
        return;
      }
      d = { deployment: r.deployment, model: r.model, version: r.version, minute, values: {}, latency: new Array<number>(ROLLUP_LATENCY_BOUNDS_MS.length + 1).fill(0) };
      this.pending.set(key, d);
    }
    const v = d.values;
    v.requests = (v.requests ?? 0) + 1;
    if (r.status >= 400 && r.status < 500) v.errors_4xx = (v.errors_4xx ?? 0) + 1;
    if (r.status >= 500) v.errors_5xx = (v.errors_5xx ?? 0) + 1;
    v.latency_sum_ms = (v.latency_sum_ms ?? 0) + r.latencyMs;
    v.prompt_tokens = (v.prompt_tokens ?? 0) + r.promptTokens;
    v.completion_tokens = (v.completion_tokens ?? 0) + r.completionTokens;
    v.cost_usd = (v.cost_usd ?? 0) + r.costUsd;
    d.latency![latencyBucket(r.latencyMs)]!++;
  }

  /** Adds what was counted since the last write to the store. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.writing = this.store
      .addRollups([...batch.values()])
      .catch((e: unknown) => {
        // Kept for the next write: merged back in.
        for (const [k, d] of batch) {
          const now = this.pending.get(k);
          if (!now) this.pending.set(k, d);
          else {
            for (const [f, n] of Object.entries(d.values)) now.values[f as keyof typeof now.values] = (now.values[f as keyof typeof now.values] ?? 0) + (n ?? 0);
            d.latency?.forEach((n, i) => (now.latency![i]! += n));
          }
        }
        this.log(`monitoring: roll-ups could not be written (kept for the next try): ${e instanceof Error ? e.message : String(e)}`);
      })
      .finally(() => (this.writing = undefined));
    await this.writing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  write(x: Exposition): void {
    x.counter('pitwall_rollup_dropped_total', 'Requests left out of the minute roll-ups because too many rows were waiting to be written', [[{}, this.dropped]]);
  }
}
