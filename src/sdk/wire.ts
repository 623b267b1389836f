import type { CurvePoint, Experiment, Metric, MetricCurve, MetricWithRunId, Run, RunInfo, WireMetricValue } from './types.js';

/** Encodes a metric value for JSON: non-finite numbers become MLflow's strings ("NaN", "Infinity", "-Infinity"). */
export function encodeMetricValue(v: number): WireMetricValue {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return v;
}

/** Decodes a metric value from JSON; accepts numbers and the strings MLflow and protobuf JSON use. */
export function decodeMetricValue(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (v === 'NaN' || v === 'nan') return NaN;
    if (v === 'Infinity' || v === 'inf') return Infinity;
    if (v === '-Infinity' || v === '-inf') return -Infinity;
    const n = Number(v);
    return v.trim() === '' ? NaN : n;
  }
  return NaN;
}

/** int64 fields are JSON numbers in MLflow, but proto3 JSON allows strings: accept both. */
function int(v: unknown, fallback = 0): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return fallback;
}

type Obj = Record<string, unknown>;

export function decodeMetric(raw: unknown): Metric {
  const m = (raw ?? {}) as Obj;
  return { key: String(m.key ?? ''), value: decodeMetricValue(m.value), timestamp: int(m.timestamp), step: int(m.step) };
}

export function decodeMetricWithRunId(raw: unknown): MetricWithRunId {
  return { ...decodeMetric(raw), run_id: String((raw as Obj | undefined)?.run_id ?? '') };
}

export function decodeRunInfo(raw: unknown): RunInfo {
  const i = (raw ?? {}) as Obj & RunInfo;
  const out: RunInfo = { ...i, start_time: int(i.start_time) };
  if (i.end_time === undefined || i.end_time === null) delete out.end_time;
  else out.end_time = int(i.end_time);
  return out;
}

export function decodeRun(raw: unknown): Run {
  const r = (raw ?? {}) as Obj & Run;
  const data = { ...(r.data ?? {}) };
  if (Array.isArray(data.metrics)) data.metrics = data.metrics.map(decodeMetric);
  return { ...r, info: decodeRunInfo(r.info), data };
}

export function decodeExperiment(raw: unknown): Experiment {
  const e = (raw ?? {}) as Obj & Experiment;
  return { ...e, creation_time: int(e.creation_time), last_update_time: int(e.last_update_time) };
}

export function decodeCurve(raw: unknown): MetricCurve {
  const c = (raw ?? {}) as Obj & MetricCurve;
  const points: CurvePoint[] = Array.isArray(c.points)
    ? c.points.map((p) => ({ step: int(p.step), value: decodeMetricValue(p.value), timestamp: int(p.timestamp) }))
    : [];
  return {
    ...c,
    total: int(c.total),
    downsampled: Boolean(c.downsampled),
    min_step: c.min_step === null || c.min_step === undefined ? null : int(c.min_step),
    max_step: c.max_step === null || c.max_step === undefined ? null : int(c.max_step),
    points,
  };
}
