/**
 * A table read for drift analysis, column by column. A column holds numbers (a Float64Array, NaN for missing) as long
 * as every value it has seen is a number; the first value that is not turns it into strings (null for missing). JSON
 * arrays of numbers make an embedding column. Missing values are what pandas reads as NA: empty fields and its default
 * `na_values` (`NA`, `N/A`, `NaN`, `null`, `None`…).
 */

/** pandas' default `na_values` (read_csv), which read as missing. */
const NA_VALUES = new Set(['', '#N/A', '#N/A N/A', '#NA', '-1.#IND', '-1.#QNAN', '-NaN', '-nan', '1.#IND', '1.#QNAN', '<NA>', 'N/A', 'NA', 'NULL', 'NaN', 'None', 'n/a', 'nan', 'null']);

export interface Column {
  name: string;
  /** Set while every value is a number (NaN = missing). */
  numbers: Float64Array | undefined;
  /** Set once a value was not a number (null = missing). */
  strings: (string | null)[] | undefined;
  /** Set when the values are arrays of numbers (embeddings; null = missing). */
  vectors: (number[] | null)[] | undefined;
  /** Every number was written as an integer (`12`, not `12.0`): pandas reads such a column as int64. */
  integral: boolean;
  missing: number;
  length: number;
}

export interface Dataset {
  rows: number;
  columns: Column[];
}

/** Builds one column value by value; `finish` trims it to length. */
class ColumnBuilder {
  private nums: Float64Array | undefined = new Float64Array(1024);
  private strs: (string | null)[] | undefined;
  private vecs: (number[] | null)[] | undefined;
  private n = 0;
  integral = true;
  missing = 0;

  constructor(readonly name: string) {}

  /** Pads with missing values up to `rows` (a column first seen late in a JSON lines file). */
  padTo(rows: number): void {
    while (this.n < rows) this.addMissing();
  }

  addMissing(): void {
    this.missing++;
    if (this.vecs) {
      this.vecs.push(null);
      this.n++;
    } else if (this.strs) {
      this.strs.push(null);
      this.n++;
    } else this.pushNumber(Number.NaN);
  }

  addNumber(x: number, integralText: boolean): void {
    if (!Number.isFinite(x)) {
      // ±Infinity is dropped as missing before testing, as Evidently does.
      this.addMissing();
      return;
    }
    if (this.vecs) return this.addString(String(x));
    if (this.strs) {
      this.strs.push(String(x));
      this.n++;
      return;
    }
    if (!integralText) this.integral = false;
    this.pushNumber(x);
  }

  addString(s: string): void {
    if (this.vecs) this.toStrings();
    if (!this.strs) this.toStrings();
    this.strs!.push(s);
    this.n++;
  }

  addVector(v: number[]): void {
    if (!this.vecs) {
      if (this.n - this.missing > 0) return this.addString(JSON.stringify(v));
      this.vecs = Array<number[] | null>(this.n).fill(null);
      this.nums = undefined;
      this.strs = undefined;
    }
    this.vecs.push(v);
    this.n++;
  }

  private pushNumber(x: number): void {
    if (this.nums!.length === this.n) {
      const grown = new Float64Array(this.nums!.length * 2);
      grown.set(this.nums!);
      this.nums = grown;
    }
    this.nums![this.n++] = x;
  }

  private toStrings(): void {
    if (this.vecs) {
      this.strs = this.vecs.map((v) => (v === null ? null : JSON.stringify(v)));
      this.vecs = undefined;
      return;
    }
    const out: (string | null)[] = new Array(this.n);
    for (let i = 0; i < this.n; i++) out[i] = Number.isNaN(this.nums![i]) ? null : String(this.nums![i]);
    this.strs = out;
    this.nums = undefined;
  }

  finish(rows: number): Column {
    this.padTo(rows);
    return {
      name: this.name,
      numbers: this.nums ? this.nums.slice(0, this.n) : undefined,
      strings: this.strs,
      vectors: this.vecs,
      integral: this.integral,
      missing: this.missing,
      length: this.n,
    };
  }
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/** A CSV field as pandas' C parser reads it: a number (and whether it was written as an integer), or text. */
function fieldValue(s: string): { num: number; integral: boolean } | undefined {
  const first = s.charCodeAt(0);
  const last = s.charCodeAt(s.length - 1);
  if (!(isDigit(first) || first === 45 || first === 43 || first === 46) || !(isDigit(last) || last === 46)) return undefined;
  const second = s.charCodeAt(1);
  // Number() also reads 0x1f, 0b1, 0o7, which pandas keeps as text.
  if (first === 48 && (second === 120 || second === 88 || second === 98 || second === 66 || second === 111 || second === 79)) return undefined;
  const num = Number(s);
  if (Number.isNaN(num)) return undefined;
  let integral = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46 || c === 101 || c === 69) {
      integral = false;
      break;
    }
  }
  return { num, integral };
}

/** Collects rows into columns: CSV rows of text fields, or JSON objects. */
export class DatasetBuilder {
  private readonly builders = new Map<string, ColumnBuilder>();
  private order: ColumnBuilder[] = [];
  rows = 0;

  private column(name: string): ColumnBuilder {
    let b = this.builders.get(name);
    if (!b) {
      b = new ColumnBuilder(name);
      b.padTo(this.rows);
      this.builders.set(name, b);
      this.order.push(b);
    }
    return b;
  }

  /** Columns so far. */
  get width(): number {
    return this.order.length;
  }

  /** Declares the columns of a CSV header, in order. */
  header(names: string[]): void {
    for (const n of names) this.column(n);
  }

  /** One CSV row of fields, in header order (short rows are padded with missing values). */
  addFields(fields: string[]): void {
    const cols = this.order;
    for (let j = 0; j < cols.length; j++) {
      const s = j < fields.length ? fields[j]! : '';
      const b = cols[j]!;
      if (NA_VALUES.has(s)) {
        b.addMissing();
        continue;
      }
      const v = fieldValue(s);
      if (v) b.addNumber(v.num, v.integral);
      else b.addString(s);
    }
    this.rows++;
  }

  /** One JSON object (a JSON lines row): numbers, strings, booleans, arrays of numbers; anything else as JSON text. */
  addObject(o: Record<string, unknown>): void {
    for (const [k, v] of Object.entries(o)) {
      const b = this.column(k);
      if (v === null || v === undefined) b.addMissing();
      else if (typeof v === 'number') b.addNumber(v, Number.isInteger(v));
      else if (typeof v === 'string') {
        if (v === '') b.addMissing();
        else b.addString(v);
      } else if (typeof v === 'boolean') b.addString(String(v));
      else if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number' && Number.isFinite(x))) b.addVector(v as number[]);
      else b.addString(JSON.stringify(v));
    }
    this.rows++;
    for (const b of this.order) b.padTo(this.rows);
  }

  finish(): Dataset {
    return { rows: this.rows, columns: this.order.map((b) => b.finish(this.rows)) };
  }
}

/** A dataset from rows held in memory (tests, the prediction log): objects as in JSON lines. */
export function datasetFromObjects(rows: Record<string, unknown>[]): Dataset {
  const b = new DatasetBuilder();
  for (const r of rows) b.addObject(r);
  return b.finish();
}
