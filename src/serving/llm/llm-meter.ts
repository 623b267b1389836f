import { Histogram } from '../histogram.js';

/**
 * Metering of one LLM target (an in-process GGUF engine or an upstream server): tokens, time to first token, time
 * per output token, queue time, end-to-end latency and slots in use. Histograms use vLLM's bucket bounds so that the
 * monitoring issue can export them as Prometheus histograms unchanged; status shows counters and percentiles.
 */
/** vLLM's `time_to_first_token_seconds` buckets. */
export const TTFT_BUCKETS = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80, 160, 640, 2560];
/** vLLM's `time_per_output_token_seconds` buckets, with finer bounds below 10 ms (CPU engines here run ~1 ms/token). */
export const TPOT_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80];
/** vLLM's request-latency buckets (`e2e_request_latency_seconds`, `request_queue_time_seconds`), with sub-0.3 s bounds added. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 40, 50, 60, 120, 240, 480, 960, 1920, 7680];

export interface FinishedRequest {
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  /** Seconds from arrival until a slot (or an upstream connection) took the request. */
  queueSeconds: number;
  /** Seconds from arrival to the first generated token; undefined when none was generated. */
  ttftSeconds?: number | undefined;
  /** Seconds from arrival to the end. */
  e2eSeconds: number;
  /** `stop`, `length`, `abort` (client gone), `error`. */
  outcome: 'stop' | 'length' | 'abort' | 'error';
}

export interface LlmMeterSnapshot {
  requests: number;
  /** By outcome: stop, length, abort, error. */
  finished: Record<FinishedRequest['outcome'], number>;
  /** Refused at once because the queue was full (429). */
  rejected: number;
  promptTokens: number;
  generationTokens: number;
  cachedPromptTokens: number;
  slotsInUse: number;
  slots: number;
  queued: number;
  ttftSeconds: { p50?: number; p95?: number; mean?: number };
  tpotSeconds: { p50?: number; p95?: number; mean?: number };
  queueSeconds: { p50?: number; p95?: number; mean?: number };
  e2eSeconds: { p50?: number; p95?: number; mean?: number };
}

function summary(h: Histogram): { p50?: number; p95?: number; mean?: number } {
  if (h.count === 0) return {};
  return { p50: h.quantile(0.5)!, p95: h.quantile(0.95)!, mean: h.sum / h.count };
}

export class LlmMeter {
  requests = 0;
  rejected = 0;
  promptTokens = 0;
  generationTokens = 0;
  cachedPromptTokens = 0;
  readonly finished: Record<FinishedRequest['outcome'], number> = { stop: 0, length: 0, abort: 0, error: 0 };
  readonly ttft = new Histogram(TTFT_BUCKETS);
  readonly tpot = new Histogram(TPOT_BUCKETS);
  readonly queueTime = new Histogram(LATENCY_BUCKETS);
  readonly e2e = new Histogram(LATENCY_BUCKETS);

  /** `slots` and `inUse` / `queued` are read live from their owner. */
  constructor(private readonly gauges: () => { slots: number; inUse: number; queued: number }) {}

  started(): void {
    this.requests++;
  }

  refused(): void {
    this.rejected++;
  }

  /** Records one finished request (whatever the outcome; tokens generated before an abort count). */
  finish(r: FinishedRequest): void {
    this.finished[r.outcome]++;
    this.promptTokens += r.promptTokens;
    this.generationTokens += r.completionTokens;
    this.cachedPromptTokens += r.cachedTokens;
    this.queueTime.observe(r.queueSeconds);
    this.e2e.observe(r.e2eSeconds);
    if (r.ttftSeconds !== undefined) {
      this.ttft.observe(r.ttftSeconds);
      if (r.completionTokens > 1) this.tpot.observe((r.e2eSeconds - r.ttftSeconds) / (r.completionTokens - 1));
    }
  }

  snapshot(): LlmMeterSnapshot {
    const g = this.gauges();
    return {
      requests: this.requests,
      finished: { ...this.finished },
      rejected: this.rejected,
      promptTokens: this.promptTokens,
      generationTokens: this.generationTokens,
      cachedPromptTokens: this.cachedPromptTokens,
      slotsInUse: g.inUse,
      slots: g.slots,
      queued: g.queued,
      ttftSeconds: summary(this.ttft),
      tpotSeconds: summary(this.tpot),
      queueSeconds: summary(this.queueTime),
      e2eSeconds: summary(this.e2e),
    };
  }
}
