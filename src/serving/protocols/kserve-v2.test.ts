import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AppError } from '../../core/errors/index.js';
import type { ModelSignature, Tensor } from '../engine.js';
import { OnnxEngine } from '../onnx/onnx-engine.js';
import { MNIST_SIGNATURE, TITANIC_FILE, TITANIC_SIGNATURE } from '../testing/titanic.js';
import { ONNX_PLATFORM, inferResponse, modelMetadata, parseInferRequest, serverMetadata, v2Error } from './kserve-v2.js';

const TITANIC = TITANIC_SIGNATURE;
const MNIST = MNIST_SIGNATURE;

/** Two passengers, each input nested as [[v], [v]] (the natural [2, 1] form). */
function titanicBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'req-1',
    inputs: [
      { name: 'pclass', datatype: 'INT64', shape: [2, 1], data: [[1], [3]] },
      { name: 'sex', datatype: 'BYTES', shape: [2, 1], data: [['female'], ['male']] },
      { name: 'age', datatype: 'FP32', shape: [2, 1], data: [[29], [22]] },
      { name: 'fare', datatype: 'FP32', shape: [2, 1], data: [[211.3], [7.25]] },
      { name: 'embarked', datatype: 'BYTES', shape: [2, 1], data: [['S'], ['S']] },
    ],
    ...overrides,
  };
}

const input = (body: Record<string, unknown>, i: number) => (body.inputs as Record<string, unknown>[])[i]!;

function refusal(fn: () => unknown, fieldName: string, message: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof AppError, `expected an AppError, got ${String(e)}`);
    assert.equal(e.code, 'INVALID_PARAMETER_VALUE');
    assert.equal(e.httpStatus, 400);
    assert.equal(e.field, fieldName);
    assert.match(e.message, message);
    return true;
  });
}

describe('KServe V2 codec: parseInferRequest', () => {
  it('reads nested row-major data as the same flat tensors as flat data, keeping id and parameters', () => {
    const nested = parseInferRequest(titanicBody({ parameters: { priority: 1, tag: 'x', debug: false } }), TITANIC);
    const flatBody = titanicBody();
    for (const t of flatBody.inputs as { data: unknown[] }[]) t.data = (t.data as unknown[][]).flat();
    const flat = parseInferRequest(flatBody, TITANIC);
    assert.deepEqual(nested.inputs, flat.inputs);
    assert.deepEqual(nested.inputs[0], { name: 'pclass', datatype: 'INT64', shape: [2, 1], data: [1, 3] });
    assert.deepEqual(nested.inputs[1]!.data, ['female', 'male']);
    assert.equal(nested.id, 'req-1');
    assert.deepEqual(nested.parameters, { priority: 1, tag: 'x', debug: false });
    assert.deepEqual(flat.parameters, {});
    assert.equal(nested.outputs, undefined, 'no outputs asked for means all of them');
  });

  it('flattens a fully nested MNIST image, and accepts a nesting shallower than the rank when the count fills the shape', () => {
    const image = Array.from({ length: 28 }, (_, r) => Array.from({ length: 28 }, (_, c) => (r * 28 + c) / 784));
    const full = parseInferRequest({ inputs: [{ name: 'Input3', datatype: 'FP32', shape: [1, 1, 28, 28], data: [[image]] }] }, MNIST);
    assert.deepEqual(full.inputs[0]!.shape, [1, 1, 28, 28]);
    assert.equal(full.inputs[0]!.data.length, 784);
    assert.equal(full.inputs[0]!.data[29], 29 / 784, 'row-major: row 1, column 1');
    const rows = parseInferRequest({ inputs: [{ name: 'Input3', datatype: 'FP32', shape: [1, 1, 28, 28], data: image }] }, MNIST);
    assert.deepEqual(rows.inputs, full.inputs);
  });

  it('refuses data nested as deep as the shape but in other dimensions (a transposed matrix)', () => {
    const sig: ModelSignature = { inputs: [{ name: 'x', datatype: 'FP32', shape: [3, 2] }], outputs: [] };
    refusal(() => parseInferRequest({ inputs: [{ name: 'x', datatype: 'FP32', shape: [3, 2], data: [[1, 2, 3], [4, 5, 6]] }] }, sig), 'inputs[0].data', /nested as \[2, 3\] but its shape is \[3, 2\]/);
    const ok = parseInferRequest({ inputs: [{ name: 'x', datatype: 'FP32', shape: [3, 2], data: [[1, 2], [3, 4], [5, 6]] }] }, sig);
    assert.deepEqual(ok.inputs[0]!.data, [1, 2, 3, 4, 5, 6]);
  });

  it('names the structural field at fault', () => {
    refusal(() => parseInferRequest([1, 2], TITANIC), 'body', /JSON object/);
    refusal(() => parseInferRequest(null, TITANIC), 'body', /JSON object/);
    refusal(() => parseInferRequest({ id: 'x' }, TITANIC), 'inputs', /"inputs" must be a list/);
    refusal(() => parseInferRequest(titanicBody({ id: 42 }), TITANIC), 'id', /"id" must be a string/);
    refusal(() => parseInferRequest(titanicBody({ parameters: [1] }), TITANIC), 'parameters', /must be an object/);
    refusal(() => parseInferRequest(titanicBody({ parameters: { nested: { a: 1 } } }), TITANIC), 'parameters.nested', /string, number or boolean/);
    const cases: [string, (b: Record<string, unknown>) => void, string, RegExp][] = [
      ['not an object', (b) => ((b.inputs as unknown[])[0] = 'pclass'), 'inputs[0]', /must be an object/],
      ['no name', (b) => delete input(b, 0).name, 'inputs[0].name', /non-empty string/],
      ['unknown datatype', (b) => (input(b, 2).datatype = 'FLOAT'), 'inputs[2].datatype', /datatype must be one of BOOL, .*got "FLOAT"/],
      ['negative dimension', (b) => (input(b, 0).shape = [-1, 1]), 'inputs[0].shape', /non-negative integers/],
      ['fractional dimension', (b) => (input(b, 0).shape = [2.5, 1]), 'inputs[0].shape', /non-negative integers/],
      ['shape not a list', (b) => (input(b, 0).shape = '2,1'), 'inputs[0].shape', /non-negative integers/],
      ['no data', (b) => delete input(b, 3).data, 'inputs[3].data', /has no "data"/],
      ['data not a list', (b) => (input(b, 3).data = 7.25), 'inputs[3].data', /must be an array/],
      ['ragged data', (b) => (input(b, 2).data = [[29], [22, 23]]), 'inputs[2].data', /ragged/],
      ['nested rows disagreeing with the shape', (b) => (input(b, 3).shape = [3, 1]), 'inputs[3].data', /nested as \[2, 1\] but its shape is \[3, 1\]/],
      ['arrays mixed with values', (b) => (input(b, 2).data = [[29], 22]), 'inputs[2].data', /ragged/],
      ['an object as a value', (b) => (input(b, 2).data = [{ v: 29 }, { v: 22 }]), 'inputs[2].data', /holds an object/],
    ];
    for (const [, mutate, fieldName, message] of cases) {
      const body = titanicBody();
      mutate(body);
      refusal(() => parseInferRequest(body, TITANIC), fieldName, message);
    }
  });

  it('checks tensors against the signature and names the tensor (inputs[<name>])', () => {
    const cases: [string, (b: Record<string, unknown>) => void, string, RegExp][] = [
      ['unknown input', (b) => (input(b, 4).name = 'port'), 'inputs[port]', /Unknown input 'port'/],
      ['missing input', (b) => (b.inputs as unknown[]).pop(), 'inputs[embarked]', /Missing input 'embarked'/],
      ['wrong datatype', (b) => (input(b, 2).datatype = 'FP64'), 'inputs[age]', /must be FP32, got FP64/],
      ['wrong rank', (b) => ((input(b, 2).shape = [2]), (input(b, 2).data = [29, 22])), 'inputs[age]', /2 dimensions/],
      ['count not filling the shape', (b) => ((input(b, 3).shape = [3, 1]), (input(b, 3).data = [211.3, 7.25])), 'inputs[fare]', /holds 3 values, but data has 2/],
      ['numbers for BYTES', (b) => (input(b, 1).data = [[0], [1]]), 'inputs[sex]', /not a BYTES value/],
      ['strings for FP32', (b) => (input(b, 2).data = [['29'], ['22']]), 'inputs[age]', /not a FP32 value/],
      ['a fraction for INT64', (b) => (input(b, 0).data = [[1.5], [3]]), 'inputs[pclass]', /not a INT64 value/],
      ['null in FP32', (b) => (input(b, 2).data = [[null], [22]]), 'inputs[age]', /null, not a FP32 value/],
      ['INT64 beyond 2^53', (b) => (input(b, 0).data = [[2 ** 60], [3]]), 'inputs[pclass]', /out of range for INT64/],
    ];
    for (const [, mutate, fieldName, message] of cases) {
      const body = titanicBody();
      mutate(body);
      refusal(() => parseInferRequest(body, TITANIC), fieldName, message);
    }
  });

  it('refuses integers outside their datatype and accepts booleans for BOOL', () => {
    const sig: ModelSignature = {
      inputs: [
        { name: 'small', datatype: 'UINT8', shape: [-1] },
        { name: 'mask', datatype: 'BOOL', shape: [-1] },
      ],
      outputs: [],
    };
    const body = (small: unknown[], mask: unknown[]) => ({
      inputs: [
        { name: 'small', datatype: 'UINT8', shape: [small.length], data: small },
        { name: 'mask', datatype: 'BOOL', shape: [mask.length], data: mask },
      ],
    });
    assert.deepEqual(parseInferRequest(body([0, 255], [true, false]), sig).inputs[1]!.data, [true, false]);
    refusal(() => parseInferRequest(body([0, 256], [true, false]), sig), 'inputs[small]', /data\[1\] = 256 is out of range for UINT8/);
    refusal(() => parseInferRequest(body([-1, 2], [true, false]), sig), 'inputs[small]', /out of range for UINT8/);
    refusal(() => parseInferRequest(body([1, 2], [1, 0]), sig), 'inputs[mask]', /not a BOOL value/);
  });

  it('keeps the requested outputs in order and refuses unknown or repeated ones', () => {
    assert.deepEqual(parseInferRequest(titanicBody({ outputs: [{ name: 'probabilities' }, { name: 'label', parameters: { binary_data: false } }] }), TITANIC).outputs, ['probabilities', 'label']);
    assert.equal(parseInferRequest(titanicBody({ outputs: [] }), TITANIC).outputs, undefined);
    refusal(() => parseInferRequest(titanicBody({ outputs: [{ name: 'score' }] }), TITANIC), 'outputs[score]', /Unknown output 'score': the model produces label, probabilities/);
    refusal(() => parseInferRequest(titanicBody({ outputs: [{ name: 'label' }, { name: 'label' }] }), TITANIC), 'outputs[label]', /requested twice/);
    refusal(() => parseInferRequest(titanicBody({ outputs: 'label' }), TITANIC), 'outputs', /must be a list/);
    refusal(() => parseInferRequest(titanicBody({ outputs: [{}] }), TITANIC), 'outputs[0].name', /non-empty string/);
  });

  it('refuses the binary-data, shared-memory and classification extensions instead of mis-reading them', () => {
    const binaryInput = titanicBody();
    input(binaryInput, 2).parameters = { binary_data_size: 8 };
    delete input(binaryInput, 2).data;
    refusal(() => parseInferRequest(binaryInput, TITANIC), 'inputs[2].parameters.binary_data_size', /Binary tensor data .* is not supported/);
    refusal(
      () => parseInferRequest(titanicBody({ outputs: [{ name: 'label', parameters: { binary_data: true } }] }), TITANIC),
      'outputs[0].parameters.binary_data',
      /Binary tensor data .* is not supported/,
    );
    refusal(() => parseInferRequest(titanicBody({ parameters: { binary_data_output: true } }), TITANIC), 'parameters.binary_data_output', /not supported/);
    assert.doesNotThrow(() => parseInferRequest(titanicBody({ parameters: { binary_data_output: false } }), TITANIC));
    refusal(
      () => parseInferRequest(titanicBody({ outputs: [{ name: 'probabilities', parameters: { classification: 1 } }] }), TITANIC),
      'outputs[0].parameters.classification',
      /classification extension is not supported/,
    );
    const shm = titanicBody();
    input(shm, 0).parameters = { shared_memory_region: 'r0' };
    refusal(() => parseInferRequest(shm, TITANIC), 'inputs[0].parameters.shared_memory_region', /Shared-memory .* not supported/);
  });

  it('answers pathological nesting with a 400, not a stack overflow', () => {
    const depth = 100_000;
    const deep = JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown;
    refusal(() => parseInferRequest({ inputs: [{ name: 'Input3', datatype: 'FP32', shape: [1, 1, 28, 28], data: deep }] }, MNIST), 'inputs[0].data', /nested deeper than 32 levels/);
    const deepObject = JSON.parse('{"a":'.repeat(depth) + '1' + '}'.repeat(depth)) as unknown;
    refusal(() => parseInferRequest({ inputs: [{ name: 'Input3', datatype: 'FP32', shape: [1], data: [deepObject] }] }, MNIST), 'inputs[0].data', /holds an object/);
    refusal(() => parseInferRequest({ parameters: { p: deepObject }, inputs: [] }, MNIST), 'parameters.p', /string, number or boolean/);
    refusal(() => parseInferRequest({ inputs: [{ name: 'Input3', datatype: 'FP32', shape: new Array(33).fill(1), data: [1] }] }, MNIST), 'inputs[0].shape', /at most 32/);
  });
});

describe('KServe V2 codec: responses and metadata', () => {
  const outputs: Tensor[] = [
    { name: 'label', datatype: 'INT64', shape: [2], data: [1, 0] },
    { name: 'probabilities', datatype: 'FP32', shape: [2, 2], data: [0.1, 0.9, 0.8, 0.2] },
  ];

  it('answers every output, flat, with model name, version and id in the spec’s order', () => {
    const res = inferResponse('titanic', '3', 'req-1', outputs);
    assert.deepEqual(Object.keys(res), ['model_name', 'model_version', 'id', 'outputs']);
    assert.deepEqual(res, {
      model_name: 'titanic',
      model_version: '3',
      id: 'req-1',
      outputs: [
        { name: 'label', datatype: 'INT64', shape: [2], data: [1, 0] },
        { name: 'probabilities', datatype: 'FP32', shape: [2, 2], data: [0.1, 0.9, 0.8, 0.2] },
      ],
    });
  });

  it('answers only the requested outputs, leaves out absent id and version, and carries parameters when given', () => {
    const res = inferResponse('titanic', undefined, undefined, outputs, ['probabilities']);
    assert.deepEqual(res, { model_name: 'titanic', outputs: [{ name: 'probabilities', datatype: 'FP32', shape: [2, 2], data: [0.1, 0.9, 0.8, 0.2] }] });
    assert.equal('id' in res, false);
    assert.deepEqual(inferResponse('m', '', undefined, outputs, ['label'], { queue_ms: 3 }), {
      model_name: 'm',
      parameters: { queue_ms: 3 },
      outputs: [{ name: 'label', datatype: 'INT64', shape: [2], data: [1, 0] }],
    });
  });

  it('writes NaN as JSON null (JSON has no NaN)', () => {
    const res = inferResponse('m', '1', undefined, [{ name: 'y', datatype: 'FP32', shape: [2], data: [NaN, 1] }]);
    assert.equal(JSON.stringify(res.outputs[0]!.data), '[null,1]');
  });

  it('describes the model and the server', () => {
    assert.deepEqual(modelMetadata('mnist', ['1', '2'], ONNX_PLATFORM, MNIST), {
      name: 'mnist',
      versions: ['1', '2'],
      platform: 'onnxruntime_onnx',
      inputs: [{ name: 'Input3', datatype: 'FP32', shape: [1, 1, 28, 28] }],
      outputs: [{ name: 'Plus214_Output_0', datatype: 'FP32', shape: [1, 10] }],
    });
    assert.deepEqual(modelMetadata('titanic', ['1'], ONNX_PLATFORM, TITANIC).inputs[0], { name: 'pclass', datatype: 'INT64', shape: [-1, 1] });
    assert.deepEqual(serverMetadata('0.1.0'), { name: 'pitwall', version: '0.1.0', extensions: [] });
    assert.deepEqual(serverMetadata('0.1.0', ['schedule_policy']).extensions, ['schedule_policy']);
    assert.deepEqual(v2Error('Unknown output'), { error: 'Unknown output' });
  });
});

describe('KServe V2 codec end to end on the titanic ONNX pipeline', () => {
  let engine: OnnxEngine;
  before(async () => {
    engine = await OnnxEngine.load(TITANIC_FILE);
  });
  after(async () => {
    await engine.unload();
  });

  it('parses a JSON request, runs it, and answers a JSON response a client can read', async () => {
    assert.deepEqual(engine.signature, TITANIC, 'the literal signature used above is the real model’s');
    const wire = JSON.parse(JSON.stringify(titanicBody({ outputs: [{ name: 'label' }, { name: 'probabilities' }] }))) as unknown;
    const req = parseInferRequest(wire, engine.signature);
    const out = await engine.infer(req.inputs);
    const res = JSON.parse(JSON.stringify(inferResponse('titanic', '1', req.id, out, req.outputs))) as {
      model_name: string;
      id: string;
      outputs: { name: string; datatype: string; shape: number[]; data: number[] }[];
    };
    assert.equal(res.model_name, 'titanic');
    assert.equal(res.id, 'req-1');
    const [label, probs] = res.outputs;
    assert.deepEqual([label!.name, label!.datatype, label!.shape], ['label', 'INT64', [2]]);
    assert.deepEqual([probs!.name, probs!.datatype, probs!.shape], ['probabilities', 'FP32', [2, 2]]);
    assert.deepEqual(label!.data, [1, 0], 'the first-class woman survives, the third-class man does not');
    assert.ok(Math.abs(probs!.data[0]! + probs!.data[1]! - 1) < 1e-5);
    assert.ok(probs!.data[1]! > 0.8);

    const only = inferResponse('titanic', '1', undefined, out, parseInferRequest(titanicBody({ outputs: [{ name: 'probabilities' }] }), engine.signature).outputs);
    assert.deepEqual(
      only.outputs.map((o) => o.name),
      ['probabilities'],
    );
  });
});
