import { predictedValues } from '../../monitoring/label-scoring.js';
import type { Prediction } from '../../store/index.js';

type Row = Record<string, unknown>;

const isObject = (v: unknown): v is Row => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Columns named `0…k-1` (pandas' default) for rows given as lists. */
function rowsOfLists(rows: unknown[], columns?: unknown[]): Row[] {
  return rows.map((r) => {
    const values = Array.isArray(r) ? r : [r];
    return Object.fromEntries(values.map((v, i) => [String(columns?.[i] ?? i), v]));
  });
}

/** A columnar object (`{col: [v…]}`) as rows. */
function rowsOfColumns(o: Row): Row[] {
  const cols = Object.entries(o).filter(([, v]) => Array.isArray(v)) as [string, unknown[]][];
  const n = Math.max(0, ...cols.map(([, v]) => v.length));
  return Array.from({ length: n }, (_, i) => Object.fromEntries(cols.map(([k, v]) => [k, v[i]])));
}

interface V2Tensor {
  name: string;
  shape: number[];
  data: unknown[];
}
const isV2Tensors = (v: unknown): v is V2Tensor[] => Array.isArray(v) && v.length > 0 && v.every((t) => isObject(t) && typeof t.name === 'string' && Array.isArray(t.shape) && Array.isArray(t.data));

/**
 * KServe V2 tensors as rows: the first dimension is the batch. A tensor of one value per row is a column named after
 * it; `[n, k]` gives columns `name[0]`…`name[k-1]` (up to 64; wider ones, like embeddings, stay one vector column).
 */
function rowsOfTensors(tensors: V2Tensor[]): Row[] {
  const n = tensors[0]!.shape[0] ?? 0;
  const rows: Row[] = Array.from({ length: n }, () => ({}));
  for (const t of tensors) {
    if ((t.shape[0] ?? 0) !== n || n === 0) continue;
    const per = t.data.length / n;
    if (!Number.isInteger(per)) continue;
    for (let i = 0; i < n; i++) {
      if (per === 1) rows[i]![t.name] = t.data[i];
      else if (per <= 64) for (let j = 0; j < per; j++) rows[i]![`${t.name}[${j}]`] = t.data[i * per + j];
      else rows[i]![t.name] = t.data.slice(i * per, (i + 1) * per);
    }
  }
  return rows;
}

/** The text of an OpenAI chat message's content (a string, or parts of which the text ones count). */
function contentText(c: unknown): string | undefined {
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) return c.map((p) => (isObject(p) && typeof p.text === 'string' ? p.text : '')).join('');
  return undefined;
}

/** The rows of a logged request body, by the protocol it speaks; undefined when it cannot be read. */
export function requestRows(body: unknown): Row[] | undefined {
  if (!isObject(body)) return undefined;
  if (isObject(body.dataframe_split) && Array.isArray(body.dataframe_split.data)) {
    const cols = body.dataframe_split.columns;
    return rowsOfLists(body.dataframe_split.data, Array.isArray(cols) ? cols : undefined);
  }
  if (Array.isArray(body.dataframe_records)) return body.dataframe_records.map((r) => (isObject(r) ? r : { 0: r }));
  if (isV2Tensors(body.inputs)) return rowsOfTensors(body.inputs);
  for (const key of ['instances', 'inputs'] as const) {
    const v = body[key];
    if (Array.isArray(v)) return v.every(isObject) ? (v as Row[]) : rowsOfLists(v);
    if (isObject(v)) return rowsOfColumns(v);
  }
  if (Array.isArray(body.messages)) {
    const user = [...body.messages].reverse().find((m) => isObject(m) && m.role === 'user') as Row | undefined;
    const prompt = contentText(user?.content);
    return prompt === undefined ? undefined : [{ prompt }];
  }
  if (typeof body.prompt === 'string') return [{ prompt: body.prompt }];
  if (Array.isArray(body.prompt) && body.prompt.every((p) => typeof p === 'string')) return body.prompt.map((prompt) => ({ prompt }));
  if (typeof body.input === 'string') return [{ input: body.input }];
  if (Array.isArray(body.input) && body.input.every((p) => typeof p === 'string')) return body.input.map((input) => ({ input }));
  return undefined;
}

/**
 * The rows a logged prediction holds for drift analysis: the request's rows (features by column), each with the
 * model's answer as `prediction` (a classifier's label, a regressor's value, an LLM's completion) when it has one per
 * row. Undefined for a request that failed, was cut at the log's payload limit, or cannot be read.
 */
export function predictionRows(p: Prediction): Row[] | undefined {
  if (p.status >= 400 || p.truncated || p.inputs === null) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(p.inputs);
  } catch {
    return undefined;
  }
  const rows = requestRows(body);
  if (!rows || rows.length === 0) return undefined;
  const predicted = predictedValues(p);
  if (predicted && predicted.values.length === rows.length) {
    const name = rows.some((r) => 'prompt' in r) ? 'completion' : 'prediction';
    predicted.values.forEach((v, i) => (rows[i]![name] = v));
  }
  return rows;
}
