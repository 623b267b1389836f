import { insufficient } from './errors.js';
import type { TestResult } from './index.js';
import { besselKScaled, lgamma } from './special.js';
import { sortedSample, type Numbers } from './sorted.js';

/**
 * `scipy.stats.cramervonmises_2samp(a, b, method='auto')`: Anderson's T = U/(nm(n+m)) − (4nm − 1)/(6(n+m)) with
 * U = n Σ (r(x_i) − i)² + m Σ (r(y_j) − j)² over midranks in the pooled sample, and its p-value, exact (enumerating the
 * null distribution as Xiao, Gordon & Yakovlev do) when neither sample has more than 20 values, else from the limiting
 * distribution of the one-sample statistic after SciPy's normalization. SciPy stops that series at the first term
 * below 1e-7, so for very large statistics its p-value is ~1e-9 .. 1e-7 rather than ~0 (not even monotone); this
 * mirrors it, which never matters at drift thresholds. One merge pass over the sorted samples (copies
 * are sorted unless given sorted Float64Arrays; inputs are never mutated). Throws INSUFFICIENT_DATA when a sample has
 * fewer than 2 values, INVALID_INPUT for NaN/±Infinity.
 */
export function cramerVonMises2Samp(a: Numbers, b: Numbers): TestResult {
  const x = sortedSample(a, 'a');
  const y = sortedSample(b, 'b');
  const nx = x.length;
  const ny = y.length;
  if (nx < 2 || ny < 2) throw insufficient(`the Cramér-von Mises test needs at least 2 values on each side, got ${nx} and ${ny}`);
  // Σ (r − i)² for each sample, with Neumaier's compensated sums (the squares are exact multiples of 1/4).
  const sx = new Neumaier();
  const sy = new Neumaier();
  let i = 0;
  let j = 0;
  while (i < nx || j < ny) {
    const v = j >= ny || (i < nx && x[i]! <= y[j]!) ? x[i]! : y[j]!;
    const below = i + j;
    const i0 = i;
    const j0 = j;
    while (i < nx && x[i] === v) i++;
    while (j < ny && y[j] === v) j++;
    const rank = below + (i - i0 + (j - j0) + 1) / 2;
    for (let p = i0; p < i; p++) sx.add((rank - (p + 1)) ** 2);
    for (let p = j0; p < j; p++) sy.add((rank - (p + 1)) ** 2);
  }
  const u = nx * sx.value() + ny * sy.value();
  const k = nx * ny;
  const N = nx + ny;
  const t = u / (k * N) - (4 * k - 1) / (6 * N);
  const p = Math.max(nx, ny) > 20 ? asymptoticPValue(t, N, nx, ny, k) : exactPValue(u, nx, ny);
  return { statistic: t, pvalue: p };
}

class Neumaier {
  private sum = 0;
  private c = 0;
  add(v: number): void {
    const t = this.sum + v;
    this.c += Math.abs(this.sum) >= Math.abs(v) ? this.sum - t + v : v - t + this.sum;
    this.sum = t;
  }
  value(): number {
    return this.sum + this.c;
  }
}

/** SciPy's `_pval_cvm_2samp_asymptotic`: Anderson's normalization of T, then 1 − the limiting CDF (`_cdf_cvm_inf`). */
function asymptoticPValue(t: number, N: number, nx: number, ny: number, k: number): number {
  const et = (1 + 1 / N) / 6;
  const vt = ((N + 1) * (4 * k * N - 3 * (nx ** 2 + ny ** 2) - 2 * k)) / (45 * N ** 2 * 4 * k);
  const tn = 1 / 6 + (t - et) / Math.sqrt(45 * vt);
  // Below 0.003 the limiting CDF is under 1.3e-18: SciPy answers 1 directly.
  return tn >= 0.003 ? Math.max(1 - cdfCvmInf(tn), 0) : 1;
}

/**
 * The limiting CDF of the Cramér–von Mises statistic (Csörgő & Faraway 1996, eq. 1.2), adding terms until one is
 * below 1e-7 as SciPy does: Σ_k Γ(k + 1/2)/(Γ(k + 1) π^1.5 √x) √(4k + 1) e^(−q) K_{1/4}(q), q = (4k + 1)²/(16x).
 */
function cdfCvmInf(x: number): number {
  let tot = 0;
  for (let k = 0; ; k++) {
    const u = Math.exp(lgamma(k + 0.5) - lgamma(k + 1)) / (Math.PI ** 1.5 * Math.sqrt(x));
    const y = 4 * k + 1;
    const q = (y * y) / (16 * x);
    const z = u * Math.sqrt(y) * Math.exp(-2 * q) * besselKScaled(0.25, q);
    tot += z;
    if (Math.abs(z) < 1e-7) return tot;
  }
}

/** Python's float floor division `a // b` (b > 0). */
function floorDiv(a: number, b: number): number {
  const mod = a % b;
  let div = (a - mod) / b;
  if (mod && b < 0 !== mod < 0) div -= 1;
  let fl = Math.floor(div);
  if (div - fl > 0.5) fl += 1;
  return fl;
}

/**
 * SciPy's `_pval_cvm_2samp_exact(u, m, n)`: P(U >= u) by the frequency tables g_{u,v} of Xiao, Gordon & Yakovlev
 * (2006), Algorithm 1, built row by row (values are whole numbers below lcm²(m + n), counts below C(m + n, m)).
 */
function exactPValue(s: number, m: number, n: number): number {
  const lcm = (m * n) / gcd(m, n);
  const a = lcm / m;
  const b = lcm / n;
  const mn = m * n;
  const zeta = floorDiv(lcm ** 2 * (m + n) * (6 * s - mn * (4 * mn - 1)), 6 * mn ** 2);
  let gs: Map<number, number>[] = [new Map([[0, 1]])];
  for (let v = 1; v <= m; v++) gs.push(new Map());
  for (let uu = 0; uu <= n; uu++) {
    const next: Map<number, number>[] = [];
    let tmp = new Map<number, number>();
    for (let v = 0; v <= m; v++) {
      const merged = new Map<number, number>();
      const res = (a * v - b * uu) ** 2;
      for (const [value, freq] of tmp) merged.set(value + res, freq);
      for (const [value, freq] of gs[v]!) merged.set(value + res, (merged.get(value + res) ?? 0) + freq);
      tmp = merged;
      next.push(tmp);
    }
    gs = next;
  }
  let combinations = 1;
  for (let i = 1; i <= m; i++) combinations = (combinations * (n + i)) / i;
  let sum = 0;
  for (const [value, freq] of gs[m]!) if (value >= zeta) sum += freq;
  return sum / combinations;
}

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y) [x, y] = [y, x % y];
  return x;
}
