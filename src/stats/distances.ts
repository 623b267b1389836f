// The distances and divergences of drift detection (Evidently's definitions, SciPy's computations).
export { binnedPercents, MAX_VALUES_BINNED_BY_VALUE, type BinnedPercents, type BinningKind, type CategoryKey, type ColumnSample } from './binning.js';
export { hellingerDistance, jensenShannonDistance, jensenShannonDrift, klDivergence, klDrift, psi, psiDrift } from './divergence.js';
export { energyDistance, energyDistanceSorted } from './energy.js';
export { histogram, histogramBinEdges, type BinEdgesOptions } from './histogram.js';
export { MEDIAN_HEURISTIC_POINTS, MMD_MAX_POINTS, mmdTest, type MmdOptions, type MmdResult, type Points } from './mmd.js';
export type { Numbers } from './sorted.js';
export { wasserstein1d, wassersteinNormed, wassersteinSorted } from './wasserstein.js';
