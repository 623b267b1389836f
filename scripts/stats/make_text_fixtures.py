"""Reference values for src/drift/text (tokenizer, TF-IDF, ROC AUC) -> src/drift/text/fixtures/text.json.

scikit-learn is not installed here, so its definitions are written out in numpy and checked two ways where possible:
- tokens: Python's own `re.findall(r"(?u)\\b\\w\\w+\\b", text.lower())`, scikit-learn's default analyzer;
- TF-IDF: TfidfVectorizer(sublinear_tf=True, max_df=0.5, stop_words=STOP) by its documented formulas
  (df <= max_df * n; tf = 1 + ln(count); idf = ln((1 + n) / (1 + df)) + 1; rows scaled to unit L2 norm),
  with a small explicit stop list (the test passes the same list);
- ROC AUC: scikit-learn's roc_auc_score algorithm (roc_curve over distinct thresholds, trapezoidal area) in numpy,
  asserted equal to scipy's Mann-Whitney U / (n1 n0).

Run: python3 scripts/stats/make_text_fixtures.py
"""
import json
import math
import re
from collections import Counter
from pathlib import Path

import numpy as np
from scipy.stats import mannwhitneyu

OUT = Path(__file__).resolve().parents[2] / "src" / "drift" / "text" / "fixtures" / "text.json"

TOKEN_CASES = [
    "Hello, World! It's a test: e-mail me at foo_bar@example.com (2 times)",
    "Héllo wörld naïve café ÀÉÎ",
    "x y z ab I a",
    "½ price ２３ items, ٣٤ ok, Ⅻ clock, x²",
    "中文字 日本語テキスト 한국어",
    "don't won't l'amour",
    "तुम कैसे हो",
    "ΣΊΣΥΦΟΣ İstanbul straße",
    "under_score __ _a a_ 1_000",
    "emoji 🎉🎉 party🎉time",
]

STOP = ["the", "is", "a", "on", "and", "of"]
CORPUS = [
    "The cat sat on the mat",
    "The dog sat on the log and the dog barked",
    "Cats and dogs",
    "A bird, a bird, a BIRD sang",
    "the the the",
    "Mat of the cat; mat of the dog",
]


def tfidf(docs, stop, max_df=0.5):
    words = [[w for w in re.findall(r"(?u)\b\w\w+\b", d.lower()) if w not in stop] for d in docs]
    n = len(docs)
    df = Counter(w for ws in words for w in set(ws))
    vocab = sorted(w for w, c in df.items() if c <= max_df * n)
    idf = np.array([math.log((1 + n) / (1 + df[w])) + 1 for w in vocab])
    rows = []
    for ws in words:
        c = Counter(w for w in ws if w in vocab)
        v = np.array([(1 + math.log(c[w])) if c[w] else 0.0 for w in vocab]) * idf
        norm = np.linalg.norm(v)
        rows.append((v / norm if norm > 0 else v).tolist())
    return vocab, idf.tolist(), rows


def sk_roc_auc(y, s):
    y = np.asarray(y, dtype=float)
    s = np.asarray(s, dtype=float)
    order = np.argsort(-s, kind="mergesort")
    s, y = s[order], y[order]
    last = np.r_[np.where(np.diff(s))[0], y.size - 1]
    tps = np.r_[0, np.cumsum(y)[last]]
    fps = np.r_[0, 1 + last - tps[1:]]
    return float(np.trapezoid(tps / tps[-1], fps / fps[-1]))


def auc_case(y, s):
    a = sk_roc_auc(y, s)
    y = np.asarray(y)
    s = np.asarray(s, dtype=float)
    u = mannwhitneyu(s[y == 1], s[y == 0]).statistic / ((y == 1).sum() * (y == 0).sum())
    assert abs(a - u) < 1e-12, (a, u)
    return {"labels": [int(v) for v in y], "scores": s.tolist(), "auc": a}


rng = np.random.default_rng(20240611)
AUC_CASES = [
    auc_case([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]),
    auc_case([0, 1, 0, 1, 1, 0], [0.5, 0.5, 0.2, 0.9, 0.5, 0.5]),
    auc_case([0, 1, 0, 1], [3, 3, 3, 3]),
    auc_case([1, 1, 0, 0, 0], [0.1, 0.2, 0.3, 0.4, 0.5]),
    auc_case(rng.integers(0, 2, 200), rng.integers(0, 7, 200)),
    auc_case(np.r_[np.zeros(150, int), np.ones(90, int)], np.r_[rng.normal(0, 1, 150), rng.normal(0.7, 1, 90)].round(1)),
]

vocab, idf, rows = tfidf(CORPUS, set(STOP))
OUT.parent.mkdir(parents=True, exist_ok=True)
OUT.write_text(
    json.dumps(
        {
            "tokens": [{"text": t, "tokens": re.findall(r"(?u)\b\w\w+\b", t.lower())} for t in TOKEN_CASES],
            "tfidf": {"stopWords": STOP, "corpus": CORPUS, "vocabulary": vocab, "idf": idf, "rows": rows},
            "rocAuc": AUC_CASES,
        },
        ensure_ascii=False,
        indent=1,
    )
    + "\n"
)
print(f"wrote {OUT}")
