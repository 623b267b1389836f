/** Display helpers of the deployment pages. Pure, so they run under node:test as well. */
import type { DeploymentStatus, LlmTargetStats, TargetQueueStats, TargetStatus } from '../sdk/deployments-client.js';

export const deploymentPath = (name: string): string => `/deployments/${encodeURIComponent(name)}`;

/** What a deployment's badge says: `draining` wins, then a failed target, then readiness. */
export type DeploymentState = 'ready' | 'loading' | 'failed' | 'draining';

/** The state of a deployment as the CLI's `deployments list` reports it (plus `draining` while the server stops). */
export function deploymentState(s: DeploymentStatus): DeploymentState {
  if (s.draining) return 'draining';
  if (s.targets.some((t) => t.state === 'failed')) return 'failed';
  return s.ready ? 'ready' : 'loading';
}

/** Targets that report an error while still serving (a newer version failed to load; the previous one answers). */
export function targetsWithErrors(s: DeploymentStatus): number {
  return s.targets.filter((t) => t.error !== undefined && t.state !== 'failed').length;
}

export interface SplitSegment {
  /** Left edge and width as fractions of the whole bar. */
  readonly start: number;
  readonly width: number;
  /** The share as a label: whole percents that add up to 100 (largest remainder), `<1%` for a sliver. */
  readonly label: string;
}

/** The traffic split as a stacked bar: one segment per weight, in order. Non-positive weights get no width. */
export function splitSegments(weights: readonly number[]): SplitSegment[] {
  const w = weights.map((x) => (Number.isFinite(x) && x > 0 ? x : 0));
  const total = w.reduce((a, b) => a + b, 0);
  if (total === 0) return w.map((_, i) => ({ start: i / w.length, width: 1 / w.length, label: '—' }));
  const exact = w.map((x) => (x / total) * 100);
  const whole = exact.map(Math.floor);
  let left = 100 - whole.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left <= 0) break;
    whole[i]!++;
    left--;
  }
  let start = 0;
  return w.map((x, i) => {
    const seg = { start, width: x / total, label: whole[i] === 0 && x > 0 ? '<1%' : `${whole[i]}%` };
    start += x / total;
    return seg;
  });
}

export type QueueLevel = 'ok' | 'busy' | 'full';

/** How full a batch queue is: the bar's fraction, and `busy` from 75 %, `full` at capacity (the next request is a 429). */
export function queueFill(q: Pick<TargetQueueStats, 'queued' | 'capacity'>): { fraction: number; level: QueueLevel } {
  if (!(q.capacity > 0)) return { fraction: 0, level: 'ok' };
  const fraction = Math.min(1, Math.max(0, q.queued / q.capacity));
  return { fraction, level: fraction >= 1 ? 'full' : fraction >= 0.75 ? 'busy' : 'ok' };
}

/**
 * How many of an LLM's slots (sequences generated at once) are busy: `busy` when all of them are, so that the next
 * request waits in the queue. Not an error: a busy LLM is one that batches well.
 */
export function slotsFill(l: Pick<LlmTargetStats, 'slotsInUse' | 'slots'>): { fraction: number; level: QueueLevel } {
  if (!(l.slots > 0)) return { fraction: 0, level: 'ok' };
  const fraction = Math.min(1, Math.max(0, l.slotsInUse / l.slots));
  return { fraction, level: fraction >= 1 ? 'busy' : 'ok' };
}

/** Whether a target generates text (a GGUF model in-process, or an upstream server): the OpenAI API serves it. */
export function isLlmTarget(t: TargetStatus): boolean {
  return t.batching === 'continuous' || t.batching === 'upstream' || t.llm !== undefined || t.upstream !== undefined;
}

/** Whether a deployment serves text generation, as far as its targets' status tells (unknown while nothing loaded). */
export function isLlmDeployment(s: DeploymentStatus): boolean {
  return s.targets.some(isLlmTarget);
}

/** Latencies given in seconds: `0.31 ms`, `12.3 ms`, `235 ms`, `1.24 s`; a dash before the first request. */
export function formatSeconds(s: number | undefined): string {
  if (s === undefined || !Number.isFinite(s)) return '—';
  return s < 1 ? `${Number((s * 1000).toPrecision(3))} ms` : `${Number(s.toPrecision(3))} s`;
}

/** An LLM's context per sequence: `512 tokens`, with the training context when it differs. */
export function formatContext(l: Pick<LlmTargetStats, 'contextSize' | 'trainContextSize'>): string {
  if (l.contextSize === undefined) return '—';
  const trained = l.trainContextSize !== undefined && l.trainContextSize !== l.contextSize ? ` (trained with ${formatCounter(l.trainContextSize)})` : '';
  return `${formatCounter(l.contextSize)} tokens${trained}`;
}

/** Requests per batch so far: `—` before the first batch, else up to two decimals (`1`, `3.5`, `7.33`). */
export function meanBatchSize(q: Pick<TargetQueueStats, 'requests' | 'batches'>): string {
  if (!(q.batches > 0)) return '—';
  return String(Number((q.requests / q.batches).toFixed(2)));
}

/** Counters with thousands separators: `12,345`. */
export function formatCounter(n: number | undefined): string {
  return n === undefined || !Number.isFinite(n) ? '—' : n.toLocaleString('en-US');
}

/** `1 ms`, `250 ms`, `10 s`, `1.5 s`: configured delays and deadlines. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(2))} s` : `${ms} ms`;
}

export interface Endpoint {
  readonly protocol: string;
  readonly method: 'POST' | 'GET';
  readonly url: string;
}

/** Where a deployment answers: KServe V2 (Open Inference Protocol) and MLflow's scoring protocol. */
export function deploymentEndpoints(origin: string, name: string): Endpoint[] {
  const base = origin.replace(/\/+$/, '');
  const n = encodeURIComponent(name);
  return [
    { protocol: 'KServe V2 (Open Inference Protocol)', method: 'POST', url: `${base}/v2/models/${n}/infer` },
    { protocol: 'MLflow scoring', method: 'POST', url: `${base}/deployments/${n}/invocations` },
  ];
}

/** Where an LLM deployment answers: the OpenAI-compatible API, the deployment's name being the `model` field. */
export function llmEndpoints(origin: string): Endpoint[] {
  const v1 = `${origin.replace(/\/+$/, '')}/v1`;
  return [
    { protocol: 'OpenAI chat completions', method: 'POST', url: `${v1}/chat/completions` },
    { protocol: 'OpenAI completions', method: 'POST', url: `${v1}/completions` },
    { protocol: 'OpenAI models', method: 'GET', url: `${v1}/models` },
  ];
}
