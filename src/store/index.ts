export type { Store, ExperimentStore, RunStore, MetricStore, RunSearchQuery, RegistryStore, LoggedModelStore, DeploymentStore, PredictionStore, SearchPage } from './store.js';
export * from './types.js';
export * from './registry-types.js';
export * from './deployment-types.js';
export * from './prediction-types.js';
export { createStore, storeStatus, redactUri, isPostgresUri } from './create-store.js';
export type { StoreStatus } from './sql/store-status.js';
export { explainStoreError } from './unavailable.js';
export { SqlStore } from './sql/sql-store.js';
