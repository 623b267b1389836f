"""The drift benchmark's baseline (bench/drift.ts runs it): Evidently's automatic data drift tests with numpy/SciPy
on the same columns Pitwall tests. Reads DIR/meta.json and DIR/<column>.{ref,cur}.f64 (raw float64), then per column
what Evidently's default does: the distinct count of both sides (pandas' nunique) picks the test, then, with more than
1,000 reference rows and more than 5 distinct values, the Wasserstein distance normed by the reference's standard
deviation. Prints one JSON line: seconds, peak RSS, and the score per column."""
import json
import resource
import sys
import time

import numpy as np
from scipy import stats


def main(d: str) -> None:
    meta = json.load(open(f"{d}/meta.json"))
    cols = {c: (np.fromfile(f"{d}/{c}.ref.f64"), np.fromfile(f"{d}/{c}.cur.f64")) for c in meta["columns"]}
    t = time.perf_counter()
    scores = {}
    for c, (ref, cur) in cols.items():
        ref = ref[~np.isnan(ref)]
        cur = cur[~np.isnan(cur)]
        n_values = len(np.unique(np.concatenate([ref, cur])))
        if len(ref) > 1000 and n_values > 5:
            scores[c] = stats.wasserstein_distance(ref, cur) / max(np.std(ref), 0.001)
        else:
            scores[c] = stats.ks_2samp(ref, cur).pvalue
    seconds = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"seconds": seconds, "peak_rss_bytes": peak, "scores": scores}))


if __name__ == "__main__":
    main(sys.argv[1])
