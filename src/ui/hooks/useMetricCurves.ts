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
 * A run that lacks the metric yields null rather than failing the others.
 */
export function useMetricCurves(runIds: readonly string[], key: string, range: StepRange | null): AsyncState<(MetricCurve | null)[]> {
  return useAsync(async () => {
    const settled = await Promise.allSettled(
      runIds.map((runId) =>
        client.getMetricCurve({
          runId,
          key,
          points: CURVE_POINTS,
          ...(range ? { startStep: range.start, endStep: range.end } : {}),
        }),
      ),
    );
    const firstError = settled.find((s) => s.status === 'rejected');
    if (firstError && settled.every((s) => s.status === 'rejected')) throw firstError.reason;
    return settled.map((s) => (s.status === 'fulfilled' ? s.value : null));
  }, [runIds.join(','), key, range?.start, range?.end]);
}
