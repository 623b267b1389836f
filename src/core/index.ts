export * from './errors/index.js';
export { newRunId, newUuid } from './ids.js';
export { type Clock, systemClock } from './clock.js';
