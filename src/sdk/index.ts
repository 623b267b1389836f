export { PitwallClient } from './client.js';
export type * from './options.js';
export { PitwallApiError, PitwallNetworkError, isNotFound } from './errors.js';
export { startRun, sourceTags, RUN_TAG, type StartRunOptions } from './run.js';
export { ActiveRun, MAX_METRICS_PER_BATCH, MAX_PARAMS_TAGS_PER_BATCH, type ActiveRunOptions } from './active-run.js';
export { SystemMetricsSampler, SYSTEM_METRIC, parseNvidiaSmi, type SystemMetricsSamplerOptions } from './system-metrics.js';
export { readGitInfo, type GitInfo } from './git-info.js';
export { encodeMetricValue, decodeMetricValue } from './wire.js';
export type * from './types.js';
