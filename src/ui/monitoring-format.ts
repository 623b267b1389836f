/** Display helpers of a deployment's monitoring: stats values and prediction log rows. Pure, so they run under node:test. */
import type { FeedbackRecord, StatsPoint } from '../sdk/monitoring-client.js';

const sig = (v: number, digits = 3) => Number(v.toPrecision(digits));
const grouped = (v: number) => v.toLocaleString('en-US', { maximumFractionDigits: 0 });

/** A share: `0%`, `3.12%`, `100%`; a dash when there is nothing to divide (no traffic). */
export function formatPercent(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return `${sig(v * 100)}%`;
}

/** Latencies in ms: `0.42 ms`, `12.3 ms`, `235 ms`, `1.24 s`. */
export function formatLatencyMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  return ms < 1000 ? `${sig(ms)} ms` : `${sig(ms / 1000)} s`;
}

/** Money: `$0`, `$0.00123`, `$0.5`, `$12.30`, `$1,234.50`. */
export function formatUsd(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (v === 0) return '$0';
  if (Math.abs(v) < 1) return `$${sig(v)}`;
  return `$${v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** Rates: `0/s`, `0.0167/s`, `12.5/s`, `1,234/s`. */
export function formatPerSecond(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return v >= 1000 ? `${grouped(v)}/s` : `${sig(v)}/s`;
}

/** Plain numbers (MAE, RMSE): up to 3 significant digits, `1,234` above a thousand. */
export function formatNumber(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return Math.abs(v) >= 1000 ? grouped(v) : String(sig(v));
}

/** How labelled predictions scored: accuracy (classes), MAE / RMSE (numbers), or both; a dash before any label. */
export function performanceText(p: StatsPoint['performance']): string {
  const parts: string[] = [];
  if (p.accuracy !== null) parts.push(`${formatPercent(p.accuracy)} accuracy`);
  if (p.mae !== null) parts.push(`MAE ${formatNumber(p.mae)}`);
  if (p.rmse !== null) parts.push(`RMSE ${formatNumber(p.rmse)}`);
  if (parts.length === 0) return '—';
  return `${parts.join(' · ')} (${p.labelled.toLocaleString('en-US')} labelled)`;
}

/** The class of an HTTP status, for its colour: `2xx`, `4xx`, `5xx`; `other` for anything else. */
export function statusClass(status: number): string {
  return status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'other';
}

/** A logged payload on one line: JSON (a payload cut at the server's limit is its text), at most `max` characters. */
export function payloadPreview(v: unknown, max = 120): { text: string; cut: boolean } {
  if (v === undefined || v === null) return { text: '—', cut: false };
  let text: string;
  try {
    text = typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
  } catch {
    text = String(v);
  }
  const chars = Array.from(text);
  if (chars.length <= max) return { text, cut: false };
  return { text: `${chars.slice(0, max - 1).join('')}…`, cut: true };
}

/** A logged payload in full: JSON pretty-printed (also JSON text), anything else (a cut payload) as it is. */
export function payloadFull(v: unknown): string {
  if (v === undefined || v === null) return '—';
  let value: unknown = v;
  if (typeof v === 'string') {
    try {
      value = JSON.parse(v) as unknown;
    } catch {
      return v;
    }
  }
  try {
    return JSON.stringify(value, null, 2) ?? String(v);
  } catch {
    return String(v);
  }
}

export interface FeedbackSummary {
  readonly up: number;
  readonly down: number;
  readonly comments: readonly string[];
  readonly scores: readonly number[];
}

/** A prediction's feedback counted: thumbs up and down, comments and scores in the order given. */
export function feedbackSummary(feedback: readonly FeedbackRecord[]): FeedbackSummary {
  return {
    up: feedback.filter((f) => f.thumbs === 'up').length,
    down: feedback.filter((f) => f.thumbs === 'down').length,
    comments: feedback.flatMap((f) => (f.comment ? [f.comment] : [])),
    scores: feedback.flatMap((f) => (f.score !== null ? [f.score] : [])),
  };
}

/** Prompt and completion tokens as `12 → 34`; a dash when the model counts none (tensor models). */
export function tokensText(promptTokens: number, completionTokens: number): string {
  if (promptTokens === 0 && completionTokens === 0) return '—';
  return `${promptTokens.toLocaleString('en-US')} → ${completionTokens.toLocaleString('en-US')}`;
}

/** Where to send a request to see it here: the KServe V2 route of a tensor model, OpenAI chat completions of an LLM. */
export function requestHint(name: string, llm: boolean): string {
  return llm ? `send a request to /v1/chat/completions with "model": ${JSON.stringify(name)}` : `send a request to /v2/models/${encodeURIComponent(name)}/infer`;
}
