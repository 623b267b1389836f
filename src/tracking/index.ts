export { ExperimentService } from './experiment-service.js';
export { RunService } from './run-service.js';
export { LIMITS } from './limits.js';
export * from './search/index.js';
