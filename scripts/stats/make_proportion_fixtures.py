#!/usr/bin/env python3
"""Reference values for src/stats/proportion.ts: confidence intervals of a binomial proportion.

Run from anywhere: python3 scripts/stats/make_proportion_fixtures.py  (scipy)

- wilson: scipy.stats.binomtest(k, n).proportion_ci(confidence_level, method='wilson');
- exact (Clopper-Pearson): scipy.special.betaincinv(k, n - k + 1, alpha) and betaincinv(k + 1, n - k, 1 - alpha), the
  closed form of the interval, accurate to double precision; also what binomtest(...).proportion_ci(method='exact')
  answers, which finds the same roots with brentq (xtol 2e-12), so it agrees only to about 1e-12 absolute;
- ndtri: scipy.special.ndtri, the normal quantile behind Wilson's z.

Writes src/stats/fixtures/proportion.json.
"""

import json
import os

import numpy as np
import scipy
from scipy import special, stats

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, 'src', 'stats', 'fixtures')

CASES = [
    (0, 1), (1, 1), (0, 10), (10, 10), (1, 10), (3, 10), (5, 10), (9, 10), (0, 2), (1, 2), (7, 40), (37, 200),
    (1, 1000), (12, 1000), (500, 1000), (999, 1000), (0, 100000), (3, 100000), (1234, 100000), (99999, 100000),
    (31, 2500000), (1000000, 3000000),
]
LEVELS = [0.95, 0.9, 0.99, 0.5, 0.999999]


def main():
    cases = []
    for k, n in CASES:
        for cl in LEVELS:
            res = stats.binomtest(k, n)
            w = res.proportion_ci(confidence_level=cl, method='wilson')
            e = res.proportion_ci(confidence_level=cl, method='exact')
            alpha = (1 - cl) / 2
            lo = 0.0 if k == 0 else float(special.betaincinv(k, n - k + 1, alpha))
            hi = 1.0 if k == n else float(special.betaincinv(k + 1, n - k, 1 - alpha))
            cases.append({'k': k, 'n': n, 'confidence': cl, 'wilson': [float(w.low), float(w.high)],
                          'exact': [lo, hi], 'exactBinomtest': [float(e.low), float(e.high)]})
    ps = [1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.001, 0.0125, 0.025, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.75, 0.9, 0.95,
          0.975, 0.995, 0.9995, 0.999999, 1 - 1e-12, 0.5 + 0.5 * 0.95, 0.5 + 0.5 * 0.999999]
    out = {'generated_by': 'scripts/stats/make_proportion_fixtures.py with numpy %s, scipy %s' % (np.__version__, scipy.__version__),
           'cases': cases, 'ndtri': [[p, float(special.ndtri(p))] for p in ps]}
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, 'proportion.json')
    with open(path, 'w') as f:
        json.dump(out, f, indent=1, allow_nan=False)
        f.write('\n')
    print(f'wrote {os.path.relpath(path, ROOT)} ({os.path.getsize(path)} bytes)')


if __name__ == '__main__':
    main()
