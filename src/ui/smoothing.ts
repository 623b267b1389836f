/**
 * Exponential moving average with TensorBoard's de-biasing.
 *
 * `weight` is the smoothing factor in [0, 1): 0 returns the input unchanged, 0.99 is very smooth. Like
 * TensorBoard, the running average starts at 0 and is divided by `1 - weight^n` so the first points are not
 * pulled towards zero. Non-finite values (NaN, ±Infinity, null) pass through unchanged and do not disturb the
 * running average, so one bad point does not poison the rest of the curve.
 */
export function emaSmooth(values: readonly (number | null)[], weight: number): (number | null)[] {
  const w = Number.isFinite(weight) ? Math.min(Math.max(weight, 0), 0.999) : 0;
  if (w === 0) return values.slice();
  const out: (number | null)[] = new Array<number | null>(values.length);
  let last = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || !Number.isFinite(v)) {
      out[i] = v ?? null;
      continue;
    }
    last = last * w + (1 - w) * v;
    n++;
    out[i] = last / (1 - Math.pow(w, n));
  }
  return out;
}
