#!/usr/bin/env python3
"""Reference values for the two-sample p-value tests in src/stats/ (ks, mann-whitney, anderson, cramer-von-mises,
t-test, chi-square, z-test, fisher).

Run from anywhere: python3 scripts/stats/make_pvalue_fixtures.py  (numpy 2.x, scipy 1.17.1; no pandas or Evidently)

Samples are named, never stored per case: a name from src/stats/fixtures/distance-samples.json (the mulberry32
recipes of make_distance_fixtures.py, materialized by its own `materialize`) or from pvalue-samples.json, which this
script writes (real data from /work/shared/data and a few hand-made edge cases), optionally sliced: "normal50[0:7]"
is the first 7 values of normal50. The tests resolve names the same way.

Each <module>.json holds `cases` (inputs and SciPy's statistic and p-value) and `errors` (inputs SciPy refuses or
answers NaN for, with what SciPy does and the StatsError code Pitwall throws instead).
"""

import csv
import json
import math
import os
import re
import sys
import warnings

import numpy as np
import scipy
from scipy import stats

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_distance_fixtures import materialize  # noqa: E402  (pure function: recipe -> values)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, 'src', 'stats', 'fixtures')
DATA = '/work/shared/data'
GENERATED = 'scripts/stats/make_pvalue_fixtures.py with numpy %s, scipy %s' % (np.__version__, scipy.__version__)

with open(os.path.join(OUT, 'distance-samples.json')) as f:
    RECIPES = json.load(f)['samples']

# ---------------------------------------------------------------------------------------------------------------
# pvalue-samples.json: real data and edge cases, stored as values ("NaN"/"Infinity" as strings: JSON has neither).

EXTRA = {}


def load_real():
    with open(os.path.join(DATA, 'seattle-weather', 'seattle-weather.csv'), newline='') as f:
        weather = list(csv.DictReader(f))
    for year in ['2012', '2015']:
        rows = [w for w in weather if w['date'].startswith(year)]
        EXTRA[f'precip_{year}'] = [float(w['precipitation']) for w in rows]
        EXTRA[f'tempmax_{year}'] = [float(w['temp_max']) for w in rows]
    # Evidently's bike tutorial windows on hour.csv: 2011-01-01 .. 01-28 (reference) and 01-29 .. 02-28 (current).
    with open(os.path.join(DATA, 'bike-sharing', 'hour.csv'), newline='') as f:
        hours = list(csv.DictReader(f))
    ref = [h for h in hours if '2011-01-01' <= h['dteday'] <= '2011-01-28']
    cur = [h for h in hours if '2011-01-29' <= h['dteday'] <= '2011-02-28']
    for tag, rows in [('ref', ref), ('cur', cur)]:
        EXTRA[f'hour_temp_{tag}'] = [float(h['temp']) for h in rows]
        EXTRA[f'hour_cnt_{tag}'] = [int(h['cnt']) for h in rows]


load_real()
EXTRA['empty'] = []
EXTRA['one'] = [0.25]
EXTRA['two'] = [1.5, -0.75]
EXTRA['with_nan'] = [0.5, 'NaN', 1.0]
EXTRA['with_inf'] = [0.5, 'Infinity', 1.0]
EXTRA['ties_small_a'] = [1, 2, 2, 3]
EXTRA['ties_small_b'] = [2, 3, 3, 4, 5]
EXTRA['exact_a'] = [0.1, 0.4, 0.9, 1.6]  # tie-free, interleaved with exact_b
EXTRA['exact_b'] = [0.2, 0.3, 1.1, 2.0, 2.5, 3.0]

CACHE = {}


def sample(spec):
    """A named sample as a float64 array: 'name' or 'name[start:end]'."""
    if spec not in CACHE:
        m = re.fullmatch(r'(\w+)(?:\[(\d+):(\d+)\])?', spec)
        name = m.group(1)
        if name in EXTRA:
            values = [float(v) for v in EXTRA[name]]
        else:
            values = materialize(RECIPES[name])
        arr = np.array(values, dtype=np.float64)
        if m.group(2) is not None:
            arr = arr[int(m.group(2)):int(m.group(3))]
        CACHE[spec] = arr
    return CACHE[spec]


def num(x):
    """JSON has no Infinity or NaN: written as strings the tests read back."""
    x = float(x)
    return x if math.isfinite(x) else ('NaN' if math.isnan(x) else 'Infinity' if x > 0 else '-Infinity')


def write(name, obj):
    path = os.path.join(OUT, f'{name}.json')
    with open(path, 'w') as f:
        json.dump(obj, f, indent=1, allow_nan=False)
        f.write('\n')
    print(f'wrote {os.path.relpath(path, ROOT)} ({os.path.getsize(path)} bytes)')


def scipy_outcome(fn):
    """What SciPy does with bad input: raises (the exception name) or answers NaN."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            res = fn()
    except Exception as e:  # noqa: BLE001
        return type(e).__name__
    return 'nan' if any(math.isnan(float(v)) for v in (res.statistic, res.pvalue)) else f'{float(res.statistic)!r}, {float(res.pvalue)!r}'


# ---------------------------------------------------------------------------------------------------------------
# Pairs of samples shared by the numeric tests.

PAIRS = [
    # tiny
    ('one', 'two'), ('normal5[0:1]', 'shifted5[0:1]'), ('normal5[0:2]', 'shifted5[0:2]'), ('normal5', 'shifted5'),
    ('normal50[0:3]', 'shifted50[0:8]'), ('exact_a', 'exact_b'),
    # sizes with exact p-values (KS: n <= 10000; Mann-Whitney: a side <= 8; Cramer-von Mises: both <= 20)
    ('normal50[0:8]', 'normal1000'), ('normal5', 'normal20000[0:5000]'), ('normal50[0:13]', 'normal50[13:33]'),
    ('normal50[0:20]', 'shifted50[0:20]'), ('normal50', 'shifted50'), ('normal50[0:37]', 'shifted50[0:23]'),
    # medium and a few thousand
    ('normal1000', 'shifted1000'), ('normal1000', 'normal1000b'), ('normal1000[0:700]', 'normal1000b[0:450]'),
    ('normal20000[0:3000]', 'shifted20000[0:2500]'), ('normal20000[0:10000]', 'normal1000b'),
    ('normal20000[0:3000]', 'normal20000[3000:5000]'),
    # large (KS asymptotic)
    ('normal20000', 'normal1000b'), ('normal20000[0:10001]', 'normal20000[10001:20000]'), ('normal20000', 'shifted20000'),
    # ties: integer samples with few distinct values, constant columns
    ('ties_small_a', 'ties_small_b'), ('ints3[0:6]', 'ints3[6:13]'), ('ints5', 'ints7'), ('ints40', 'ints40shifted'),
    ('ints3', 'ints3[0:50]'), ('ints4small', 'ints4small_b'), ('const3', 'const7'), ('zeros', 'ones'),
    ('normal50', 'const3short'), ('const3', 'ints5'),
    # real data
    ('bike_temp_jan', 'bike_temp_feb'), ('bike_cnt_jan', 'bike_cnt_feb'), ('bike_hum_jan', 'bike_hum_feb'),
    ('precip_2012', 'precip_2015'), ('tempmax_2012', 'tempmax_2015'), ('hour_temp_ref', 'hour_temp_cur'),
    ('hour_cnt_ref', 'hour_cnt_cur'),
]

BAD = [('empty', 'normal5', 'INSUFFICIENT_DATA'), ('normal5', 'empty', 'INSUFFICIENT_DATA'),
       ('with_nan', 'normal5', 'INVALID_INPUT'), ('normal5', 'with_inf', 'INVALID_INPUT')]


def ks_fixture():
    cases = []
    for a, b in PAIRS:
        cases.append(ks_case(a, b, 'auto'))
    for a, b, method in [
        ('normal50', 'shifted50', 'asymp'), ('normal50[0:30]', 'normal1000', 'asymp'), ('normal1000', 'normal1000b', 'asymp'),
        ('normal5', 'shifted5', 'asymp'), ('bike_temp_jan', 'bike_temp_feb', 'asymp'), ('ints5', 'ints7', 'asymp'),
        ('normal20000', 'normal20000[0:15000]', 'exact'), ('normal20000', 'shifted20000[0:12000]', 'exact'),
        ('normal1000[0:200]', 'normal1000b[0:330]', 'asymp'), ('normal20000[0:5000]', 'normal20000[5000:20000]', 'asymp'),
        # the other branches of kstwo.sf: Durbin's matrix for n > 140, 2·smirnov for n <= 140, x >= 0.5 and n·x >= n − 1
        ('normal20000', 'normal20000[0:19800]', 'auto'), ('normal1000[0:200]', 'shifted1000[0:200]', 'asymp'),
        ('bike_cnt_jan', 'bike_cnt_feb', 'asymp'), ('normal50', 'const3short', 'asymp'),
    ]:
        cases.append(ks_case(a, b, method))
    errors = [{'a': a, 'b': b, 'scipy': scipy_outcome(lambda a=a, b=b: stats.ks_2samp(sample(a), sample(b))), 'code': code} for a, b, code in BAD]
    return {'generated_by': GENERATED, 'cases': cases, 'errors': errors}


def ks_case(a, b, method):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        r = stats.ks_2samp(sample(a), sample(b), method=method)
    case = {'a': a, 'b': b, 'method': method, 'statistic': num(r.statistic), 'pvalue': num(r.pvalue)}
    if w:
        case['scipy_warning'] = str(w[0].message)
    return case


def mannwhitney_fixture():
    cases = []
    for a, b in PAIRS:
        r = stats.mannwhitneyu(sample(a), sample(b), alternative='two-sided', use_continuity=True, method='auto')
        cases.append({'a': a, 'b': b, 'statistic': num(r.statistic), 'pvalue': num(r.pvalue)})
    errors = [{'a': a, 'b': b, 'scipy': scipy_outcome(lambda a=a, b=b: stats.mannwhitneyu(sample(a), sample(b))), 'code': code} for a, b, code in BAD]
    return {'generated_by': GENERATED, 'cases': cases, 'errors': errors}


def anderson(samples):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        r = stats.anderson_ksamp([sample(s) for s in samples])  # midrank=True, the default
    capped = [str(x.message) for x in w if 'p-value' in str(x.message)]
    return r, capped


def anderson_fixture():
    cases = []
    groups = [[a, b] for a, b in PAIRS if len(sample(a)) + len(sample(b)) >= 4 and len(set(np.r_[sample(a), sample(b)])) > 1]
    groups += [['normal50', 'shifted50', 'normal1000[0:30]'], ['normal1000', 'normal1000b', 'shifted1000'], ['ints5', 'ints7', 'ints3', 'ints40[0:90]']]
    # Interpolated p-values (between SciPy's 0.001 floor and 0.25 cap): a 0.2 shift at several sizes, and others.
    groups += [['mmd1d_a', 'mmd1d_b'], ['mmd1d_a[0:100]', 'mmd1d_b[0:100]'], ['mmd1d_a[0:200]', 'mmd1d_b[0:200]'], ['mmd1d_a[0:300]', 'mmd1d_b[0:300]'],
               ['bike_windspeed_jan', 'bike_windspeed_feb'], ['ints4small', 'ints4small_b[0:10]'], ['mmd1d_a[0:50]', 'mmd1d_b[0:80]', 'normal1000[0:60]']]
    for samples in groups:
        r, capped = anderson(samples)
        case = {'samples': samples, 'statistic': num(r.statistic), 'pvalue': num(r.pvalue)}
        if capped:
            case['scipy_warning'] = capped[0]
        cases.append(case)
    errors = []
    for samples, code in [(['normal5'], 'INSUFFICIENT_DATA'), (['empty', 'normal5'], 'INSUFFICIENT_DATA'), (['const3', 'const3short'], 'INSUFFICIENT_DATA'),
                          (['one', 'two'], 'INSUFFICIENT_DATA'), (['normal5', 'with_nan'], 'INVALID_INPUT'), (['with_inf', 'normal5'], 'INVALID_INPUT')]:
        errors.append({'samples': samples, 'scipy': scipy_outcome(lambda s=samples: stats.anderson_ksamp([sample(x) for x in s])), 'code': code})
    return {'generated_by': GENERATED, 'cases': cases, 'errors': errors}


def cvm_fixture():
    cases = []
    for a, b in PAIRS:
        if min(len(sample(a)), len(sample(b))) < 2:
            continue
        r = stats.cramervonmises_2samp(sample(a), sample(b), method='auto')
        method = 'exact' if max(len(sample(a)), len(sample(b))) <= 20 else 'asymptotic'
        cases.append({'a': a, 'b': b, 'method': method, 'statistic': num(r.statistic), 'pvalue': num(r.pvalue)})
    errors = [{'a': a, 'b': b, 'scipy': scipy_outcome(lambda a=a, b=b: stats.cramervonmises_2samp(sample(a), sample(b))), 'code': code}
              for a, b, code in BAD + [('one', 'normal5', 'INSUFFICIENT_DATA')]]
    return {'generated_by': GENERATED, 'cases': cases, 'errors': errors}


def welch_fixture():
    cases = []
    for a, b in PAIRS:
        if min(len(sample(a)), len(sample(b))) < 2:
            continue
        if np.ptp(sample(a)) == 0 and np.ptp(sample(b)) == 0:
            continue  # both constant: see the errors and the note below
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            r = stats.ttest_ind(sample(a), sample(b), equal_var=False)
        cases.append({'a': a, 'b': b, 'statistic': num(r.statistic), 'pvalue': num(r.pvalue)})
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        r = stats.ttest_ind(sample('const3'), sample('const7'), equal_var=False)
    # Two different constants: SciPy's means are exact here, so t = -inf and p = 0, which Pitwall answers too.
    cases.append({'a': 'const3', 'b': 'const7', 'statistic': num(r.statistic), 'pvalue': num(r.pvalue)})
    errors = [{'a': a, 'b': b, 'scipy': scipy_outcome(lambda a=a, b=b: stats.ttest_ind(sample(a), sample(b), equal_var=False)), 'code': code}
              for a, b, code in BAD + [('one', 'normal5', 'INSUFFICIENT_DATA'), ('const3', 'const3short', 'INSUFFICIENT_DATA')]]
    return {'generated_by': GENERATED, 'cases': cases, 'errors': errors}


# ---------------------------------------------------------------------------------------------------------------
# Categorical tests.


def evidently_chisquare_inputs(ref, cur):
    """Evidently's chi_stat_test inputs: current counts, and reference counts scaled to the current total."""
    keys = sorted(set(ref) | set(cur), key=lambda k: (isinstance(k, str), k))
    k_norm = len(cur) / len(ref)
    return [float(cur.count(k)) for k in keys], [ref.count(k) * k_norm for k in keys]


def chisquare_fixture():
    vectors = [
        ([10, 20, 30], [20, 20, 20]), ([16, 18, 16, 14, 12, 12], [16, 16, 16, 16, 16, 8]), ([1, 2], [1.5, 1.5]),
        ([5, 0], [2.5, 2.5]), ([1000, 0, 0], [1, 998, 1]), ([400, 600], [500, 500]), ([43, 52, 54, 40], [47.25, 47.25, 47.25, 47.25]),
        ([5, 1], [6, 0]), (list(range(1, 41)), [20.5] * 40), ([3, 7], [3.0000000001, 6.9999999999]),
    ]
    cat = lambda name: [str(x) if isinstance(x, str) else float(x) for x in materialize(RECIPES[name])]  # noqa: E731
    for ref, cur in [('weather_2012', 'weather_2015'), ('catA', 'catB'), ('bike_season_jan', 'bike_season_feb'),
                     ('bike_weathersit_jan', 'bike_weathersit_feb'), ('ints40', 'ints40shifted'), ('catA', 'catA')]:
        vectors.append(evidently_chisquare_inputs(cat(ref), cat(cur)) + (f'{ref} vs {cur}',))
    cases = []
    errors = []
    for v in vectors:
        obs, exp = v[0], v[1]
        if len(obs) < 2:  # one category on both sides: SciPy answers NaN (0 degrees of freedom)
            errors.append({'observed': obs, 'expected': exp, 'scipy': scipy_outcome(lambda o=obs, e=exp: stats.chisquare(o, e)), 'code': 'INSUFFICIENT_DATA', 'note': v[2]})
            continue
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            r = stats.chisquare(obs, exp)
        case = {'observed': obs, 'expected': exp, 'statistic': num(r.statistic), 'pvalue': num(r.pvalue)}
        if len(v) > 2:
            case['note'] = v[2] + ' (Evidently: current counts vs reference counts scaled to the current total)'
        cases.append(case)
    for obs, exp, code in [([10, 20], [10, 21], 'INVALID_INPUT'), ([10, 20], [10, 20, 0], 'INVALID_INPUT'), ([-1, 5], [2, 2], 'INVALID_INPUT'),
                           ([5, 0, 3], [5, 0, 3], 'INVALID_INPUT'), ([5], [5], 'INSUFFICIENT_DATA'), ([], [], 'INSUFFICIENT_DATA'),
                           ([0, 0], [1, 1], 'INVALID_INPUT'), ([1, float('nan')], [1, 1], 'INVALID_INPUT')]:
        def run(obs=obs, exp=exp):
            return stats.chisquare(obs, exp)
        errors.append({'observed': [num(x) for x in obs], 'expected': [num(x) for x in exp], 'scipy': scipy_outcome(run), 'code': code})
    return {'generated_by': GENERATED, 'cases': cases, 'errors': errors}


def proportions_diff_z_stat_ind(ref, curr):
    """evidently/calculations/stattests/z_stattest.py, transcribed (ref and curr are 0/1 arrays)."""
    n1 = len(ref)
    n2 = len(curr)
    p1 = float(sum(ref)) / n1
    p2 = float(sum(curr)) / n2
    P = float(p1 * n1 + p2 * n2) / (n1 + n2)
    return (p1 - p2) / np.sqrt(P * (1 - P) * (1.0 / n1 + 1.0 / n2))


def z_fixture():
    cases = []
    weather = {y: [w for w in materialize(RECIPES[f'weather_{y}'])] for y in ['2012', '2015']}
    rows = [(30, 100, 45, 120), (0, 10, 5, 10), (1, 3, 2, 3), (5000, 10000, 5100, 10000), (499, 1000, 501, 1000), (7, 7, 3, 9),
            (500, 1000, 100, 1000), (60, 1000, 30, 1000), (10, 10, 10, 10), (0, 5, 0, 7), (1, 1, 0, 1),
            (weather['2012'].count('rain'), 366, weather['2015'].count('rain'), 365),
            (weather['2012'].count('sun'), 366, weather['2015'].count('sun'), 365)]
    for sa, na, sb, nb in rows:
        ref = np.r_[np.ones(sa), np.zeros(na - sa)]
        cur = np.r_[np.ones(sb), np.zeros(nb - sb)]
        case = {'successA': sa, 'nA': na, 'successB': sb, 'nB': nb}
        if len(set(ref)) == 1 and len(set(cur)) == 1 and ref[0] == cur[0]:
            case.update(statistic=0.0, pvalue=1.0, note='one and the same value on both sides: Evidently answers p = 1 (and no z)')
        else:
            with np.errstate(all='ignore'):
                z = proportions_diff_z_stat_ind(ref, cur)
            case.update(statistic=num(z), pvalue=num(2 * (1 - stats.norm.cdf(np.abs(z)))))
        cases.append(case)
    errors = [{'args': list(a), 'code': code} for a, code in [
        ((1, 0, 1, 5), 'INSUFFICIENT_DATA'), ((1, 5, 0, 0), 'INSUFFICIENT_DATA'), ((6, 5, 1, 5), 'INVALID_INPUT'), ((-1, 5, 1, 5), 'INVALID_INPUT'),
        ((1.5, 5, 1, 5), 'INVALID_INPUT'), (('NaN', 5, 1, 5), 'INVALID_INPUT')]]
    return {'generated_by': GENERATED, 'cases': cases, 'errors': errors}


def fisher_fixture():
    tables = [
        [[1, 9], [11, 3]], [[8, 2], [1, 5]], [[0, 5], [5, 0]], [[3, 5], [5, 3]], [[10, 10], [10, 10]], [[100, 95], [90, 120]],
        [[1000, 2000], [1500, 2500]], [[20000, 30000], [25000, 28000]], [[5, 0], [0, 5]], [[2, 7], [8, 2]], [[12, 5], [7, 9]],
        [[50, 0], [0, 50]], [[0, 2], [2, 3]], [[1, 0], [0, 1]], [[1000, 1500], [1500, 1000]], [[7, 12], [0, 0]], [[0, 0], [3, 4]],
        [[3, 0], [0, 0]], [[1, 2], [3, 4]], [[6, 1], [1, 6]], [[300, 1], [2, 400]], [[2000000, 1000000], [1000100, 2000000]],
        [[9, 11], [1, 3]], [[122, 190], [230, 300]], [[4, 6], [6, 4]], [[0, 10], [1, 10]],
    ]
    cases = []
    for t in tables:
        r = stats.fisher_exact(t, alternative='two-sided')
        cases.append({'table': t, 'statistic': num(r.statistic), 'pvalue': num(r.pvalue)})
    errors = [{'table': t, 'code': 'INVALID_INPUT'} for t in [[[1, -1], [2, 3]], [[1, 2], [3]], [[1, 2, 3], [4, 5, 6]], [[1.5, 2], [3, 4]], [[1, 'NaN'], [3, 4]]]]
    return {'generated_by': GENERATED, 'cases': cases, 'errors': errors}


def special_fixture():
    """scipy.special (and kstwo.sf) at points covering each branch of src/stats/special.ts."""
    from scipy import special
    grid = {
        'lgamma': [[x, special.gammaln(x)] for x in [1e-8, 0.1, 0.5, 1.5, 3, 7.25, 11.9, 12, 40.5, 1000, 123456.5, 2e6]],
        'erfc': [[x, special.erfc(x)] for x in [-5, -1, -0.3, 0, 1e-20, 0.2, 0.46875, 0.5, 2, 3.9, 4, 4.5, 10, 26, 27]],
        'ndtr': [[x, special.ndtr(x)] for x in [-38, -30, -20, -8, -3, -0.8, -0.1, 0, 0.5, 1.2, 5, 9]],
        'stdtr': [[df, t, special.stdtr(df, t)] for df, t in [(1, -3), (1, 50), (2.5, -1.2), (7.3, 0.4), (30, -6), (30, 2), (1000, -4),
                                                             (25000.5, -2.5), (2e5, 1.1), (3.7, -300)]],
        'chdtrc': [[df, x, special.chdtrc(df, x)] for df, x in [(1, 0.5), (1, 30), (2, 4), (5, 1), (9, 9), (39, 30), (39, 200), (500, 480), (5000, 5300)]],
        'kolmogorov': [[x, special.kolmogorov(x)] for x in [0.02, 0.05, 0.2, 0.5, 0.82, 0.83, 1, 1.36, 2, 5]],
        'smirnov': [[n, x, special.smirnov(n, x)] for n, x in [(1, 0.3), (5, 0.1), (5, 0.5), (5, 0.9), (20, 0.05), (20, 0.2), (100, 0.1), (1000, 0.03),
                                                             (1000, 0.3), (50000, 0.005), (400000, 0.004)]],
        'kstwo_sf': [[n, x, stats.kstwo.sf(x, n)] for n, x in [(3, 0.2), (3, 0.5), (10, 0.15), (10, 0.3), (10, 0.55), (10, 0.95), (60, 0.1), (60, 0.2),
                                                               (140, 0.3), (500, 0.01), (500, 0.04), (500, 0.1), (500, 0.99), (20000, 0.002),
                                                               (20000, 0.01), (20000, 0.02), (200000, 0.001), (200000, 0.003), (300, 0.002)]],
        'kve_quarter': [[x, special.kve(0.25, x)] for x in [1e-4, 0.01, 0.3, 1, 4, 30, 300, 3000]],
    }
    return {'generated_by': GENERATED, **{k: [[num(v) for v in row] for row in rows] for k, rows in grid.items()}}


def main():
    fixtures = {
        'special': special_fixture(),
        'ks': ks_fixture(), 'mann-whitney': mannwhitney_fixture(), 'anderson': anderson_fixture(), 'cramer-von-mises': cvm_fixture(),
        't-test': welch_fixture(), 'chi-square': chisquare_fixture(), 'z-test': z_fixture(), 'fisher': fisher_fixture(),
    }
    write('pvalue-samples', {'generated_by': GENERATED, 'samples': EXTRA})
    for name, obj in fixtures.items():
        write(name, obj)


if __name__ == '__main__':
    main()
