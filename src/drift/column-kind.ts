import type { Column } from './dataset.js';

/**
 * What a column is, for choosing its drift test: numerical, categorical, text, embedding (arrays of numbers), or left
 * out — datetime (ISO dates and times) and empty (every value missing).
 */
export type ColumnKind = 'num' | 'cat' | 'text' | 'embedding' | 'datetime' | 'empty';

export const COLUMN_KINDS: readonly ColumnKind[] = ['num', 'cat', 'text', 'embedding', 'datetime', 'empty'];

/** Integer columns with at most this many distinct values are categorical (Evidently's `INTEGER_CARDINALITY_LIMIT`). */
export const INTEGER_CARDINALITY_LIMIT = 10;

/** A string column with more distinct values than this share of its values is text (Evidently's rule). */
export const TEXT_CARDINALITY_RATIO = 0.5;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Distinct non-missing values of a numeric column, counting at most `stopAt` (then `stopAt + 1`). */
function distinctNumbers(xs: Float64Array, stopAt: number): number {
  const seen = new Set<number>();
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    if (Number.isNaN(x)) continue;
    seen.add(x);
    if (seen.size > stopAt) break;
  }
  return seen.size;
}

/**
 * The kind of a column, inferred as Evidently infers it from what pandas reads: a float column is numerical; an
 * integer column (every value written as an integer and none missing — pandas reads an integer column with gaps as
 * float) is categorical with at most 10 distinct values, else numerical; a string column is text when more than half
 * its values are distinct, else categorical. ISO dates and times are `datetime` and, like empty columns, not tested.
 */
export function inferKind(c: Column): ColumnKind {
  if (c.length - c.missing === 0) return 'empty';
  if (c.vectors) return 'embedding';
  if (c.numbers) {
    if (c.integral && c.missing === 0 && distinctNumbers(c.numbers, INTEGER_CARDINALITY_LIMIT) <= INTEGER_CARDINALITY_LIMIT) return 'cat';
    return 'num';
  }
  const strings = c.strings!;
  const distinct = new Set<string>();
  let dates = true;
  let count = 0;
  for (const s of strings) {
    if (s === null) continue;
    count++;
    distinct.add(s);
    if (dates && !ISO_DATE.test(s)) dates = false;
  }
  if (dates) return 'datetime';
  return distinct.size > count * TEXT_CARDINALITY_RATIO ? 'text' : 'cat';
}
