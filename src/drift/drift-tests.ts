import { andersonKSamp, chiSquare, cramerVonMises2Samp, fisherExact, ks2sampSorted, mannWhitneyU, proportionsZTest, welchTTest } from '../stats/index.js';
import { energyDistance, hellingerDistance, jensenShannonDrift, klDrift, MMD_MAX_POINTS, mmdTest, psiDrift, wassersteinSorted } from '../stats/distances.js';
import { sampleOf } from '../core/prng.js';
import { insufficient } from '../stats/errors.js';
import { embeddingDrift, textDrift, type DomainClassifierResult } from './text/index.js';
import type { ColumnKind } from './column-kind.js';
import type { ColumnValues } from './column-values.js';

/** How a test's score reads: a p-value drifts below its threshold; a distance (or a classifier's ROC AUC) at or above it. */
export type ScoreKind = 'p_value' | 'distance';

export interface TestOutcome {
  score: number;
  /** `p_value` unless the test says otherwise (a text column's AUC test is a distance-like score). */
  scoreKind?: ScoreKind;
  /** What a domain classifier found (text and embedding columns). */
  classifier?: DomainClassifierResult | Omit<DomainClassifierResult, 'referenceWords' | 'currentWords' | 'referenceExamples' | 'currentExamples'>;
}

export interface DriftTest {
  /** The name users pass (`--test ks`), Evidently's where it has one. */
  name: string;
  title: string;
  kinds: readonly ColumnKind[];
  scoreKind: ScoreKind;
  defaultThreshold: number;
  /** The default with 1,000 reference values or fewer, when it differs (a classifier's p-value instead of its AUC). */
  smallReferenceThreshold?: number;
  run(v: ColumnValues, threshold: number, seed: number): TestOutcome;
}

const p = (score: number): TestOutcome => ({ score });

/** Category counts of both sides as a 2×2 table for Fisher's exact test; more than two categories cannot be tested so. */
function twoByTwo(v: ColumnValues): [[number, number], [number, number]] {
  const keys = [...v.counts().keys()];
  if (keys.length > 2) throw insufficient(`Fisher's exact test takes two categories; this column has ${keys.length}`);
  const counts = v.counts();
  const first: [number, number] = counts.get(keys[0]!) ?? [0, 0];
  const second: [number, number] = keys[1] === undefined ? [0, 0] : counts.get(keys[1])!;
  // Evidently's layout: [[current first, current second], [reference first, reference second]].
  return [
    [first[1], second[1]],
    [first[0], second[0]],
  ];
}


/** Two-proportion z-test on a column of at most two categories: the share of the first (sorted) category on each side. */
function zTest(v: ColumnValues): number {
  const counts = v.counts();
  const keys = [...counts.keys()].sort();
  if (keys.length > 2) throw insufficient(`the z-test takes at most two categories; this column has ${keys.length}`);
  const [refFirst, curFirst] = counts.get(keys[0]!)!;
  return proportionsZTest(refFirst, v.referenceCount, curFirst, v.currentCount).pvalue;
}

/** Pearson's chi-square of the current counts against the reference shares scaled to the current size (Evidently's). */
function chiSquareTest(v: ColumnValues): number {
  const scale = v.currentCount / v.referenceCount;
  const observed: number[] = [];
  const expected: number[] = [];
  for (const [ref, cur] of v.counts().values()) {
    observed.push(cur);
    expected.push(ref * scale);
  }
  return chiSquare(observed, expected).pvalue;
}

/** Every test the drift report knows, by name. */
export const DRIFT_TESTS: readonly DriftTest[] = [
  { name: 'ks', title: 'K-S p_value', kinds: ['num'], scoreKind: 'p_value', defaultThreshold: 0.05, run: (v) => p(ks2sampSorted(v.sortedReference(), v.sortedCurrent()).pvalue) },
  { name: 'chisquare', title: 'chi-square p_value', kinds: ['cat'], scoreKind: 'p_value', defaultThreshold: 0.05, run: (v) => p(chiSquareTest(v)) },
  { name: 'z', title: 'Z-test p_value', kinds: ['cat'], scoreKind: 'p_value', defaultThreshold: 0.05, run: (v) => p(zTest(v)) },
  {
    name: 'wasserstein',
    title: 'Wasserstein distance (normed)',
    kinds: ['num'],
    scoreKind: 'distance',
    defaultThreshold: 0.1,
    run: (v) => ({ score: wassersteinSorted(v.sortedReference(), v.sortedCurrent()) / Math.max(v.referenceStd(), 0.001), scoreKind: 'distance' }),
  },
  { name: 'jensenshannon', title: 'Jensen-Shannon distance', kinds: ['cat', 'num'], scoreKind: 'distance', defaultThreshold: 0.1, run: (v) => ({ score: jensenShannonDrift(v.reference(), v.current(), v.binningKind), scoreKind: 'distance' }) },
  { name: 'psi', title: 'PSI', kinds: ['cat', 'num'], scoreKind: 'distance', defaultThreshold: 0.1, run: (v) => ({ score: psiDrift(v.reference(), v.current(), v.binningKind), scoreKind: 'distance' }) },
  { name: 'kl_div', title: 'Kullback-Leibler divergence', kinds: ['cat', 'num'], scoreKind: 'distance', defaultThreshold: 0.1, run: (v) => ({ score: klDrift(v.reference(), v.current(), v.binningKind), scoreKind: 'distance' }) },
  { name: 'hellinger', title: 'Hellinger distance', kinds: ['cat', 'num'], scoreKind: 'distance', defaultThreshold: 0.1, run: (v) => ({ score: hellingerDistance(v.reference(), v.current(), v.binningKind), scoreKind: 'distance' }) },
  { name: 'energy_distance', title: 'Energy distance', kinds: ['num'], scoreKind: 'distance', defaultThreshold: 0.1, run: (v) => ({ score: energyDistance(v.sortedReference(), v.sortedCurrent()), scoreKind: 'distance' }) },
  { name: 'mannw', title: 'Mann-Whitney U-rank test', kinds: ['num'], scoreKind: 'p_value', defaultThreshold: 0.05, run: (v) => p(mannWhitneyU(v.sortedReference(), v.sortedCurrent()).pvalue) },
  { name: 'anderson', title: 'Anderson-Darling test p_value', kinds: ['num'], scoreKind: 'p_value', defaultThreshold: 0.05, run: (v) => p(andersonKSamp([v.sortedReference(), v.sortedCurrent()]).pvalue) },
  { name: 'cramer_von_mises', title: 'Cramer-von Mises p_value', kinds: ['num'], scoreKind: 'p_value', defaultThreshold: 0.05, run: (v) => p(cramerVonMises2Samp(v.sortedReference(), v.sortedCurrent()).pvalue) },
  { name: 't_test', title: "Welch's t-test p_value", kinds: ['num'], scoreKind: 'p_value', defaultThreshold: 0.05, run: (v) => p(welchTTest(v.sortedReference(), v.sortedCurrent()).pvalue) },
  { name: 'fisher_exact', title: "Fisher's exact test p_value", kinds: ['cat'], scoreKind: 'p_value', defaultThreshold: 0.05, run: (v) => p(fisherExact(twoByTwo(v)).pvalue) },
  {
    name: 'mmd',
    title: 'MMD (RBF kernel) permutation p_value',
    kinds: ['num', 'embedding'],
    scoreKind: 'p_value',
    defaultThreshold: 0.05,
    run: (v, _t, seed) => p(mmdTest(sampleOf(v.vectorsReference(), MMD_MAX_POINTS / 2, seed), sampleOf(v.vectorsCurrent(), MMD_MAX_POINTS / 2, seed + 1), { seed }).pvalue),
  },
  {
    name: 'text_content_drift',
    title: 'Text content drift (domain classifier)',
    kinds: ['text'],
    scoreKind: 'distance',
    defaultThreshold: 0.55,
    smallReferenceThreshold: 0.05,
    run: (v, threshold, seed) => {
      const r = textDrift(v.texts('reference'), v.texts('current'), { threshold, seed });
      return { score: r.score, scoreKind: r.method === 'roc_auc' ? 'distance' : 'p_value', classifier: r };
    },
  },
  {
    name: 'embedding_classifier',
    title: 'Embedding drift (domain classifier)',
    kinds: ['embedding'],
    scoreKind: 'distance',
    defaultThreshold: 0.55,
    smallReferenceThreshold: 0.05,
    run: (v, threshold, seed) => {
      const r = embeddingDrift(v.vectorsReference(), v.vectorsCurrent(), { threshold, seed });
      return { score: r.score, scoreKind: r.method === 'roc_auc' ? 'distance' : 'p_value', classifier: r };
    },
  },
];

export const TEST_NAMES = DRIFT_TESTS.map((t) => t.name);

export function driftTest(name: string): DriftTest | undefined {
  return DRIFT_TESTS.find((t) => t.name === name);
}

/** A test's own threshold for a column with `referenceCount` values. */
export function defaultThresholdOf(t: DriftTest, referenceCount: number): number {
  return t.smallReferenceThreshold !== undefined && referenceCount <= LARGE_REFERENCE ? t.smallReferenceThreshold : t.defaultThreshold;
}

/** Reference rows above which Evidently switches from hypothesis tests to distances. */
export const LARGE_REFERENCE = 1000;

/**
 * The test Evidently picks for a column by default: with 1,000 reference values or fewer, K-S for numerical columns
 * with more than 5 distinct values (over both sides), else chi-square (more than 2 categories) or the z-test; above
 * 1,000, the normed Wasserstein distance for such numerical columns, else Jensen–Shannon. Text and embedding columns
 * get the domain classifier (ROC AUC above 0.55 above 1,000 reference rows; a p-value against random classifiers below).
 */
export function defaultTest(kind: ColumnKind, referenceCount: number, distinct: number): DriftTest {
  const name =
    kind === 'text'
      ? 'text_content_drift'
      : kind === 'embedding'
        ? 'embedding_classifier'
        : referenceCount <= LARGE_REFERENCE
          ? kind === 'num' && distinct > 5
            ? 'ks'
            : distinct > 2
              ? 'chisquare'
              : 'z'
          : kind === 'num' && distinct > 5
            ? 'wasserstein'
            : 'jensenshannon';
  return driftTest(name)!;
}
