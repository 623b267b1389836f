export {
  AUC_THRESHOLD,
  DEFAULT_MAX_ROWS,
  LARGE_REFERENCE,
  MIN_ROWS,
  P_VALUE_THRESHOLD,
  type DomainClassifierOptions,
  type DomainClassifierResult,
  type DomainClassifierScore,
} from './domain-classifier.js';
export { embeddingDrift, type EmbeddingDriftResult } from './embedding-drift.js';
export { rocAuc } from './roc-auc.js';
export { textDescriptors, textDrift, type DescriptorSample, type TextDescriptors } from './text-drift.js';
