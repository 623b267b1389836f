import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { prng } from '../../core/testing/prng.js';
import {
  type GgufTensor, type GgufValue, STORIES, assertBadFile, ggufHeader, padded, reference, sharedModel,
} from './testing/test-support.js';
import { readGgufManifest } from './gguf-reader.js';

const bad = /is not a valid GGUF model: /;
const F32 = 0;
const F16 = 1;
const Q4_K = 12;

let dir: string;
let n = 0;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'pitwall-gguf-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fileWith(bytes: Uint8Array): Promise<string> {
  const file = path.join(dir, `m${n++}.gguf`);
  await writeFile(file, bytes);
  return file;
}

/** A complete GGUF file: header, padding, and zeroed data for F32 tensors laid one after another. */
function ggufFile(kvs: [string, GgufValue][], tensors: { name: string; dims: bigint[]; type?: number }[] = []): Buffer {
  let offset = 0n;
  const infos: GgufTensor[] = tensors.map((t) => {
    const info = { name: t.name, dims: t.dims, type: t.type ?? F32, offset };
    offset += ((t.dims.reduce((a, b) => a * b, 1n) * 4n + 31n) / 32n) * 32n;
    return info;
  });
  return Buffer.concat([padded(ggufHeader(kvs, infos)), Buffer.alloc(Number(offset))]);
}

describe('GGUF reader on stories260K, against the gguf package', () => {
  it('reads the facts gguf.GGUFReader reads', async () => {
    const ref = reference.gguf[STORIES];
    assert.ok(ref);
    const got = await readGgufManifest(sharedModel(STORIES));
    assert.equal(got.version, ref.version);
    assert.equal(got.architecture, ref.architecture);
    assert.equal(got.name, ref.name);
    assert.equal(got.contextLength, ref.contextLength);
    assert.equal(got.embeddingLength, ref.embeddingLength);
    assert.equal(got.blockCount, ref.blockCount);
    assert.equal(got.fileType, ref.fileType ?? undefined);
    assert.equal(got.quantization, ref.quantization);
    assert.equal(got.quantizationSource, ref.quantizationSource);
    assert.equal(got.chatTemplate, ref.chatTemplate ?? undefined);
    assert.equal(got.tensorCount, ref.tensorCount);
    assert.equal(got.parameterCount, ref.parameterCount);
    assert.equal(got.bosTokenId, ref.bosTokenId);
    assert.equal(got.eosTokenId, ref.eosTokenId);
    assert.equal(got.bosToken, ref.bosToken);
    assert.equal(got.eosToken, ref.eosToken);
    assert.deepEqual(got.metadata, ref.scalarMetadata);
  });

  it('states the README facts: llama, F32 (no general.file_type, so guessed), 292,800 parameters', async () => {
    const got = await readGgufManifest(sharedModel(STORIES));
    assert.deepEqual(
      [got.architecture, got.quantization, got.quantizationSource, got.parameterCount, got.tensorCount, got.contextLength],
      ['llama', 'F32', 'tensor_types', 292_800, 48, 2048],
    );
  });
});

describe('GGUF reader on handmade files', () => {
  it('reads file type, chat template, 64-bit values and token texts', async () => {
    const template = '{% for m in messages %}{{ m.content }}{% endfor %}'.repeat(200); // > 4 KiB
    const file = await fileWith(
      ggufFile(
        [
          ['general.architecture', { t: 'str', v: 'qwen2' }],
          ['general.file_type', { t: 'u32', v: 15 }],
          ['qwen2.context_length', { t: 'u64', v: 32768n }],
          ['qwen2.block_count', { t: 'u32', v: 2 }],
          ['tokenizer.ggml.tokens', { t: 'arr-str', v: ['<unk>', 'héllo', '<|im_end|>', '<|im_start|>'] }],
          ['tokenizer.ggml.scores', { t: 'arr-u32', v: [1, 2, 3, 4] }],
          ['tokenizer.ggml.bos_token_id', { t: 'u32', v: 3 }],
          ['tokenizer.ggml.eos_token_id', { t: 'u32', v: 2 }],
          ['tokenizer.chat_template', { t: 'str', v: template }],
          ['test.big', { t: 'u64', v: 2n ** 60n }],
          ['test.neg', { t: 'i64', v: -5n }],
          ['test.flag', { t: 'bool', v: true }],
        ],
        [{ name: 'token_embd.weight', dims: [8n, 4n] }, { name: 'norm', dims: [8n] }],
      ),
    );
    const got = await readGgufManifest(file);
    assert.equal(got.architecture, 'qwen2');
    assert.equal(got.contextLength, 32768);
    assert.equal(got.blockCount, 2);
    assert.equal(got.embeddingLength, undefined);
    assert.equal(got.fileType, 15);
    assert.equal(got.quantization, 'Q4_K_M');
    assert.equal(got.quantizationSource, 'file_type');
    assert.equal(got.chatTemplate, template);
    assert.equal(got.parameterCount, 40);
    assert.deepEqual([got.bosToken, got.eosToken], ['<|im_start|>', '<|im_end|>']);
    assert.equal(got.metadata['test.big'], (2n ** 60n).toString());
    assert.equal(got.metadata['test.neg'], -5);
    assert.equal(got.metadata['test.flag'], true);
    assert.equal('tokenizer.chat_template' in got.metadata, false);
    assert.equal('tokenizer.ggml.tokens' in got.metadata, false);
  });

  it("guesses the quantization as llama.cpp does: the most common tensor type (Q4_K → Q4_K_M)", async () => {
    const tensors: GgufTensor[] = [
      { name: 'a', dims: [256n], type: Q4_K, offset: 0n },
      { name: 'b', dims: [256n], type: F16, offset: 160n },
      { name: 'c', dims: [256n], type: Q4_K, offset: 672n },
    ];
    const header = padded(ggufHeader([['general.architecture', { t: 'str', v: 'llama' }]], tensors));
    const got = await readGgufManifest(await fileWith(Buffer.concat([header, Buffer.alloc(672 + 144)])));
    assert.equal(got.quantization, 'Q4_K_M');
    assert.equal(got.quantizationSource, 'tensor_types');
    assert.equal(got.fileType, undefined);
  });

  it('reads the header of an 8 GiB file without reading the weights', async () => {
    const header = padded(
      ggufHeader([['general.architecture', { t: 'str', v: 'llama' }]], [{ name: 'w', dims: [65536n, 65536n], type: F16, offset: 0n }]),
    );
    const file = await fileWith(header);
    const fh = await open(file, 'r+');
    await fh.truncate(header.length + 2 ** 33); // sparse: no disk space, no data
    await fh.close();
    const started = Date.now();
    const got = await readGgufManifest(file);
    assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
    assert.equal(got.parameterCount, 2 ** 32);
    assert.equal(got.quantization, 'F16');
    const short = await open(file, 'r+');
    await short.truncate(header.length + 2 ** 33 - 1);
    await short.close();
    await assert.rejects(readGgufManifest(file), (e) => assertBadFile(e, /truncated: tensor #0's data ends at byte/));
  });

  it('refuses bad headers, saying why, quickly', async () => {
    const arch: [string, GgufValue] = ['general.architecture', { t: 'str', v: 'llama' }];
    const head = ggufHeader([arch]);
    const withU64At = (at: number, v: bigint): Buffer => {
      const b = Buffer.from(head);
      b.writeBigUInt64LE(v, at);
      return b;
    };
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array(0), /it is 0 bytes, shorter than a GGUF header/],
      [Buffer.concat([Buffer.from('GGML'), head.subarray(4)]), /does not start with the GGUF magic/],
      [ggufHeader([arch], [], 1), /GGUF version 1 is not supported/],
      [Buffer.concat([Buffer.from('GGUF'), Buffer.from([0, 0, 0, 3]), head.subarray(8)]), /big-endian/],
      [withU64At(16, 2n ** 60n), /declares 1152921504606846976 key\/value pairs/], // kv_count
      [withU64At(8, 2n ** 40n), /declares 1 key\/value pairs and 1099511627776 tensors/], // tensor_count
      [withU64At(24, 2n ** 63n), /key #0 is longer than|runs past the end/], // key length
      [withU64At(24 + 8 + 20 + 4, 2n ** 62n), /the value of 'general.architecture' of .* runs past the end/],
      [padded(ggufHeader([arch, ['x', { t: 'arr-str', v: ['a'] }]])).subarray(0, 100), /truncated/],
      [padded(ggufHeader([arch], [{ name: 't', dims: [1n, 1n, 1n, 1n, 1n], type: F32, offset: 0n }])), /5 dimensions/],
      [padded(ggufHeader([arch], [{ name: 't', dims: [4n], type: F32, offset: 3n }])), /offset 3, not aligned/],
      [padded(ggufHeader([arch], [{ name: 't', dims: [100n], type: Q4_K, offset: 0n }])), /not whole blocks of 256/],
      [padded(ggufHeader([arch, ['general.alignment', { t: 'u32', v: 24 }]])), /alignment 24 is not a power of two/],
      [padded(ggufHeader([arch, arch])), /duplicate key 'general.architecture'/],
    ];
    const arrayCount = Buffer.from(padded(ggufHeader([arch, ['x', { t: 'arr-str', v: ['a'] }]])));
    arrayCount.writeBigUInt64LE(2n ** 50n, head.length + 8 + 1 + 4 + 4);
    cases.push([arrayCount, /array 'x' declares 1125899906842624 elements/]);
    for (const [bytes, why] of cases) {
      const started = Date.now();
      await assert.rejects(readGgufManifest(await fileWith(bytes)), (e) => assertBadFile(e, new RegExp(`${bad.source}.*${why.source}`)));
      assert.ok(Date.now() - started < 500, `${why.source} took ${Date.now() - started} ms`);
    }
  });

  it('skips a tensor of a type it does not know but still counts its parameters', async () => {
    const header = padded(ggufHeader([], [{ name: 'x', dims: [10n, 3n], type: 200, offset: 0n }]));
    const got = await readGgufManifest(await fileWith(header));
    assert.equal(got.architecture, 'unknown');
    assert.equal(got.parameterCount, 30);
    assert.equal(got.quantization, undefined);
  });
});

describe('GGUF reader on damaged files', () => {
  it('refuses stories260K cut anywhere: in the header, the vocabulary and the weights', async () => {
    const whole = readFileSync(sharedModel(STORIES));
    const dataOffset = reference.gguf[STORIES]?.dataOffset ?? 0;
    assert.ok(dataOffset > 0);
    const cuts = new Set<number>();
    for (let c = 0; c < 600; c++) cuts.add(c);
    for (let c = 600; c < dataOffset; c += 37) cuts.add(c);
    const rand = prng(11);
    for (let i = 0; i < 40; i++) cuts.add(dataOffset + Math.floor(rand() * (whole.length - dataOffset)));
    cuts.add(whole.length - 1);
    const file = path.join(dir, 'cut.gguf');
    const started = Date.now();
    for (const cut of cuts) {
      await writeFile(file, whole.subarray(0, cut));
      await assert.rejects(readGgufManifest(file), (e) => assertBadFile(e, bad), `cut at ${cut}`);
    }
    assert.ok(Date.now() - started < 20_000, `took ${Date.now() - started} ms`);
  });

  it('refuses random bytes, with and without the magic, cleanly', async () => {
    const rand = prng(5);
    const file = path.join(dir, 'random.gguf');
    for (let i = 0; i < 300; i++) {
      const bytes = Buffer.from(Array.from({ length: 1 + Math.floor(rand() * 2000) }, () => Math.floor(rand() * 256)));
      if (i % 2 === 0) Buffer.from('GGUF\x03\x00\x00\x00').copy(bytes);
      await writeFile(file, bytes);
      await assert.rejects(readGgufManifest(file), (e) => assertBadFile(e, bad), `case ${i}`);
    }
  });
});
