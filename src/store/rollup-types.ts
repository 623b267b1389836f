/** Minute roll-ups of served traffic (`prediction_rollups`): sums that add up across replicas and minutes. */

/** Upper bounds (ms) of the roll-ups' latency histogram; one more bucket holds everything above the last. */
export const ROLLUP_LATENCY_BOUNDS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 10_000, 30_000, 60_000, 300_000];

/** The summed counters, by their column name. */
export const ROLLUP_FIELDS = [
  'requests',
  'errors_4xx',
  'errors_5xx',
  'latency_sum_ms',
  'prompt_tokens',
  'completion_tokens',
  'cost_usd',
  'feedback_up',
  'feedback_down',
  'feedback_scored',
  'feedback_score_sum',
  // Labelled classifications: how many, how many right, and the binary confusion counts (positive class 1 / true).
  'class_n',
  'class_correct',
  'tp',
  'fp',
  'fn',
  // Labelled regressions: how many, and the sums of absolute and squared errors.
  'reg_n',
  'abs_err_sum',
  'sq_err_sum',
] as const;

export type RollupField = (typeof ROLLUP_FIELDS)[number];

export const latencyColumn = (i: number) => `lat_${i}`;
export const ROLLUP_COLUMNS: readonly string[] = [...ROLLUP_FIELDS, ...Array.from({ length: ROLLUP_LATENCY_BOUNDS_MS.length + 1 }, (_, i) => latencyColumn(i))];

/** What one roll-up row adds: counters (missing ones are 0) and latency bucket counts. */
export interface RollupDelta {
  deployment: string;
  model: string;
  version: string;
  /** Epoch minutes. */
  minute: number;
  values: Partial<Record<RollupField, number>>;
  /** Per bucket of `ROLLUP_LATENCY_BOUNDS_MS` (plus the overflow bucket); missing ones are 0. */
  latency?: number[];
}

/** Summed roll-ups of one model version over one step of a series. */
export interface RollupPoint {
  model: string;
  version: string;
  /** Start of the step, epoch minutes. */
  minute: number;
  values: Record<RollupField, number>;
  latency: number[];
}
