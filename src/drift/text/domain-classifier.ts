import { insufficient, invalidInput } from '../../stats/errors.js';
import { seededRandom, shuffleInPlace } from './logistic.js';
import { rocAuc, rocAucPermutationPValue } from './roc-auc.js';

/**
 * Drift found by a domain classifier, as Evidently detects it in text and embedding columns: reference rows are
 * labelled 0 and current rows 1, a classifier learns on half of them and is scored on the other half; when it can tell
 * the two apart, the data have drifted.
 */
export interface DomainClassifierResult {
  /**
   * `roc_auc` with more than 1,000 reference rows: the score is the ROC AUC, drifted when above the threshold
   * (default 0.55). `roc_auc_permutation` with 1,000 or fewer: the score is the p-value of the AUC against random
   * classifiers (`rocAucPermutationPValue`, 1,000 relabellings), drifted when below the threshold (default 0.05).
   */
  method: 'roc_auc' | 'roc_auc_permutation';
  /** ROC AUC of the classifier on the held-out rows (1 = current rows always ranked above reference rows). */
  rocAuc: number;
  /** The AUC, or the p-value. */
  score: number;
  threshold: number;
  drifted: boolean;
  /** Words most typical of the reference: the most negative weights of the classifier (up to 10). */
  referenceWords: string[];
  /** Words most typical of the current data: the most positive weights (up to 10). */
  currentWords: string[];
  /** Held-out reference rows the classifier was surest were reference rows (up to 5 distinct, 200 characters at most). */
  referenceExamples: string[];
  currentExamples: string[];
  trainRows: number;
  testRows: number;
}

/** What every domain classifier reports (embedding columns have no words or examples). */
export type DomainClassifierScore = Omit<DomainClassifierResult, 'referenceWords' | 'currentWords' | 'referenceExamples' | 'currentExamples'>;

export interface DomainClassifierOptions {
  /** Default 0.55 (an AUC) above 1,000 reference rows, 0.05 (a p-value) otherwise. */
  threshold?: number;
  /** Seeds the sampling, the split, the classifier's shuffles and the random classifiers; default 42 (Evidently's). */
  seed?: number;
  /** Most rows taken from each side (a seeded random sample beyond it); default 20,000. */
  maxRows?: number;
}

/** Reference rows above which the AUC is compared with a fixed threshold (Evidently's switch). */
export const LARGE_REFERENCE = 1000;
export const AUC_THRESHOLD = 0.55;
export const P_VALUE_THRESHOLD = 0.05;
export const DEFAULT_MAX_ROWS = 20_000;
/** Fewest rows on each side: five to learn from and five to test on. */
export const MIN_ROWS = 10;
const RANDOM_CLASSIFIERS = 1000;

/** Half the (sampled) rows of each side to learn from, the other half to score. Label 0 = reference, 1 = current. */
export interface DomainSplit<T> {
  train: T[];
  trainLabels: Uint8Array;
  test: T[];
  testLabels: Uint8Array;
}

/** Takes at most `maxRows` of `rows` at random and splits them in two halves, the test half getting the odd one. */
function sampleAndSplit<T>(rows: readonly T[], maxRows: number, random: () => number): { train: T[]; test: T[] } {
  const order = new Int32Array(rows.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  shuffleInPlace(order, random);
  const k = Math.min(rows.length, maxRows);
  const nTest = Math.ceil(k / 2);
  const test: T[] = [];
  const train: T[] = [];
  for (let i = 0; i < k; i++) (i < nTest ? test : train).push(rows[order[i]!]!);
  return { train, test };
}

/**
 * Runs a domain classifier: checks sizes, samples each side down to `maxRows`, splits each side in halves (a
 * stratified 50/50 split: Evidently's `train_test_split` shuffles both sides together, so its halves hold the two
 * sides in proportions that vary a little with the seed), lets `fit` learn on the training half and score the test
 * half (higher = more like the current data), and judges the scores as `DomainClassifierResult.method` says.
 * The AUC / p-value choice follows the reference's full size, before sampling, as Evidently's.
 */
export function domainClassifier<T, M>(
  reference: readonly T[],
  current: readonly T[],
  opts: DomainClassifierOptions,
  fit: (split: DomainSplit<T>, seed: number) => { model: M; scores: Float64Array },
): { result: DomainClassifierScore; model: M; split: DomainSplit<T>; scores: Float64Array } {
  for (const [side, rows] of [['reference', reference], ['current', current]] as const) {
    if (rows.length < MIN_ROWS) throw insufficient(`the ${side} has ${rows.length} row${rows.length === 1 ? '' : 's'}; a domain classifier needs at least ${MIN_ROWS} on each side`);
  }
  const seed = opts.seed ?? 42;
  const maxRows = opts.maxRows ?? DEFAULT_MAX_ROWS;
  if (!Number.isInteger(maxRows) || maxRows < MIN_ROWS) throw invalidInput(`maxRows must be a whole number of at least ${MIN_ROWS}; it is ${maxRows}`);
  const large = reference.length > LARGE_REFERENCE;
  const threshold = opts.threshold ?? (large ? AUC_THRESHOLD : P_VALUE_THRESHOLD);
  if (!Number.isFinite(threshold)) throw invalidInput(`the threshold must be a finite number; it is ${threshold}`);

  const random = seededRandom(seed);
  const ref = sampleAndSplit(reference, maxRows, random);
  const cur = sampleAndSplit(current, maxRows, random);
  const labels = (zeros: number, ones: number) => {
    const l = new Uint8Array(zeros + ones);
    l.fill(1, zeros);
    return l;
  };
  const split: DomainSplit<T> = {
    train: [...ref.train, ...cur.train],
    trainLabels: labels(ref.train.length, cur.train.length),
    test: [...ref.test, ...cur.test],
    testLabels: labels(ref.test.length, cur.test.length),
  };
  const { model, scores } = fit(split, seed + 1);
  const auc = rocAuc(split.testLabels, scores);
  const score = large ? auc : rocAucPermutationPValue(split.testLabels, scores, seededRandom(seed + 2), RANDOM_CLASSIFIERS);
  return {
    result: {
      method: large ? 'roc_auc' : 'roc_auc_permutation',
      rocAuc: auc,
      score,
      threshold,
      drifted: large ? auc > threshold : score < threshold,
      trainRows: split.train.length,
      testRows: split.test.length,
    },
    model,
    split,
    scores,
  };
}
