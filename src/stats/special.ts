// Special functions behind the p-values of src/stats/: log-gamma, the regularized incomplete beta and gamma functions
// (Student t and chi-square tails), erf/erfc and the normal CDF, and the Kolmogorov–Smirnov distributions as SciPy
// computes them (scipy/special/xsf/cephes/kolmogorov.h and scipy/stats/_ksstats.py). Arguments are trusted: callers
// check their inputs.

const LN_SQRT_2PI = 0.9189385332046728;
const EPS = 2.220446049250313e-16;
const TINY = 1e-300;

/** log Γ(x) for x > 0: Stirling's series from 12 up (error below 1e-16 relative there), the recurrence below it. */
export function lgamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  let y = x;
  let prod = 1;
  while (y < 12) {
    prod *= y;
    y += 1;
  }
  const r = 1 / y;
  const r2 = r * r;
  const series = r * (1 / 12 + r2 * (-1 / 360 + r2 * (1 / 1260 + r2 * (-1 / 1680 + r2 * (1 / 1188 + r2 * (-691 / 360360 + r2 / 156))))));
  return (y - 0.5) * Math.log(y) - y + LN_SQRT_2PI + series - Math.log(prod);
}

/** log B(a, b). */
export function lbeta(a: number, b: number): number {
  return lgamma(a) + lgamma(b) - lgamma(a + b);
}

/** The continued fraction of the incomplete beta function (modified Lentz), for x < (a + 1) / (a + b + 2). */
function betaFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 100000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return h;
}

/**
 * The regularized incomplete beta function I_x(a, b) (`scipy.special.betainc`). `y` is 1 − x, passed separately when
 * the caller can compute it without rounding (the t distribution's t² / (df + t²)).
 */
export function betainc(a: number, b: number, x: number, y = 1 - x): number {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const front = Math.exp(a * Math.log(x) + b * Math.log(y) - lbeta(a, b));
  if (x < (a + 1) / (a + b + 2)) return (front * betaFraction(a, b, x)) / a;
  return 1 - (front * betaFraction(b, a, y)) / b;
}

/** The Student t CDF with `df` degrees of freedom (`scipy.special.stdtr(df, t)`), df > 0 not necessarily whole. */
export function studentTCdf(t: number, df: number): number {
  if (t === 0) return 0.5;
  const t2 = t * t;
  if (!Number.isFinite(t2)) return t < 0 ? 0 : 1;
  const lower = 0.5 * betainc(df / 2, 0.5, df / (df + t2), t2 / (df + t2));
  return t < 0 ? lower : 1 - lower;
}

/** The upper regularized incomplete gamma function Q(a, x) (`scipy.special.gammaincc`), a > 0. */
export function gammaincc(a: number, x: number): number {
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  const front = Math.exp(-x + a * Math.log(x) - lgamma(a));
  if (x < a + 1) {
    let ap = a;
    let del = 1 / a;
    let sum = del;
    for (let n = 0; n < 100000; n++) {
      ap += 1;
      del *= x / ap;
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * EPS) break;
    }
    return 1 - sum * front;
  }
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i <= 100000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return front * h;
}

/** The chi-square survival function (`scipy.special.chdtrc(df, x)`). */
export function chi2Sf(x: number, df: number): number {
  return gammaincc(df / 2, x / 2);
}

// W. J. Cody's rational Chebyshev approximations (CALERF, netlib specfun), accurate to double precision.
const ERF_A = [3.1611237438705656, 113.864154151050156, 377.485237685302021, 3209.37758913846947, 0.185777706184603153];
const ERF_B = [23.6012909523441209, 244.024637934444173, 1282.61652607737228, 2844.23683343917062];
const ERFC_C = [
  0.564188496988670089, 8.88314979438837594, 66.1191906371416295, 298.635138197400131, 881.95222124176909, 1712.04761263407058, 2051.07837782607147,
  1230.33935479799725, 2.15311535474403846e-8,
];
const ERFC_D = [
  15.7449261107098347, 117.693950891312499, 537.181101862009858, 1621.38957456669019, 3290.79923573345963, 4362.61909014324716, 3439.36767414372164,
  1230.33935480374942,
];
const ERFC_P = [0.305326634961232344, 0.360344899949804439, 0.125781726111229246, 0.0160837851487422766, 6.58749161529837803e-4, 0.0163153871373020978];
const ERFC_Q = [2.56852019228982242, 1.87295284992346047, 0.527905102951428412, 0.0605183413124413191, 0.00233520497626869185];
const SQRT_PI_INV = 0.56418958354775628695;

function calerf(x: number, complement: boolean): number {
  const y = Math.abs(x);
  let result: number;
  if (y <= 0.46875) {
    const ysq = y > 1.11e-16 ? y * y : 0;
    let num = ERF_A[4]! * ysq;
    let den = ysq;
    for (let i = 0; i < 3; i++) {
      num = (num + ERF_A[i]!) * ysq;
      den = (den + ERF_B[i]!) * ysq;
    }
    result = (x * (num + ERF_A[3]!)) / (den + ERF_B[3]!);
    return complement ? 1 - result : result;
  }
  if (y <= 4) {
    let num = ERFC_C[8]! * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + ERFC_C[i]!) * y;
      den = (den + ERFC_D[i]!) * y;
    }
    result = (num + ERFC_C[7]!) / (den + ERFC_D[7]!);
  } else if (y >= 26.543) {
    result = 0;
  } else {
    const ysq = 1 / (y * y);
    let num = ERFC_P[5]! * ysq;
    let den = ysq;
    for (let i = 0; i < 4; i++) {
      num = (num + ERFC_P[i]!) * ysq;
      den = (den + ERFC_Q[i]!) * ysq;
    }
    result = (ysq * (num + ERFC_P[4]!)) / (den + ERFC_Q[4]!);
    result = (SQRT_PI_INV - result) / y;
  }
  if (result !== 0) {
    // exp(-y²) in two pieces so that the rounding of y² costs nothing.
    const ysq = Math.trunc(y * 16) / 16;
    const del = (y - ysq) * (y + ysq);
    result = Math.exp(-ysq * ysq) * Math.exp(-del) * result;
  }
  if (!complement) {
    result = 0.5 - result + 0.5;
    return x < 0 ? -result : result;
  }
  return x < 0 ? 2 - result : result;
}

/** erf(x), Cody's approximation. */
export function erf(x: number): number {
  return calerf(x, false);
}

/** erfc(x) = 1 − erf(x) with full relative precision in the upper tail, Cody's approximation. */
export function erfc(x: number): number {
  return calerf(x, true);
}

/** The standard normal CDF, as `scipy.special.ndtr` (cephes: erf near 0, erfc in the tails). */
export function normCdf(a: number): number {
  const x = a * Math.SQRT1_2;
  const z = Math.abs(x);
  if (z < Math.SQRT1_2) return 0.5 + 0.5 * erf(x);
  const y = 0.5 * erfc(z);
  return x > 0 ? 1 - y : y;
}

/** The standard normal survival function 1 − Φ(x), computed as Φ(−x) (SciPy's `norm.sf`). */
export function normSf(x: number): number {
  return normCdf(-x);
}

// ---------------------------------------------------------------------------------------------------------------
// Kolmogorov–Smirnov distributions.

const clip01 = (p: number): number => (p < 0 ? 0 : p > 1 ? 1 : p);

/** x · 2^e without overflow of 2^e. */
function ldexp(x: number, e: number): number {
  let y = x;
  let k = e;
  while (k > 1000) {
    y *= 2 ** 1000;
    k -= 1000;
  }
  while (k < -1000) {
    y *= 2 ** -1000;
    k += 1000;
  }
  return y * 2 ** k;
}

/**
 * The limiting Kolmogorov distribution's survival function P(K > x), K = sup|B(t)| (`scipy.special.kolmogorov`):
 * the theta-function series for x <= 0.82, the alternating series 2 Σ (−1)^(k−1) e^(−2k²x²) above.
 */
export function kolmogorov(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x <= Math.PI / Math.sqrt(746 * 8)) return 1;
  if (x <= 0.82) {
    const w = Math.sqrt(2 * Math.PI) / x;
    const logu8 = (-Math.PI * Math.PI) / (x * x);
    const u = Math.exp(logu8 / 8);
    let p: number;
    if (u === 0) {
      p = Math.exp(logu8 / 8 + Math.log(w));
    } else {
      const u8 = Math.exp(logu8);
      p = 1 + u8 ** 3;
      p = 1 + u8 * u8 * p;
      p = 1 + u8 * p;
      p = w * u * p;
    }
    return clip01(1 - p);
  }
  const v = Math.exp(-2 * x * x);
  const v3 = v ** 3;
  let p = 1;
  p = 1 - v3 * v3 * v * p;
  p = 1 - v3 * v * v * p;
  p = 1 - v3 * p;
  return clip01(2 * v * p);
}

/** floor(n·x) and the fractional part of n·x, exactly (Dekker's product: n·x = hi + lo). */
function floorFrac(n: number, x: number): [number, number] {
  const hi = n * x;
  const split = (a: number): [number, number] => {
    const c = 134217729 * a;
    const h = c - (c - a);
    return [h, a - h];
  };
  const [nh, nl] = split(n);
  const [xh, xl] = split(x);
  const lo = nh * xh - hi + nh * xl + nl * xh + nl * xl;
  let fl = Math.floor(hi);
  let frac = hi - fl + lo;
  if (frac < 0) {
    fl -= 1;
    frac += 1;
  } else if (frac >= 1) {
    fl += 1;
    frac -= 1;
  }
  return [fl, frac];
}

/**
 * The one-sided Smirnov survival function P(D_n⁺ >= x) (`scipy.special.smirnov(n, x)`), by the Birnbaum–Tingey sum
 * x · Σ_{v <= n(1−x)} C(n, v) (x + v/n)^(v−1) (1 − x − v/n)^(n−v), whose terms are all positive; the closed forms and
 * the large-n approximation of cephes at the ends.
 */
export function smirnov(n: number, x: number): number {
  if (!(n > 0) || !(x >= 0 && x <= 1)) return Number.NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  const [nxfl, alpha] = floorFrac(n, x);
  if (nxfl === 0 || (nxfl === 1 && alpha === 0)) return clip01(1 - x * (1 + x) ** (n - 1));
  if (-2 * n * x * x < -708.39641853226410622) return 0;
  if (nxfl >= n - 1) return clip01((1 - x) ** n);
  if (n > 1000000) {
    const logp = -((6 * n * x + 1) ** 2) / 18 / n;
    return clip01(logp < -Math.LN2 ? Math.exp(logp) : 1 + Math.expm1(logp));
  }
  const last = n - nxfl - 1; // v = 0 .. floor(n(1 − x)), without the zero term when n·x is whole
  const nTerms = last + 1;
  const lnFactN = lgamma(n + 1);
  let sum = 0;
  for (let v = 0; v <= last; v++) {
    // x + v/n = (v + nxfl + alpha)/n and 1 − x − v/n = (n − v − nxfl − alpha)/n, without cancellation.
    const up = (v + nxfl + alpha) / n;
    const down = (n - v - nxfl - alpha) / n;
    const lnC = lnFactN - lgamma(v + 1) - lgamma(n - v + 1);
    const term = Math.exp(lnC + (v - 1) * Math.log(v === 0 ? x : up) + (n - v) * Math.log(down));
    sum += term;
    if (term !== 0) {
      if (4 * (nTerms - v) * term < EPS * sum && v !== last) break;
    } else if (v > n / 2) {
      break;
    }
  }
  return clip01(x * sum);
}

const STIRLING = [
  -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3, 8.4175084175084175084e-4, -5.952380952380952381e-4,
  7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2,
];

/** log(n! / n^n) by Stirling's series (`_ksstats._log_nfactorial_div_n_pow_n`). */
function logNFactorialOverNPowN(n: number): number {
  const rn = 1 / n;
  const y = rn / n;
  let poly = 0;
  for (const c of STIRLING) poly = poly * y + c;
  return Math.log(n) / 2 - n + Math.log(2 * Math.PI) / 2 + rn * poly;
}

const E128 = 128;
const P128 = 2 ** 128;
const M128 = 2 ** -128;

function matmul(a: Float64Array, b: Float64Array, m: number): Float64Array<ArrayBuffer> {
  const c = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const aik = a[i * m + k]!;
      if (aik === 0) continue;
      for (let j = 0; j < m; j++) c[i * m + j]! += aik * b[k * m + j]!;
    }
  }
  return c;
}

/** P(D_n <= d) by Durbin's matrix, as Marsaglia, Tsang & Wang compute it (`_ksstats._kolmogn_DMTW`). */
function kolmogornDurbin(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1 - h ** j) * fac;
  }
  const tt = Math.max(2 * h - 1, 0) ** m - 2 * h ** m;
  v[m - 1] = (1 + tt) * fac;
  let H: Float64Array<ArrayBuffer> = new Float64Array(m * m);
  for (let i = 1; i < m; i++) for (let r = i - 1; r < m; r++) H[r * m + i] = w[r - (i - 1)]!;
  for (let r = 0; r < m; r++) H[r * m] = v[r]!;
  for (let c = 0; c < m; c++) H[(m - 1) * m + c] = v[m - 1 - c]!;
  let Hpwr: Float64Array<ArrayBuffer> = new Float64Array(m * m);
  for (let i = 0; i < m; i++) Hpwr[i * m + i] = 1;
  let nn = n;
  let expnt = 0;
  let hExpnt = 0;
  while (nn > 0) {
    if (nn % 2) {
      Hpwr = matmul(Hpwr, H, m);
      expnt += hExpnt;
    }
    H = matmul(H, H, m);
    hExpnt *= 2;
    if (Math.abs(H[(k - 1) * m + k - 1]!) > P128) {
      for (let i = 0; i < H.length; i++) H[i]! /= P128;
      hExpnt += E128;
    }
    nn = Math.floor(nn / 2);
  }
  let p = Hpwr[(k - 1) * m + k - 1]!;
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < M128) {
      p *= P128;
      expnt -= E128;
    }
  }
  return clip01(expnt !== 0 ? ldexp(p, expnt) : p);
}

function pomeranzBounds(i: number, n: number, ll: number, ceilf: number, roundf: number): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilf - 1;
    j2 = ll + ceilf - 1;
  } else {
    const half = Math.floor((i + 1) / 2);
    if ((i + 1) % 2 === 0) {
      if (half === n + 1) {
        j1 = n - ll - ceilf - 1;
        j2 = n + ll + ceilf - 1;
      } else {
        j1 = half - 1 - ll - roundf - 1;
        j2 = half + ll - 1 + ceilf - 1;
      }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + roundf - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

/** P(D_n <= x) by Pomeranz's recursion (`_ksstats._kolmogn_Pomeranz`). */
function kolmogornPomeranz(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilf = f > 0 ? 1 : 0;
  const roundf = f > 0.5 ? 1 : 0;
  const npwrs = 2 * (ll + 1);
  const gpower = new Float64Array(npwrs);
  const twogpower = new Float64Array(npwrs);
  const onem2gpower = new Float64Array(npwrs);
  gpower[0] = twogpower[0] = onem2gpower[0] = 1;
  for (let m = 1; m < npwrs; m++) {
    gpower[m] = (gpower[m - 1]! * (g / n)) / m;
    twogpower[m] = (twogpower[m - 1]! * ((2 * g) / n)) / m;
    onem2gpower[m] = (onem2gpower[m - 1]! * ((1 - 2 * g) / n)) / m;
  }
  let V0 = new Float64Array(npwrs);
  let V1 = new Float64Array(npwrs);
  V1[0] = 1;
  let V0s = 0;
  let V1s = 0;
  let expnt = 0;
  let [j1, j2] = pomeranzBounds(0, n, ll, ceilf, roundf);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [V0, V1] = [V1, V0];
    [V0s, V1s] = [V1s, V0s];
    V1.fill(0);
    [j1, j2] = pomeranzBounds(i, n, ll, ceilf, roundf);
    const pwrs = i === 1 || i === 2 * n + 1 ? gpower : i % 2 ? twogpower : onem2gpower;
    const ln2 = j2 - k1 + 1;
    if (ln2 > 0) {
      // np.convolve(V0[k1 - V0s : k1 - V0s + ln2], pwrs[:ln2]), entries conv_start .. conv_start + conv_len - 1.
      const off = k1 - V0s;
      const la = Math.min(ln2, npwrs - off);
      const lb = Math.min(ln2, npwrs);
      const convStart = j1 - k1;
      const convLen = j2 - j1 + 1;
      let max = 0;
      for (let c = 0; c < convLen; c++) {
        const idx = convStart + c;
        let s = 0;
        for (let a = Math.max(0, idx - lb + 1); a <= Math.min(idx, la - 1); a++) s += V0[off + a]! * pwrs[idx - a]!;
        V1[c] = s;
        if (s > max) max = s;
      }
      if (max > 0 && max < M128) {
        for (let c = 0; c < npwrs; c++) V1[c]! *= P128;
        expnt -= E128;
      }
      V1s = V0s + j1 - k1;
    }
  }
  let ans = V1[n - V1s]!;
  for (let m = 1; m <= n; m++) {
    if (Math.abs(ans) > P128) {
      ans *= M128;
      expnt += E128;
    }
    ans *= m;
  }
  return clip01(expnt !== 0 ? ldexp(ans, expnt) : ans);
}

/** The Pelz–Good approximation to P(D_n <= x) (`_ksstats._kolmogn_PelzGood`, cdf). */
function kolmogornPelzGood(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const PI2 = Math.PI ** 2;
  const PI4 = Math.PI ** 4;
  const PI6 = Math.PI ** 6;
  const z = Math.sqrt(n) * x;
  const z2 = z ** 2;
  const z3 = z ** 3;
  const z4 = z ** 4;
  const z6 = z ** 6;
  const qlog = -PI2 / 8 / z2;
  if (qlog < -708) return 0;
  let q = Math.exp(qlog);
  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;
  const K = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k > 0; k--) {
    const m = 2 * k - 1;
    const m2 = m ** 2;
    const m4 = m ** 4;
    const m6 = m ** 6;
    const qpower = q ** (8 * k);
    const coeffs = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) K[i] = K[i]! * qpower + coeffs[i]!;
  }
  const sqrt2pi = Math.sqrt(2 * Math.PI);
  const divisors = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) K[i] = (K[i]! * q * sqrt2pi) / divisors[i]!;
  q = Math.exp(-PI2 / 2 / z2);
  const sqrt3z = Math.sqrt(3) * z;
  let k2extra = 0;
  let k3extra = 0;
  for (let k = maxk; k > 0; k--) {
    const ksq = k * k;
    const qp = q ** ksq;
    const kpi = Math.PI * k;
    k2extra += ksq * qp;
    k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * ksq * qp;
  }
  K[2]! += (k2extra * PI2 * sqrt2pi) / (-36 * z3);
  K[3]! += (k3extra * PI2 * sqrt2pi) / (216 * z6);
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += K[i]! / n ** (i / 2);
  return sum;
}

/**
 * The survival function P(D_n >= x) of the two-sided one-sample Kolmogorov–Smirnov statistic for a sample of n
 * (`scipy.stats.kstwo.sf(x, n)`), choosing among the exact and approximate methods as Simard & L'Ecuyer do, in the
 * order of `scipy.stats._ksstats._kolmogn`.
 */
export function kstwoSf(n: number, x: number): number {
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    let prob: number;
    if (n <= 140) {
      prob = 1;
      for (let i = 1; i <= n; i++) prob *= i * (1 / n) * (2 * t - 1);
    } else {
      prob = Math.exp(logNFactorialOverNPowN(n) + n * Math.log(2 * t - 1));
    }
    return clip01(1 - prob);
  }
  if (t >= n - 1) return clip01(2 * (1 - x) ** n);
  if (x >= 0.5) return clip01(2 * smirnov(n, x));
  const nxsquared = t * x;
  if (n <= 140) {
    if (nxsquared <= 0.754693) return clip01(1 - kolmogornDurbin(n, x));
    if (nxsquared <= 4) return clip01(1 - kolmogornPomeranz(n, x));
    return clip01(2 * smirnov(n, x));
  }
  if (nxsquared >= 370) return 0;
  if (nxsquared >= 2.2) return clip01(2 * smirnov(n, x));
  const cdf = n <= 100000 && n * x ** 1.5 <= 1.4 ? kolmogornDurbin(n, x) : kolmogornPelzGood(n, x);
  return clip01(1 - cdf);
}

/**
 * e^x K_ν(x), the exponentially scaled modified Bessel function of the second kind (`scipy.special.kve`), for x > 0:
 * the trapezoid rule on ∫_0^∞ e^(−x (cosh t − 1)) cosh(νt) dt (step h <= 0.02 and <= 0.25/√x, so that the error,
 * like e^(−π²/h), is far below double precision).
 */
export function besselKScaled(nu: number, x: number): number {
  const h = Math.min(0.02, 0.25 / Math.sqrt(x));
  let sum = 0.5;
  for (let i = 1; i < 100000; i++) {
    const t = i * h;
    const f = Math.exp(-x * (Math.cosh(t) - 1)) * Math.cosh(nu * t);
    sum += f;
    if (f < 1e-18 * sum) break;
  }
  return sum * h;
}
