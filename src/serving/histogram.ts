/**
 * A histogram over fixed upper bounds (seconds, or any unit), plus a `+Inf` bucket, a sum and a count; `counts[i]` is
 * the count of bucket `i` alone (Prometheus' cumulative `le` counts are their running sums).
 */
export class Histogram {
  readonly counts: number[];
  sum = 0;
  count = 0;

  constructor(readonly bounds: readonly number[]) {
    this.counts = new Array<number>(bounds.length + 1).fill(0);
  }

  observe(v: number): void {
    let i = 0;
    while (i < this.bounds.length && v > this.bounds[i]!) i++;
    this.counts[i]!++;
    this.sum += v;
    this.count++;
  }

  /** The `q` quantile estimated as Prometheus' `histogram_quantile` does (linear within the bucket); undefined when empty. */
  quantile(q: number): number | undefined {
    if (this.count === 0) return undefined;
    const rank = q * this.count;
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      const c = this.counts[i]!;
      if (seen + c >= rank && c > 0) {
        const lo = i === 0 ? 0 : this.bounds[i - 1]!;
        const hi = i < this.bounds.length ? this.bounds[i]! : this.bounds[this.bounds.length - 1]!;
        return lo + (hi - lo) * ((rank - seen) / c);
      }
      seen += c;
    }
    return this.bounds[this.bounds.length - 1];
  }
}
