import { insufficient, invalidInput } from '../../stats/errors.js';

/**
 * Ranks 1…n of `scores`, tied scores sharing the mean of their ranks (scipy's `rankdata(method="average")`).
 */
export function midranks(scores: ArrayLike<number>): Float64Array {
  const n = scores.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => scores[a]! - scores[b]!);
  const ranks = new Float64Array(n);
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && scores[order[j]!] === scores[order[i]!]) j++;
    const r = (i + 1 + j) / 2; // mean of ranks i+1 … j
    for (let k = i; k < j; k++) ranks[order[k]!] = r;
    i = j;
  }
  return ranks;
}

function checkBinary(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  if (labels.length !== scores.length) throw invalidInput(`ROC AUC needs one score per label: ${labels.length} labels, ${scores.length} scores`);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 0 && labels[i] !== 1) throw invalidInput(`label ${i} is ${labels[i]}: ROC AUC takes labels 0 and 1`);
    if (!Number.isFinite(scores[i])) throw invalidInput(`score ${i} is ${scores[i]}: only finite scores can be ranked`);
    positives += labels[i]!;
  }
  if (positives === 0 || positives === labels.length) throw insufficient('Only one class present in the labels: ROC AUC is not defined in that case');
  return positives;
}

/** Sum of the ranks of the rows labelled 1. */
function positiveRankSum(labels: ArrayLike<number>, ranks: Float64Array): number {
  let s = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) s += ranks[i]!;
  return s;
}

/**
 * Area under the ROC curve of `scores` for binary `labels` (1 = positive), equal to scikit-learn's `roc_auc_score`:
 * the probability that a random positive scores above a random negative, a tie counting one half — computed as the
 * Mann–Whitney U of the positives' midranks, U / (n₁ n₀), which is the same number as the trapezoidal area scikit-learn
 * sums over distinct thresholds. Throws INSUFFICIENT_DATA when only one class is present (scikit-learn's ValueError),
 * INVALID_INPUT for labels other than 0 / 1 or non-finite scores.
 */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const n1 = checkBinary(labels, scores);
  const n0 = labels.length - n1;
  return (positiveRankSum(labels, midranks(scores)) - (n1 * (n1 + 1)) / 2) / (n1 * n0);
}

/**
 * How often a classifier that ranks the rows at random does at least as well as `scores`: the share of `iterations`
 * random relabellings (each a uniformly random choice of which rows carry label 1, as many as `labels` has) whose ROC
 * AUC is at least the observed one. The random classifier keeps the observed scores, ties included, so this is a
 * Monte Carlo permutation test of "the scores say nothing about the labels"; it can be 0 (no random AUC reached the
 * observed one in `iterations` tries, i.e. p < 1/iterations). Comparisons are made on rank sums (multiples of ½,
 * exact in floating point), so a random AUC equal to the observed one is counted as such.
 */
export function rocAucPermutationPValue(labels: ArrayLike<number>, scores: ArrayLike<number>, random: () => number, iterations = 1000): number {
  const n1 = checkBinary(labels, scores);
  const n = labels.length;
  const ranks = midranks(scores);
  const observed = positiveRankSum(labels, ranks);
  const total = (n * (n + 1)) / 2;
  // Draw the smaller class: with m rows drawn as class 1 (or class 0), R₁ = Σ drawn (or total − Σ drawn).
  const drawOnes = n1 <= n - n1;
  const m = drawOnes ? n1 : n - n1;
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  let atLeast = 0;
  for (let it = 0; it < iterations; it++) {
    let s = 0;
    for (let k = 0; k < m; k++) {
      const j = k + Math.floor(random() * (n - k));
      const t = idx[k]!;
      idx[k] = idx[j]!;
      idx[j] = t;
      s += ranks[idx[k]!]!;
    }
    if ((drawOnes ? s : total - s) >= observed) atLeast++;
  }
  return atLeast / iterations;
}
