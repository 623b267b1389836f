// Performance metrics of one chunk of rows, as scikit-learn computes them (sklearn.metrics).
import { insufficient, invalidInput } from '../../stats/errors.js';

/** A class label: numbers or strings, not both in one column (scikit-learn refuses the mix too). */
export type Label = number | string;
export type Labels = readonly Label[] | ArrayLike<number>;

/** How precision, recall and F1 summarise: one positive class, or the unweighted mean over classes. */
export interface AverageOptions {
  /** 'binary' (the default, scikit-learn's average='binary') or 'macro'. */
  average?: 'binary' | 'macro';
  /** The positive class for 'binary' (scikit-learn's pos_label, default 1). */
  positive?: Label;
  /** The classes 'macro' averages over (scikit-learn's labels=); default: those in yTrue or yPred, sorted. */
  labels?: readonly Label[];
}

/** Labels sorted as numpy sorts them: numbers ascending, strings by code unit. */
export function sortLabels(labels: Iterable<Label>): Label[] {
  return [...labels].sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : a < b ? -1 : a > b ? 1 : 0));
}

function checkLabels(yTrue: Labels, yPred: Labels): void {
  if (yTrue.length !== yPred.length) throw invalidInput(`yTrue has ${yTrue.length} rows but yPred has ${yPred.length}`);
  if (yTrue.length === 0) throw insufficient('no rows: a metric of an empty chunk is not defined');
  let kind: string | undefined;
  for (const [name, ys] of [['yTrue', yTrue], ['yPred', yPred]] as const) {
    for (let i = 0; i < ys.length; i++) {
      const y = ys[i];
      if (typeof y === 'number' && !Number.isFinite(y)) throw invalidInput(`${name}[${i}] is ${y}: labels must be finite numbers or strings`);
      if (typeof y !== 'number' && typeof y !== 'string') throw invalidInput(`${name}[${i}] is ${String(y)}: labels must be numbers or strings`);
      kind ??= typeof y;
      if (typeof y !== kind) throw invalidInput(`${name}[${i}] is a ${typeof y} among ${kind} labels: a column takes one kind`);
    }
  }
}

/** `sklearn.metrics.accuracy_score(y_true, y_pred)`: the share of rows where the prediction equals the label. */
export function accuracy(yTrue: Labels, yPred: Labels): number {
  checkLabels(yTrue, yPred);
  let hits = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hits++;
  return hits / yTrue.length;
}

interface Counts {
  tp: number;
  pred: number; // tp + fp
  true: number; // tp + fn
}

/**
 * Per-class counts as `precision_recall_fscore_support` builds them, for the classes it would score: [positive]
 * for 'binary' (refusing a multiclass column or a positive label absent from two present ones, as scikit-learn does),
 * the given or present labels for 'macro'.
 */
function classCounts(yTrue: Labels, yPred: Labels, options: AverageOptions): Counts[] {
  checkLabels(yTrue, yPred);
  const present = new Set<Label>();
  for (let i = 0; i < yTrue.length; i++) present.add(yTrue[i]!).add(yPred[i]!);
  let classes: readonly Label[];
  if ((options.average ?? 'binary') === 'binary') {
    const positive = options.positive ?? 1;
    if (present.size > 2) throw invalidInput(`${present.size} classes but average='binary': choose average='macro'`);
    if (!present.has(positive) && present.size === 2) throw invalidInput(`positive=${positive} is not one of the labels ${sortLabels(present).join(', ')}`);
    classes = [positive];
  } else {
    classes = options.labels ?? sortLabels(present);
    if (classes.length === 0) throw invalidInput('labels is empty');
  }
  const index = new Map(classes.map((c, i) => [c, i]));
  const counts = classes.map(() => ({ tp: 0, pred: 0, true: 0 }));
  for (let i = 0; i < yTrue.length; i++) {
    const t = index.get(yTrue[i]!);
    const p = index.get(yPred[i]!);
    if (t !== undefined) counts[t]!.true++;
    if (p !== undefined) counts[p]!.pred++;
    if (t !== undefined && t === p) counts[t]!.tp++;
  }
  return counts;
}

const ratio = (num: number, den: number): number => (den === 0 ? 0 : num / den); // zero_division=0
const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

/**
 * `sklearn.metrics.precision_score(y_true, y_pred, pos_label=..., average=..., zero_division=0)`: tp / (tp + fp) of
 * the positive class, or its mean over the classes ('macro'); a class never predicted scores 0.
 */
export function precision(yTrue: Labels, yPred: Labels, options: AverageOptions = {}): number {
  return mean(classCounts(yTrue, yPred, options).map((c) => ratio(c.tp, c.pred)));
}

/** `sklearn.metrics.recall_score(..., zero_division=0)`: tp / (tp + fn), per class and averaged as `precision`. */
export function recall(yTrue: Labels, yPred: Labels, options: AverageOptions = {}): number {
  return mean(classCounts(yTrue, yPred, options).map((c) => ratio(c.tp, c.true)));
}

/**
 * `sklearn.metrics.f1_score(..., zero_division=0)`: 2·tp / (2·tp + fp + fn) per class, the form scikit-learn computes
 * (equal to the harmonic mean of precision and recall), averaged as `precision`.
 */
export function f1(yTrue: Labels, yPred: Labels, options: AverageOptions = {}): number {
  return mean(classCounts(yTrue, yPred, options).map((c) => ratio(2 * c.tp, c.true + c.pred)));
}

/**
 * `sklearn.metrics.roc_auc_score(y_true, y_score)` for two classes: the area under the ROC curve by trapezoids over
 * the distinct scores, so tied scores count half (the Mann–Whitney U / (n₊ n₋)). The positive class is `positive`,
 * by default the greater of the two labels (scikit-learn's choice). Throws INSUFFICIENT_DATA when yTrue holds one
 * class, INVALID_INPUT for more than two, NaN scores or mismatched lengths.
 */
export function rocAuc(yTrue: Labels, scores: ArrayLike<number>, positive?: Label): number {
  checkLabels(yTrue, yTrue);
  if (scores.length !== yTrue.length) throw invalidInput(`yTrue has ${yTrue.length} rows but scores has ${scores.length}`);
  const classes = sortLabels(new Set(Array.from(yTrue as ArrayLike<Label>)));
  if (classes.length > 2) throw invalidInput(`${classes.length} classes in yTrue: rocAuc scores two`);
  if (classes.length < 2) throw insufficient('only one class in yTrue: ROC AUC is not defined');
  const pos = positive ?? classes[1]!;
  if (!classes.includes(pos)) throw invalidInput(`positive=${pos} is not one of the labels ${classes.join(', ')}`);
  const order = Array.from({ length: scores.length }, (_, i) => i);
  for (let i = 0; i < scores.length; i++) if (!Number.isFinite(scores[i])) throw invalidInput(`scores[${i}] is ${scores[i]}`);
  order.sort((i, j) => scores[j]! - scores[i]!);
  // Walk the thresholds from the highest score down; the area grows by a trapezoid at each distinct score.
  let tp = 0;
  let fp = 0;
  let area = 0;
  let prevTp = 0;
  let prevFp = 0;
  for (let r = 0; r < order.length; r++) {
    const i = order[r]!;
    if (yTrue[i] === pos) tp++;
    else fp++;
    if (r === order.length - 1 || scores[order[r + 1]!] !== scores[i]) {
      area += ((fp - prevFp) * (tp + prevTp)) / 2;
      prevTp = tp;
      prevFp = fp;
    }
  }
  return area / (tp * fp);
}

function checkValues(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): void {
  if (yTrue.length !== yPred.length) throw invalidInput(`yTrue has ${yTrue.length} rows but yPred has ${yPred.length}`);
  if (yTrue.length === 0) throw insufficient('no rows: a metric of an empty chunk is not defined');
  for (let i = 0; i < yTrue.length; i++) {
    if (!Number.isFinite(yTrue[i]) || !Number.isFinite(yPred[i])) throw invalidInput(`row ${i} holds ${yTrue[i]} / ${yPred[i]}: only finite numbers`);
  }
}

/** `sklearn.metrics.mean_absolute_error`: mean |y − ŷ|. */
export function mae(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkValues(yTrue, yPred);
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += Math.abs(yPred[i]! - yTrue[i]!);
  return s / yTrue.length;
}

/** `sklearn.metrics.root_mean_squared_error`: √(mean (y − ŷ)²). */
export function rmse(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkValues(yTrue, yPred);
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += (yPred[i]! - yTrue[i]!) ** 2;
  return Math.sqrt(s / yTrue.length);
}

/**
 * `sklearn.metrics.mean_absolute_percentage_error`: mean |y − ŷ| / max(|y|, ε) with ε = 2.22e-16 (numpy's float64
 * eps), a fraction, not a percent; a zero target makes it huge rather than infinite, as in scikit-learn.
 */
export function mape(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkValues(yTrue, yPred);
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += Math.abs(yPred[i]! - yTrue[i]!) / Math.max(Math.abs(yTrue[i]!), Number.EPSILON);
  return s / yTrue.length;
}
