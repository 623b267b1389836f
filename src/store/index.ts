export type { Store, ExperimentStore, RunStore, MetricStore, RunSearchQuery } from './store.js';
export * from './types.js';
export { createStore } from './create-store.js';
export { SqlStore } from './sql/sql-store.js';
