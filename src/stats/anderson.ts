import { insufficient } from './errors.js';
import type { TestResult } from './index.js';
import { sortedSample, type Numbers } from './sorted.js';

// Scholz & Stephens (1987), Table 2: interpolation coefficients of the critical values for the significance levels.
const B0 = [0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085];
const B1 = [-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615];
const B2 = [-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154];
const SIG = [0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001];

/**
 * `scipy.stats.anderson_ksamp(samples)` with its defaults (midrank = True, no `method`): the normalized k-sample
 * Anderson–Darling statistic of Scholz & Stephens for discrete and continuous data, and SciPy's `pvalue`, the
 * significance level interpolated (a quadratic fit of log(level) on the critical values) and, as SciPy 1.17.1 does with
 * a warning, capped at 0.25 and floored at 0.001 outside the tabulated range. One k-way merge pass over the sorted
 * samples (copies are sorted unless given sorted Float64Arrays; inputs are never mutated).
 * Throws INSUFFICIENT_DATA for fewer than two samples, an empty sample, fewer than 4 values in all (SciPy answers NaN
 * or fails) or a single distinct value (SciPy raises); INVALID_INPUT for NaN/±Infinity.
 */
export function andersonKSamp(samples: readonly Numbers[]): TestResult {
  const k = samples.length;
  if (k < 2) throw insufficient(`the Anderson-Darling k-sample test needs at least two samples, got ${k}`);
  const xs = samples.map((s, i) => sortedSample(s, `samples[${i}]`));
  const n = xs.map((x) => x.length);
  const N = n.reduce((s, v) => s + v, 0);
  if (N < 4) throw insufficient(`the Anderson-Darling k-sample test needs at least 4 values in all, got ${N}`);

  // Midrank statistic (equation 7): for each distinct value z_j with multiplicity l_j in the pooled sample,
  // B_j = #(pooled < z_j) + l_j/2 and M_ij = #(sample i <= z_j) − f_ij/2.
  const pos = new Array<number>(k).fill(0);
  const f = new Array<number>(k).fill(0);
  const inner = new Array<number>(k).fill(0);
  let below = 0;
  let distinct = 0;
  while (below < N) {
    let z = Infinity;
    for (let i = 0; i < k; i++) if (pos[i]! < n[i]! && xs[i]![pos[i]!]! < z) z = xs[i]![pos[i]!]!;
    let lj = 0;
    for (let i = 0; i < k; i++) {
      const start = pos[i]!;
      const x = xs[i]!;
      let p = start;
      while (p < n[i]! && x[p] === z) p++;
      pos[i] = p;
      f[i] = p - start;
      lj += p - start;
    }
    const bj = below + lj / 2;
    const denom = bj * (N - bj) - (N * lj) / 4;
    for (let i = 0; i < k; i++) {
      const mij = pos[i]! - f[i]! / 2;
      inner[i]! += ((lj / N) * (N * mij - bj * n[i]!) ** 2) / denom;
    }
    below += lj;
    distinct++;
  }
  if (distinct < 2) throw insufficient('the Anderson-Darling k-sample test needs more than one distinct value');
  let a2kn = 0;
  for (let i = 0; i < k; i++) a2kn += inner[i]! / n[i]!;
  a2kn *= (N - 1) / N;

  // Variance of the statistic under the null hypothesis (Scholz & Stephens, equations 3 and 4).
  let H = 0;
  for (let i = 0; i < k; i++) H += 1 / n[i]!;
  let hs = 0; // cumulative sums of 1/(N−1), 1/(N−2), ..., 1/2
  let g = 0;
  for (let idx = 0; idx <= N - 3; idx++) {
    hs += 1 / (N - 1 - idx);
    g += hs / (idx + 2);
  }
  const h = hs + 1;
  const a = (4 * g - 6) * (k - 1) + (10 - 6 * g) * H;
  const b = (2 * g - 4) * k ** 2 + 8 * h * k + (2 * g - 14 * h - 4) * H - 8 * h + 4 * g - 6;
  const c = (6 * h + 2 * g - 2) * k ** 2 + (4 * h - 4 * g + 6) * k + (2 * h - 6) * H + 4 * h;
  const d = (2 * h + 6) * k ** 2 - 4 * h * k;
  const sigmasq = (a * N ** 3 + b * N ** 2 + c * N + d) / ((N - 1) * (N - 2) * (N - 3));
  const m = k - 1;
  const A2 = (a2kn - m) / Math.sqrt(sigmasq);

  const critical = B0.map((b0, i) => b0 + B1[i]! / Math.sqrt(m) + B2[i]! / m);
  let p: number;
  if (A2 < Math.min(...critical)) p = 0.25;
  else if (A2 > Math.max(...critical)) p = 0.001;
  else {
    const [c2, c1, c0] = quadraticFit(critical, SIG.map(Math.log));
    p = Math.exp((c2 * A2 + c1) * A2 + c0);
  }
  return { statistic: A2, pvalue: p };
}

/** `np.polyfit(x, y, 2)`: least-squares coefficients [x², x, 1], by the normal equations on norm-scaled columns. */
function quadraticFit(x: number[], y: number[]): [number, number, number] {
  const cols = [x.map((v) => v * v), x, x.map(() => 1)];
  const scale = cols.map((col) => Math.sqrt(col.reduce((s, v) => s + v * v, 0)));
  const A = cols.map((col, i) => col.map((v) => v / scale[i]!));
  // Solve (AᵀA) c = Aᵀy by Gaussian elimination with partial pivoting (3 × 3, well conditioned after scaling).
  const M = A.map((ci) => [...A.map((cj) => ci.reduce((s, v, r) => s + v * cj[r]!, 0)), ci.reduce((s, v, r) => s + v * y[r]!, 0)]);
  for (let col = 0; col < 3; col++) {
    let piv = col;
    for (let r = col + 1; r < 3; r++) if (Math.abs(M[r]![col]!) > Math.abs(M[piv]![col]!)) piv = r;
    [M[col], M[piv]] = [M[piv]!, M[col]!];
    for (let r = col + 1; r < 3; r++) {
      const factor = M[r]![col]! / M[col]![col]!;
      for (let cc = col; cc < 4; cc++) M[r]![cc]! -= factor * M[col]![cc]!;
    }
  }
  const sol = [0, 0, 0];
  for (let r = 2; r >= 0; r--) {
    let s = M[r]![3]!;
    for (let cc = r + 1; cc < 3; cc++) s -= M[r]![cc]! * sol[cc]!;
    sol[r] = s / M[r]![r]!;
  }
  return [sol[0]! / scale[0]!, sol[1]! / scale[1]!, sol[2]! / scale[2]!];
}
