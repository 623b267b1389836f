import { closedLoop, openLoop, percentile, rssOf } from './http-load.js';

export interface OverloadReport {
  capacityPerSec: number;
  offeredPerSec: number;
  sent: number;
  accepted: number;
  rejected: number;
  expired: number;
  /** Anything else: 5xx other than 504, connection errors. */
  failed: number;
  rejectedMs: { p50: number; p99: number; max: number };
  acceptedMs: { p50: number; p99: number; max: number };
  /** Accepted requests answered after their deadline (plus 100 ms of measurement slack). */
  acceptedLate: number;
  rejectedWithoutRetryAfter: number;
  steadyRssBytes: number;
  peakRssBytes: number;
  /** From the end of the burst to the first 200 of a lone request. */
  recoveryMs: number;
  alive: boolean;
}

/**
 * Offers `factor`× the measured capacity of an inference URL for `durationMs` and reports how the server coped:
 * capacity comes from a closed loop at concurrency 64; steady-state RSS is sampled during that loop, peak RSS during
 * the burst (the server's pid is needed for both). Requests arrive at a fixed rate whatever the answers (an open
 * loop), over a pool of 512 connections opened beforehand (more are opened if all are busy), as a load balancer
 * would send them.
 */
export async function overload(o: { url: string; body: unknown; pid: number; deadlineMs: number; factor?: number; durationMs: number; capacityMs?: number }): Promise<OverloadReport> {
  const headers = { 'x-pitwall-timeout-ms': String(o.deadlineMs) };
  const sampleRss = (into: number[]) => {
    const t = setInterval(() => void rssOf(o.pid).then((r) => into.push(r.rss), () => undefined), 50);
    return () => clearInterval(t);
  };
  const steady: number[] = [];
  let stop = sampleRss(steady);
  const cap = await closedLoop({ url: o.url, body: o.body, concurrency: 64, durationMs: o.capacityMs ?? 3000, headers });
  stop();
  const ok = cap.samples.filter((s) => s.status === 200).length;
  const capacityPerSec = ok / (cap.elapsedMs / 1000);

  const offeredPerSec = capacityPerSec * (o.factor ?? 3);
  const during: number[] = [];
  stop = sampleRss(during);
  const burst = await openLoop({ url: o.url, body: o.body, ratePerSec: offeredPerSec, durationMs: o.durationMs, maxOpen: 2000, preconnect: 512, headers });
  stop();
  const end = performance.now();
  let recoveryMs = NaN;
  for (let i = 0; i < 200; i++) {
    const one = await closedLoop({ url: o.url, body: o.body, concurrency: 1, durationMs: 1 });
    if (one.samples.some((s) => s.status === 200)) {
      recoveryMs = performance.now() - end;
      break;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  const alive = await rssOf(o.pid).then(
    () => true,
    () => false,
  );
  const by = (code: number) => burst.samples.filter((s) => s.status === code);
  const accepted = by(200);
  const rejected = by(429);
  const expired = by(504);
  const stats = (xs: number[]) => ({ p50: percentile(xs, 50), p99: percentile(xs, 99), max: xs.length ? Math.max(...xs) : NaN });
  return {
    capacityPerSec,
    offeredPerSec,
    sent: burst.samples.length,
    accepted: accepted.length,
    rejected: rejected.length,
    expired: expired.length,
    failed: burst.samples.length - accepted.length - rejected.length - expired.length,
    rejectedMs: stats(rejected.map((s) => s.ms)),
    acceptedMs: stats(accepted.map((s) => s.ms)),
    acceptedLate: accepted.filter((s) => s.ms > o.deadlineMs + 100).length,
    rejectedWithoutRetryAfter: rejected.filter((s) => !s.retryAfter).length,
    steadyRssBytes: steady.length ? Math.max(...steady) : NaN,
    peakRssBytes: during.length ? Math.max(...during) : NaN,
    recoveryMs,
    alive,
  };
}
