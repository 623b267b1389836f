import type { Prediction, RollupField } from '../store/index.js';

type Scores = Partial<Record<RollupField, number>>;

/** 0/1 for booleans and '0'/'1'/'true'/'false' strings, so `true` and `1` compare equal; anything else as is. */
function norm(v: unknown): unknown {
  if (v === true || v === 'true') return 1;
  if (v === false || v === 'false') return 0;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return v;
}

const argmax = (xs: number[]) => xs.reduce((best, x, i) => (x > xs[best]! ? i : best), 0);

/** One value per row from a column of `rows` rows (argmax when a row holds several, such as class probabilities). */
function perRow(data: unknown[], rows: number): unknown[] {
  if (rows <= 0 || data.length === rows) return data;
  const per = data.length / rows;
  if (!Number.isInteger(per)) return data;
  return Array.from({ length: rows }, (_, r) => argmax(data.slice(r * per, (r + 1) * per).map(Number)));
}

/**
 * What the model predicted, one value per row of the request, from the logged outputs: a KServe V2 answer's `label`
 * output (else its first), an MLflow scoring answer (`label` column or the first), or an LLM's text. `regression`
 * when the values are floating point (a V2 FP output, or non-integer numbers).
 */
export function predictedValues(p: Prediction): { values: unknown[]; regression: boolean } | undefined {
  if (p.outputs === null || p.truncated || p.status >= 400) return undefined;
  let out: unknown;
  try {
    out = JSON.parse(p.outputs);
  } catch {
    return undefined;
  }
  if (Array.isArray(out) && out.every((o) => o && typeof o === 'object' && 'data' in o)) {
    const tensors = out as { name: string; datatype: string; shape: number[]; data: unknown[] }[];
    const t = tensors.find((o) => o.name === 'label') ?? tensors.find((o) => o.name === 'predictions') ?? tensors[0];
    if (!t) return undefined;
    const values = perRow(t.data, t.shape[0] ?? t.data.length);
    return { values, regression: /^FP/.test(t.datatype) && values.length === t.data.length };
  }
  if (out && typeof out === 'object' && !Array.isArray(out) && typeof (out as { text?: unknown }).text === 'string') {
    return { values: [(out as { text: string }).text.trim()], regression: false };
  }
  let col: unknown = out;
  if (out && typeof out === 'object' && !Array.isArray(out)) {
    const o = out as Record<string, unknown>;
    col = o.label ?? o[Object.keys(o)[0]!];
  }
  if (!Array.isArray(col)) return undefined;
  const values = col.map((v) => (Array.isArray(v) && v.length === 1 ? v[0] : v && typeof v === 'object' && !Array.isArray(v) ? ((v as Record<string, unknown>).label ?? Object.values(v)[0]) : v));
  const regression = values.every((v) => typeof v === 'number') && values.some((v) => !Number.isInteger(v));
  return { values, regression };
}

/**
 * What a label adds to the roll-ups of its prediction: for classifications, counted and correct rows and (for 0/1
 * labels) the binary confusion counts; for regressions, rows and the sums of absolute and squared errors. A label
 * is one value (a one-row prediction) or one per row. Undefined when the prediction's outputs cannot be read or
 * the label does not fit them.
 */
export function scoreLabel(p: Prediction, label: unknown): Scores | undefined {
  const pred = predictedValues(p);
  if (!pred) return undefined;
  const labels = Array.isArray(label) ? label : [label];
  if (labels.length !== pred.values.length) return undefined;
  const s: Scores = {};
  const add = (f: RollupField, n: number) => (s[f] = (s[f] ?? 0) + n);
  for (const [i, raw] of labels.entries()) {
    const y = norm(raw);
    const yhat = norm(pred.values[i]);
    if (pred.regression && typeof y === 'number' && typeof yhat === 'number') {
      add('reg_n', 1);
      add('abs_err_sum', Math.abs(yhat - y));
      add('sq_err_sum', (yhat - y) ** 2);
      continue;
    }
    add('class_n', 1);
    add('class_correct', String(y) === String(yhat) ? 1 : 0);
    if ((y === 0 || y === 1) && (yhat === 0 || yhat === 1)) {
      if (y === 1 && yhat === 1) add('tp', 1);
      else if (y === 0 && yhat === 1) add('fp', 1);
      else if (y === 1 && yhat === 0) add('fn', 1);
    }
  }
  return s;
}
