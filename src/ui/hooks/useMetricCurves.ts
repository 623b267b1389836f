import type { MetricCurve } from '../../sdk/types.js';
import { client } from '../client.js';
import { useAsync, type AsyncState } from './useAsync.js';

/** A step window of a curve; both ends inclusive. */
export interface StepRange {
  readonly start: number;
  readonly end: number;
}

/** Points asked of the server per curve: enough for a sharp line at any chart width, cheap at any history length. */
export const CURVE_POINTS = 1000;

/**
 * The downsampled curve of `key` for each run, over `range` (the whole history when null). The server reduces a
 * long history to ≤ CURVE_POINTS points that keep its shape, so zooming re-fetches to reveal detail.
 * A run that lacks the metric yields null.
 */
export function useMetricCurves(runIds: readonly string[], key: string, range: StepRange | null): AsyncState<(MetricCurve | null)[]> {
  return useAsync(async () => {
    // One request for all runs; a run without the metric comes back with no points.
    const curves = await client.getMetricCurves({
      runIds: [...runIds],
      key,
      points: CURVE_POINTS,
      ...(range ? { startStep: range.start, endStep: range.end } : {}),
    });
    return curves.map((c) => (c.points.length > 0 || c.total > 0 ? c : null));
  }, [runIds.join(','), key, range?.start, range?.end]);
}
