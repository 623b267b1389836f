// Confidence intervals of a binomial proportion (a thumbs-down rate, an error rate) as SciPy computes them, and the
// normal and beta quantiles behind them.
import { insufficient, invalidInput } from './errors.js';
import { lbeta, lgamma, normCdf } from './special.js';

/** An interval [low, high] (SciPy's `ConfidenceInterval(low, high)`). */
export interface Interval {
  low: number;
  high: number;
}

// Acklam's rational approximation of the normal quantile (relative error below 1.2e-9), refined below.
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** The quantile for p <= 0.5 (x <= 0), where Φ(x) = p has full relative precision. */
function lowerQuantile(p: number): number {
  let x: number;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((C[0]! * q + C[1]!) * q + C[2]!) * q + C[3]!) * q + C[4]!) * q + C[5]!) / ((((D[0]! * q + D[1]!) * q + D[2]!) * q + D[3]!) * q + 1);
  } else {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((A[0]! * r + A[1]!) * r + A[2]!) * r + A[3]!) * r + A[4]!) * r + A[5]!) * q) / (((((B[0]! * r + B[1]!) * r + B[2]!) * r + B[3]!) * r + B[4]!) * r + 1);
  }
  // Halley's method on Φ(x) − p; each step triples the correct digits, so two reach double precision.
  for (let i = 0; i < 2; i++) {
    const u = (normCdf(x) - p) * SQRT_2PI * Math.exp((x * x) / 2);
    x -= u / (1 + (x * u) / 2);
  }
  return x;
}

/**
 * The standard normal quantile Φ⁻¹(p) (`scipy.special.ndtri`): Acklam's approximation and two Halley steps against
 * the normal CDF of ./special.ts, within a few ulps of SciPy. Above 1/2 it answers −Φ⁻¹(1 − p) (1 − p is exact there).
 * ±Infinity at 1 and 0; throws INVALID_INPUT outside [0, 1] or for NaN.
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw invalidInput(`normal quantile of ${p}: p must be in [0, 1]`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  return p < 0.5 ? lowerQuantile(p) : -lowerQuantile(1 - p);
}

const LN_SQRT_2PI = 0.9189385332046728;
const TINY = 1e-300;

/** lgamma(x) minus Stirling's leading terms, (x − ½) ln x − x + ln √(2π), for x >= 10 (error below 1e-16). */
function stirlingCorrection(x: number): number {
  const r = 1 / x;
  const r2 = r * r;
  return r * (1 / 12 + r2 * (-1 / 360 + r2 * (1 / 1260 + r2 * (-1 / 1680 + r2 * (1 / 1188 + r2 * (-691 / 360360 + r2 / 156))))));
}

/**
 * log B(a, b) without the cancellation of lgamma(b) − lgamma(a + b) when b is large (a proportion of 3 in 10⁷ trials):
 * Stirling's terms are subtracted analytically, as cephes' and Boost's log-beta do.
 */
function logBeta(a: number, b: number): number {
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  const s = lo + hi;
  if (hi < 10) return lbeta(a, b);
  const corr = stirlingCorrection(hi) - stirlingCorrection(s);
  if (lo < 10) return lgamma(lo) + corr - lo * Math.log(hi) - (s - 0.5) * Math.log1p(lo / hi) + lo;
  return LN_SQRT_2PI + stirlingCorrection(lo) + corr + (lo - 0.5) * Math.log(lo / s) + (hi - 0.5) * Math.log1p(-lo / s) - 0.5 * Math.log(s);
}

/** The continued fraction of the incomplete beta function (modified Lentz), for x < (a + 1) / (a + b + 2). */
function betaFraction(a: number, b: number, x: number): number {
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 100000; m++) {
    for (const aa of [(m * (b - m) * x) / ((a - 1 + 2 * m) * (a + 2 * m)), (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 1 + 2 * m))]) {
      d = 1 + aa * d;
      if (Math.abs(d) < TINY) d = TINY;
      c = 1 + aa / c;
      if (Math.abs(c) < TINY) c = TINY;
      d = 1 / d;
      h *= d * c;
    }
    if (Math.abs(d * c - 1) < 2.220446049250313e-16) break;
  }
  return h;
}

/**
 * The regularized incomplete beta function I_x(a, b) and its complement 1 − I_x(a, b), each with full relative
 * precision where it is the small one, the prefactor from the accurate log-beta above.
 */
function regularizedBeta(a: number, b: number, x: number): [number, number] {
  if (x <= 0) return [0, 1];
  if (x >= 1) return [1, 0];
  const front = Math.exp(a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b));
  if (x < (a + 1) / (a + b + 2)) {
    const lower = (front * betaFraction(a, b, x)) / a;
    return [lower, 1 - lower];
  }
  const upper = (front * betaFraction(b, a, 1 - x)) / b;
  return [1 - upper, upper];
}

/** Solves I_x(a, b) = p for x in [0, 1/2] by Newton's method kept inside a shrinking bracket. */
function solveLowerHalf(a: number, b: number, p: number): number {
  const logNorm = logBeta(a, b);
  let lo = 0;
  let hi = 0.5;
  let x = 0.25;
  for (let i = 0; i < 400; i++) {
    const [lower, upper] = regularizedBeta(a, b, x);
    const f = p <= 0.5 ? lower - p : 1 - p - upper; // 1 − p is exact for p >= 1/2
    if (f === 0) return x;
    if (f > 0) hi = x;
    else lo = x;
    const density = Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - logNorm);
    let next = x - f / density;
    // Outside the bracket (or not a number): bisect, geometrically while the bracket spans orders of magnitude.
    if (!(next > lo && next < hi)) next = lo > 0 ? Math.sqrt(lo * hi) : hi / 8;
    if (Math.abs(next - x) <= 1e-16 * x || hi - lo <= 1e-16 * hi) return next;
    x = next;
  }
  return x;
}

/**
 * The beta quantile: x with I_x(a, b) = p (`scipy.special.betaincinv(a, b, p)`), relative error below 1e-11 (a few
 * 1e-15 in the usual range; the upper tail with a small and b in the millions is the worst).
 * Solves for x when the answer is below 1/2, else for 1 − x from I_{1−x}(b, a) = 1 − p, so that neither end loses
 * digits. Arguments are trusted: a, b > 0, 0 < p < 1.
 */
export function betaQuantile(a: number, b: number, p: number): number {
  return regularizedBeta(a, b, 0.5)[0] >= p ? solveLowerHalf(a, b, p) : 1 - solveLowerHalf(b, a, 1 - p);
}

function checkCounts(successes: number, n: number, confidence: number): void {
  if (!Number.isInteger(n) || n < 0) throw invalidInput(`n is ${n}: a count of trials must be a whole number >= 0`);
  if (!Number.isInteger(successes) || successes < 0) throw invalidInput(`successes is ${successes}: it must be a whole number >= 0`);
  if (!(confidence > 0 && confidence < 1)) throw invalidInput(`confidence is ${confidence}: it must be strictly between 0 and 1`);
  if (n === 0) throw insufficient('no trials: a proportion of 0 trials has no interval');
  if (successes > n) throw invalidInput(`successes (${successes}) exceed the trials (${n})`);
}

/**
 * The Wilson score interval of successes / n, two-sided: `scipy.stats.binomtest(k, n).proportion_ci(confidence_level,
 * method='wilson')` (Newcombe 1998, without continuity correction), term for term; low is exactly 0 when k = 0 and
 * high exactly 1 when k = n, as SciPy sets them. Throws INSUFFICIENT_DATA for n = 0, INVALID_INPUT for negative or
 * fractional counts, k > n, or a confidence outside (0, 1).
 */
export function wilsonInterval(successes: number, n: number, confidence = 0.95): Interval {
  checkCounts(successes, n, confidence);
  const p = successes / n;
  const z = normalQuantile(0.5 + 0.5 * confidence);
  const denom = 2 * (n + z * z);
  const center = (2 * n * p + z * z) / denom;
  const delta = (z / denom) * Math.sqrt(4 * n * p * (1 - p) + z * z);
  return { low: successes === 0 ? 0 : center - delta, high: successes === n ? 1 : center + delta };
}

/**
 * The Clopper–Pearson ("exact") interval of successes / n, two-sided: the beta quantiles
 * B(α/2; k, n − k + 1) and B(1 − α/2; k + 1, n − k) with α = 1 − confidence, 0 and 1 at k = 0 and k = n, which is
 * what `scipy.stats.binomtest(k, n).proportion_ci(confidence_level, method='exact')` solves for (SciPy finds the
 * roots with brentq, so its answer agrees with this one to about 1e-12 absolute; this one is within 1e-11 relative of
 * `scipy.special.betaincinv`).
 * Errors as `wilsonInterval`.
 */
export function clopperPearsonInterval(successes: number, n: number, confidence = 0.95): Interval {
  checkCounts(successes, n, confidence);
  const alpha = (1 - confidence) / 2;
  return {
    low: successes === 0 ? 0 : betaQuantile(successes, n - successes + 1, alpha),
    high: successes === n ? 1 : betaQuantile(successes + 1, n - successes, 1 - alpha),
  };
}
