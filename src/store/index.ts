export type { Store, ExperimentStore, RunStore, MetricStore, RunSearchQuery, RegistryStore, LoggedModelStore, SearchPage } from './store.js';
export * from './types.js';
export * from './registry-types.js';
export { createStore } from './create-store.js';
export { SqlStore } from './sql/sql-store.js';
