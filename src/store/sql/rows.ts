import type { Metric, RunInfo } from '../types.js';
import type { MetricsTable, RunsTable } from './schema.js';

/** NaN cannot be stored portably: it is kept as value 0 with `is_nan = 1`, as MLflow does. */
export function metricValueToRow(value: number): { value: number; is_nan: number } {
  return Number.isNaN(value) ? { value: 0, is_nan: 1 } : { value, is_nan: 0 };
}

export function metricFromRow(r: Pick<MetricsTable, 'key' | 'value' | 'timestamp' | 'step' | 'is_nan'>): Metric {
  return { key: r.key, value: r.is_nan ? Number.NaN : Number(r.value), timestamp: Number(r.timestamp), step: Number(r.step) };
}

/**
 * Splits rows for multi-row statements and `IN` lists: SQLite refuses more than 32,766 bound values in one
 * statement and PostgreSQL more than 65,535, and request sizes alone do not keep under that.
 */
export function chunked<T>(items: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function runInfoFromRow(r: RunsTable): RunInfo {
  return {
    runId: r.run_uuid,
    runName: r.name,
    experimentId: String(r.experiment_id),
    userId: r.user_id,
    status: r.status as RunInfo['status'],
    startTime: Number(r.start_time),
    endTime: r.end_time === null ? null : Number(r.end_time),
    artifactUri: r.artifact_uri,
    lifecycleStage: r.lifecycle_stage as RunInfo['lifecycleStage'],
  };
}
