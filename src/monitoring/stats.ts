import { invalidParam } from '../core/errors/index.js';
import { ROLLUP_FIELDS, ROLLUP_LATENCY_BOUNDS_MS, type RollupField, type RollupPoint } from '../store/index.js';

/** Most points one series may have. */
export const MAX_POINTS = 2_000;

/** Default steps (minutes): the first that gives at most 200 points. */
const NICE_STEPS = [1, 5, 15, 60, 360, 1440];

/** A duration as `90` (seconds), `30s`, `5m`, `1h` or `1d`. */
function parseDuration(v: unknown, field: string): number {
  const m = /^(\d+)(s|m|h|d)?$/.exec(String(v));
  if (!m) throw invalidParam(`${field} must be a duration such as 60, 5m, 1h or 1d`, field);
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86_400 }[(m[2] ?? 's') as 's']!;
}

function parseTime(v: unknown, field: string, fallback: number): number {
  if (v === undefined || v === null || v === '') return fallback;
  if (/^\d+$/.test(String(v))) return Number(v);
  const t = Date.parse(String(v));
  if (!Number.isFinite(t)) throw invalidParam(`${field} must be epoch milliseconds or an ISO 8601 time`, field);
  return t;
}

/**
 * The window and step of a stats query, in whole minutes: `from` (default an hour before `to`), `to` (default now),
 * `step` (default the first of 1m, 5m, 15m, 1h, 6h, 1d giving at most 200 points).
 */
export function parseStatsQuery(q: Record<string, unknown>, now = Date.now()): { from: number; to: number; stepMinutes: number } {
  const toMs = parseTime(q.to, 'to', now);
  const fromMs = parseTime(q.from, 'from', toMs - 3_600_000);
  if (fromMs >= toMs) throw invalidParam('from must be before to', 'from');
  const span = Math.ceil(toMs / 60_000) - Math.floor(fromMs / 60_000);
  let stepMinutes: number;
  if (q.step === undefined || q.step === '') stepMinutes = NICE_STEPS.find((s) => span / s <= 200) ?? Math.ceil(span / 200 / 1440) * 1440;
  else {
    const s = parseDuration(q.step, 'step');
    if (s < 60 || s % 60 !== 0) throw invalidParam('step must be a whole number of minutes (at least 60 s): roll-ups are per minute', 'step');
    stepMinutes = s / 60;
  }
  // Steps align to multiples of the step (as the store sums them), from the one holding `from`.
  const from = Math.floor(Math.floor(fromMs / 60_000) / stepMinutes) * stepMinutes;
  // Whole-hour steps end on an hour: the store answers them from hourly roll-ups.
  const to = stepMinutes % 60 === 0 ? Math.ceil(toMs / 3_600_000) * 60 : Math.ceil(toMs / 60_000);
  if ((to - from) / stepMinutes > MAX_POINTS) throw invalidParam(`That is more than ${MAX_POINTS} points: use a longer step or a shorter range`, 'step');
  return { from, to, stepMinutes };
}

/** A quantile of a bucketed histogram, interpolated within its bucket as Prometheus' `histogram_quantile`. */
export function bucketQuantile(counts: number[], q: number): number | null {
  const n = counts.reduce((a, b) => a + b, 0);
  if (n === 0) return null;
  const rank = q * n;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (c > 0 && seen + c >= rank) {
      if (i >= ROLLUP_LATENCY_BOUNDS_MS.length) return ROLLUP_LATENCY_BOUNDS_MS[ROLLUP_LATENCY_BOUNDS_MS.length - 1]!;
      const lo = i === 0 ? 0 : ROLLUP_LATENCY_BOUNDS_MS[i - 1]!;
      return lo + (ROLLUP_LATENCY_BOUNDS_MS[i]! - lo) * ((rank - seen) / c);
    }
    seen += c;
  }
  return ROLLUP_LATENCY_BOUNDS_MS[ROLLUP_LATENCY_BOUNDS_MS.length - 1]!;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);

/** One step of one version, as the stats API answers it (`stepSeconds`: the time the rates divide by). */
function point(minute: number, stepSeconds: number, v: Record<RollupField, number>, latency: number[]) {
  const n = v.requests;
  const feedback = v.feedback_up + v.feedback_down;
  return {
    time: minute * 60_000,
    requests: n,
    request_rate: n / stepSeconds,
    errors_4xx: v.errors_4xx,
    errors_5xx: v.errors_5xx,
    error_rate: ratio(v.errors_5xx, n),
    latency_ms: { p50: bucketQuantile(latency, 0.5), p95: bucketQuantile(latency, 0.95), p99: bucketQuantile(latency, 0.99), mean: ratio(v.latency_sum_ms, n) },
    cost_usd: v.cost_usd,
    cost_per_request_usd: ratio(v.cost_usd, n),
    prompt_tokens: v.prompt_tokens,
    completion_tokens: v.completion_tokens,
    tokens_per_second: v.completion_tokens / stepSeconds,
    feedback: { count: feedback, rate: ratio(feedback, n), thumbs_down_rate: ratio(v.feedback_down, feedback), scored: v.feedback_scored, mean_score: ratio(v.feedback_score_sum, v.feedback_scored) },
    performance: {
      labelled: v.class_n + v.reg_n,
      accuracy: ratio(v.class_correct, v.class_n),
      f1: v.tp + v.fp + v.fn > 0 ? (2 * v.tp) / (2 * v.tp + v.fp + v.fn) : null,
      mae: ratio(v.abs_err_sum, v.reg_n),
      rmse: v.reg_n > 0 ? Math.sqrt(v.sq_err_sum / v.reg_n) : null,
    },
  };
}

const zero = () => Object.fromEntries(ROLLUP_FIELDS.map((f) => [f, 0])) as Record<RollupField, number>;

/**
 * The stats answer: per model version, one point per step from `from` to `to` (empty steps are zeros, so charts
 * show gaps as no traffic), and totals over the window.
 */
export function buildStats(rows: RollupPoint[], w: { from: number; to: number; stepMinutes: number }, now = Date.now()) {
  const stepSeconds = w.stepMinutes * 60;
  // Rates divide by the time a step has had so far: the current step is not over yet.
  const elapsed = (fromMinute: number, seconds: number) => Math.max(1, Math.min(seconds, (now - fromMinute * 60_000) / 1000));
  const byVersion = new Map<string, { model: string; version: string; at: Map<number, RollupPoint> }>();
  for (const r of rows) {
    const k = `${r.model}\u0000${r.version}`;
    if (!byVersion.has(k)) byVersion.set(k, { model: r.model, version: r.version, at: new Map() });
    byVersion.get(k)!.at.set(r.minute, r);
  }
  const steps: number[] = [];
  for (let m = w.from; m < w.to; m += w.stepMinutes) steps.push(m);
  const emptyLatency = new Array<number>(ROLLUP_LATENCY_BOUNDS_MS.length + 1).fill(0);
  return {
    from: w.from * 60_000,
    to: w.to * 60_000,
    step_seconds: stepSeconds,
    versions: [...byVersion.values()].map(({ model, version, at }) => {
      const sum = zero();
      const lat = [...emptyLatency];
      for (const r of at.values()) {
        for (const f of ROLLUP_FIELDS) sum[f] += r.values[f];
        r.latency.forEach((n, i) => (lat[i]! += n));
      }
      return {
        model,
        version,
        points: steps.map((m) => {
          const r = at.get(m);
          return point(m, elapsed(m, stepSeconds), r ? r.values : zero(), r ? r.latency : emptyLatency);
        }),
        totals: point(w.from, elapsed(w.from, (w.to - w.from) * 60), sum, lat),
      };
    }),
  };
}
