import { invalidParam } from '../core/errors/index.js';
import { StatsError } from '../stats/errors.js';
import { COLUMN_KINDS, type ColumnKind, inferKind } from './column-kind.js';
import { ColumnValues } from './column-values.js';
import type { Column, Dataset } from './dataset.js';
import { type Distribution, distributionOf, type SideSummary, summaryOf } from './distribution.js';
import { type DriftTest, type ScoreKind, type TestOutcome, defaultTest, defaultThresholdOf, driftTest, TEST_NAMES } from './drift-tests.js';
import { textDescriptors } from './text/index.js';

type KindKey = 'num' | 'cat' | 'text' | 'embedding';
type TestChoice = 'column' | 'kind' | 'all' | 'auto';
const KIND_KEYS: readonly KindKey[] = ['num', 'cat', 'text', 'embedding'];

/**
 * How a report is run. Tests and thresholds are chosen per column with Evidently's precedence: the column's own
 * (`columns`), then its kind's (`num`, `cat`, `text`, `embedding`), then the one for every column (`all`), then the
 * automatic choice and the chosen test's default threshold.
 */
export interface DriftOptions {
  /** Only these columns (default: every column of the reference). */
  columns?: string[];
  exclude?: string[];
  /** Kinds that override inference (`{"zip": "cat"}`). */
  kinds?: Record<string, ColumnKind>;
  tests?: Partial<Record<KindKey | 'all', string>> & { columns?: Record<string, string> };
  thresholds?: Partial<Record<KindKey | 'all', number>> & { columns?: Record<string, number> };
  /** Correction of p-values across the columns tested by p-value: none (default), Bonferroni, or Benjamini–Hochberg. */
  correction?: 'none' | 'bonferroni' | 'bh';
  /** Share of tested columns that must drift for the dataset to (default 0.5, as Evidently). */
  driftShare?: number;
  /** Values (non-missing) each side needs for a column to be tested (default 10); fewer is "insufficient data". */
  minRows?: number;
  /** Seed of the randomised parts (permutations, classifier splits). */
  seed?: number;
  /** Hears each column as it is done. */
  onColumn?: (done: number, total: number, column: string) => void;
}

export const DEFAULT_MIN_ROWS = 10;
export const DEFAULT_DRIFT_SHARE = 0.5;

export interface ColumnDrift {
  column: string;
  kind: ColumnKind;
  /** `tested`; `insufficient_data` (too few values, or a test that cannot run on them); `skipped` (datetime, empty, not in the current data); `error` (values the test refuses). */
  status: 'tested' | 'insufficient_data' | 'skipped' | 'error';
  reason?: string;
  test?: string;
  testTitle?: string;
  /** Why this test: `column`, `kind`, `all` (options), or `auto`. */
  testChosenBy?: TestChoice;
  scoreKind?: ScoreKind;
  score?: number;
  threshold?: number;
  /** The p-value after the correction across columns, when one was asked for. */
  adjustedScore?: number;
  drifted: boolean;
  reference: SideSummary;
  current: SideSummary;
  distribution?: Distribution;
  classifier?: TestOutcome['classifier'];
  /**
   * Set on the columns a text column adds (`<column>: length`, `<column>: oov_share`): its descriptors, tested as
   * numerical columns. They explain a text column's drift but do not count towards the dataset's share.
   */
  derivedFrom?: string;
}

export interface DriftReport {
  referenceRows: number;
  currentRows: number;
  columns: ColumnDrift[];
  tested: number;
  drifted: number;
  /** drifted / tested (0 when nothing could be tested). */
  share: number;
  driftShare: number;
  datasetDrift: boolean;
  correction: 'none' | 'bonferroni' | 'bh';
  minRows: number;
}

/** Checks options before any data is read: tests, kinds, thresholds and the rest; column names are checked by the report. */
export function checkDriftOptions(o: DriftOptions): void {
  checkOptions(o, undefined);
}

function checkOptions(o: DriftOptions, names: Set<string> | undefined): void {
  const known = (col: string, field: string) => {
    if (names && !names.has(col)) throw invalidParam(`No column '${col}' in the reference data (it has ${[...names].slice(0, 20).join(', ')})`, field);
  };
  for (const c of o.columns ?? []) known(c, 'columns');
  for (const c of o.exclude ?? []) known(c, 'exclude');
  for (const [c, k] of Object.entries(o.kinds ?? {})) {
    known(c, `kinds.${c}`);
    if (!COLUMN_KINDS.includes(k)) throw invalidParam(`Kind '${k}' is not one of ${COLUMN_KINDS.join(', ')}`, `kinds.${c}`);
  }
  const testName = (name: string, field: string) => {
    if (!driftTest(name)) throw invalidParam(`No drift test named '${name}'; the tests are ${TEST_NAMES.join(', ')}`, field);
  };
  const { columns: colTests, ...kindTests } = o.tests ?? {};
  for (const [k, t] of Object.entries(kindTests)) {
    if (k !== 'all' && !KIND_KEYS.includes(k as KindKey)) throw invalidParam(`'${k}' is not a column kind (${KIND_KEYS.join(', ')}) or 'all'`, `tests.${k}`);
    testName(t, `tests.${k}`);
  }
  for (const [c, t] of Object.entries(colTests ?? {})) {
    known(c, `tests.columns.${c}`);
    testName(t, `tests.columns.${c}`);
  }
  const { columns: colThresholds, ...kindThresholds } = o.thresholds ?? {};
  const threshold = (v: number, field: string) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw invalidParam(`A threshold must be a positive number, not ${String(v)}`, field);
  };
  for (const [k, v] of Object.entries(kindThresholds)) {
    if (k !== 'all' && !KIND_KEYS.includes(k as KindKey)) throw invalidParam(`'${k}' is not a column kind (${KIND_KEYS.join(', ')}) or 'all'`, `thresholds.${k}`);
    threshold(v, `thresholds.${k}`);
  }
  for (const [c, v] of Object.entries(colThresholds ?? {})) {
    known(c, `thresholds.columns.${c}`);
    threshold(v, `thresholds.columns.${c}`);
  }
  if (o.correction !== undefined && !['none', 'bonferroni', 'bh'].includes(o.correction)) throw invalidParam(`correction must be none, bonferroni or bh, not '${String(o.correction)}'`, 'correction');
  if (o.driftShare !== undefined && !(o.driftShare > 0 && o.driftShare <= 1)) throw invalidParam('drift_share must be in (0, 1]', 'drift_share');
  if (o.minRows !== undefined && !(Number.isInteger(o.minRows) && o.minRows >= 1)) throw invalidParam('min_rows must be a whole number of at least 1', 'min_rows');
}

/** The kind a column is tested as: the option's, else inferred from the reference (strings on either side make numbers categories). */
function kindOf(name: string, ref: Column, cur: Column, o: DriftOptions): ColumnKind {
  const forced = o.kinds?.[name];
  const kind = forced ?? inferKind(ref);
  if (kind === 'num' && (!ref.numbers || !cur.numbers)) {
    if (forced) throw invalidParam(`Column '${name}' holds text, so it cannot be tested as numerical`, `kinds.${name}`);
    return 'cat';
  }
  if (kind === 'embedding' && (!ref.vectors || !cur.vectors)) {
    if (forced) throw invalidParam(`Column '${name}' does not hold arrays of numbers on both sides, so it cannot be tested as an embedding`, `kinds.${name}`);
    return 'cat';
  }
  return kind;
}

/** The test for a column and what chose it, by Evidently's precedence. */
function chooseTest(v: ColumnValues, o: DriftOptions): { test: DriftTest; by: TestChoice } {
  const kind = v.kind as KindKey;
  const pick = (name: string | undefined, by: TestChoice, field: string) => {
    if (name === undefined) return undefined;
    const test = driftTest(name)!;
    if (!test.kinds.includes(kind)) throw invalidParam(`Test '${name}' cannot test column '${v.name}', which is ${kind}; it takes ${test.kinds.join(', ')} columns`, field);
    return { test, by };
  };
  return (
    pick(o.tests?.columns?.[v.name], 'column', `tests.columns.${v.name}`) ??
    pick(o.tests?.[kind], 'kind', `tests.${kind}`) ??
    pick(o.tests?.all, 'all', 'tests.all') ?? { test: defaultTest(kind, v.referenceCount, v.distinct()), by: 'auto' }
  );
}

function thresholdOf(v: ColumnValues, test: DriftTest, o: DriftOptions): number {
  return o.thresholds?.columns?.[v.name] ?? o.thresholds?.[v.kind as KindKey] ?? o.thresholds?.all ?? defaultThresholdOf(test, v.referenceCount);
}

/** Applies the correction across the columns tested by p-value: Bonferroni (p·m) or Benjamini–Hochberg (step-up). */
function correct(columns: ColumnDrift[], how: 'bonferroni' | 'bh'): void {
  const tested = columns.filter((c) => c.status === 'tested' && c.scoreKind === 'p_value' && c.derivedFrom === undefined);
  const m = tested.length;
  if (m === 0) return;
  if (how === 'bonferroni') {
    for (const c of tested) c.adjustedScore = Math.min(1, c.score! * m);
  } else {
    const byP = [...tested].sort((a, b) => a.score! - b.score!);
    let running = 1;
    for (let i = m - 1; i >= 0; i--) {
      running = Math.min(running, (byP[i]!.score! * m) / (i + 1));
      byP[i]!.adjustedScore = Math.min(1, running);
    }
  }
  for (const c of tested) c.drifted = c.adjustedScore! < c.threshold!;
}

/**
 * Compares every column of `current` with the same column of `reference`, as Evidently's data drift preset does:
 * a test per column (chosen automatically, or as the options say), drift per column, and dataset drift when at least
 * `driftShare` of the tested columns drift. Columns are tested one at a time, yielding to the event loop between them.
 */
export async function driftReport(reference: Dataset, current: Dataset, o: DriftOptions = {}): Promise<DriftReport> {
  const refCols = new Map(reference.columns.map((c) => [c.name, c]));
  const curCols = new Map(current.columns.map((c) => [c.name, c]));
  checkOptions(o, new Set(refCols.keys()));
  const minRows = o.minRows ?? DEFAULT_MIN_ROWS;
  const chosen = (o.columns ?? [...refCols.keys()]).filter((n) => !(o.exclude ?? []).includes(n));
  const columns: ColumnDrift[] = [];
  for (const [i, name] of chosen.entries()) {
    const c = columnDrift(name, refCols.get(name)!, curCols.get(name), o, minRows);
    columns.push(c);
    if (c.kind === 'text' && c.status !== 'skipped') columns.push(...descriptorDrifts(name, refCols.get(name)!, curCols.get(name)!, o, minRows));
    o.onColumn?.(i + 1, chosen.length, name);
    // A turn of the event loop between columns: progress redraws, and a server stays responsive.
    await new Promise((r) => setImmediate(r));
  }
  const correction = o.correction ?? 'none';
  if (correction !== 'none') correct(columns, correction);
  const counted = columns.filter((c) => c.derivedFrom === undefined);
  const tested = counted.filter((c) => c.status === 'tested').length;
  const drifted = counted.filter((c) => c.drifted).length;
  const share = tested === 0 ? 0 : drifted / tested;
  const driftShare = o.driftShare ?? DEFAULT_DRIFT_SHARE;
  return { referenceRows: reference.rows, currentRows: current.rows, columns, tested, drifted, share, driftShare, datasetDrift: tested > 0 && share >= driftShare, correction, minRows };
}

/** A numeric column made from a text column's per-row descriptor. */
function descriptorColumn(name: string, numbers: Float64Array, integral: boolean): Column {
  return { name, numbers, strings: undefined, vectors: undefined, integral, missing: 0, length: numbers.length };
}

/** The length (characters) and out-of-vocabulary share of a text column's rows, each tested as a numerical column. */
function descriptorDrifts(name: string, ref: Column, cur: Column, o: DriftOptions, minRows: number): ColumnDrift[] {
  const texts = new ColumnValues(name, 'text', ref, cur);
  const d = textDescriptors(texts.texts('reference'), texts.texts('current'));
  return (
    [
      ['length', d.length, true],
      ['oov_share', d.oov, false],
    ] as const
  ).map(([what, sample, integral]) => {
    const column = `${name}: ${what}`;
    // Never read as categories: a descriptor is a measurement even when it takes few values. Its test and threshold
    // are the automatic ones: a test or threshold given for all columns (an AUC for the text, say) is not for it.
    const { tests: _tests, thresholds: _thresholds, ...rest } = o;
    const c = columnDrift(column, descriptorColumn(column, sample.reference, integral), descriptorColumn(column, sample.current, integral), { ...rest, kinds: { [column]: 'num' } }, minRows);
    return { ...c, derivedFrom: name };
  });
}

function columnDrift(name: string, ref: Column, cur: Column | undefined, o: DriftOptions, minRows: number): ColumnDrift {
  const base = { column: name, drifted: false };
  if (!cur) {
    return { ...base, kind: inferKind(ref), status: 'skipped', reason: 'not in the current data', reference: summaryOf(ref), current: { count: 0, missing: 0 } };
  }
  const kind = kindOf(name, ref, cur, o);
  const sides = { reference: summaryOf(ref), current: summaryOf(cur) };
  if (kind === 'datetime' || kind === 'empty') {
    return { ...base, kind, status: 'skipped', reason: kind === 'datetime' ? 'dates and times are not tested for drift' : 'every value is missing', ...sides };
  }
  const v = new ColumnValues(name, kind, ref, cur);
  if (v.referenceCount < minRows || v.currentCount < minRows) {
    return { ...base, kind, status: 'insufficient_data', reason: `${v.referenceCount} reference and ${v.currentCount} current values; at least ${minRows} on each side are needed`, ...sides };
  }
  const { test, by } = chooseTest(v, o);
  const threshold = thresholdOf(v, test, o);
  const distribution = distributionOf(v);
  const described = { ...base, kind, test: test.name, testTitle: test.title, testChosenBy: by, threshold, ...sides, ...(distribution ? { distribution } : {}) };
  try {
    const out = test.run(v, threshold, o.seed ?? 0);
    const scoreKind = out.scoreKind ?? test.scoreKind;
    const drifted = scoreKind === 'p_value' ? out.score < threshold : out.score >= threshold;
    return { ...described, status: 'tested', scoreKind, score: out.score, drifted, ...(out.classifier ? { classifier: out.classifier } : {}) };
  } catch (e) {
    if (!(e instanceof StatsError)) throw e;
    return { ...described, status: e.code === 'INSUFFICIENT_DATA' ? 'insufficient_data' : 'error', reason: e.message };
  }
}
