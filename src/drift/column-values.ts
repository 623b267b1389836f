import { distinctOfSorted } from '../stats/sorted.js';
import type { ColumnKind } from './column-kind.js';
import type { Column } from './dataset.js';

type Side = 'reference' | 'current';

/** The non-missing numbers of a numeric column, as a new array. */
function presentNumbers(xs: Float64Array): Float64Array {
  let n = 0;
  for (let i = 0; i < xs.length; i++) if (!Number.isNaN(xs[i]!)) n++;
  if (n === xs.length) return xs.slice();
  const out = new Float64Array(n);
  let j = 0;
  for (let i = 0; i < xs.length; i++) if (!Number.isNaN(xs[i]!)) out[j++] = xs[i]!;
  return out;
}

/** A column's values as text keys (categories, texts): numbers as JavaScript writes them, missing values dropped. */
function presentStrings(c: Column): string[] {
  if (c.strings) return c.strings.filter((s): s is string => s !== null && s.trim() !== '');
  if (c.numbers) {
    const out: string[] = [];
    for (const x of c.numbers) if (!Number.isNaN(x)) out.push(String(x));
    return out;
  }
  return (c.vectors ?? []).filter((v): v is number[] => v !== null).map((v) => JSON.stringify(v));
}

/**
 * One column of the reference and of the current data, as the drift tests take it: missing values dropped, and each
 * view (sorted numbers, category counts, texts, vectors) computed once, when a test or the report first asks. The
 * sorted arrays are shared by every test of the column, so a million values are sorted once per side.
 */
export class ColumnValues {
  private sorted: { reference?: Float64Array; current?: Float64Array } = {};
  private countsMemo: Map<string, [number, number]> | undefined;
  private distinctMemo: number | undefined;
  private stdMemo: number | undefined;
  private textsMemo: { reference?: string[]; current?: string[] } = {};

  constructor(
    readonly name: string,
    readonly kind: ColumnKind,
    private readonly ref: Column,
    private readonly cur: Column,
  ) {}

  /** Numbers are tested as numbers; categories (and numbers read as categories) as keys. */
  get numeric(): boolean {
    return this.kind === 'num' && this.ref.numbers !== undefined && this.cur.numbers !== undefined;
  }

  /** How Evidently's binning reads the column: numeric values, or categories. */
  get binningKind(): 'num' | 'cat' {
    return this.numeric ? 'num' : 'cat';
  }

  /** Values present in the reference (missing and blank ones left out). */
  get referenceCount(): number {
    return this.ref.strings ? this.texts('reference').length : this.ref.length - this.ref.missing;
  }

  get currentCount(): number {
    return this.cur.strings ? this.texts('current').length : this.cur.length - this.cur.missing;
  }

  sortedReference(): Float64Array {
    return (this.sorted.reference ??= this.sortedOf(this.ref));
  }

  sortedCurrent(): Float64Array {
    return (this.sorted.current ??= this.sortedOf(this.cur));
  }

  private sortedOf(c: Column): Float64Array {
    if (!c.numbers) throw new Error(`column ${this.name} is not numeric`);
    return presentNumbers(c.numbers).sort();
  }

  /** Population standard deviation of the reference (numpy's `np.std`), by two passes over the sorted values. */
  referenceStd(): number {
    if (this.stdMemo !== undefined) return this.stdMemo;
    const xs = this.sortedReference();
    let sum = 0;
    for (let i = 0; i < xs.length; i++) sum += xs[i]!;
    const mean = sum / xs.length;
    let ss = 0;
    for (let i = 0; i < xs.length; i++) ss += (xs[i]! - mean) ** 2;
    return (this.stdMemo = Math.sqrt(ss / xs.length));
  }

  /** Distinct values over both sides (pandas' `nunique` of the two concatenated). */
  distinct(): number {
    if (this.distinctMemo !== undefined) return this.distinctMemo;
    if (!this.numeric) return (this.distinctMemo = this.counts().size);
    return (this.distinctMemo = distinctOfSorted(this.sortedReference(), this.sortedCurrent()));
  }

  /** Count of each category on each side: `[reference, current]`. */
  counts(): Map<string, [number, number]> {
    if (this.countsMemo) return this.countsMemo;
    const m = new Map<string, [number, number]>();
    for (const s of this.texts('reference')) {
      const c = m.get(s);
      if (c) c[0]++;
      else m.set(s, [1, 0]);
    }
    for (const s of this.texts('current')) {
      const c = m.get(s);
      if (c) c[1]++;
      else m.set(s, [0, 1]);
    }
    return (this.countsMemo = m);
  }

  /** The values as strings (categories, texts), missing and blank ones dropped. */
  texts(side: Side): string[] {
    return (this.textsMemo[side] ??= presentStrings(side === 'reference' ? this.ref : this.cur));
  }

  /** The values for Evidently's binning: numbers, or category keys. */
  reference(): Float64Array | string[] {
    return this.numeric ? this.sortedReference() : this.texts('reference');
  }

  current(): Float64Array | string[] {
    return this.numeric ? this.sortedCurrent() : this.texts('current');
  }

  /** Rows as vectors: an embedding column's arrays, or one-element vectors of a numeric column. */
  vectorsReference(): number[][] {
    return this.vectorsOf(this.ref, 'reference');
  }

  vectorsCurrent(): number[][] {
    return this.vectorsOf(this.cur, 'current');
  }

  private vectorsOf(c: Column, side: Side): number[][] {
    if (c.vectors) return c.vectors.filter((v): v is number[] => v !== null);
    if (this.numeric) return Array.from(side === 'reference' ? this.sortedReference() : this.sortedCurrent(), (x) => [x]);
    throw new Error(`column ${this.name} has no vectors`);
  }
}
