import type { DeploymentConfig } from '../store/index.js';

/** What a request used, as the cost model prices it. */
export interface Usage {
  /** HTTP status it ended with: only an answered request (below 400) pays per request and per compute-second. */
  status: number;
  promptTokens: number;
  completionTokens: number;
  /** Request time (arrival to last byte), the compute-seconds it held. */
  seconds: number;
}

/**
 * The USD cost of one request under the deployment's cost model: per request, per 1,000 input and output tokens, per
 * compute-second. Tokens are charged whatever the outcome (a stream whose client left, or whose deadline passed,
 * still had them processed, as hosted LLM APIs bill them); the per-request and per-second prices only when the
 * request was answered, so refusals and errors, which have no tokens, cost nothing.
 */
export function requestCost(c: DeploymentConfig, u: Usage): number {
  const tokens = (u.promptTokens / 1000) * c.costPer1kInputTokens + (u.completionTokens / 1000) * c.costPer1kOutputTokens;
  return u.status < 400 ? tokens + c.costPerRequest + u.seconds * c.costPerComputeSecond : tokens;
}
