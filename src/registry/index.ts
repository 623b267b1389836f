export { RegistryService, type ModelInspector } from './registry-service.js';
export { LoggedModelService, parseLoggedModelStatus } from './logged-model-service.js';
export { parseModelRef, type ModelRef } from './model-uri.js';
export { resolveModelSource, type ResolvedSource } from './source-resolver.js';
export { REGISTRY_LIMITS, validateAlias, validateModelName, validateVersion } from './registry-validation.js';
export { GovernanceService, type LineageGraph, type LineageGraphNode } from './governance-service.js';
export { storedModelInspector } from './stored-model-inspector.js';
