// Model performance over time: scikit-learn's metrics per chunk, NannyML's chunking, thresholds and sampling errors,
// and Confidence-Based Performance Estimation for rows whose labels have not arrived yet.
// calibration.ts and cbpe.ts also export helpers shared among the CBPE modules; only their public names are listed here.
export * from './metrics.js';
export * from './bands.js';
export {
  binIndexEdges,
  calibrationCheck,
  expectedCalibrationError,
  fitIsotonic,
  predictIsotonic,
  stratifiedShuffleSplit,
  type CalibrationCheck,
  type IsotonicModel,
} from './calibration.js';
export {
  BINARY_METRICS,
  binarySamplingComponents,
  estimateBinary,
  estimateCbpe,
  estimateRocAuc,
  fitCbpe,
  MULTICLASS_METRICS,
  realizedBinary,
  type BinaryCbpe,
  type BinaryEstimate,
  type BinaryMetric,
  type BinaryRows,
  type Calibration,
  type CbpeOptions,
  type ChunkResult,
  type MetricResult,
  type MulticlassMetric,
} from './cbpe.js';
export * from './cbpe-multiclass.js';
