#!/usr/bin/env python3
"""Reference values for src/drift/quality/agreement.ts: Cohen's kappa (unweighted, linear, quadratic) with
scikit-learn's cohen_kappa_score, on judge/human grade pairs on the 1-5 scale.

python3 scripts/drift/make_quality_fixtures.py   (numpy, scikit-learn) → src/drift/quality/fixtures/agreement.json
"""

import json
import os

import numpy as np
import sklearn
from sklearn.metrics import cohen_kappa_score

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, 'src', 'drift', 'quality', 'fixtures', 'agreement.json')


def main():
    rng = np.random.default_rng(7)
    cases = [
        {'name': 'perfect', 'a': [1, 2, 3, 4, 5, 5, 4], 'b': [1, 2, 3, 4, 5, 5, 4]},
        {'name': 'off by one', 'a': [1, 2, 3, 4, 5, 3, 2, 4], 'b': [2, 3, 4, 5, 5, 2, 2, 3]},
        {'name': 'opposite', 'a': [1, 1, 5, 5, 2, 4], 'b': [5, 5, 1, 1, 4, 2]},
        {'name': 'two values used', 'a': [4, 4, 5, 5, 4], 'b': [4, 5, 5, 4, 4]},
    ]
    truth = rng.integers(1, 6, 200)
    noisy = np.clip(truth + rng.integers(-1, 2, 200), 1, 5)
    cases.append({'name': 'random 200, noise within one', 'a': truth.tolist(), 'b': noisy.tolist()})
    for c in cases:
        a, b = np.array(c['a']), np.array(c['b'])
        labels = [1, 2, 3, 4, 5]
        c['kappa'] = float(cohen_kappa_score(a, b, labels=labels))
        c['linear'] = float(cohen_kappa_score(a, b, labels=labels, weights='linear'))
        c['quadratic'] = float(cohen_kappa_score(a, b, labels=labels, weights='quadratic'))
        c['exact'] = float(np.mean(a == b))
        c['within_one'] = float(np.mean(np.abs(a - b) <= 1))
    with open(OUT, 'w') as f:
        json.dump({'generated_by': f'scripts/drift/make_quality_fixtures.py (scikit-learn {sklearn.__version__})', 'cases': cases}, f, indent=1)
        f.write('\n')
    print(f'wrote {os.path.relpath(OUT, ROOT)}')


if __name__ == '__main__':
    main()
