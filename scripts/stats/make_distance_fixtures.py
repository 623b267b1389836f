#!/usr/bin/env python3
"""Reference values for the drift distances in src/stats/ (histogram, binning, wasserstein, energy, divergence, mmd).

Run from anywhere: python3 scripts/stats/make_distance_fixtures.py  (numpy 2.x, scipy; no pandas or Evidently needed)

Writes src/stats/fixtures/distance-samples.json (the samples) and one <module>.json per test file. Synthetic samples are
recipes over mulberry32 that src/stats/testing/distance-fixtures.ts materializes bit for bit (only +, -, *, floor),
so the fixtures stay small; real data (bike sharing, Seattle weather) is stored as values.

SciPy and numpy compute the references; Evidently's formulas (evidently/calculations/stattests/*.py) are transcribed
below with numpy in place of pandas: `nunique` is the size of a set of the values, `value_counts` a Counter, and a
pandas int64 column is an int64 array (a case's "integer": true). Evidently orders categorical keys as a Python set
happens to; here (as in src/stats/binning.ts) numbers ascending, then strings.
"""

import csv
import json
import math
import os
from collections import Counter

import numpy as np
from scipy import stats
from scipy.spatial import distance

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, 'src', 'stats', 'fixtures')
DATA = '/work/shared/data'


def mulberry32(seed):
    """The generator of src/stats/mmd.ts and src/core/testing/prng.ts, uniforms in [0, 1)."""
    a = seed & 0xFFFFFFFF

    def imul(x, y):
        return ((x & 0xFFFFFFFF) * (y & 0xFFFFFFFF)) & 0xFFFFFFFF

    def rand():
        nonlocal a
        a = (a + 0x6D2B79F5) & 0xFFFFFFFF
        t = a
        t = imul(t ^ (t >> 15), t | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296

    return rand


# ---------------------------------------------------------------------------------------------------------------
# Samples. Recipes (same arithmetic in distance-fixtures.ts):
#   normal:  loc + scale * (u1 + ... + u12 - 6)          (Irwin-Hall, near normal)
#   ints:    offset + floor(u * k)
#   const:   value, n times
#   choice:  pool[floor(u * len(pool))]
#   counts:  each [value, count] in turn, value repeated count times
#   vectors: n rows of dim 'normal' coordinates, row after row
#   values:  stored values (real data)


def materialize(spec):
    g = spec['gen']
    if g == 'values':
        return list(spec['values'])
    if g == 'const':
        return [spec['value']] * spec['n']
    if g == 'counts':
        return [v for v, c in spec['counts'] for _ in range(c)]
    r = mulberry32(spec['seed'])

    def normal():
        s = 0.0
        for _ in range(12):
            s += r()
        return spec['loc'] + spec['scale'] * (s - 6)

    if g == 'normal':
        return [normal() for _ in range(spec['n'])]
    if g == 'ints':
        return [spec['offset'] + math.floor(r() * spec['k']) for _ in range(spec['n'])]
    if g == 'choice':
        pool = spec['pool']
        return [pool[math.floor(r() * len(pool))] for _ in range(spec['n'])]
    if g == 'vectors':
        return [[normal() for _ in range(spec['dim'])] for _ in range(spec['n'])]
    raise ValueError(g)


SAMPLES = {}


def normal(name, seed, n, loc=0.0, scale=1.0):
    SAMPLES[name] = {'gen': 'normal', 'seed': seed, 'n': n, 'loc': loc, 'scale': scale}


for size, seed in [(5, 1), (50, 3), (1000, 5), (20000, 7)]:
    normal(f'normal{size}', seed, size)
    normal(f'shifted{size}', seed + 100, size, loc=0.5, scale=1.5)
normal('normal1000b', 9, 1000)
normal('normal1024', 11, 1024, loc=10.0, scale=2.0)
normal('mmd1d_a', 21, 600)
normal('mmd1d_b', 22, 600, loc=0.2)
SAMPLES['ints5'] = {'gen': 'ints', 'seed': 31, 'n': 500, 'k': 5, 'offset': 0}
SAMPLES['ints7'] = {'gen': 'ints', 'seed': 32, 'n': 400, 'k': 7, 'offset': 1}
SAMPLES['ints3'] = {'gen': 'ints', 'seed': 33, 'n': 100, 'k': 3, 'offset': 0}
SAMPLES['ints40'] = {'gen': 'ints', 'seed': 34, 'n': 2000, 'k': 40, 'offset': 0}
SAMPLES['ints40shifted'] = {'gen': 'ints', 'seed': 35, 'n': 1500, 'k': 40, 'offset': 3}
SAMPLES['ints4small'] = {'gen': 'ints', 'seed': 36, 'n': 30, 'k': 4, 'offset': 0}
SAMPLES['ints4small_b'] = {'gen': 'ints', 'seed': 37, 'n': 30, 'k': 4, 'offset': 1}
SAMPLES['const3'] = {'gen': 'const', 'n': 100, 'value': 3}
SAMPLES['const3short'] = {'gen': 'const', 'n': 50, 'value': 3}
SAMPLES['const7'] = {'gen': 'const', 'n': 80, 'value': 7}
SAMPLES['zeros'] = {'gen': 'const', 'n': 60, 'value': 0}
SAMPLES['ones'] = {'gen': 'const', 'n': 40, 'value': 1}
# 64 values over a range of 2.1: numpy's sturges gives ceil(2.1 / (2.1 / 7)) = 8 bins, not ceil(log2(64) + 1) = 7.
SAMPLES['sturges64'] = {'gen': 'counts', 'counts': [[0, 63], [2.1, 1]]}
SAMPLES['sturges64_ref'] = {'gen': 'values', 'values': [i * 0.0625 for i in range(32)]}
SAMPLES['sturges64_cur'] = {'gen': 'values', 'values': [2.1 - i * 0.05 for i in range(32)]}
SAMPLES['catA'] = {'gen': 'choice', 'seed': 41, 'n': 300, 'pool': ['a', 'a', 'a', 'b', 'b', 'c', 'd']}
SAMPLES['catB'] = {'gen': 'choice', 'seed': 42, 'n': 250, 'pool': ['a', 'b', 'b', 'c', 'c', 'c', 'e']}
SAMPLES['catRare'] = {'gen': 'counts', 'counts': [['x', 19999], ['y', 1]]}
for name, seed, loc in [('embA', 51, 0.0), ('embB', 52, 0.0), ('embShifted', 53, 0.5)]:
    SAMPLES[name] = {'gen': 'vectors', 'seed': seed, 'n': 40, 'dim': 8, 'loc': loc, 'scale': 1.0}


def load_real():
    with open(os.path.join(DATA, 'bike-sharing', 'day.csv'), newline='') as f:
        days = list(csv.DictReader(f))
    for month, tag in [('2011-01', 'jan'), ('2011-02', 'feb')]:
        rows = [d for d in days if d['dteday'].startswith(month)]
        for col in ['temp', 'hum', 'windspeed']:
            SAMPLES[f'bike_{col}_{tag}'] = {'gen': 'values', 'values': [float(d[col]) for d in rows]}
        for col in ['cnt', 'season', 'weathersit']:
            SAMPLES[f'bike_{col}_{tag}'] = {'gen': 'values', 'values': [int(d[col]) for d in rows]}
    with open(os.path.join(DATA, 'seattle-weather', 'seattle-weather.csv'), newline='') as f:
        weather = list(csv.DictReader(f))
    for year in ['2012', '2015']:
        SAMPLES[f'weather_{year}'] = {'gen': 'values', 'values': [w['weather'] for w in weather if w['date'].startswith(year)]}


load_real()
VALUES = {}


def values(name, integer=False):
    if name not in VALUES:
        VALUES[name] = materialize(SAMPLES[name])
    v = VALUES[name]
    if isinstance(v[0], str):
        return np.array(v, dtype=object)
    if isinstance(v[0], list):
        return np.array(v, dtype=np.float64)
    arr = np.array(v, dtype=np.float64)
    if integer:
        assert np.all(arr == np.floor(arr)), name
        return arr.astype(np.int64)
    return arr


# ---------------------------------------------------------------------------------------------------------------
# Evidently, transcribed.


def sort_key(k):
    return (isinstance(k, str), k)


def get_binned_data(ref, cur, kind, feel_zeroes):
    """evidently/calculations/stattests/utils.py get_binned_data (n_vals > 20 hard-coded there too)."""
    n_vals = len(set(ref.tolist()))
    keys = edges = None
    if kind == 'num' and n_vals > 20:
        edges = np.histogram_bin_edges(np.concatenate([ref, cur]), bins='sturges')
        rp = np.histogram(ref, edges)[0] / len(ref)
        cp = np.histogram(cur, edges)[0] / len(cur)
    else:
        keys = sorted(set(ref.tolist()) | set(cur.tolist()), key=sort_key)
        rc, cc = Counter(ref.tolist()), Counter(cur.tolist())
        rp = np.array([rc.get(k, 0) / len(ref) for k in keys])
        cp = np.array([cc.get(k, 0) / len(cur) for k in keys])
    if feel_zeroes:
        for p in (rp, cp):
            nz = min(p[p != 0])
            np.place(p, p == 0, nz / 10**6 if nz <= 0.0001 else 0.0001)
    return rp, cp, keys, edges


def hellinger(ref, cur, kind):
    """evidently/calculations/stattests/hellinger_distance.py"""
    # Evidently iterates a set; sorted keeps the file byte-identical across runs (string hashes are randomized).
    keys = sorted(set(ref.tolist()) | set(cur.tolist()), key=sort_key)
    if kind == 'cat':
        rc, cc = Counter(ref.tolist()), Counter(cur.tolist())
        h = 0.0
        for k in keys:
            h += math.sqrt((rc.get(k, 0) / len(ref)) * (cc.get(k, 0) / len(cur)))
    else:
        bins = np.histogram_bin_edges(keys, bins='sturges')
        h1 = np.histogram(ref, bins=bins, density=True)[0]
        h2 = np.histogram(cur, bins=bins, density=True)[0]
        width = (max(keys) - min(keys)) / len(h1)
        h = 0.0
        for i in range(len(h1)):
            h += math.sqrt(h1[i] * h2[i]) * width
    return math.sqrt(1 - float(np.clip(h, 0, 1)))


def psi_of(r, c):
    """psi.py's sum; a bin empty on both sides adds nothing (numpy would give NaN; Evidently never has one)."""
    s = 0.0
    for a, b in zip(r, c):
        if a == 0 and b == 0:
            continue
        with np.errstate(divide='ignore'):
            s += (a - b) * np.log(np.float64(a) / b) if b != 0 else math.inf
    return float(s)


def num(x):
    """JSON has no Infinity: written as a string the tests read back."""
    x = float(x)
    return x if math.isfinite(x) else ('Infinity' if x > 0 else '-Infinity' if x < 0 else 'NaN')


def floats(a):
    return [float(x) for x in a]


def write(name, obj):
    path = os.path.join(OUT, f'{name}.json')
    with open(path, 'w') as f:
        json.dump(obj, f, indent=1, allow_nan=False)
        f.write('\n')
    print(f'wrote {os.path.relpath(path, ROOT)} ({os.path.getsize(path)} bytes)')


GENERATED = 'scripts/stats/make_distance_fixtures.py with numpy %s, scipy %s' % (np.__version__, __import__('scipy').__version__)

# ---------------------------------------------------------------------------------------------------------------
# histogram.json: np.histogram_bin_edges and np.histogram.


def histogram_fixture():
    edges_cases = []
    for name, bins, integer in [
        ('normal5', 'sturges', False), ('normal50', 'sturges', False), ('normal1000', 'sturges', False),
        ('normal20000', 'sturges', False), ('normal1024', 'sturges', False), ('ints40', 'sturges', False),
        ('ints40', 'sturges', True), ('ints3', 'sturges', False), ('ints3', 'sturges', True),
        ('const3', 'sturges', False), ('const3', 4, False), ('normal50', 7, False), ('normal5', 1, False),
        ('bike_temp_jan', 'sturges', False), ('bike_cnt_jan', 'sturges', True), ('sturges64', 'sturges', False),
    ]:
        x = values(name, integer)
        e = np.histogram_bin_edges(x, bins=bins)
        edges_cases.append({'sample': name, 'bins': bins, 'integer': integer, 'edges': floats(e),
                            'counts': floats(np.histogram(x, e)[0]), 'density': floats(np.histogram(x, e, density=True)[0])})
    count_cases = []
    for name, edges, density in [
        ('ints40', [0, 10, 10, 20, 39], False),  # a repeated edge, values on edges
        ('ints40', [0, 10, 20, 39], True),
        ('normal50', [-1, 0, 0.5, 2], False),  # values outside the edges are not counted
        ('normal50', [-1, 0, 0.5, 2], True),
        ('ints5', [1, 2, 3, 4], False),  # the last bin is closed: 4 counts
    ]:
        x = values(name, True if name.startswith('ints') else False)
        count_cases.append({'sample': name, 'edges': edges, 'density': density,
                            'expected': floats(np.histogram(x, np.array(edges, dtype=np.float64), density=density)[0])})
    return {'generated_by': GENERATED, 'edges': edges_cases, 'counts': count_cases}


# ---------------------------------------------------------------------------------------------------------------
# Pairs of columns for the column-level scores.

NUM_PAIRS = [
    ('normal5', 'shifted5', False), ('normal50', 'shifted50', False), ('normal1000', 'shifted1000', False),
    ('normal1000', 'normal1000b', False), ('normal20000', 'shifted20000', False), ('normal1000', 'normal1000', False),
    ('ints5', 'ints7', True), ('ints40', 'ints40shifted', True), ('ints5', 'normal50', False),
    ('const3', 'const3short', True), ('const3', 'const7', True), ('normal50', 'const3short', False),
    ('const3short', 'normal50', False), ('zeros', 'ones', False), ('zeros', 'ones', True), ('ints3', 'ints5', True),
    ('ints3', 'zeros', False), ('ints3', 'zeros', True), ('sturges64_ref', 'sturges64_cur', False),
    ('bike_temp_jan', 'bike_temp_feb', False), ('bike_hum_jan', 'bike_hum_feb', False),
    ('bike_windspeed_jan', 'bike_windspeed_feb', False), ('bike_cnt_jan', 'bike_cnt_feb', True),
]
CAT_PAIRS = [
    ('catA', 'catB'), ('catA', 'catA'), ('catRare', 'catA'), ('ints5', 'ints7'), ('bike_season_jan', 'bike_season_feb'),
    ('bike_weathersit_jan', 'bike_weathersit_feb'), ('weather_2012', 'weather_2015'),
]


def binning_fixture():
    cases = []
    for ref, cur, integer in NUM_PAIRS:
        for feel in (False, True):
            cases.append(binned_case(ref, cur, 'num', feel, integer))
    for ref, cur in CAT_PAIRS:
        for feel in (False, True):
            cases.append(binned_case(ref, cur, 'cat', feel, False))
    return {'generated_by': GENERATED, 'cases': cases}


def binned_case(ref, cur, kind, feel, integer):
    rp, cp, keys, edges = get_binned_data(values(ref, integer), values(cur, integer), kind, feel)
    return {'reference': ref, 'current': cur, 'kind': kind, 'feelZeroes': feel, 'integer': integer,
            'expected': {'reference': floats(rp), 'current': floats(cp), 'keys': keys, 'edges': None if edges is None else floats(edges)}}


def wasserstein_fixture():
    cases = []
    for ref, cur, _ in NUM_PAIRS:
        u, v = values(ref), values(cur)
        wd = stats.wasserstein_distance(u, v)
        cases.append({'u': ref, 'v': cur, 'wasserstein': float(wd), 'normed': float(wd / max(np.std(u), 0.001))})
    return {'generated_by': GENERATED, 'cases': cases}


def energy_fixture():
    cases = [{'u': ref, 'v': cur, 'energy': float(stats.energy_distance(values(ref), values(cur)))} for ref, cur, _ in NUM_PAIRS]
    return {'generated_by': GENERATED, 'cases': cases}


def divergence_fixture():
    vectors = []
    for p, q, base in [
        ([0.1, 0.4, 0.5], [0.2, 0.3, 0.5], 2), ([1, 2, 3, 4], [4, 3, 2, 1], 2), ([0.5, 0.5, 0], [0, 0.5, 0.5], 2),
        ([3, 0, 1], [1, 2, 1], math.e), ([0.25, 0.25, 0.25, 0.25], [0.25, 0.25, 0.25, 0.25], 2), ([1, 0, 0], [0, 0, 1], 10),
        ([0.2, 0, 0.8], [0.3, 0, 0.7], 2),
    ]:
        vectors.append({'p': p, 'q': q, 'base': base, 'js': num(distance.jensenshannon(p, q, base)),
                        'kl': num(stats.entropy(p, q)), 'psi': num(psi_of(p, q))})
    drift = []
    pairs = [(r, c, 'num', i) for r, c, i in NUM_PAIRS] + [(r, c, 'cat', False) for r, c in CAT_PAIRS]
    for ref, cur, kind, integer in pairs:
        u, v = values(ref, integer), values(cur, integer)
        rp, cp, _, _ = get_binned_data(u, v, kind, False)
        js = distance.jensenshannon(rp, cp)  # Evidently passes base=None: natural log
        rp, cp, _, _ = get_binned_data(u, v, kind, True)
        psi = float(np.sum((rp - cp) * np.log(rp / cp)))
        kl = stats.entropy(rp, cp)
        h = hellinger(u, v, kind)
        case = {'reference': ref, 'current': cur, 'kind': kind, 'integer': integer, 'js': num(js), 'psi': num(psi), 'kl': num(kl), 'hellinger': num(h)}
        if kind == 'num' and len(set(u.tolist()) | set(v.tolist())) == 1:
            case['hellinger_evidently'] = case['hellinger']
            case['hellinger'] = 0.0
            case['note'] = 'one value on both sides: Evidently divides by a bin width of 0 and answers 1; Pitwall answers 0'
        drift.append(case)
    return {'generated_by': GENERATED, 'vectors': vectors, 'drift': drift}


# ---------------------------------------------------------------------------------------------------------------
# mmd.json: the statistic from a dense numpy kernel matrix, the p-value from the same permutations as mmd.ts.

TIE_TOLERANCE = 1e-10


def mmd_reference(X, Y, gamma=None, permutations=200, seed=0):
    P = np.vstack([X, Y])
    m, n = len(X), len(Y)
    N = m + n
    D2 = ((P[:, None, :] - P[None, :, :]) ** 2).sum(-1)
    if gamma is None:
        S = min(N, 1000)
        idx = np.arange(N) if S == N else np.array([(k * N) // S for k in range(S)])
        d = D2[np.ix_(idx, idx)][np.triu_indices(S, 1)]
        d = d[d > 0]
        gamma = 1.0 / float(np.median(d)) if len(d) else 1.0
    K = np.exp(-gamma * D2)

    def stat(xi, yi):
        kxx, kyy, kxy = K[np.ix_(xi, xi)], K[np.ix_(yi, yi)], K[np.ix_(xi, yi)]
        return (kxx.sum() - np.trace(kxx)) / (m * (m - 1)) + (kyy.sum() - np.trace(kyy)) / (n * (n - 1)) - 2 * kxy.sum() / (m * n)

    observed = stat(np.arange(m), np.arange(m, N))
    rand = mulberry32(seed)
    order = list(range(N))
    at_least = 0
    for _ in range(permutations):
        for i in range(N - 1, 0, -1):
            j = math.floor(rand() * (i + 1))
            order[i], order[j] = order[j], order[i]
        o = np.array(order)
        if stat(o[:m], o[m:]) >= observed - TIE_TOLERANCE:
            at_least += 1
    return float(observed), (1 + at_least) / (1 + permutations), float(gamma)


def mmd_fixture():
    cases = []
    for x, y, opts in [
        ('embA', 'embB', {}), ('embA', 'embShifted', {}), ('embA', 'embShifted', {'gamma': 0.05, 'permutations': 100, 'seed': 7}),
        ('embA', 'embA', {'permutations': 50}), ('mmd1d_a', 'mmd1d_b', {'permutations': 60, 'seed': 3}),
        ('ints4small', 'ints4small_b', {}), ('ints4small', 'ints4small', {'seed': 1}), ('bike_temp_jan', 'bike_temp_feb', {'seed': 11}),
        ('normal5', 'shifted5', {}),
    ]:
        X, Y = values(x), values(y)
        if X.ndim == 1:
            X, Y = X[:, None], Y[:, None]
        s, p, g = mmd_reference(X, Y, opts.get('gamma'), opts.get('permutations', 200), opts.get('seed', 0))
        cases.append({'x': x, 'y': y, 'options': opts, 'statistic': s, 'pvalue': p, 'gamma': g})
    return {'generated_by': GENERATED, 'cases': cases}


def main():
    os.makedirs(OUT, exist_ok=True)
    fixtures = {
        'histogram': histogram_fixture(), 'binning': binning_fixture(), 'wasserstein': wasserstein_fixture(),
        'energy': energy_fixture(), 'divergence': divergence_fixture(), 'mmd': mmd_fixture(),
    }
    write('distance-samples', {'generated_by': GENERATED, 'samples': SAMPLES})
    for name, obj in fixtures.items():
        write(name, obj)


if __name__ == '__main__':
    main()
