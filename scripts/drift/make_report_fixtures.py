#!/usr/bin/env python3
"""Expected drift reports on the real datasets of ../shared/data, for src/drift/report.test.ts.

Run from anywhere: python3 scripts/drift/make_report_fixtures.py  (numpy, scipy; no pandas or Evidently needed)

Each case splits a real file in two (a reference and a current slice), infers each column's kind with the rules of
src/drift/column-kind.ts, picks the test Evidently picks by default (evidently/legacy/calculations/stattests/registry.py
get_default_stattest) and computes its score with SciPy, transcribing Evidently's formulas where it has its own:

- numerical with more than 5 distinct values over both sides: K-S (scipy.stats.ks_2samp) with 1,000 reference
  values or fewer, else the Wasserstein distance normed by the reference's standard deviation (floored at 0.001);
- otherwise: chi-square of the current counts against the reference shares (more than 2 values) or Evidently's
  two-proportion z-test, with 1,000 reference values or fewer; else the Jensen-Shannon distance (natural log) of the
  binned shares;
- thresholds 0.05 (p-values, drift below) and 0.1 (distances, drift at or above); dataset drift when at least half
  of the tested columns drift.

Writes src/drift/fixtures/reports.json: per case, how the slices are made and the expected column results.
"""

import csv
import json
import math
import os
import re
import sys
from collections import Counter

import numpy as np
from scipy import stats
from scipy.spatial import distance

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(os.path.dirname(ROOT), 'shared', 'data')
OUT = os.path.join(ROOT, 'src', 'drift', 'fixtures')
sys.path.insert(0, os.path.join(ROOT, 'scripts', 'stats'))
from make_distance_fixtures import get_binned_data  # noqa: E402  (Evidently's binning, transcribed there)

MISSING = {'', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', 'None', '#N/A', 'n/a', '-NaN', '-nan', '<NA>'}
ISO_DATE = re.compile(r'^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$')
CASES = [
    {'name': 'bike-days-jan-vs-feb-2011', 'file': 'bike-sharing/day.csv', 'split_column': 'dteday', 'reference': '2011-01', 'current': '2011-02'},
    {'name': 'bike-days-2011-vs-2012', 'file': 'bike-sharing/day.csv', 'split_column': 'dteday', 'reference': '2011', 'current': '2012'},
    {'name': 'bike-hours-2011-vs-2012', 'file': 'bike-sharing/hour.csv', 'split_column': 'dteday', 'reference': '2011', 'current': '2012'},
    {'name': 'seattle-weather-2012-vs-2015', 'file': 'seattle-weather/seattle-weather.csv', 'split_column': 'date', 'reference': '2012', 'current': '2015'},
]


def parse_number(s):
    try:
        x = float(s)
    except ValueError:
        return None
    return x if re.fullmatch(r'[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?', s.strip()) else None


def column(rows, name):
    """The column's values (None for missing) and whether pandas would read it as integers."""
    raw = [r[name] for r in rows]
    present = [v for v in raw if v not in MISSING]
    nums = [parse_number(v) for v in present]
    if present and all(x is not None for x in nums):
        integral = all(re.fullmatch(r'[+-]?\d+', v.strip()) for v in present) and len(present) == len(raw)
        return [None if v in MISSING else float(v) for v in raw], 'number', integral
    return [None if v in MISSING else v for v in raw], 'string', False


def infer_kind(values, typ, integral):
    """src/drift/column-kind.ts, in Python."""
    present = [v for v in values if v is not None]
    if not present:
        return 'empty'
    distinct = len(set(present))
    if typ == 'number':
        return 'cat' if integral and distinct <= 10 else 'num'
    if all(ISO_DATE.match(v) for v in present):
        return 'datetime'
    return 'text' if distinct > 0.5 * len(present) else 'cat'


def z_test(ref, cur):
    """evidently/legacy/calculations/stattests/z_stattest.py"""
    if len(set(ref)) == 1 and len(set(cur)) == 1 and ref[0] == cur[0]:
        return 1.0
    key = sorted(set(ref) | set(cur), key=lambda k: (isinstance(k, str), k))[0]
    r = np.array([1 if x == key else 0 for x in ref])
    c = np.array([1 if x == key else 0 for x in cur])
    n1, n2 = len(r), len(c)
    p1, p2 = r.sum() / n1, c.sum() / n2
    P = (p1 * n1 + p2 * n2) / (n1 + n2)
    z = (p1 - p2) / math.sqrt(P * (1 - P) * (1 / n1 + 1 / n2))
    return float(2 * (1 - stats.norm.cdf(abs(z))))


def chi_square(ref, cur):
    """evidently/legacy/calculations/stattests/chisquare_stattest.py"""
    keys = sorted(set(ref) | set(cur), key=lambda k: (isinstance(k, str), k))
    rc, cc = Counter(ref), Counter(cur)
    k_norm = len(cur) / len(ref)
    expected = [rc.get(k, 0) * k_norm for k in keys]
    observed = [cc.get(k, 0) for k in keys]
    with np.errstate(divide='ignore', invalid='ignore'):
        return float(stats.chisquare(observed, expected)[1])


def expected_column(name, ref_rows, cur_rows):
    rv, typ, rint = column(ref_rows, name)
    cv, _, _ = column(cur_rows, name)
    kind = infer_kind(rv, typ, rint)
    out = {'column': name, 'kind': kind}
    if kind in ('datetime', 'empty', 'text'):
        out['status'] = 'skipped' if kind != 'text' else 'text'
        return out
    ref = [v for v in rv if v is not None]
    cur = [v for v in cv if v is not None]
    distinct = len(set(ref) | set(cur))
    large = len(ref) > 1000
    if kind == 'num' and distinct > 5:
        if large:
            a, b = np.array(ref), np.array(cur)
            test, score = 'wasserstein', stats.wasserstein_distance(a, b) / max(float(np.std(a)), 0.001)
        else:
            test, score = 'ks', stats.ks_2samp(ref, cur).pvalue
    elif large:
        a, b = np.array(ref, dtype=object if typ == 'string' else np.float64), np.array(cur, dtype=object if typ == 'string' else np.float64)
        rp, cp, _, _ = get_binned_data(a, b, 'cat', False)
        test, score = 'jensenshannon', distance.jensenshannon(rp, cp)
    else:
        test, score = ('chisquare', chi_square(ref, cur)) if distinct > 2 else ('z', z_test(ref, cur))
    p_value = test in ('ks', 'chisquare', 'z')
    threshold = 0.05 if p_value else 0.1
    score = float(score)
    out.update({'status': 'tested', 'test': test, 'score': score, 'threshold': threshold,
                'drifted': bool(score < threshold if p_value else score >= threshold)})
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    cases = []
    for case in CASES:
        with open(os.path.join(DATA, case['file']), newline='') as f:
            rows = list(csv.DictReader(f))
        names = list(rows[0].keys())
        ref = [r for r in rows if r[case['split_column']].startswith(case['reference'])]
        cur = [r for r in rows if r[case['split_column']].startswith(case['current'])]
        columns = [expected_column(n, ref, cur) for n in names]
        tested = [c for c in columns if c['status'] == 'tested']
        drifted = sum(c['drifted'] for c in tested)
        cases.append({**case, 'reference_rows': len(ref), 'current_rows': len(cur), 'columns': columns,
                      'tested': len(tested), 'drifted': drifted, 'dataset_drift': drifted / len(tested) >= 0.5})
        print(f"{case['name']}: {len(ref)} vs {len(cur)} rows, {drifted} of {len(tested)} columns drifted")
    path = os.path.join(OUT, 'reports.json')
    with open(path, 'w') as f:
        json.dump({'generated_by': f'scripts/drift/make_report_fixtures.py (numpy {np.__version__}, scipy {__import__("scipy").__version__})', 'cases': cases}, f, indent=1)
        f.write('\n')
    print(f'wrote {os.path.relpath(path, ROOT)}')


if __name__ == '__main__':
    main()
