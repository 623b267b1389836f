import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AppError, type ErrorCode } from '../../core/errors/index.js';
import type { ModelSignature, Tensor } from '../engine.js';
import { OnnxEngine } from '../onnx/onnx-engine.js';
import { MNIST_SIGNATURE, TITANIC_FILE, TITANIC_SIGNATURE } from '../testing/titanic.js';
import { parseCsvScoringBody, parseScoringRequest, scoringResponse } from './mlflow-scoring.js';

const TITANIC = TITANIC_SIGNATURE;
const MNIST = MNIST_SIGNATURE;
/** A single-input model over four features, as skl2onnx writes a plain numeric pipeline. */
const IRIS: ModelSignature = {
  inputs: [{ name: 'float_input', datatype: 'FP32', shape: [-1, 4] }],
  outputs: [{ name: 'variable', datatype: 'FP32', shape: [-1, 1] }],
};

const COLUMNS = ['pclass', 'sex', 'age', 'fare', 'embarked'];
const split = (data: unknown[][], columns: unknown[] = COLUMNS, extra: Record<string, unknown> = {}) => ({ dataframe_split: { columns, data, ...extra } });

function refusal(fn: () => unknown, code: ErrorCode, fieldName: string | undefined, message: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof AppError, `expected an AppError, got ${String(e)}`);
    assert.equal(e.code, code);
    assert.equal(e.httpStatus, 400);
    assert.equal(e.field, fieldName);
    assert.match(e.message, message);
    return true;
  });
}
const invalid = (fn: () => unknown, fieldName: string, message: RegExp) => refusal(fn, 'INVALID_PARAMETER_VALUE', fieldName, message);
const badRequest = (fn: () => unknown, message: RegExp) => refusal(fn, 'BAD_REQUEST', undefined, message);

const byName = (inputs: Tensor[]) => Object.fromEntries(inputs.map((t) => [t.name, t]));

describe('MLflow scoring codec: the request envelope', () => {
  it('requires exactly one of the four input fields, with MLflow’s BAD_REQUEST message', () => {
    const fields = /The input must be a JSON dictionary with exactly one of the input fields \{'dataframe_records', 'dataframe_split', 'inputs', 'instances'\}/;
    badRequest(() => parseScoringRequest({ data: [[1]] }, TITANIC), fields);
    badRequest(() => parseScoringRequest({ data: [[1]] }, TITANIC), /Received dictionary with input fields: \['data'\]\.$/);
    badRequest(() => parseScoringRequest({ inputs: [1], instances: [1] }, TITANIC), /Received dictionary with input fields: \['inputs', 'instances'\]/);
    badRequest(() => parseScoringRequest({ params: { a: 1 } }, TITANIC), fields);
    badRequest(() => parseScoringRequest([[1, 'male']], TITANIC), /^Invalid input\. The input must be .*Received a list\.$/);
    badRequest(() => parseScoringRequest('pclass=1', TITANIC), /Received unexpected input type '<class 'str'>'/);
    badRequest(() => parseScoringRequest(null, TITANIC), /<class 'NoneType'>/);
  });

  it('ignores other keys and reports params, which a model without a params schema ignores', () => {
    const req = parseScoringRequest({ ...split([[1, 'female', 29, 211.3, 'S']]), params: { temperature: 0.1, top_k: 3 }, note: 'x' }, TITANIC);
    assert.equal(req.kind, 'dataframe');
    assert.deepEqual(req.ignoredParams, ['temperature', 'top_k']);
    assert.deepEqual(parseScoringRequest(split([[1, 'female', 29, 211.3, 'S']]), TITANIC).ignoredParams, []);
  });
});

describe('MLflow scoring codec: dataframes onto tensors', () => {
  it('feeds each [-1, 1] input from its column, one value per row, whatever the column order, ignoring extra columns', () => {
    const req = parseScoringRequest(
      split(
        [
          ['Allen', 'S', 211.3, 29, 'female', 1],
          ['Braund', 'S', 7.25, 22, 'male', 3],
        ],
        ['name', 'embarked', 'fare', 'age', 'sex', 'pclass'],
        { index: [10, 11] },
      ),
      TITANIC,
    );
    assert.deepEqual(
      req.inputs.map((t) => t.name),
      COLUMNS,
      'signature order',
    );
    assert.deepEqual(byName(req.inputs).pclass, { name: 'pclass', datatype: 'INT64', shape: [2, 1], data: [1, 3] });
    assert.deepEqual(byName(req.inputs).sex!.data, ['female', 'male']);
    assert.deepEqual(byName(req.inputs).fare!.data, [211.3, 7.25]);
    assert.equal(req.kind, 'dataframe');
  });

  it('reads dataframe_records the same way; a key a record lacks is missing (NaN in a float column)', () => {
    const req = parseScoringRequest(
      {
        dataframe_records: [
          { pclass: 1, sex: 'female', age: 29, fare: 211.3, embarked: 'S' },
          { pclass: 3, sex: 'male', fare: 7.25, embarked: 'S', cabin: 'C85' },
        ],
      },
      TITANIC,
    );
    assert.equal(req.kind, 'dataframe');
    assert.deepEqual(byName(req.inputs).pclass!.data, [1, 3]);
    const age = byName(req.inputs).age!;
    assert.deepEqual(age.shape, [2, 1]);
    assert.equal(age.data[0], 29);
    assert.ok(Number.isNaN(age.data[1]));
  });

  it('casts values to each input’s datatype as pandas/numpy would, without silent truncation', () => {
    const req = parseScoringRequest(split([['1', 'female', null, '211.3', 5]]), TITANIC);
    const t = byName(req.inputs);
    assert.deepEqual(t.pclass!.data, [1], 'an integer string for INT64');
    assert.ok(Number.isNaN(t.age!.data[0]), 'null in a float column is NaN');
    assert.deepEqual(t.fare!.data, [211.3], 'a numeric string for FP32');
    assert.deepEqual(t.embarked!.data, ['5'], 'a number for BYTES becomes its string form');
    invalid(() => parseScoringRequest(split([[1.5, 'female', 29, 211.3, 'S']]), TITANIC), 'inputs[pclass]', /Column 'pclass', row 0: 1\.5, not an integer/);
    invalid(() => parseScoringRequest(split([[1, 'female', 29, 211.3, 'S'], [null, 'male', 22, 7.25, 'S']]), TITANIC), 'inputs[pclass]', /Column 'pclass', row 1: missing/);
    invalid(() => parseScoringRequest(split([[1, null, 29, 211.3, 'S']]), TITANIC), 'inputs[sex]', /Column 'sex', row 0: missing/);
    invalid(() => parseScoringRequest(split([[1, 'female', 'old', 211.3, 'S']]), TITANIC), 'inputs[age]', /Column 'age', row 0: "old", not a number/);
    assert.deepEqual(byName(parseScoringRequest(split([[1, 'female', [29], 211.3, 'S']]), TITANIC).inputs).age!.data, [29], 'a one-value list cell fills a [-1, 1] row');
    invalid(() => parseScoringRequest(split([[1, 'female', [29, 30], 211.3, 'S']]), TITANIC), 'inputs[age]', /Column 'age', row 0: holds 2 values; input 'age' \[-1, 1\] takes 1 per row/);
    invalid(() => parseScoringRequest(split([[2 ** 60, 'female', 29, 211.3, 'S']]), TITANIC), 'inputs[pclass]', /out of range for INT64/);
  });

  it('names a missing column as MLflow does, noting extra ones', () => {
    invalid(
      () => parseScoringRequest(split([[1, 'female', 29, 'S', 'Allen']], ['pclass', 'sex', 'age', 'embarked', 'name']), TITANIC),
      'inputs[fare]',
      /^Model is missing inputs \['fare'\]\. Note that there were extra inputs: \['name'\]$/,
    );
    invalid(() => parseScoringRequest({ dataframe_records: [{ pclass: 1 }] }, TITANIC), 'inputs[sex]', /missing inputs \['sex', 'age', 'fare', 'embarked'\]/);
  });

  it('refuses malformed dataframes with MLflow’s BAD_REQUEST messages', () => {
    badRequest(() => parseScoringRequest({ dataframe_split: [[1]] }, TITANIC), /Dataframe split format must be a dictionary\. Got list\./);
    badRequest(() => parseScoringRequest({ dataframe_split: { columns: COLUMNS, rows: [] } }, TITANIC), /must have 'data' field and optionally 'columns' and 'index' fields\. Got \{'columns', 'rows'\}/);
    badRequest(() => parseScoringRequest(split([[1, 'female', 29]]), TITANIC), /5 columns passed, passed data had 3 columns/);
    badRequest(() => parseScoringRequest(split([[1, 'female', 29, 211.3, 'S']], COLUMNS, { index: [1, 2] }), TITANIC), /'index' must be a list with one entry per row/);
    badRequest(() => parseScoringRequest(split([[1, 'female', 29, 211.3, 'S']], ['pclass', 'sex', 'age', 'age', 'embarked']), TITANIC), /column 'age' appears twice/);
    badRequest(() => parseScoringRequest({ dataframe_records: { pclass: [1] } }, TITANIC), /Dataframe records format must be a list of records\. Got dictionary\./);
    badRequest(() => parseScoringRequest({ dataframe_records: [{ pclass: 1 }, 3] }, TITANIC), /record 1 is 3, not an object/);
    invalid(() => parseScoringRequest(split([]), TITANIC), 'inputs', /no rows/);
  });

  it('fills a single [-1, k] input from k columns in the order given, or from one column of lists', () => {
    const req = parseScoringRequest(
      split(
        [
          [5.1, 3.5, 1.4, 0.2],
          [6.2, 2.9, 4.3, 1.3],
        ],
        ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'],
      ),
      IRIS,
    );
    assert.deepEqual(req.inputs, [{ name: 'float_input', datatype: 'FP32', shape: [2, 4], data: [5.1, 3.5, 1.4, 0.2, 6.2, 2.9, 4.3, 1.3] }]);
    const lists = parseScoringRequest({ dataframe_records: [{ float_input: [5.1, 3.5, 1.4, 0.2] }, { float_input: [6.2, 2.9, 4.3, 1.3] }] }, IRIS);
    assert.deepEqual(lists.inputs, req.inputs);
    invalid(() => parseScoringRequest(split([[5.1, 3.5, 1.4]], ['a', 'b', 'c']), IRIS), 'inputs[float_input]', /takes a dataframe of 3 columns only if it is shaped \[-1, 3\]/);
    invalid(() => parseScoringRequest({ dataframe_records: [{ float_input: [5.1, 3.5, 1.4] }] }, IRIS), 'inputs[float_input]', /row 0: holds 3 values; input 'float_input' \[-1, 4\] takes 4 per row/);
    invalid(() => parseScoringRequest({ dataframe_records: [{ float_input: 5.1 }] }, IRIS), 'inputs[float_input]', /holds scalar values, which fill an input of shape \[-1\] or \[-1, 1\]/);
  });
});

describe('MLflow scoring codec: TF-serving tensors (inputs / instances)', () => {
  const image = Array.from({ length: 28 }, (_, r) => Array.from({ length: 28 }, (_, c) => (r * 28 + c) / 784));

  it('takes a single-input model’s nested array from inputs, instances or a dict, shape from the nesting', () => {
    const viaInputs = parseScoringRequest({ inputs: [[image]] }, MNIST);
    assert.equal(viaInputs.kind, 'tensor');
    assert.deepEqual(viaInputs.inputs[0]!.shape, [1, 1, 28, 28]);
    assert.equal(viaInputs.inputs[0]!.data[29], 29 / 784);
    assert.deepEqual(parseScoringRequest({ instances: [[image]] }, MNIST).inputs, viaInputs.inputs);
    assert.deepEqual(parseScoringRequest({ inputs: { Input3: [[image]] } }, MNIST).inputs, viaInputs.inputs);
    invalid(() => parseScoringRequest({ inputs: [image] }, MNIST), 'inputs[Input3]', /must have 4 dimensions/);
    invalid(() => parseScoringRequest({ inputs: [[image.slice(0, 27).concat([[1]])]] }, MNIST), 'inputs[Input3]', /ragged/);
  });

  it('takes a multi-input model’s tensors from a dict (inputs) or from rows of dicts (instances); extra keys are ignored', () => {
    const columnar = parseScoringRequest(
      { inputs: { pclass: [[1], [3]], sex: [['female'], ['male']], age: [[29], [null]], fare: [[211.3], [7.25]], embarked: [['S'], ['S']], cabin: [['C85'], ['']] } },
      TITANIC,
    );
    assert.deepEqual(byName(columnar.inputs).pclass, { name: 'pclass', datatype: 'INT64', shape: [2, 1], data: [1, 3] });
    assert.ok(Number.isNaN(byName(columnar.inputs).age!.data[1]), 'numpy reads None as NaN for a float dtype');
    const rows = parseScoringRequest(
      {
        instances: [
          { pclass: [1], sex: ['female'], age: [29], fare: [211.3], embarked: ['S'] },
          { pclass: [3], sex: ['male'], age: [null], fare: [7.25], embarked: ['S'] },
        ],
      },
      TITANIC,
    );
    assert.deepEqual(JSON.stringify(rows.inputs), JSON.stringify(columnar.inputs));
    assert.equal(rows.kind, 'tensor');
  });

  it('refuses what does not map onto the model', () => {
    badRequest(() => parseScoringRequest({ inputs: [[1, 'female', 29, 211.3, 'S']] }, TITANIC), /This model has 5 named inputs \(pclass, sex, age, fare, embarked\), which suggests a dictionary input/);
    badRequest(
      () => parseScoringRequest({ instances: [{ pclass: [1], sex: ['female'] }, { pclass: [3] }] }, TITANIC),
      /The length of values for each input\/column name are not the same: 'sex' is in 1 of 2 instances/,
    );
    badRequest(() => parseScoringRequest({ instances: { pclass: [1] } }, TITANIC), /"instances" must be a list of rows/);
    invalid(() => parseScoringRequest({ inputs: { pclass: [[1]], sex: [['female']] } }, TITANIC), 'inputs[age]', /Model is missing inputs \['age', 'fare', 'embarked'\]/);
    invalid(
      () => parseScoringRequest({ instances: [{ pclass: 1, sex: 'female', age: 29, fare: 211.3, embarked: 'S' }] }, TITANIC),
      'inputs[pclass]',
      /must have 2 dimensions \[\?, 1\], got \[1\]/,
    );
  });

  it('answers pathological nesting with a 400, not a stack overflow', () => {
    const depth = 100_000;
    const deep = JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown;
    invalid(() => parseScoringRequest({ inputs: deep }, MNIST), 'inputs[Input3]', /nested deeper than 32 levels/);
    invalid(() => parseScoringRequest({ dataframe_records: [{ float_input: deep }] }, IRIS), 'inputs[float_input]', /nested deeper than 32 levels/);
    const deepObject = JSON.parse('{"a":'.repeat(depth) + '1' + '}'.repeat(depth)) as unknown;
    invalid(() => parseScoringRequest({ inputs: [deepObject] }, MNIST), 'inputs[Input3]', /holds an object/);
    invalid(() => parseScoringRequest(split([[1, deepObject, 29, 211.3, 'S']]), TITANIC), 'inputs[sex]', /an object, not a string/);
  });
});

describe('MLflow scoring codec: text/csv bodies', () => {
  it('reads a header row and rows like pandas.read_csv: quoting, CRLF, empty fields, NA tokens, an index column', () => {
    const csv = '\uFEFF,pclass,sex,age,fare,embarked,name\r\n0,1,female,29,211.3,S,"Allen, Miss. Elisabeth"\r\n1,3,male,,7.25,S,"Braund, Mr. Owen ""Harris"""\r\n\r\n2,2,female,NA,23,C,x\r\n';
    const req = parseCsvScoringBody(csv, TITANIC);
    assert.equal(req.kind, 'dataframe');
    const t = byName(req.inputs);
    assert.deepEqual(t.pclass, { name: 'pclass', datatype: 'INT64', shape: [3, 1], data: [1, 3, 2] });
    assert.deepEqual(t.sex!.data, ['female', 'male', 'female']);
    assert.equal(t.age!.data[0], 29);
    assert.ok(Number.isNaN(t.age!.data[1]) && Number.isNaN(t.age!.data[2]), 'an empty field and NA are missing floats');
    assert.deepEqual(t.embarked!.data, ['S', 'S', 'C']);
  });

  it('keeps quoted commas, quotes and newlines inside a BYTES value', () => {
    const sig: ModelSignature = { inputs: [{ name: 'text', datatype: 'BYTES', shape: [-1] }], outputs: [] };
    const req = parseCsvScoringBody('text\n"a, ""b""\nc"\nplain\n', sig);
    assert.deepEqual(req.inputs[0], { name: 'text', datatype: 'BYTES', shape: [2], data: ['a, "b"\nc', 'plain'] });
  });

  it('refuses bad CSV with MLflow’s BAD_REQUEST message and missing integers or strings with a 400 naming the column', () => {
    badRequest(() => parseCsvScoringBody('', TITANIC), /Failed to parse input as a Pandas DataFrame\. .*Error: 'No columns to parse from file'/);
    badRequest(() => parseCsvScoringBody('pclass,sex,age,fare,embarked\n1,female,29,211.3,S,extra\n', TITANIC), /Expected 5 fields in line 2, saw 6/);
    badRequest(() => parseCsvScoringBody('pclass,sex,age,fare,embarked\n1,"female,29,211.3,S\n', TITANIC), /unterminated quoted field starting on line 2/);
    invalid(() => parseCsvScoringBody('pclass,sex,age,fare,embarked\n,female,29,211.3,S\n', TITANIC), 'inputs[pclass]', /Column 'pclass', row 0: missing/);
    invalid(() => parseCsvScoringBody('pclass,sex,age,fare,embarked\n1,female,29,211.3\n', TITANIC), 'inputs[embarked]', /Column 'embarked', row 0: missing/);
    invalid(() => parseCsvScoringBody('pclass,sex,age,fare\n1,female,29,211.3\n', TITANIC), 'inputs[embarked]', /Model is missing inputs \['embarked'\]/);
    invalid(() => parseCsvScoringBody('pclass,sex,age,fare,embarked\n', TITANIC), 'inputs', /no rows/);
  });
});

describe('MLflow scoring codec: responses', () => {
  const outputs: Tensor[] = [
    { name: 'label', datatype: 'INT64', shape: [2], data: [1, 0] },
    { name: 'probabilities', datatype: 'FP32', shape: [2, 2], data: [0.1, 0.9, 0.8, 0.2] },
  ];

  it('answers a dict of nested arrays for a tensor signature (the default), whatever the input kind', () => {
    const expected = { predictions: { label: [1, 0], probabilities: [[0.1, 0.9], [0.8, 0.2]] } };
    assert.deepEqual(scoringResponse(outputs, 'dataframe'), expected);
    assert.deepEqual(scoringResponse(outputs, 'tensor'), expected);
    assert.deepEqual(scoringResponse(outputs, 'tensor', 'none'), expected);
    const logits = Array.from({ length: 10 }, (_, i) => i - 5);
    assert.deepEqual(scoringResponse([{ name: 'Plus214_Output_0', datatype: 'FP32', shape: [1, 10], data: logits }], 'tensor'), { predictions: { Plus214_Output_0: [logits] } }, 'one output is still a dict');
  });

  it('answers records for a column signature, and for dataframe input without a signature; several values per row make a list', () => {
    const expected = {
      predictions: [
        { label: 1, probabilities: [0.1, 0.9] },
        { label: 0, probabilities: [0.8, 0.2] },
      ],
    };
    assert.deepEqual(scoringResponse(outputs, 'dataframe', 'columns'), expected);
    assert.deepEqual(scoringResponse(outputs, 'tensor', 'columns'), expected);
    assert.deepEqual(scoringResponse(outputs, 'dataframe', 'none'), expected);
    assert.deepEqual(scoringResponse([{ name: 'variable', datatype: 'FP32', shape: [2, 1], data: [1.5, NaN] }], 'dataframe', 'columns'), { predictions: [{ variable: 1.5 }, { variable: NaN }] });
    assert.equal(JSON.stringify(scoringResponse([{ name: 'variable', datatype: 'FP32', shape: [2, 1], data: [1.5, NaN] }], 'dataframe', 'columns')), '{"predictions":[{"variable":1.5},{"variable":null}]}');
    badRequest(() => scoringResponse([outputs[0]!, { name: 'total', datatype: 'FP32', shape: [1], data: [1] }], 'dataframe', 'columns'), /do not share a row count \(label \[2\], total \[1\]\)/);
  });
});

describe('MLflow scoring codec end to end on the titanic ONNX pipeline', () => {
  let engine: OnnxEngine;
  before(async () => {
    engine = await OnnxEngine.load(TITANIC_FILE);
  });
  after(async () => {
    await engine.unload();
  });

  const check = (predictions: { label: number[]; probabilities: number[][] }) => {
    assert.deepEqual(predictions.label, [1, 0], 'the first-class woman survives, the third-class man does not');
    assert.equal(predictions.probabilities.length, 2);
    for (const p of predictions.probabilities) {
      assert.equal(p.length, 2);
      assert.ok(Math.abs(p[0]! + p[1]! - 1) < 1e-5);
    }
  };

  it('scores dataframe_split JSON and answers MLflow’s dict of arrays', async () => {
    assert.deepEqual(engine.signature, TITANIC, 'the literal signature used above is the real model’s');
    const body = JSON.parse(JSON.stringify(split([[1, 'female', 29, 211.3, 'S'], [3, 'male', 22, 7.25, 'S']]))) as unknown;
    const req = parseScoringRequest(body, engine.signature);
    const res = JSON.parse(JSON.stringify(scoringResponse(await engine.infer(req.inputs), req.kind))) as { predictions: { label: number[]; probabilities: number[][] } };
    assert.deepEqual(Object.keys(res.predictions), ['label', 'probabilities']);
    check(res.predictions);
  });

  it('scores CSV with a missing age (imputed by the model) and answers records for a column signature', async () => {
    const req = parseCsvScoringBody('pclass,sex,age,fare,embarked\n1,female,29,211.3,S\n3,male,,7.25,S\n', engine.signature);
    const res = JSON.parse(JSON.stringify(scoringResponse(await engine.infer(req.inputs), req.kind, 'columns'))) as { predictions: { label: number; probabilities: number[] }[] };
    assert.equal(res.predictions.length, 2);
    check({ label: res.predictions.map((r) => r.label), probabilities: res.predictions.map((r) => r.probabilities) });
  });

  it('scores TF-serving instances the same as the dataframe', async () => {
    const req = parseScoringRequest(
      {
        instances: [
          { pclass: [1], sex: ['female'], age: [29], fare: [211.3], embarked: ['S'] },
          { pclass: [3], sex: ['male'], age: [22], fare: [7.25], embarked: ['S'] },
        ],
      },
      engine.signature,
    );
    const res = scoringResponse(await engine.infer(req.inputs), req.kind) as { predictions: { label: number[]; probabilities: number[][] } };
    check(res.predictions);
  });
});
