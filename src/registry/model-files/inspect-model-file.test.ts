import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { AppError } from '../../core/errors/index.js';
import { MNIST, STORIES, TITANIC, assertBadFile, reference, sharedModel } from './testing/test-support.js';
import { MAX_DEFAULT_EXAMPLE_ELEMENTS, defaultInputExample } from './input-example.js';
import { inspectModelFile } from './inspect-model-file.js';

let dir: string;
let n = 0;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'pitwall-inspect-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});
/** A fresh directory under the test's temp dir. */
async function fresh(): Promise<string> {
  const d = path.join(dir, `case${n++}`);
  await mkdir(d);
  return d;
}

const fileRef = (rel: string): { size: number; sha256: string } => {
  const r = reference.onnx[rel] ?? reference.gguf[rel];
  assert.ok(r, `no reference for ${rel}`);
  return r.file;
};

describe('inspectModelFile on single files', () => {
  it('MNIST: onnx, its size and sha256, signature, and a zeros example of shape [1,1,28,28]', async () => {
    const m = await inspectModelFile(sharedModel(MNIST));
    assert.equal(m.flavor, 'onnx');
    assert.deepEqual(m.files, [{ path: 'mnist-8.onnx', ...fileRef(MNIST) }]);
    assert.equal(m.modelFile, 'mnist-8.onnx');
    assert.deepEqual(m.signature?.inputs, reference.onnx[MNIST]?.inputs);
    assert.equal(m.onnx?.batchDimension, 'fixed');
    const example = m.inputExample as { Input3: number[][][][] };
    assert.deepEqual(Object.keys(example), ['Input3']);
    assert.equal(example.Input3.length, 1);
    assert.equal(example.Input3[0]?.length, 1);
    assert.equal(example.Input3[0]?.[0]?.length, 28);
    assert.deepEqual(example.Input3[0]?.[0]?.[27], Array(28).fill(0));
  });

  it('titanic: onnx with no default example (string inputs, symbolic batch)', async () => {
    const m = await inspectModelFile(sharedModel(TITANIC));
    assert.equal(m.flavor, 'onnx');
    assert.deepEqual(m.files, [{ path: 'pipeline_titanic_nozipmap.onnx', ...fileRef(TITANIC) }]);
    assert.equal(m.onnx?.batchDimension, 'dynamic');
    assert.equal('inputExample' in m, false);
  });

  it('keeps a given input example as it is', async () => {
    const given = { pclass: [[1]], sex: [['female']], age: [[29]], fare: [[211.3]], embarked: [['S']] };
    const m = await inspectModelFile(sharedModel(TITANIC), { inputExample: given });
    assert.deepEqual(m.inputExample, given);
    const mnist = await inspectModelFile(sharedModel(MNIST), { inputExample: null });
    assert.equal(mnist.inputExample, null);
  });

  it('stories260K: gguf, its size and sha256, llama F32; the manifest is plain JSON', async () => {
    const m = await inspectModelFile(sharedModel(STORIES));
    assert.equal(m.flavor, 'gguf');
    assert.deepEqual(m.files, [{ path: 'stories260K.gguf', ...fileRef(STORIES) }]);
    assert.equal(m.gguf?.architecture, 'llama');
    assert.equal(m.gguf?.quantization, 'F32');
    assert.equal(m.signature, undefined);
    assert.deepEqual(JSON.parse(JSON.stringify(m)), m);
  });

  it('goes by content, not by name', async () => {
    const d = await fresh();
    await copyFile(sharedModel(MNIST), path.join(d, 'model.bin'));
    await copyFile(sharedModel(STORIES), path.join(d, 'weights.dat'));
    await copyFile(sharedModel(STORIES), path.join(d, 'misnamed.onnx'));
    await writeFile(path.join(d, 'notes.txt'), 'hello');
    await writeFile(path.join(d, 'protobufish.bin'), Buffer.from([0x08, 0x07, 0x3a, 0x05, 0x01]));
    await writeFile(path.join(d, 'empty.bin'), '');
    const flavor = async (name: string): Promise<string> => (await inspectModelFile(path.join(d, name))).flavor;
    assert.equal(await flavor('model.bin'), 'onnx');
    assert.equal(await flavor('weights.dat'), 'gguf');
    assert.equal(await flavor('misnamed.onnx'), 'gguf');
    assert.equal(await flavor('notes.txt'), 'other');
    assert.equal(await flavor('protobufish.bin'), 'other');
    assert.equal(await flavor('empty.bin'), 'other');
    const other = await inspectModelFile(path.join(d, 'notes.txt'));
    assert.deepEqual(other, {
      flavor: 'other',
      files: [{ path: 'notes.txt', size: 5, sha256: '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824' }],
    });
  });

  it('refuses a broken file that claims a model extension, with a 400', async () => {
    const d = await fresh();
    await writeFile(path.join(d, 'empty.onnx'), '');
    await writeFile(path.join(d, 'text.gguf'), 'not a model at all');
    await writeFile(path.join(d, 'cut.onnx'), readFileSync(sharedModel(MNIST)).subarray(0, 5000));
    await assert.rejects(inspectModelFile(path.join(d, 'empty.onnx')), (e) => assertBadFile(e, /^empty.onnx is not a valid ONNX model: it is empty$/));
    await assert.rejects(inspectModelFile(path.join(d, 'text.gguf')), (e) => assertBadFile(e, /^text.gguf is not a valid GGUF model/));
    await assert.rejects(inspectModelFile(path.join(d, 'cut.onnx')), (e) => assertBadFile(e, /^cut.onnx is not a valid ONNX model: .*runs past/));
  });

  it('refuses a path that does not exist', async () => {
    await assert.rejects(inspectModelFile(path.join(dir, 'nope', 'model.onnx')), (e) => assertBadFile(e, /does not exist/));
  });
});

describe('inspectModelFile on directories', () => {
  it('lists every file, sorted, and reads the one model among them', async () => {
    const d = await fresh();
    await mkdir(path.join(d, 'onnx'));
    await mkdir(path.join(d, 'b-docs', 'deep'), { recursive: true });
    await copyFile(sharedModel(TITANIC), path.join(d, 'onnx', 'model.onnx'));
    await writeFile(path.join(d, 'README.md'), '# titanic\n');
    await writeFile(path.join(d, 'b-docs', 'deep', 'card.txt'), 'card');
    await writeFile(path.join(d, 'a.json'), '{}');
    const m = await inspectModelFile(d);
    assert.equal(m.flavor, 'onnx');
    assert.equal(m.modelFile, 'onnx/model.onnx');
    assert.deepEqual(m.files.map((f) => f.path), ['README.md', 'a.json', 'b-docs/deep/card.txt', 'onnx/model.onnx']);
    assert.deepEqual(m.files.find((f) => f.path === 'onnx/model.onnx'), { path: 'onnx/model.onnx', ...fileRef(TITANIC) });
    assert.deepEqual(m.signature?.outputs, reference.onnx[TITANIC]?.outputs);
  });

  it("is 'other' with no model file or with two, and an empty directory lists no files", async () => {
    const two = await fresh();
    await copyFile(sharedModel(MNIST), path.join(two, 'a.onnx'));
    await copyFile(sharedModel(STORIES), path.join(two, 'b.gguf'));
    const m = await inspectModelFile(two);
    assert.equal(m.flavor, 'other');
    assert.equal(m.files.length, 2);
    assert.equal(m.signature, undefined);
    assert.equal(m.modelFile, undefined);
    const none = await fresh();
    await writeFile(path.join(none, 'model.pkl'), Buffer.from([0x80, 0x04]));
    assert.equal((await inspectModelFile(none)).flavor, 'other');
    assert.deepEqual(await inspectModelFile(await fresh()), { flavor: 'other', files: [] });
  });

  it('refuses a directory whose single model file is broken', async () => {
    const d = await fresh();
    await writeFile(path.join(d, 'model.gguf'), Buffer.from('GGUF\x03\x00\x00\x00'));
    await assert.rejects(inspectModelFile(d), (e) => assertBadFile(e, /^model.gguf is not a valid GGUF model/));
  });

  it('follows symlinks but not around a cycle', async () => {
    const d = await fresh();
    await mkdir(path.join(d, 'sub'));
    await copyFile(sharedModel(MNIST), path.join(d, 'sub', 'm.onnx'));
    await symlink(d, path.join(d, 'sub', 'loop'));
    await symlink(path.join(d, 'sub', 'm.onnx'), path.join(d, 'link.bin'));
    const m = await inspectModelFile(d);
    assert.deepEqual(m.files.map((f) => f.path), ['link.bin', 'sub/m.onnx']);
    assert.equal(m.flavor, 'onnx');
  });
});

describe('defaultInputExample', () => {
  it('zeros for small fixed numeric tensors, false for bool', () => {
    assert.deepEqual(
      defaultInputExample([
        { name: 'x', dtype: 'int64', shape: [2, 3] },
        { name: 'm', dtype: 'bool', shape: [2] },
        { name: 's', dtype: 'float32', shape: [] },
      ]),
      { x: [[0, 0, 0], [0, 0, 0]], m: [false, false], s: 0 },
    );
  });

  it('nothing for strings, symbolic or unknown dims, unknown rank, no inputs, or too many elements', () => {
    const none = [
      [{ name: 'x', dtype: 'string', shape: [1] }],
      [{ name: 'x', dtype: 'float32', shape: ['N', 3] }],
      [{ name: 'x', dtype: 'float32', shape: [null, 3] }],
      [{ name: 'x', dtype: 'float32', shape: null }],
      [{ name: 'x', dtype: 'float32', shape: [0, 3] }],
      [{ name: 'x', dtype: 'sequence<float32>', shape: [] }],
      [],
      [{ name: 'x', dtype: 'float32', shape: [MAX_DEFAULT_EXAMPLE_ELEMENTS + 1] }],
      [{ name: 'a', dtype: 'float32', shape: [MAX_DEFAULT_EXAMPLE_ELEMENTS] }, { name: 'b', dtype: 'float32', shape: [1] }],
    ] as const;
    for (const inputs of none) assert.equal(defaultInputExample(inputs as never), undefined, JSON.stringify(inputs));
    assert.ok(defaultInputExample([{ name: 'x', dtype: 'float32', shape: [MAX_DEFAULT_EXAMPLE_ELEMENTS] }]));
  });
});

it('errors are AppErrors (sanity of the helper itself)', () => {
  assert.throws(() => assertBadFile(new Error('x'), /x/));
  assert.throws(() => assertBadFile(new AppError('INTERNAL_ERROR', 'x'), /x/));
});
