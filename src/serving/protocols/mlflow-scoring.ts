/**
 * MLflow's scoring protocol (`mlflow models serve`, `POST /invocations`) for Pitwall's tensor models: request parsing
 * and response building, with no HTTP. What MLflow does was read in its source:
 *
 * Requests — `mlflow/pyfunc/scoring_server/__init__.py` (`_split_data_and_params`, `infer_and_parse_data`,
 * `parse_csv_input`) and `mlflow/utils/proto_json_utils.py` (`dataframe_from_parsed_json`, `parse_tf_serving_input`):
 * - A JSON body is an object with exactly one of `dataframe_split`, `dataframe_records`, `instances`, `inputs`, and an
 *   optional `params`; otherwise `BAD_REQUEST` "The input must be a JSON dictionary with exactly one of the input
 *   fields {…}. Received dictionary with input fields: […]" (the protocol-change paragraph MLflow appends, about MLflow
 *   1.x clients, is left out). Other keys are ignored, as `_split_data_and_params` drops them.
 * - `dataframe_split` is `{columns?, data, index?}` (pandas "split"); `dataframe_records` a list of `{column: value}`
 *   (pandas "records": columns are the union of keys, a key a record lacks is missing). `text/csv` bodies are a header
 *   row and rows ({@link parseCsvScoringBody}).
 * - `inputs` (columnar) is a nested array for a single-input model or `{input: nested array}`; `instances` (row-wise)
 *   is a list of rows or a list of `{input: value}` objects, turned into columns; `instances` columns must all have
 *   one entry per instance ("The length of values for each input/column name are not the same").
 *
 * Mapping onto the model's tensors — MLflow's `_enforce_schema` / `_enforce_tensor_schema` /
 * `_reshape_and_cast_pandas_column_values` in `mlflow/models/utils.py`, for a tensor-based signature (what an ONNX
 * model's named tensors are):
 * - A dataframe column named like an input feeds that input: scalar cells fill an input shaped `[-1]` or `[-1, 1]` with
 *   one value per row; list cells fill `[-1, d1, …]` (fixed `d1…`) with `d1×…` values per row. A missing input column
 *   is a 400 "Model is missing inputs ['age']." (field `inputs[age]`); extra columns are ignored — `_enforce_schema`'s
 *   docstring: "For signatures with input names, we check there are no missing inputs … Any extra columns are
 *   ignored", and MLflow's test `test_column_schema_enforcement` ("test that extra column is ignored").
 * - A single-input model whose input is not among the columns takes the dataframe as a matrix: k columns, in the order
 *   given, fill an input shaped `[-1, k]` (MLflow's unnamed-tensor case: "the input shape must be of the structure
 *   (-1, number_of_dataframe_columns)"); a lone column fills the input as a named one would.
 * - Values are cast to the input's datatype, as MLflow's `np.array(…, dtype=…)` / `astype` do, but without silent
 *   truncation: integer types (INT…, UINT…) take integers (or integer strings) within the type's range; FP* take numbers or numeric
 *   strings, and JSON `null` becomes NaN, as pandas reads a missing float; BYTES take strings, and numbers or booleans
 *   become their Python `str()` form (`1` → `'1'`, `true` → `'True'`); BOOL take booleans, 0/1 and "true"/"false". A
 *   missing value (`null`, an empty CSV field) in an INT, BYTES or BOOL column is a 400 naming the column.
 * - Tensor inputs (`inputs` / `instances`) take their shape from their nesting (ragged is a 400) and are checked by
 *   `validateInputs`, as MLflow's `_enforce_tensor_spec` checks rank and fixed dimensions. Keys that name no input are
 *   ignored, as in `_enforce_tensor_schema`.
 * - `params`: ONNX models declare no params schema, and for such models MLflow's `_enforce_params_schema` logs a
 *   warning and ignores them; they are reported back as `ignoredParams` so the caller can log the same warning.
 *
 * Responses — `predictions_to_json` writes `{"predictions": _get_jsonable_obj(raw, pandas_orient="records")}`, and
 * what `raw` is depends on `mlflow/onnx/__init__.py` `_OnnxModelWrapper.predict`:
 * - It gets a dict or an ndarray (always so with a tensor-based signature, since `_enforce_tensor_schema` turns even a
 *   DataFrame into a dict of arrays): it returns `dict(zip(output_names, predicted))`, written as
 *   `{"predictions": {"label": [1, 0], "probabilities": [[0.11, 0.89], [0.87, 0.13]]}}` — a dict even when the model
 *   has one output (`{"predictions": {"Plus214_Output_0": [[…10 logits…]]}}`), never a bare array.
 * - It gets a DataFrame (a column-based signature, or none and dataframe input): it returns
 *   `pd.DataFrame.from_dict({name: np.asarray(out).reshape(-1)})`, written as records
 *   `{"predictions": [{"label": 1, "probability": 0.8}, …]}`. Flattening every output makes MLflow fail (pandas: "All
 *   arrays must be of the same length", answered as a 400) as soon as one output has several values per row, such as
 *   the titanic model's `probabilities [-1, 2]`, or multiply the rows when every output has the same width. Here a
 *   record holds, for an output with several values per row, that row's values as a (nested) list instead.
 * Pitwall's signatures are tensor-based, so {@link scoringResponse} answers the dict form by default; the caller passes
 * the MLflow signature type of the model's `MLmodel` to get records where MLflow would give them. FP NaN / Infinity
 * have no JSON form: `JSON.stringify` writes `null` where Python's `json` writes the non-standard `NaN`.
 */
import { AppError, invalidParam } from '../../core/errors/index.js';
import type { Datatype, ModelSignature, Tensor, TensorSpec } from '../engine.js';
import { validateInputs } from '../tensor-validation.js';
import { CsvError, type CsvTable, parseCsvTable } from './csv-table.js';
import { describe, fitsIntegerType, flattenNested, isPlainObject, nest, product, pyList } from './json-tensors.js';

export type ScoringKind = 'dataframe' | 'tensor';

/**
 * The kind of signature an MLflow model carries in its `MLmodel` (`tensor`: `{"type": "tensor", …}` inputs;
 * `columns`: column types such as `{"type": "long", "name": "pclass"}`; `none`: no signature). It decides the
 * response's form; see the module comment.
 */
export type MlflowSignatureType = 'tensor' | 'columns' | 'none';

export interface ScoringRequest {
  /** The model's inputs in signature order, checked with `validateInputs`. */
  inputs: Tensor[];
  kind: ScoringKind;
  /** Names in `params`, which a model without a params schema ignores (MLflow logs a warning). */
  ignoredParams: string[];
}

export type ScoringResponse = { predictions: Record<string, unknown> } | { predictions: Record<string, unknown>[] };

const FORMATS = ['dataframe_split', 'dataframe_records', 'instances', 'inputs'] as const;
type Format = (typeof FORMATS)[number];
const REQUIRED_INPUT_FORMAT = `The input must be a JSON dictionary with exactly one of the input fields {${[...FORMATS].sort().map((f) => `'${f}'`).join(', ')}}`;

const badRequest = (message: string): AppError => new AppError('BAD_REQUEST', message);
const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** Python's `type(x)` as MLflow's messages print it. */
function pyType(v: unknown): string {
  if (v === null) return "<class 'NoneType'>";
  if (Array.isArray(v)) return "<class 'list'>";
  if (typeof v === 'string') return "<class 'str'>";
  if (typeof v === 'boolean') return "<class 'bool'>";
  if (typeof v === 'number') return Number.isInteger(v) ? "<class 'int'>" : "<class 'float'>";
  return "<class 'dict'>";
}

/** A dataframe, column-major: `cells[j][i]` is row i of column j. */
interface Frame {
  columns: string[];
  cells: unknown[][];
  rows: number;
  /** Read from CSV text: pandas' NA tokens ("NA", "nan", …) count as missing in float columns. */
  csv: boolean;
}

function frameFromRows(rows: readonly unknown[], columns: string[] | undefined, what: string): Frame {
  // pandas pads short rows with missing values; a row that is a scalar is a one-column row.
  const asRows = rows.map((r) => (Array.isArray(r) ? r : [r]));
  const width = asRows.reduce((w, r) => Math.max(w, r.length), 0);
  if (columns !== undefined && columns.length !== width && asRows.length > 0) {
    throw badRequest(`Provided ${what} field is not a valid dataframe representation. Error: '${columns.length} columns passed, passed data had ${width} columns'`);
  }
  const names = columns ?? Array.from({ length: width }, (_, j) => String(j));
  const cells = names.map((_, j) => asRows.map((r) => (j < r.length ? r[j] : null)));
  return { columns: names, cells, rows: asRows.length, csv: false };
}

function checkColumnNames(columns: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c)) throw badRequest(`Provided ${what} field is not a valid dataframe representation: column '${c}' appears twice`);
    seen.add(c);
  }
}

function parseSplit(v: unknown): Frame {
  if (!isPlainObject(v)) throw badRequest(`Dataframe split format must be a dictionary. Got ${Array.isArray(v) ? 'list' : `type ${pyType(v)}`}.`);
  const keys = Object.keys(v);
  if (!hasOwn(v, 'data') || keys.some((k) => k !== 'columns' && k !== 'data' && k !== 'index')) {
    throw badRequest(`Dataframe split format must have 'data' field and optionally 'columns' and 'index' fields. Got {${keys.map((k) => `'${k}'`).join(', ')}}.`);
  }
  if (!Array.isArray(v.data)) throw badRequest(`Provided dataframe_split field is not a valid dataframe representation in 'split' format. Error: 'data' must be a list of rows, got ${describe(v.data)}`);
  let columns: string[] | undefined;
  if (v.columns !== undefined) {
    if (!Array.isArray(v.columns) || !v.columns.every((c) => typeof c === 'string' || typeof c === 'number')) {
      throw badRequest("Provided dataframe_split field is not a valid dataframe representation in 'split' format. Error: 'columns' must be a list of names");
    }
    columns = v.columns.map(String);
    checkColumnNames(columns, 'dataframe_split');
  }
  if (v.index !== undefined && (!Array.isArray(v.index) || v.index.length !== v.data.length)) {
    throw badRequest(`Provided dataframe_split field is not a valid dataframe representation in 'split' format. Error: 'index' must be a list with one entry per row (${v.data.length})`);
  }
  return frameFromRows(v.data, columns, "dataframe_split field in 'split' format");
}

function parseRecords(v: unknown): Frame {
  if (!Array.isArray(v)) throw badRequest(`Dataframe records format must be a list of records. Got ${isPlainObject(v) ? 'dictionary' : `type ${pyType(v)}`}.`);
  if (!v.some(isPlainObject)) return frameFromRows(v, undefined, "dataframe_records field in 'records' format");
  // Columns are the union of the records' keys in order of first appearance; a key a record lacks is missing.
  const index = new Map<string, number>();
  const cells: unknown[][] = [];
  v.forEach((rec, i) => {
    if (!isPlainObject(rec)) throw badRequest(`Provided dataframe_records field is not a valid dataframe representation in 'records' format. Error: record ${i} is ${describe(rec)}, not an object`);
    for (const [k, x] of Object.entries(rec)) {
      let j = index.get(k);
      if (j === undefined) {
        j = cells.length;
        index.set(k, j);
        cells.push(new Array<unknown>(v.length).fill(null));
      }
      cells[j]![i] = x;
    }
  });
  return { columns: [...index.keys()], cells, rows: v.length, csv: false };
}

const NA_TOKENS = new Set(['', '#N/A', '#N/A N/A', '#NA', '-1.#IND', '-1.#QNAN', '-NaN', '-nan', '1.#IND', '1.#QNAN', '<NA>', 'N/A', 'NA', 'NULL', 'NaN', 'None', 'n/a', 'nan', 'null']);
const FLOAT_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function floatFromText(s: string, csv: boolean): number | undefined {
  const t = s.trim();
  if (FLOAT_TEXT.test(t)) return Number(t);
  const lower = t.toLowerCase();
  if (lower === 'nan' || lower === '+nan' || lower === '-nan') return NaN;
  if (/^[+-]?(inf|infinity)$/.test(lower)) return lower.startsWith('-') ? -Infinity : Infinity;
  if (csv && NA_TOKENS.has(t)) return NaN;
  return undefined;
}

type Cell = number | string | boolean;

/** Casts one JSON / CSV value to `dt` (see the module comment), or throws `fail(why)`. */
function cast(v: unknown, dt: Datatype, csv: boolean, fail: (why: string) => AppError): Cell {
  if (dt === 'BYTES') {
    if (typeof v === 'string') return v;
    if (typeof v === 'number') return String(v);
    if (typeof v === 'boolean') return v ? 'True' : 'False';
    throw fail(v === null ? 'missing, and a BYTES (string) input cannot hold a missing value' : `${describe(v)}, not a string`);
  }
  if (dt === 'BOOL') {
    if (typeof v === 'boolean') return v;
    if (v === 0 || v === 1) return v === 1;
    if (typeof v === 'string') {
      const t = v.trim().toLowerCase();
      if (t === 'true' || t === '1') return true;
      if (t === 'false' || t === '0') return false;
    }
    throw fail(v === null ? 'missing, and a BOOL input cannot hold a missing value' : `${describe(v)}, not a boolean`);
  }
  if (dt === 'FP16' || dt === 'FP32' || dt === 'FP64') {
    if (typeof v === 'number') return v;
    if (v === null) return NaN;
    if (typeof v === 'string') {
      const x = floatFromText(v, csv);
      if (x !== undefined) return x;
    }
    throw fail(`${describe(v)}, not a number`);
  }
  const x = typeof v === 'number' ? v : typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v) ? Number(v) : undefined;
  if (x === undefined) throw fail(v === null ? `missing, and an integer (${dt}) input cannot hold a missing value` : `${describe(v)}, not an integer`);
  if (!Number.isInteger(x)) throw fail(`${x}, not an integer`);
  if (!fitsIntegerType(dt, x)) throw fail(`${x}, out of range for ${dt}`);
  return x;
}

const dims = (shape: readonly number[]) => `[${shape.map((d) => (d < 0 ? -1 : d)).join(', ')}]`;

/** One dataframe column as the input `spec`: scalar cells for `[-1]` / `[-1, 1]`, list cells for `[-1, d1, …]`. */
function columnTensor(spec: TensorSpec, column: string, values: readonly unknown[], frame: Frame): Tensor {
  const at = `inputs[${spec.name}]`;
  const rest = spec.shape.slice(1);
  if (spec.shape.length === 0 || rest.some((d) => d < 0)) {
    throw invalidParam(`Input '${spec.name}' has shape ${dims(spec.shape)}: fed from a dataframe column, only its first dimension may be variable`, at);
  }
  const data: Cell[] = [];
  let row = 0;
  const fail = (why: string) => invalidParam(`Column '${column}', row ${row}: ${why}`, at);
  if (values.every((v) => !Array.isArray(v))) {
    if (product(rest) !== 1) {
      throw invalidParam(`Column '${column}' holds scalar values, which fill an input of shape [-1] or [-1, 1]; input '${spec.name}' is ${dims(spec.shape)}: give each row a list of ${product(rest)} values`, at);
    }
    for (; row < values.length; row++) data.push(cast(values[row], spec.datatype, frame.csv, fail));
  } else {
    const per = product(rest);
    for (; row < values.length; row++) {
      const flat = flattenNested(values[row], (why) => fail(`the value ${why}`));
      if (flat.data.length !== per) throw fail(`holds ${flat.data.length} values; input '${spec.name}' ${dims(spec.shape)} takes ${per} per row`);
      for (const v of flat.data) data.push(cast(v, spec.datatype, frame.csv, fail));
    }
  }
  return { name: spec.name, datatype: spec.datatype, shape: [frame.rows, ...rest], data: data as Tensor['data'] };
}

function missingInputs(signature: ModelSignature, present: readonly string[]): AppError {
  const missing = signature.inputs.map((s) => s.name).filter((n) => !present.includes(n));
  const extra = present.filter((c) => !signature.inputs.some((s) => s.name === c));
  const note = extra.length > 0 ? ` Note that there were extra inputs: ${pyList(extra)}` : '';
  return invalidParam(`Model is missing inputs ${pyList(missing)}.${note}`, `inputs[${missing[0]}]`);
}

function frameToTensors(frame: Frame, signature: ModelSignature): Tensor[] {
  if (frame.rows === 0) throw invalidParam('The dataframe has no rows', 'inputs');
  const byName = new Map(frame.columns.map((c, j) => [c, j]));
  const [only] = signature.inputs;
  if (signature.inputs.length > 1 || (only && byName.has(only.name))) {
    if (signature.inputs.some((s) => !byName.has(s.name))) throw missingInputs(signature, frame.columns);
    return signature.inputs.map((s) => columnTensor(s, s.name, frame.cells[byName.get(s.name)!]!, frame));
  }
  if (!only) throw invalidParam('The model takes no inputs', 'inputs');
  if (frame.columns.length === 1) return [columnTensor(only, frame.columns[0]!, frame.cells[0]!, frame)];
  // Several columns and one input not named among them: the columns, in the order given, are the input's last axis.
  const k = frame.columns.length;
  if (only.shape.length !== 2 || (only.shape[1]! >= 0 && only.shape[1] !== k)) {
    throw invalidParam(
      `Model is missing inputs ${pyList([only.name])}: its single input ${dims(only.shape)} takes a dataframe of ${k} columns only if it is shaped [-1, ${k}]; or send one column '${only.name}'`,
      `inputs[${only.name}]`,
    );
  }
  const data: Cell[] = [];
  for (let i = 0; i < frame.rows; i++) {
    for (let j = 0; j < k; j++) {
      const column = frame.columns[j]!;
      data.push(cast(frame.cells[j]![i], only.datatype, frame.csv, (why) => invalidParam(`Column '${column}', row ${i}: ${why}`, `inputs[${only.name}]`)));
    }
  }
  return [{ name: only.name, datatype: only.datatype, shape: [frame.rows, k], data: data as Tensor['data'] }];
}

function tensorFromNested(spec: TensorSpec, value: unknown): Tensor {
  const at = `inputs[${spec.name}]`;
  const flat = flattenNested(value, (why) => invalidParam(`Input '${spec.name}': the value ${why}`, at));
  const data: Cell[] = new Array(flat.data.length);
  let i = 0;
  const fail = (why: string) => invalidParam(`Input '${spec.name}': data[${i}] is ${why}`, at);
  for (; i < flat.data.length; i++) data[i] = cast(flat.data[i], spec.datatype, false, fail);
  return { name: spec.name, datatype: spec.datatype, shape: flat.shape, data: data as Tensor['data'] };
}

function tensorsFromDict(dict: Record<string, unknown>, signature: ModelSignature): Tensor[] {
  if (signature.inputs.some((s) => !hasOwn(dict, s.name))) throw missingInputs(signature, Object.keys(dict));
  return signature.inputs.map((s) => tensorFromNested(s, dict[s.name]));
}

function parseTfServing(format: 'instances' | 'inputs', value: unknown, signature: ModelSignature): Tensor[] {
  if (format === 'instances' && !Array.isArray(value)) {
    throw badRequest(`Failed to parse data as TF serving input: "instances" must be a list of rows, got ${describe(value)}`);
  }
  if (format === 'instances' && (value as unknown[]).length > 0 && isPlainObject((value as unknown[])[0])) {
    // Rows of {input: value} become columns {input: [value per row]}.
    const rows = value as unknown[];
    const columns = new Map<string, unknown[]>();
    rows.forEach((row, i) => {
      if (!isPlainObject(row)) throw badRequest(`Failed to parse data as TF serving input: instances[${i}] is ${describe(row)}, but instances[0] is an object`);
      for (const [k, v] of Object.entries(row)) {
        let col = columns.get(k);
        if (!col) columns.set(k, (col = []));
        col.push(v);
      }
    });
    for (const [k, col] of columns) {
      if (col.length !== rows.length) {
        throw badRequest(`Failed to parse data as TF serving input. The length of values for each input/column name are not the same: '${k}' is in ${col.length} of ${rows.length} instances`);
      }
    }
    return tensorsFromDict(Object.fromEntries(columns), signature);
  }
  if (isPlainObject(value)) return tensorsFromDict(value, signature);
  const [only] = signature.inputs;
  if (signature.inputs.length !== 1 || !only) {
    throw badRequest(
      `Failed to parse input data. This model has ${signature.inputs.length} named inputs (${signature.inputs.map((s) => s.name).join(', ')}), which suggests a dictionary input mapping input name to tensor, but an input of type ${pyType(value)} was found.`,
    );
  }
  return [tensorFromNested(only, value)];
}

/**
 * Reads a JSON scoring body (`POST /invocations`, `Content-Type: application/json`) for a model with `signature`, and
 * maps it onto the model's tensors (see the module comment). Format errors are `BAD_REQUEST`; data that does not fit
 * the model is `INVALID_PARAMETER_VALUE` naming `inputs[<input>]`.
 */
export function parseScoringRequest(body: unknown, signature: ModelSignature): ScoringRequest {
  if (Array.isArray(body)) throw badRequest(`Invalid input. ${REQUIRED_INPUT_FORMAT}. Received a list.`);
  if (!isPlainObject(body)) throw badRequest(`Invalid input. ${REQUIRED_INPUT_FORMAT}. Received unexpected input type '${pyType(body)}'.`);
  const present = FORMATS.filter((f) => hasOwn(body, f));
  if (present.length !== 1) throw badRequest(`${REQUIRED_INPUT_FORMAT}. Received dictionary with input fields: ${pyList(Object.keys(body))}.`);
  const format: Format = present[0]!;
  const value = body[format];
  let inputs: Tensor[];
  let kind: ScoringKind;
  if (format === 'dataframe_split' || format === 'dataframe_records') {
    kind = 'dataframe';
    inputs = frameToTensors(format === 'dataframe_split' ? parseSplit(value) : parseRecords(value), signature);
  } else {
    kind = 'tensor';
    inputs = parseTfServing(format, value, signature);
  }
  validateInputs(signature, inputs);
  const params = body.params;
  return { inputs, kind, ignoredParams: isPlainObject(params) ? Object.keys(params) : [] };
}

/**
 * Reads a CSV scoring body (`Content-Type: text/csv`): a header row naming the columns, then one row per example, as
 * `pandas.read_csv` reads `DataFrame.to_csv(index=False)`. Mapped onto the model's tensors like `dataframe_split`.
 */
export function parseCsvScoringBody(text: string, signature: ModelSignature): ScoringRequest {
  let table: CsvTable;
  try {
    table = parseCsvTable(text);
  } catch (e) {
    if (!(e instanceof CsvError)) throw e;
    throw badRequest(
      `Failed to parse input as a Pandas DataFrame. Ensure that the input is a valid CSV-formatted Pandas DataFrame produced using the \`pandas.DataFrame.to_csv()\` method. Error: '${e.message}'`,
    );
  }
  const cells = table.columns.map((_, j) => table.rows.map((r) => r[j] ?? null));
  const inputs = frameToTensors({ columns: table.columns, cells, rows: table.rows.length, csv: true }, signature);
  validateInputs(signature, inputs);
  return { inputs, kind: 'dataframe', ignoredParams: [] };
}

function records(outputs: readonly Tensor[]): Record<string, unknown>[] {
  const n = outputs[0]?.shape[0] ?? 0;
  const bad = outputs.find((o) => o.shape.length === 0 || o.shape[0] !== n);
  if (bad) {
    throw badRequest(
      `Encountered an unexpected error while evaluating the model: its outputs do not share a row count (${outputs.map((o) => `${o.name} ${dims(o.shape)}`).join(', ')}), so they cannot form dataframe records`,
    );
  }
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    rows.push(
      Object.fromEntries(
        outputs.map((o) => {
          const rest = o.shape.slice(1);
          const per = product(rest);
          return [o.name, per === 1 ? o.data[i] : nest(o.data.slice(i * per, (i + 1) * per), rest)];
        }),
      ),
    );
  }
  return rows;
}

/**
 * MLflow's answer for the model's `outputs` (see the module comment): `{"predictions": {output: nested array}}` for a
 * tensor-based signature (the default: Pitwall's ONNX signatures are tensors) and for tensor input to a model without
 * one; `{"predictions": [{output: value for the row, …}, …]}` (records) for a column-based signature and for dataframe
 * input to a model without one. In records an output with several values per row gives that row's values as a list.
 */
export function scoringResponse(outputs: readonly Tensor[], kind: ScoringKind, signatureType: MlflowSignatureType = 'tensor'): ScoringResponse {
  if (signatureType === 'columns' || (signatureType === 'none' && kind === 'dataframe')) return { predictions: records(outputs) };
  return { predictions: Object.fromEntries(outputs.map((o) => [o.name, nest(o.data, o.shape)])) };
}
