import type { DeploymentConfig } from '../store/index.js';

/** What a request used, as the cost model prices it. */
export interface Usage {
  promptTokens: number;
  completionTokens: number;
  /** Request time (arrival to last byte), the compute-seconds it held. */
  seconds: number;
}

/** The USD cost of one request under the deployment's cost model: per request, per 1,000 input and output tokens, per compute-second. */
export function requestCost(c: DeploymentConfig, u: Usage): number {
  return c.costPerRequest + (u.promptTokens / 1000) * c.costPer1kInputTokens + (u.completionTokens / 1000) * c.costPer1kOutputTokens + u.seconds * c.costPerComputeSecond;
}
