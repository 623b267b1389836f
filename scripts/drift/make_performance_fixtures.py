#!/usr/bin/env python3
"""Reference values for src/drift/performance/ (metrics.ts, bands.ts, cbpe.ts).

Run from anywhere: python3 scripts/drift/make_performance_fixtures.py  (numpy, scipy, scikit-learn; no pandas or
NannyML needed)

The data: bike sharing (../shared/data/bike-sharing/day.csv). Days with an odd `instant` train three scikit-learn
models (a "high demand" classifier, cnt > 4500; a low/mid/high demand classifier, cut at 3740 and 5312; a linear
regression of cnt); the days with an even `instant`, in date order, are the monitored stream: the 2011 days are the
reference, the 2012 days the analysis. The stream's labels, probabilities and predictions are stored, so the
TypeScript tests read exactly the numbers scikit-learn produced.

Expected values come from scikit-learn itself (metrics, IsotonicRegression, StratifiedShuffleSplit) and from NannyML's
code transcribed below with numpy (nannyml/calibration.py, chunk.py, thresholds.py,
performance_estimation/confidence_based/{cbpe,metrics}.py, sampling_error/*.py). One deliberate difference: NannyML
sorts with numpy's default (unstable) argsort in its expected calibration error, and the order of tied probabilities
decides which rows fall in which bin; the transcription uses a stable sort (what Pitwall does) and the script checks
that the decision is the same either way.

Writes src/drift/performance/fixtures/performance.json.
"""

import csv
import json
import math
import os

import numpy as np
import scipy
import sklearn
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import (accuracy_score, auc, f1_score, mean_absolute_error, mean_absolute_percentage_error,
                             precision_score, recall_score, roc_auc_score, root_mean_squared_error)
from sklearn.model_selection import StratifiedShuffleSplit
from sklearn.preprocessing import LabelBinarizer, StandardScaler, label_binarize

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(os.path.dirname(ROOT), 'shared', 'data')
OUT = os.path.join(ROOT, 'src', 'drift', 'performance', 'fixtures')
GENERATED = 'scripts/drift/make_performance_fixtures.py with numpy %s, scipy %s, scikit-learn %s' % (
    np.__version__, scipy.__version__, sklearn.__version__)

FEATURES = ['temp', 'atemp', 'hum', 'windspeed', 'workingday', 'holiday', 'yr', 'season', 'weathersit', 'mnth']
HIGH = 4500
CUTS = (3740, 5312)
CLASSES3 = ['high', 'low', 'mid']  # sorted, as NannyML sorts the keys of y_pred_proba
CHUNK_SIZE = 30


def floats(a):
    return [float(x) for x in a]


def opt(x):
    """NaN (NannyML's 'not defined') as null."""
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def tercile(c):
    return 'low' if c <= CUTS[0] else 'mid' if c <= CUTS[1] else 'high'


def load():
    with open(os.path.join(DATA, 'bike-sharing', 'day.csv'), newline='') as f:
        rows = list(csv.DictReader(f))
    X = np.array([[float(r[c]) for c in FEATURES] for r in rows])
    cnt = np.array([int(r['cnt']) for r in rows])
    train = np.array([int(r['instant']) % 2 == 1 for r in rows])
    scaler = StandardScaler().fit(X[train])
    Xs = scaler.transform(X)
    high = (cnt > HIGH).astype(int)
    binary = LogisticRegression(max_iter=2000).fit(Xs[train], high[train])
    y3 = np.array([tercile(c) for c in cnt], dtype=object)
    multi = LogisticRegression(max_iter=2000).fit(Xs[train], y3[train])
    assert list(multi.classes_) == CLASSES3
    reg = LinearRegression().fit(Xs[train], cnt[train])
    s = ~train
    proba = binary.predict_proba(Xs[s])[:, 1]
    proba3 = multi.predict_proba(Xs[s])
    return {
        'date': [r['dteday'] for r, keep in zip(rows, s) if keep],
        'yTrue': high[s].tolist(),
        'proba': floats(proba),
        'yPred': (proba >= 0.5).astype(int).tolist(),  # predict() thresholds at 0.5 as well
        'y3True': y3[s].tolist(),
        'y3Pred': multi.predict(Xs[s]).tolist(),
        'proba3': [floats(proba3[:, k]) for k in range(3)],
        'cnt': cnt[s].tolist(),
        'cntPred': floats(reg.predict(Xs[s])),
    }


# ---------------------------------------------------------------------------------------------------------------
# metrics.ts: scikit-learn on the stream, and on small hand-made cases for the edges.


def metrics_fixture(st):
    yt, yp, p = np.array(st['yTrue']), np.array(st['yPred']), np.array(st['proba'])
    s_true = np.where(yt == 1, 'high', 'low')
    s_pred = np.where(yp == 1, 'high', 'low')
    y3t, y3p = np.array(st['y3True'], dtype=object), np.array(st['y3Pred'], dtype=object)
    binary = []
    for name, a, b, pos in [('stream', yt, yp, 1), ('stream, positive 0', yt, yp, 0), ('stream as strings', s_true, s_pred, 'high')]:
        binary.append({'case': name, 'positive': pos if isinstance(pos, str) else int(pos),
                       'accuracy': accuracy_score(a, b), 'precision': precision_score(a, b, pos_label=pos, zero_division=0),
                       'recall': recall_score(a, b, pos_label=pos, zero_division=0), 'f1': f1_score(a, b, pos_label=pos, zero_division=0)})
    macro = []
    small_t = [0, 1, 2, 2, 1, 0, 2]
    small_p = [0, 2, 2, 3, 1, 0, 1]  # class 3 is only predicted: its precision is 0/1, its recall 0/0 -> 0
    for name, a, b in [('stream terciles', y3t, y3p), ('a class only predicted', np.array(small_t), np.array(small_p))]:
        macro.append({'case': name, 'yTrue': None if name.startswith('stream') else small_t, 'yPred': None if name.startswith('stream') else small_p,
                      'accuracy': accuracy_score(a, b),
                      'precision': precision_score(a, b, average='macro', zero_division=0),
                      'recall': recall_score(a, b, average='macro', zero_division=0),
                      'f1': f1_score(a, b, average='macro', zero_division=0)})
    rounded = np.round(p, 1)
    roc = [{'case': 'stream', 'scores': None, 'rocAuc': roc_auc_score(yt, p)},
           {'case': 'stream, scores rounded to 0.1 (ties)', 'scores': floats(rounded), 'rocAuc': roc_auc_score(yt, rounded)},
           {'case': 'strings, greater label positive', 'yTrue': ['b', 'a', 'b', 'a', 'b'], 'scores': [0.9, 0.1, 0.4, 0.4, 0.35],
            'rocAuc': roc_auc_score(['b', 'a', 'b', 'a', 'b'], [0.9, 0.1, 0.4, 0.4, 0.35])}]
    c, cp = np.array(st['cnt'], dtype=float), np.array(st['cntPred'])
    zt, zp = [0.0, 2.0, -3.0, 4.0], [0.5, 1.0, -2.0, 4.0]
    regression = [{'case': 'stream cnt', 'mae': mean_absolute_error(c, cp), 'rmse': root_mean_squared_error(c, cp), 'mape': mean_absolute_percentage_error(c, cp)},
                  {'case': 'a zero target (MAPE divides by eps)', 'yTrue': zt, 'yPred': zp, 'mae': mean_absolute_error(zt, zp),
                   'rmse': root_mean_squared_error(zt, zp), 'mape': mean_absolute_percentage_error(zt, zp)}]
    return {'binary': binary, 'macro': macro, 'rocAuc': roc, 'regression': regression}


# ---------------------------------------------------------------------------------------------------------------
# cbpe.ts: IsotonicRegression, StratifiedShuffleSplit, NannyML's calibration check and estimates.


def isotonic_case(name, x, y, at, y_min=None, y_max=None):
    iso = IsotonicRegression(out_of_bounds='clip', increasing=True, y_min=y_min, y_max=y_max).fit(x, y)
    return {'case': name, 'x': floats(x), 'y': floats(y), 'yMin': y_min, 'yMax': y_max,
            'xThresholds': floats(iso.X_thresholds_), 'yThresholds': floats(iso.y_thresholds_),
            'at': floats(at), 'predicted': floats(iso.predict(at))}


def isotonic_fixture(st, n_ref):
    p, y = np.array(st['proba']), np.array(st['yTrue'], dtype=float)
    ref, ana = slice(0, n_ref), slice(n_ref, None)
    at = np.concatenate([p[ana], [-0.5, 0.0, 1.0, 1.5, p[ref].min(), p[ref].max()]])
    cnt = np.array(st['cnt'], dtype=float) / 8714
    temps = np.round(np.array(st['proba']) * 20) / 20  # ties in x, a continuous y
    return [
        isotonic_case('reference probabilities', p[ref], y[ref], at),
        isotonic_case('probabilities rounded to 0.1 (ties in x averaged)', np.round(p[ref], 1), y[ref], at),
        isotonic_case('y_min 0.1, y_max 0.9', p[ref], y[ref], at, 0.1, 0.9),
        isotonic_case('continuous y, many ties', temps, cnt, np.linspace(-0.1, 1.1, 25)),
        isotonic_case('one distinct x', np.full(5, 0.3), np.array([0, 1, 1, 0, 1.0]), [0.1, 0.3, 0.9]),
    ]


def get_bin_index_edges(vector_length, bin_count):
    """nannyml/calibration.py _get_bin_index_edges"""
    if vector_length <= 2 * bin_count:
        bin_count = vector_length // 2
        if bin_count < 2:
            raise ValueError('cannot split into minimum of 2 bins')
    bin_width = vector_length // bin_count
    bin_edges = np.asarray(range(0, vector_length + 1, bin_width))
    bin_edges[-1] = vector_length
    return [(int(a), int(b)) for a, b in zip(bin_edges[:-1], bin_edges[1:])]


def ece(y_true, y_pred_proba, edges, kind):
    """nannyml/calibration.py _calculate_expected_calibration_error, with the sort `kind` as a parameter."""
    y_pred_proba, y_true = np.asarray(y_pred_proba), np.asarray(y_true)
    order = y_pred_proba.argsort(kind=kind)
    y_pred_proba, y_true = y_pred_proba[order], y_true[order]
    terms = []
    for left, right in edges:
        bp, bt = y_pred_proba[left:right], y_true[left:right]
        terms.append(len(bp) / len(y_pred_proba) * abs(np.mean(bp) - np.mean(bt)))
    return float(np.sum(terms))


def needs_calibration(y_true, y_pred_proba, bin_count=10, split_count=10):
    """nannyml/calibration.py needs_calibration with the IsotonicCalibrator; answers the details too."""
    y_true, y_pred_proba = np.asarray(y_true), np.asarray(y_pred_proba)
    if len(np.unique(y_true)) == 1:
        return {'needsCalibration': False, 'reason': 'single-class'}
    if roc_auc_score(y_true, y_pred_proba) > 0.999:
        return {'needsCalibration': False, 'reason': 'roc-auc'}
    sss = StratifiedShuffleSplit(n_splits=split_count, test_size=0.1, random_state=42)
    tests, trues, probas, calibrated = [], [], [], []
    for train, test in sss.split(y_pred_proba, y_true):
        iso = IsotonicRegression(out_of_bounds='clip', increasing=True).fit(y_pred_proba[train], y_true[train])
        tests.append(test.tolist())
        trues.append(y_true[test])
        probas.append(y_pred_proba[test])
        calibrated.append(iso.predict(y_pred_proba[test]))
    vt, vp, vc = np.concatenate(trues), np.concatenate(probas), np.concatenate(calibrated)
    edges = get_bin_index_edges(len(vp), bin_count)
    before, after = ece(vt, vp, edges, 'stable'), ece(vt, vc, edges, 'stable')
    np_before, np_after = ece(vt, vp, edges, 'quicksort'), ece(vt, vc, edges, 'quicksort')
    assert (before > after) == (np_before > np_after), 'the tie order decides the calibration check'
    return {'needsCalibration': bool(before > after), 'reason': 'ece', 'eceBefore': before, 'eceAfter': after,
            'eceBeforeNumpySort': np_before, 'eceAfterNumpySort': np_after, 'tests': tests}


def split_fixture():
    """StratifiedShuffleSplit on label columns of several shapes (class ties, 3 classes, strings)."""
    cases = []
    for name, y, n_splits, test_size, seed in [
        ('balanced 0/1, 20 rows', [i % 2 for i in range(20)], 3, 0.1, 42),
        ('unbalanced, 37 rows', [1 if i % 5 == 0 else 0 for i in range(37)], 4, 0.1, 42),
        ('three classes with tied counts', ['a', 'b', 'c'] * 7 + ['a'], 5, 0.3, 7),
        ('large, test 0.25', [(i * 7) % 3 for i in range(301)], 2, 0.25, 0),
    ]:
        sss = StratifiedShuffleSplit(n_splits=n_splits, test_size=test_size, random_state=seed)
        splits = [{'train': tr.tolist(), 'test': te.tolist()} for tr, te in sss.split(np.zeros(len(y)), np.array(y))]
        cases.append({'case': name, 'y': y, 'nSplits': n_splits, 'testSize': test_size, 'seed': seed, 'splits': splits})
    return cases


# Chunking and thresholds, nannyml/chunk.py and thresholds.py.


def size_chunks(n, size, incomplete):
    """SizeBasedChunker._split as index ranges [start, end)."""
    chunks = [(i, i + size) for i in range(0, n, size) if i + size - 1 < n]
    if n % size != 0:
        last = (size * (n // size), n)
        if incomplete == 'keep':
            chunks.append(last)
        elif incomplete == 'append':
            chunks[-1] = (chunks[-1][0], n)
    return chunks


def thresholds(values, lower_limit, upper_limit):
    """StandardDeviationThreshold(3, 3) through calculate_threshold_values."""
    values = np.asarray([v for v in values if v is not None and not math.isnan(v)])
    mean, std = np.mean(values), np.std(values)
    lower, upper = mean - std * 3, mean + std * 3
    if lower_limit is not None and lower < lower_limit:
        lower = lower_limit
    if upper_limit is not None and upper > upper_limit:
        upper = upper_limit
    return {'lower': opt(lower), 'upper': opt(upper), 'mean': float(mean), 'std': float(std)}


def alert(value, band):
    if value is None:
        return False
    return (band['lower'] is not None and value < band['lower']) or (band['upper'] is not None and value > band['upper'])


# NannyML's estimators (performance_estimation/confidence_based/metrics.py).


def estimate_binary(y_pred, p, p_uncalibrated):
    tp = np.sum(np.where(y_pred == 1, p, 0))
    fp = np.sum(np.where(y_pred == 1, 1 - p, 0))
    fn = np.sum(np.where(y_pred == 0, p, 0))
    tn = np.sum(np.where(y_pred == 0, 1 - p, 0))
    with np.errstate(divide='ignore', invalid='ignore'):
        return {'accuracy': opt((tp + tn) / len(y_pred)), 'precision': opt(tp / (tp + fp)), 'recall': opt(tp / (tp + fn)),
                'f1': opt(tp / (tp + 0.5 * (fp + fn))), 'rocAuc': opt(estimate_roc_auc(p, p_uncalibrated)),
                'tp': float(tp), 'fp': float(fp), 'fn': float(fn), 'tn': float(tn)}


def estimate_roc_auc(true_y_pred_proba, model_y_pred_proba):
    assert len(np.unique(model_y_pred_proba)) == len(model_y_pred_proba), 'ties: the unstable argsort would decide'
    sorted_index = np.argsort(model_y_pred_proba)[::-1]
    true_y_pred_proba = true_y_pred_proba[sorted_index]
    with np.errstate(divide='ignore', invalid='ignore'):
        tps = np.cumsum(true_y_pred_proba)
        fps = 1 + np.arange(len(true_y_pred_proba)) - tps
        tps = np.round(np.r_[0, tps], 5)
        fps = np.round(np.r_[0, fps], 5)
        return auc(fps / fps[-1], tps / tps[-1])


def realized_binary(y_true, y_pred, p_uncalibrated):
    """NannyML's _realized_performance: NaN where it warns 'too few unique values'."""
    one_class = len(np.unique(y_true)) <= 1
    one_pred = len(np.unique(y_pred)) <= 1
    nan = float('nan')
    return {'accuracy': accuracy_score(y_true, y_pred),
            'precision': nan if one_class or one_pred else precision_score(y_true, y_pred, zero_division=0),
            'recall': nan if one_class or one_pred else recall_score(y_true, y_pred, zero_division=0),
            'f1': nan if one_class or one_pred else f1_score(y_true, y_pred, zero_division=0),
            'rocAuc': nan if one_class else roc_auc_score(y_true, p_uncalibrated)}


def binary_sampling_components(y_true, y_pred, proba):
    """sampling_error/binary_classification.py *_sampling_error_components as (std, fraction), SE = std / sqrt(n fraction)."""
    tp = np.where((y_true == y_pred) & (y_pred == 1), 1, np.nan)
    fp = np.where((y_true != y_pred) & (y_pred == 1), 0, np.nan)
    fn = np.where((y_true != y_pred) & (y_pred == 0), 0, np.nan)
    tp, fp, fn = tp[~np.isnan(tp)], fp[~np.isnan(fp)], fn[~np.isnan(fn)]
    tp_fp_fn = np.concatenate([tp, fn, fp])
    factor = len(tp_fp_fn) / ((len(fn) + len(fp)) * 0.5 + len(tp))
    # AUROC: Mann-Whitney ranks
    yt, pp = y_true.copy(), proba.copy()
    if np.mean(yt) > 0.5:
        yt, pp = abs(yt - 1), 1 - pp
    order = np.argsort(pp, kind='stable')
    yt = yt[order]
    indexes = np.unique(yt * np.arange(len(yt)))[1:]
    ser = [index - i for i, index in enumerate(indexes)]
    n_pos = np.sum(yt)
    return {
        'accuracy': [float(np.std((y_true == y_pred).astype(int))), 1.0],
        'precision': [float(np.std(np.concatenate([tp, fp]))), float(np.sum(y_pred) / len(y_pred))],
        'recall': [float(np.std(np.concatenate([tp, fn]))), float(sum(y_true) / len(y_pred))],
        'f1': [float(np.std(tp_fp_fn * factor)), float(len(tp_fp_fn) / len(y_pred))],
        'rocAuc': [float(np.std(np.true_divide(ser, len(yt) - n_pos))), float(n_pos / len(yt))],
    }


BINARY_METRICS = ['accuracy', 'precision', 'recall', 'f1', 'rocAuc']


def cbpe_binary_fixture(st, n_ref):
    yt, yp, p = np.array(st['yTrue']), np.array(st['yPred']), np.array(st['proba'])
    ref, ana = slice(0, n_ref), slice(n_ref, None)
    check = needs_calibration(yt[ref], p[ref])
    pc = p.copy()
    if check['needsCalibration']:
        iso = IsotonicRegression(out_of_bounds='clip', increasing=True).fit(p[ref], yt[ref])
        pc = iso.predict(p)
    ref_chunks = size_chunks(n_ref, CHUNK_SIZE, 'append')
    ana_chunks = [(a + n_ref, b + n_ref) for a, b in size_chunks(len(yt) - n_ref, CHUNK_SIZE, 'append')]
    realized_ref = [realized_binary(yt[a:b], yp[a:b], p[a:b]) for a, b in ref_chunks]
    bands = {m: thresholds([r[m] for r in realized_ref], 0, 1) for m in BINARY_METRICS}
    components = binary_sampling_components(yt[ref], yp[ref], p[ref])

    def chunk(a, b):
        est = estimate_binary(yp[a:b], pc[a:b], p[a:b])
        real = realized_binary(yt[a:b], yp[a:b], p[a:b])
        out = {'start': a, 'end': b, 'tp': est['tp'], 'fp': est['fp'], 'fn': est['fn'], 'tn': est['tn']}
        for m in BINARY_METRICS:
            se = components[m][0] / math.sqrt((b - a) * components[m][1])
            out[m] = {'estimated': est[m], 'realized': opt(real[m]), 'samplingError': se, 'alert': alert(est[m], bands[m])}
        return out

    return {'nReference': n_ref, 'chunkSize': CHUNK_SIZE, 'incomplete': 'append', 'calibration': check,
            'calibrated': floats(pc), 'bands': bands, 'samplingComponents': components,
            'reference': [chunk(a, b) for a, b in ref_chunks], 'analysis': [chunk(a, b) for a, b in ana_chunks]}


def multiclass_sampling_components(y_true, y_pred):
    """sampling_error/multiclass_classification.py, binarized with a LabelBinarizer fitted on the reference labels;
    answers the sampling error as a function of the chunk size."""
    lb = LabelBinarizer().fit(y_true)
    T, P = lb.transform(y_true), lb.transform(y_pred)
    correct = (T == P).all(axis=1).astype(int)
    per = {'precision': [], 'recall': [], 'f1': []}
    for k in range(T.shape[1]):
        t, q = T[:, k], P[:, k]
        tp = np.where((t == q) & (q == 1), 1, np.nan)
        fp = np.where((t != q) & (q == 1), 0, np.nan)
        fn = np.where((t != q) & (q == 0), 0, np.nan)
        tp, fp, fn = tp[~np.isnan(tp)], fp[~np.isnan(fp)], fn[~np.isnan(fn)]
        per['precision'].append((np.var(np.concatenate([tp, fp])), np.sum(q) / len(q)))
        per['recall'].append((np.var(np.concatenate([tp, fn])), sum(t) / len(q)))
        f = np.concatenate([tp, fn, fp])
        per['f1'].append((np.var(f), len(f) / len(q)))

    def combine(cs):
        return lambda n: float(np.sqrt(np.sum([v / (n * fr) for v, fr in cs])) / len(cs))

    return {'accuracy': lambda n: float(np.std(correct) / np.sqrt(n)), **{m: combine(cs) for m, cs in per.items()}}


def cbpe_multiclass_fixture(st, n_ref):
    yt, yp = np.array(st['y3True'], dtype=object), np.array(st['y3Pred'], dtype=object)
    P = np.array(st['proba3']).T  # rows x classes, columns in CLASSES3 order
    ref = slice(0, n_ref)
    Yt = label_binarize(yt, classes=CLASSES3)
    Yp = label_binarize(yp, classes=CLASSES3)
    checks, calibrated = [], np.zeros_like(P)
    for k in range(3):
        check = needs_calibration(Yt[ref, k], P[ref, k])
        check.pop('tests', None)
        checks.append(check)
        if check['needsCalibration']:
            calibrated[:, k] = IsotonicRegression(out_of_bounds='clip', increasing=True).fit(P[ref, k], Yt[ref, k]).predict(P[:, k])
        else:
            calibrated[:, k] = P[:, k]
    den = calibrated.sum(axis=1)[:, None]
    calibrated = np.divide(calibrated, den, out=np.full_like(calibrated, 1 / 3), where=den != 0)

    def estimate(a, b):
        per = [estimate_binary(Yp[a:b, k], calibrated[a:b, k], P[a:b, k]) for k in range(3)]
        return {'accuracy': float(np.mean(np.max(Yp[a:b] * calibrated[a:b], axis=1))),
                **{m: opt(np.mean([c[m] if c[m] is not None else np.nan for c in per])) for m in ['precision', 'recall', 'f1']}}

    def realized(a, b):
        t, q = yt[a:b], yp[a:b]
        few = len(set(t)) <= 1 or len(set(q)) <= 1
        nan = float('nan')
        return {'accuracy': accuracy_score(t, q) if not few else nan,
                'precision': nan if few else precision_score(t, q, average='macro', labels=CLASSES3, zero_division=0),
                'recall': nan if few else recall_score(t, q, average='macro', labels=CLASSES3, zero_division=0),
                'f1': nan if few else f1_score(t, q, average='macro', labels=CLASSES3, zero_division=0)}

    ref_chunks = size_chunks(n_ref, CHUNK_SIZE, 'append')
    ana_chunks = [(a + n_ref, b + n_ref) for a, b in size_chunks(len(yt) - n_ref, CHUNK_SIZE, 'append')]
    realized_ref = [realized(a, b) for a, b in ref_chunks]
    # NannyML's multiclass metrics pass no value limits; Pitwall clips to [0, 1] as for binary (here: accuracy's upper).
    bands = {m: thresholds([r[m] for r in realized_ref], 0, 1) for m in ['accuracy', 'precision', 'recall', 'f1']}
    components = multiclass_sampling_components(yt[ref], yp[ref])
    chunks = []
    for a, b in ana_chunks:
        est, real = estimate(a, b), realized(a, b)
        chunks.append({'start': a, 'end': b, **{m: {'estimated': est[m], 'realized': opt(real[m]), 'alert': alert(est[m], bands[m]),
                                                    'samplingError': components[m](b - a)}
                                               for m in ['accuracy', 'precision', 'recall', 'f1']}})
    return {'classes': CLASSES3, 'calibration': checks, 'calibrated': [floats(calibrated[:, k]) for k in range(3)],
            'bands': bands, 'analysis': chunks}


def bands_fixture(st, n_ref):
    """MAE per chunk of the regression, bands clipped at 0 below only, plus the chunkers on a few lengths."""
    c, cp = np.array(st['cnt'], dtype=float), np.array(st['cntPred'])
    ref_chunks = size_chunks(n_ref, CHUNK_SIZE, 'keep')
    maes = [mean_absolute_error(c[a:b], cp[a:b]) for a, b in ref_chunks]
    chunkers = []
    for n, size in [(10, 3), (9, 3), (2, 3), (183, 30), (182, 30), (7, 1)]:
        chunkers.append({'n': n, 'size': size, **{k: size_chunks(n, size, k) if not (k == 'append' and n < size) else None
                                                 for k in ['keep', 'drop', 'append']}})
    rng = np.random.default_rng(3)
    sums = []
    for n in [1, 7, 9, 64, 129, 300]:
        x = rng.normal(size=n) * 10 ** rng.uniform(-3, 3, size=n)
        sums.append({'x': floats(x), 'sum': float(np.sum(x)), 'mean': float(np.mean(x)), 'std': float(np.std(x))})
    return {'sums': sums, 'maeChunks': [list(ch) for ch in ref_chunks], 'mae': maes, 'maeBand': thresholds(maes, 0, None),
            'wide': thresholds([0.2, 0.9, 0.95, 0.99], 0, 1), 'chunkers': chunkers}


def write(obj):
    os.makedirs(OUT, exist_ok=True)
    path = os.path.join(OUT, 'performance.json')
    with open(path, 'w') as f:
        json.dump(obj, f, separators=(',', ':'), allow_nan=False)
        f.write('\n')
    print(f'wrote {os.path.relpath(path, ROOT)} ({os.path.getsize(path)} bytes)')


def main():
    st = load()
    n_ref = sum(1 for d in st['date'] if d.startswith('2011'))
    write({
        'generated_by': GENERATED,
        'stream': st,
        'nReference': n_ref,
        'metrics': metrics_fixture(st),
        'isotonic': isotonic_fixture(st, n_ref),
        'splits': split_fixture(),
        'calibrationChecks': [
            {'case': 'reference', **needs_calibration(np.array(st['yTrue'][:n_ref]), np.array(st['proba'][:n_ref]))},
            {'case': 'reference, probabilities cubed', 'power': 3,
             **needs_calibration(np.array(st['yTrue'][:n_ref]), np.array(st['proba'][:n_ref]) ** 3)},
        ],
        'binary': cbpe_binary_fixture(st, n_ref),
        'multiclass': cbpe_multiclass_fixture(st, n_ref),
        'bands': bands_fixture(st, n_ref),
    })


if __name__ == '__main__':
    main()
