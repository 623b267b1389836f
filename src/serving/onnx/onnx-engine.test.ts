import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { AppError } from '../../core/errors/index.js';
import type { Tensor } from '../engine.js';
import { validateInputs } from '../tensor-validation.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { onnxModel, pbLen, pbMsg, tensorValueInfo } from '../../registry/model-files/testing/test-support.js';
import { OnnxEngine, fromHalf, toHalf } from './onnx-engine.js';

const MODELS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/models');
const TITANIC = path.join(MODELS, 'sklearn-titanic', 'pipeline_titanic_nozipmap.onnx');
const MNIST = path.join(MODELS, 'mnist', 'mnist-8.onnx');

const passengers = (rows: [number, string, number, number, string][]): Tensor[] => [
  { name: 'pclass', datatype: 'INT64', shape: [rows.length, 1], data: rows.map((r) => r[0]) },
  { name: 'sex', datatype: 'BYTES', shape: [rows.length, 1], data: rows.map((r) => r[1]) },
  { name: 'age', datatype: 'FP32', shape: [rows.length, 1], data: rows.map((r) => r[2]) },
  { name: 'fare', datatype: 'FP32', shape: [rows.length, 1], data: rows.map((r) => r[3]) },
  { name: 'embarked', datatype: 'BYTES', shape: [rows.length, 1], data: rows.map((r) => r[4]) },
];

function refusal(fn: () => void, fieldName: string, message: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof AppError);
    assert.equal(e.code, 'INVALID_PARAMETER_VALUE');
    assert.equal(e.field, fieldName);
    assert.match(e.message, message);
    return true;
  });
}

describe('ONNX engine (onnxruntime-node)', () => {
  let titanic: OnnxEngine;
  let mnist: OnnxEngine;
  before(async () => {
    titanic = await OnnxEngine.load(TITANIC);
    mnist = await OnnxEngine.load(MNIST);
  });
  after(async () => {
    await titanic.unload();
    await mnist.unload();
  });

  it('reads the signature in KServe V2 terms and tells a dynamic batch dimension from a fixed one', () => {
    assert.deepEqual(titanic.signature.inputs.map((s) => [s.name, s.datatype, s.shape]), [
      ['pclass', 'INT64', [-1, 1]],
      ['sex', 'BYTES', [-1, 1]],
      ['age', 'FP32', [-1, 1]],
      ['fare', 'FP32', [-1, 1]],
      ['embarked', 'BYTES', [-1, 1]],
    ]);
    assert.deepEqual(titanic.signature.outputs.map((s) => [s.name, s.datatype, s.shape]), [['label', 'INT64', [-1]], ['probabilities', 'FP32', [-1, 2]]]);
    assert.equal(titanic.capabilities.batching, 'dynamic');
    assert.deepEqual(mnist.signature.inputs, [{ name: 'Input3', datatype: 'FP32', shape: [1, 1, 28, 28] }]);
    assert.equal(mnist.capabilities.batching, 'none');
    assert.ok(titanic.memoryBytes > 1000);
  });

  it('scores a batch of passengers: one label and a probability pair per row, rows independent of their batch', async () => {
    const rows: [number, string, number, number, string][] = [
      [1, 'female', 29, 211.3, 'S'],
      [3, 'male', 22, 7.25, 'S'],
      [2, 'female', 4, 23, 'C'],
    ];
    const inputs = passengers(rows);
    validateInputs(titanic.signature, inputs);
    const [label, probs] = await titanic.infer(inputs);
    assert.deepEqual(label!.shape, [3]);
    assert.deepEqual(probs!.shape, [3, 2]);
    for (let i = 0; i < 3; i++) assert.ok(Math.abs((probs!.data[2 * i] as number) + (probs!.data[2 * i + 1] as number) - 1) < 1e-5);
    assert.equal(label!.data[0], 1, 'a first-class woman survives');
    assert.equal(label!.data[1], 0, 'a third-class man does not');
    const [alone, aloneProbs] = await titanic.infer(passengers([rows[1]!]));
    assert.deepEqual(alone!.data, [label!.data[1]]);
    assert.ok(Math.abs((aloneProbs!.data[1] as number) - (probs!.data[3] as number)) < 1e-6, 'batching does not change a row’s answer');
  });

  it('runs a fixed-shape model (MNIST, batch 1) and answers ten logits', async () => {
    const [out] = await mnist.infer([{ name: 'Input3', datatype: 'FP32', shape: [1, 1, 28, 28], data: new Array(784).fill(0) }]);
    assert.deepEqual(out!.shape, [1, 10]);
    assert.equal(out!.datatype, 'FP32');
    assert.ok(out!.data.every((v) => typeof v === 'number' && Number.isFinite(v)));
  });

  it('refuses a request that does not fit the signature with a 400 naming the tensor', () => {
    const ok = passengers([[1, 'female', 29, 211.3, 'S']]);
    refusal(() => validateInputs(titanic.signature, ok.slice(1)), 'inputs[pclass]', /Missing input 'pclass'/);
    refusal(() => validateInputs(titanic.signature, [...ok, { name: 'cabin', datatype: 'BYTES', shape: [1, 1], data: ['C85'] }]), 'inputs[cabin]', /Unknown input 'cabin'/);
    refusal(() => validateInputs(titanic.signature, [{ ...ok[0]!, datatype: 'FP32' }, ...ok.slice(1)]), 'inputs[pclass]', /must be INT64, got FP32/);
    refusal(() => validateInputs(titanic.signature, [{ ...ok[0]!, shape: [1] }, ...ok.slice(1)]), 'inputs[pclass]', /must have 2 dimensions/);
    refusal(() => validateInputs(titanic.signature, [{ ...ok[0]!, shape: [2, 1] }, ...ok.slice(1)]), 'inputs[pclass]', /holds 2 values, but data has 1/);
    refusal(() => validateInputs(titanic.signature, [{ ...ok[0]!, data: [1.5] }, ...ok.slice(1)]), 'inputs[pclass]', /not a INT64 value/);
    refusal(() => validateInputs(mnist.signature, [{ name: 'Input3', datatype: 'FP32', shape: [2, 1, 28, 28], data: new Array(1568).fill(0) }]), 'inputs[Input3]', /dimension 0 must be 1, got 2/);
  });

  it('carries FP16 tensors as numbers both ways, rounding to half precision', async () => {
    // An Identity model over float16 [N, 2], written with the protobuf helpers (GraphProto: node 1, input 11, output 12).
    const node = pbMsg(pbLen(1, 'x'), pbLen(2, 'y'), pbLen(4, 'Identity'));
    const bytes = onnxModel([pbLen(1, node), pbLen(2, 'id16'), pbLen(11, tensorValueInfo('x', 10, ['N', 2])), pbLen(12, tensorValueInfo('y', 10, ['N', 2]))]);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pitwall-fp16-'));
    const file = path.join(dir, 'id16.onnx');
    writeFileSync(file, bytes);
    const engine = await OnnxEngine.load(file);
    try {
      assert.deepEqual(engine.signature.inputs, [{ name: 'x', datatype: 'FP16', shape: [-1, 2] }]);
      const [y] = await engine.infer([{ name: 'x', datatype: 'FP16', shape: [2, 2], data: [0.5, 1, -2.25, 1 / 3] }]);
      assert.deepEqual(y!.data, [0.5, 1, -2.25, 0.333251953125]);
      assert.deepEqual([65504, 70000, -0, 1e-9].map((v) => fromHalf(toHalf(v))), [65504, Infinity, -0, 0]);
      assert.ok(Number.isNaN(fromHalf(toHalf(Number.NaN))));
    } finally {
      await engine.unload();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails its pending and later inferences once its worker thread is gone, and says so through `failure`', async () => {
    const engine = await OnnxEngine.load(TITANIC);
    assert.equal(engine.failure, undefined);
    await engine.unload();
    assert.ok(engine.failure);
    await assert.rejects(engine.infer(passengers([[1, 'female', 29, 211.3, 'S']])), /unloaded/);
  });
});
