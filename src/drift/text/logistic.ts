import { mulberry32 } from '../../core/prng.js';
/**
 * A linear classifier trained by stochastic gradient descent the way scikit-learn's `SGDClassifier` trains one (its
 * `_plain_sgd` loop), which is what Evidently fits in its domain classifiers:
 *
 * - labels 0 / 1 read as y = −1 / +1; the decision is `w·x + b`;
 * - `optimal` learning rate: η_t = 1 / (α (t₀ + t − 1)), t counting samples from 1, t₀ = 1 / (η₀ α) with
 *   η₀ = √(1/√α) / max(1, loss′(y=1, p=−√(1/√α))) so the first step has size η₀;
 * - per sample: loss′ clipped to ±1e12, `update = −η loss′`; the L2 penalty shrinks the weights by (1 − η α) first
 *   (through a scale factor, so a sparse step stays sparse); then `w += update·x`, `b += update·decay` (`decay` 0.01 for
 *   sparse rows, 1 for dense, as scikit-learn); the L1 penalty is the cumulative truncated gradient of Tsuruoka et al.
 *   (2009), applied to the features of the sample just seen;
 * - every epoch visits the rows in a new seeded order; training stops after `maxEpochs`, or when the summed loss of an
 *   epoch has not improved on the best by more than `tol · n` for `nIterNoChange` epochs in a row;
 * - optionally (`average`, dense rows) the model returned is the mean of the weights after every step, as
 *   scikit-learn's `average=True` (averaged SGD).
 *
 * The classifier need not reproduce scikit-learn's coefficients: its shuffles come from numpy's generator, ours from
 * mulberry32, so the weights (and a domain classifier's ROC AUC, in its later decimals) differ from a Python run on the
 * same data. It is deterministic: the same rows, labels and seed give the same model on every machine.
 */

/** Rows in compressed sparse row form: row i's non-zeros are `values[indptr[i]..indptr[i+1])` at columns `indices[…]`. */
export interface CsrRows {
  kind: 'csr';
  rows: number;
  cols: number;
  indptr: Int32Array;
  indices: Int32Array;
  values: Float64Array;
}

/** Dense rows, each `cols` numbers long (embeddings: the caller's arrays, not copied). */
export interface DenseRows {
  kind: 'dense';
  rows: number;
  cols: number;
  data: readonly ArrayLike<number>[];
}

export type Rows = CsrRows | DenseRows;

export type Loss = 'log' | 'modified_huber';

export interface SgdOptions {
  /** `log` (logistic regression, the default) or `modified_huber` (Evidently's text classifier). */
  loss?: Loss;
  /** `l2` (the default) or `l1` (sparse weights: the words that tell the two sides apart). */
  penalty?: 'l1' | 'l2';
  /** Regularisation strength α; default 1e-4, scikit-learn's. */
  alpha?: number;
  /** Most passes over the rows; default 50 (Evidently's `max_iter` for text). */
  maxEpochs?: number;
  /** Default 1e-3, scikit-learn's. */
  tol?: number;
  /** Default 5, scikit-learn's. */
  nIterNoChange?: number;
  /**
   * Return the average of the weights over every step (averaged SGD, scikit-learn's `average=True`) instead of the
   * last ones: far less noisy when a few epochs of large steps cannot settle. Dense rows only (each step then costs a
   * pass over the weights, which dense rows pay anyway).
   */
  average?: boolean;
  seed?: number;
}

export interface LinearModel {
  weights: Float64Array;
  intercept: number;
  /** Passes over the rows made. */
  epochs: number;
}

/** A small seeded generator (mulberry32): uniform numbers in [0, 1), the same sequence for the same seed everywhere. */
export const seededRandom = mulberry32;

/** Fisher–Yates shuffle of `xs` in place with `random`. */
export function shuffleInPlace<T extends { length: number; [i: number]: number }>(xs: T, random: () => number): T {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = xs[i]!;
    xs[i] = xs[j]!;
    xs[j] = t;
  }
  return xs;
}

/** Loss and its derivative in p for y ∈ {−1, +1}, as scikit-learn's `Log` and `ModifiedHuber`. */
function lossOf(loss: Loss, y: number, p: number): number {
  const z = p * y;
  if (loss === 'log') {
    if (z > 18) return Math.exp(-z);
    if (z < -18) return -z;
    return Math.log1p(Math.exp(-z));
  }
  if (z >= 1) return 0;
  if (z >= -1) return (1 - z) * (1 - z);
  return -4 * z;
}

function dlossOf(loss: Loss, y: number, p: number): number {
  const z = p * y;
  if (loss === 'log') {
    if (z > 18) return Math.exp(-z) * -y;
    if (z < -18) return -y;
    return -y / (Math.exp(z) + 1);
  }
  if (z >= 1) return 0;
  if (z >= -1) return -2 * (1 - z) * y;
  return -4 * y;
}

const MAX_DLOSS = 1e12;

/**
 * The L1 step of the truncated gradient (the weights' scale stays 1 under L1): weight j moves towards zero by what it
 * is still owed, `u` having accumulated the penalty every weight could have received and `q[j]` what j received.
 */
function truncate(w: Float64Array, q: Float64Array, j: number, u: number): void {
  const z = w[j]!;
  if (z > 0) w[j] = Math.max(0, z - (u + q[j]!));
  else if (z < 0) w[j] = Math.min(0, z + (u - q[j]!));
  q[j]! += w[j]! - z;
}

/** Σ_j x_ij w_j. */
function dotRow(x: Rows, i: number, w: Float64Array): number {
  let s = 0;
  if (x.kind === 'csr') {
    for (let k = x.indptr[i]!, end = x.indptr[i + 1]!; k < end; k++) s += x.values[k]! * w[x.indices[k]!]!;
  } else {
    const row = x.data[i]!;
    for (let j = 0; j < x.cols; j++) s += row[j]! * w[j]!;
  }
  return s;
}

/**
 * Trains a binary linear classifier (labels 0 and 1) by SGD as described at the top of this file. Rows with label 1 get
 * positive decisions when the model can tell them apart.
 */
export function trainLogistic(x: Rows, labels: ArrayLike<number>, opts: SgdOptions = {}): LinearModel {
  const loss = opts.loss ?? 'log';
  const l1 = opts.penalty === 'l1';
  const alpha = opts.alpha ?? 1e-4;
  const maxEpochs = opts.maxEpochs ?? 50;
  const tol = opts.tol ?? 1e-3;
  const nIterNoChange = opts.nIterNoChange ?? 5;
  const decay = x.kind === 'csr' ? 0.01 : 1;
  const n = x.rows;
  const d = x.cols;
  const w = new Float64Array(d);
  const q = l1 ? new Float64Array(d) : undefined; // the L1 penalty each weight has received so far
  let wscale = 1;
  let b = 0;
  let u = 0; // the L1 penalty each weight could have received so far
  const typw = Math.sqrt(1 / Math.sqrt(alpha));
  const eta0 = typw / Math.max(1, dlossOf(loss, 1, -typw));
  const optimalInit = 1 / (eta0 * alpha);
  let t = 1;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const random = seededRandom(opts.seed ?? 42);
  if (opts.average && x.kind !== 'dense') throw new Error('averaged SGD is implemented for dense rows only');
  const avg = opts.average ? new Float64Array(d) : undefined;
  let avgB = 0;
  let bestLoss = Infinity;
  let noImprovement = 0;
  let epoch = 0;

  const resetScale = () => {
    for (let j = 0; j < d; j++) w[j]! *= wscale;
    wscale = 1;
  };

  while (epoch < maxEpochs) {
    epoch++;
    shuffleInPlace(order, random);
    let sumLoss = 0;
    for (let r = 0; r < n; r++) {
      const i = order[r]!;
      const y = labels[i] === 1 ? 1 : -1;
      const p = dotRow(x, i, w) * wscale + b;
      const eta = 1 / (alpha * (optimalInit + t - 1));
      sumLoss += lossOf(loss, y, p);
      const dloss = Math.min(MAX_DLOSS, Math.max(-MAX_DLOSS, dlossOf(loss, y, p)));
      const update = -eta * dloss;
      if (!l1) {
        wscale *= Math.max(0, 1 - eta * alpha);
        if (wscale < 1e-9) resetScale();
      }
      if (update !== 0) {
        const a = update / wscale;
        if (x.kind === 'csr') {
          for (let k = x.indptr[i]!, end = x.indptr[i + 1]!; k < end; k++) w[x.indices[k]!]! += a * x.values[k]!;
        } else {
          const row = x.data[i]!;
          for (let j = 0; j < d; j++) w[j]! += a * row[j]!;
        }
        b += update * decay;
      }
      if (q) {
        u += eta * alpha;
        if (x.kind === 'csr') for (let k = x.indptr[i]!, end = x.indptr[i + 1]!; k < end; k++) truncate(w, q, x.indices[k]!, u);
        else for (let j = 0; j < d; j++) truncate(w, q, j, u);
      }
      if (avg) {
        // Running mean of the actual weights (w · wscale) and intercept over steps 1…t.
        const k = 1 / t;
        for (let j = 0; j < d; j++) avg[j]! += (w[j]! * wscale - avg[j]!) * k;
        avgB += (b - avgB) * k;
      }
      t++;
    }
    if (!Number.isFinite(b) || !Number.isFinite(wscale)) break;
    if (sumLoss > bestLoss - tol * n) noImprovement++;
    else noImprovement = 0;
    if (sumLoss < bestLoss) bestLoss = sumLoss;
    if (noImprovement >= nIterNoChange) break;
  }
  if (avg) return { weights: avg, intercept: avgB, epochs: epoch };
  resetScale();
  return { weights: w, intercept: b, epochs: epoch };
}

/** `w·x + b` for every row: larger means more like label 1. */
export function decisionFunction(model: LinearModel, x: Rows): Float64Array {
  const out = new Float64Array(x.rows);
  for (let i = 0; i < x.rows; i++) out[i] = dotRow(x, i, model.weights) + model.intercept;
  return out;
}
