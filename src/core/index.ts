export * from './errors/index.js';
export { newPredictionId, newRunId, newUuid } from './ids.js';
export { type Clock, systemClock } from './clock.js';
