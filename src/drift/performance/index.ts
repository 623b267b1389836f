// Model performance over time: scikit-learn's metrics per chunk, NannyML's chunking, thresholds and sampling errors,
// and Confidence-Based Performance Estimation for rows whose labels have not arrived yet.
export * from './metrics.js';
export * from './bands.js';
export * from './cbpe.js';
