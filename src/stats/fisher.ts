import { invalidInput } from './errors.js';
import type { TestResult } from './index.js';
import { lgamma } from './special.js';

export type Table2x2 = readonly [readonly [number, number], readonly [number, number]];

/**
 * `scipy.stats.fisher_exact(table, alternative='two-sided')` for a 2×2 table [[a, b], [c, d]]: the sample odds ratio
 * ad/(bc) (Infinity when bc = 0) and the probability, under the hypergeometric distribution of a given the margins, of
 * the tables no more likely than the observed one. As SciPy 1.17.1 does, "no more likely" is up to a relative
 * tolerance of 1e-14 (SciPy's `gamma = 1 + 1e-14`; older releases used 1 + 1e-7), and a table as likely as the mode
 * has p = 1. Probabilities are computed in log space from log-gamma, so counts in the millions are fine; ties between
 * tables (pmf equal in exact arithmetic) are decided exactly. A zero row or column total gives statistic NaN and
 * p = 1, as SciPy does. Throws INVALID_INPUT unless the table is 2×2 of non-negative whole numbers.
 */
export function fisherExact(table: Table2x2): TestResult {
  if (!Array.isArray(table) || table.length !== 2 || !table.every((row) => Array.isArray(row) && row.length === 2)) {
    throw invalidInput("Fisher's exact test takes a 2x2 table [[a, b], [c, d]]");
  }
  const [[a, b], [c, d]] = table;
  for (const v of [a, b, c, d]) {
    if (!Number.isInteger(v) || v < 0) throw invalidInput(`table entry ${v}: counts must be non-negative whole numbers`);
  }
  if (a + b === 0 || c + d === 0 || a + c === 0 || b + d === 0) return { statistic: Number.NaN, pvalue: 1 };
  const oddsratio = c > 0 && b > 0 ? (a * d) / (c * b) : Infinity;
  const dist = new Hypergeometric(a + b, c + d, a + c);
  const n = a + c;
  const mode = Math.trunc(((n + 1) * (a + b + 1)) / (a + b + c + d + 2));
  if (dist.compare(a, mode) === 0) return { statistic: oddsratio, pvalue: 1 };
  // pmf(x) > pmf(a)·gamma: x is more likely than the observed table (ties, even within rounding, are not).
  const moreLikely = (x: number) => dist.compare(x, a) > 0;
  let pvalue: number;
  if (a < mode) {
    const plower = dist.cdf(a);
    if (moreLikely(n)) return { statistic: oddsratio, pvalue: plower };
    pvalue = plower + dist.sf(search(moreLikely, mode, n));
  } else {
    const pupper = dist.sf(a - 1);
    if (moreLikely(0)) return { statistic: oddsratio, pvalue: pupper };
    pvalue = pupper + dist.cdf(search((x) => !moreLikely(x), 0, mode));
  }
  return { statistic: oddsratio, pvalue: Math.min(pvalue, 1) };
}

/**
 * SciPy's `_binary_search_for_binom_tst(a, d, lo, hi)` with `below(x)` standing for a(x) < d: the last x in
 * [lo, hi] for which it holds, or lo − 1, on a monotone predicate.
 */
function search(below: (x: number) => boolean, lo0: number, hi0: number): number {
  let lo = lo0;
  let hi = hi0;
  while (lo < hi) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (below(mid)) lo = mid + 1;
    else hi = mid - 1;
  }
  return below(lo) ? lo : lo - 1;
}

/** The hypergeometric distribution of the top-left cell given row totals r1, r2 and first column total n. */
class Hypergeometric {
  private readonly lo: number;
  private readonly hi: number;
  private readonly logMargins: number;

  constructor(
    private readonly r1: number,
    private readonly r2: number,
    private readonly n: number,
  ) {
    this.lo = Math.max(0, n - r2);
    this.hi = Math.min(n, r1);
    this.logMargins = lfact(r1) + lfact(r2) + lfact(n) + lfact(r1 + r2 - n) - lfact(r1 + r2);
  }

  private cells(x: number): number[] {
    return [x, this.r1 - x, this.n - x, this.r2 - this.n + x];
  }

  /** log pmf(x), with the cells' log-factorials summed in sorted order so that mirror-image tables agree bit for bit. */
  logPmf(x: number): number {
    if (x < this.lo || x > this.hi) return -Infinity;
    const cells = this.cells(x).sort((p, q) => p - q);
    return this.logMargins - (lfact(cells[0]!) + lfact(cells[1]!) + lfact(cells[2]!) + lfact(cells[3]!));
  }

  /**
   * Sign of pmf(x) − pmf(y), where equal up to SciPy's relative tolerance (1e-14) counts as 0: clear cases from the
   * log-pmfs, near-ties exactly (mirror-image tables directly, others by BigInt products).
   */
  compare(x: number, y: number): number {
    const lx = this.logPmf(x);
    const ly = this.logPmf(y);
    if (lx === -Infinity || ly === -Infinity) return lx === ly ? 0 : lx > ly ? 1 : -1;
    const diff = lx - ly;
    if (Math.abs(diff) > 1e-9) return diff > 0 ? 1 : -1;
    const cx = this.cells(x);
    const cy = this.cells(y);
    const sx = [...cx].sort((p, q) => p - q);
    const sy = [...cy].sort((p, q) => p - q);
    if (sx.every((v, i) => v === sy[i])) return 0;
    // pmf(x)/pmf(y) = Π cy_i! / Π cx_i!: compare the products of the integers between paired cells.
    let num = 1n;
    let den = 1n;
    for (let i = 0; i < 4; i++) {
      const p = cx[i]!;
      const q = cy[i]!;
      for (let v = p + 1; v <= q; v++) num *= BigInt(v);
      for (let v = q + 1; v <= p; v++) den *= BigInt(v);
    }
    if (num === den) return 0;
    // A true difference below SciPy's tolerance still counts as a tie.
    return Math.abs(diff) <= 1e-14 ? 0 : num > den ? 1 : -1;
  }

  /** P(X <= x), summed outward from x with the pmf ratio, until the terms no longer count. */
  cdf(x: number): number {
    if (x < this.lo) return 0;
    if (x >= this.hi) return 1;
    let term = 1;
    let sum = 1;
    for (let k = x; k > this.lo; k--) {
      // pmf(k − 1)/pmf(k) = k (r2 − n + k) / ((r1 − k + 1)(n − k + 1))
      term *= (k * (this.r2 - this.n + k)) / ((this.r1 - k + 1) * (this.n - k + 1));
      sum += term;
      if (term < sum * 1e-18) break;
    }
    return Math.min(Math.exp(this.logPmf(x) + Math.log(sum)), 1);
  }

  /** P(X > x). */
  sf(x: number): number {
    if (x >= this.hi) return 0;
    if (x < this.lo) return 1;
    const start = x + 1;
    let term = 1;
    let sum = 1;
    for (let k = start; k < this.hi; k++) {
      // pmf(k + 1)/pmf(k) = (r1 − k)(n − k) / ((k + 1)(r2 − n + k + 1))
      term *= ((this.r1 - k) * (this.n - k)) / ((k + 1) * (this.r2 - this.n + k + 1));
      sum += term;
      if (term < sum * 1e-18) break;
    }
    return Math.min(Math.exp(this.logPmf(start) + Math.log(sum)), 1);
  }
}

function lfact(k: number): number {
  return lgamma(k + 1);
}
