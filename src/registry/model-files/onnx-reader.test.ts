import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { prng } from '../../core/testing/prng.js';
import {
  MNIST, TITANIC, assertBadFile, onnxModel, pbInt, pbLen, pbMsg, reference, sharedModel, tensorValueInfo,
} from './testing/test-support.js';
import { readOnnxManifestFile } from './onnx-file-reader.js';
import { type OnnxReadResult, readOnnxManifest } from './onnx-reader.js';

const FLOAT = 1;
const INT64 = 7;
const STRING = 8;
const bad = /is not a valid ONNX model: /;

let dir: string;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'pitwall-onnx-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Both readers (in memory and streaming from a file) must agree on everything, errors included. */
async function readBoth(bytes: Uint8Array): Promise<OnnxReadResult> {
  const file = path.join(dir, 'model.onnx');
  await writeFile(file, bytes);
  let fromFile: OnnxReadResult | Error;
  try {
    fromFile = await readOnnxManifestFile(file);
  } catch (e) {
    fromFile = e as Error;
  }
  let inMemory: OnnxReadResult;
  try {
    inMemory = readOnnxManifest(bytes);
  } catch (e) {
    assert.ok(fromFile instanceof Error, `in-memory read failed (${String(e)}) but the file read did not`);
    throw e;
  }
  if (fromFile instanceof Error) throw fromFile;
  assert.deepEqual(fromFile, inMemory);
  return inMemory;
}

describe('ONNX reader on the shared models, against the onnx package', () => {
  for (const rel of [MNIST, TITANIC]) {
    it(`reads ${rel} as onnx.load does`, async () => {
      const ref = reference.onnx[rel];
      assert.ok(ref, `no reference for ${rel}`);
      const got = await readBoth(readFileSync(sharedModel(rel)));
      assert.deepEqual(got.signature, { inputs: ref.inputs, outputs: ref.outputs });
      assert.equal(got.onnx.irVersion, ref.irVersion);
      assert.deepEqual(got.onnx.opsets, ref.opsets);
      assert.equal(got.onnx.producerName, ref.producerName);
      assert.equal(got.onnx.producerVersion, ref.producerVersion);
      assert.deepEqual(got.onnx.metadata ?? {}, ref.metadata);
    });
  }

  it('drops initializers from the inputs (MNIST, IR 3, lists its 8 weights as graph inputs)', () => {
    const ref = reference.onnx[MNIST];
    assert.equal(ref?.graphInputsIncludingInitializers, 9);
    const got = readOnnxManifest(readFileSync(sharedModel(MNIST)));
    assert.deepEqual(got.signature.inputs.map((i) => i.name), ['Input3']);
  });

  it('states the README facts: MNIST fixed batch of 1, titanic dynamic [N,1] inputs', () => {
    const mnist = readOnnxManifest(readFileSync(sharedModel(MNIST)));
    assert.deepEqual(mnist.signature.inputs, [{ name: 'Input3', dtype: 'float32', shape: [1, 1, 28, 28] }]);
    assert.deepEqual(mnist.signature.outputs, [{ name: 'Plus214_Output_0', dtype: 'float32', shape: [1, 10] }]);
    assert.equal(mnist.onnx.batchDimension, 'fixed');
    const titanic = readOnnxManifest(readFileSync(sharedModel(TITANIC)));
    assert.deepEqual(
      titanic.signature.inputs.map((i) => [i.name, i.dtype]),
      [['pclass', 'int64'], ['sex', 'string'], ['age', 'float32'], ['fare', 'float32'], ['embarked', 'string']],
    );
    for (const i of titanic.signature.inputs) {
      assert.equal(i.shape?.length, 2);
      assert.ok(i.shape[0] === null || typeof i.shape[0] === 'string', `${i.name}: batch dim ${String(i.shape[0])}`);
      assert.equal(i.shape[1], 1);
    }
    assert.deepEqual(titanic.signature.outputs.map((o) => [o.name, o.dtype, o.shape?.length]), [
      ['label', 'int64', 1],
      ['probabilities', 'float32', 2],
    ]);
    assert.equal(titanic.onnx.batchDimension, 'dynamic');
    assert.deepEqual(titanic.onnx.opsets.map((o) => o.domain), ['ai.onnx', 'ai.onnx.ml']);
  });
});

describe('ONNX reader on handmade models', () => {
  it('reads symbolic, unknown and negative dims, unknown rank, scalars and metadata', async () => {
    const got = await readBoth(
      onnxModel(
        [
          pbLen(11, tensorValueInfo('x', FLOAT, ['batch', null, 3])),
          pbLen(11, tensorValueInfo('mask', 9, [-1, 4])),
          pbLen(11, tensorValueInfo('anything', 16)), // no shape: rank unknown
          pbLen(11, tensorValueInfo('temperature', FLOAT, [])), // rank 0
          pbLen(12, tensorValueInfo('y', 10, ['batch'])),
        ],
        [pbLen(14, pbMsg(pbLen(1, 'author'), pbLen(2, 'me'))), pbLen(3, '1.0')],
      ),
    );
    assert.deepEqual(got.signature.inputs, [
      { name: 'x', dtype: 'float32', shape: ['batch', null, 3] },
      { name: 'mask', dtype: 'bool', shape: [null, 4] },
      { name: 'anything', dtype: 'bfloat16', shape: null },
      { name: 'temperature', dtype: 'float32', shape: [] },
    ]);
    assert.deepEqual(got.signature.outputs, [{ name: 'y', dtype: 'float16', shape: ['batch'] }]);
    assert.deepEqual(got.onnx.metadata, { author: 'me' });
    assert.equal(got.onnx.producerVersion, '1.0');
    assert.equal(got.onnx.batchDimension, 'dynamic');
  });

  it('describes non-tensor types: sequence of maps (a ZipMap output), optional, sparse', async () => {
    const mapType = pbLen(5, pbMsg(pbInt(1, INT64), pbLen(2, pbLen(1, pbInt(1, FLOAT)))));
    const got = await readBoth(
      onnxModel([
        pbLen(11, tensorValueInfo('x', STRING, [null, 1])),
        pbLen(12, pbMsg(pbLen(1, 'probs'), pbLen(2, pbLen(4, pbLen(1, mapType))))),
        pbLen(12, pbMsg(pbLen(1, 'maybe'), pbLen(2, pbLen(9, pbLen(1, pbLen(1, pbInt(1, INT64))))))),
        pbLen(12, pbMsg(pbLen(1, 'sparse'), pbLen(2, pbLen(8, pbMsg(pbInt(1, FLOAT), pbLen(2, [])))))),
      ]),
    );
    assert.deepEqual(got.signature.outputs, [
      { name: 'probs', dtype: 'sequence<map<int64,float32>>', shape: [] },
      { name: 'maybe', dtype: 'optional<int64>', shape: [] },
      { name: 'sparse', dtype: 'sparse_tensor<float32>', shape: [] },
    ]);
  });

  it("batchDimension: 'none' for scalar-only inputs, 'fixed' when any input has a numeric first dim", async () => {
    const scalars = await readBoth(onnxModel([pbLen(11, tensorValueInfo('s', FLOAT, []))]));
    assert.equal(scalars.onnx.batchDimension, 'none');
    const none = await readBoth(onnxModel([pbLen(12, tensorValueInfo('y', FLOAT, [1]))]));
    assert.equal(none.onnx.batchDimension, 'none');
    const mixed = await readBoth(
      onnxModel([pbLen(11, tensorValueInfo('a', FLOAT, ['N', 2])), pbLen(11, tensorValueInfo('b', FLOAT, [1, 2]))]),
    );
    assert.equal(mixed.onnx.batchDimension, 'fixed');
  });

  it('drops inputs named by sparse initializers too', async () => {
    const sparse = pbLen(15, pbLen(1, pbLen(8, 'w'))); // SparseTensorProto.values.name = 'w'
    const got = await readBoth(onnxModel([pbLen(11, tensorValueInfo('x', FLOAT, [2])), pbLen(11, tensorValueInfo('w', FLOAT, [2])), sparse]));
    assert.deepEqual(got.signature.inputs.map((i) => i.name), ['x']);
  });

  it('refuses what is not a complete model, saying why', async () => {
    const graph = [pbLen(11, tensorValueInfo('x', FLOAT, [1]))];
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array(0), /it is empty/],
      [Uint8Array.from(pbMsg(pbInt(1, 8), pbLen(8, pbMsg(pbLen(1, ''), pbInt(2, 17))))), /no graph/],
      [Uint8Array.from(pbLen(7, pbMsg(...graph))), /no ir_version/],
      [onnxModel(graph, [], []), /requires opset_import/],
      [onnxModel([...graph, pbLen(1, pbLen(7, 'ai.onnx.ml'))]), /domain 'ai.onnx.ml' but imports no opset/],
      [onnxModel([pbLen(11, tensorValueInfo('', FLOAT, [1]))]), /has no name/],
      [Uint8Array.from([...pbInt(1, 8), ...pbInt(7, 1)]), /graph has wire type 0/],
      [Uint8Array.from([0x3a, 0xff, 0xff, 0xff, 0xff, 0x0f]), /length 4294967295 .* runs past the end/],
      [Uint8Array.from(Array(12).fill(0xff)), /varint longer than 10 bytes/],
      [Uint8Array.from([0x0b, 0x00]), /unsupported wire type 3/],
      [Uint8Array.from([0x00, 0x00]), /field number 0/],
      [Uint8Array.from(pbMsg(pbInt(1, 8), pbLen(2, [0xff, 0xfe]))), /not UTF-8/],
    ];
    for (const [bytes, why] of cases) {
      await assert.rejects(readBoth(bytes), (e) => assertBadFile(e, new RegExp(`${bad.source}.*${why.source}`)));
    }
  });

  it('refuses a type nested 2,000 deep, at depth 16', () => {
    let type = pbLen(1, pbInt(1, FLOAT));
    for (let i = 0; i < 2_000; i++) type = pbLen(4, pbLen(1, type));
    const model = onnxModel([pbLen(11, pbMsg(pbLen(1, 'x'), pbLen(2, type)))]);
    assert.throws(() => readOnnxManifest(model), (e) => assertBadFile(e, /type nesting deeper than 16/));
  });
});

describe('ONNX reader on damaged files', () => {
  it('refuses the titanic model cut at every byte, and MNIST at 400 points, each cleanly', async () => {
    const titanic = readFileSync(sharedModel(TITANIC));
    const mnist = readFileSync(sharedModel(MNIST));
    const cuts: Uint8Array[] = [];
    for (let n = 0; n < titanic.length; n++) cuts.push(titanic.subarray(0, n));
    const rand = prng(8);
    for (let i = 0; i < 400; i++) cuts.push(mnist.subarray(0, Math.floor(rand() * mnist.length)));
    for (const n of [0, 1, 2, 26, 26447, 26448, 26453]) cuts.push(mnist.subarray(0, n)); // field boundaries
    const started = Date.now();
    for (const cut of cuts) {
      assert.throws(() => readOnnxManifest(cut), (e) => assertBadFile(e, bad), `cut at ${cut.length}`);
    }
    for (const cut of cuts.filter((_, i) => i % 40 === 0)) await assert.rejects(readBoth(cut), (e) => assertBadFile(e, bad));
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
  });

  it('refuses random bytes cleanly, including random bytes after a valid-looking start', () => {
    const rand = prng(42);
    const mnist = readFileSync(sharedModel(MNIST));
    for (let i = 0; i < 2000; i++) {
      const len = 1 + Math.floor(rand() * 600);
      const bytes = Uint8Array.from({ length: len }, () => Math.floor(rand() * 256));
      if (i % 2 === 0) bytes.set(mnist.subarray(0, Math.min(len, 40))); // keep the ModelProto head
      assert.throws(() => readOnnxManifest(bytes), (e) => assertBadFile(e, bad), `case ${i}`);
    }
  });

  it('refuses a flipped byte inside the graph of MNIST or reads a model, never crashing', () => {
    const mnist = readFileSync(sharedModel(MNIST));
    const rand = prng(3);
    let refused = 0;
    for (let i = 0; i < 300; i++) {
      const copy = Uint8Array.from(mnist);
      const at = 26 + Math.floor(rand() * 120); // the graph's header, nodes and first fields
      copy[at] = (copy[at] as number) ^ (1 + Math.floor(rand() * 255));
      try {
        readOnnxManifest(copy);
      } catch (e) {
        assertBadFile(e, bad);
        refused++;
      }
    }
    assert.ok(refused > 0, 'no flipped byte was noticed');
  });
});
