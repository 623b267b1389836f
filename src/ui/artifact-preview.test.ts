import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ancestorsOf, formatBytes, sortArtifacts, headText, looksLikeText, parseCsv, prettyJson, previewKind, readHead } from './artifact-preview.js';

test('files are previewed by kind from their names', () => {
  assert.equal(previewKind('data/train.csv'), 'csv');
  assert.equal(previewKind('x.TSV'), 'csv');
  assert.equal(previewKind('metrics.json'), 'json');
  assert.equal(previewKind('plots/roc.PNG'), 'image');
  assert.equal(previewKind('a/b/logo.svg'), 'image');
  assert.equal(previewKind('model/model.onnx'), 'binary');
  assert.equal(previewKind('notes.txt'), 'text');
  assert.equal(previewKind('model/MLmodel'), 'text');
  assert.equal(previewKind('model/requirements.txt'), 'text');
  assert.equal(previewKind('weird.xyz'), 'unknown');
  assert.equal(previewKind('.hidden'), 'unknown');
});

test('text is told from binary by NULs and control bytes', () => {
  assert.equal(looksLikeText(new TextEncoder().encode('hello\tworld\r\nünïcode\n')), true);
  assert.equal(looksLikeText(new Uint8Array([0x08, 0x01, 0x12, 0x00, 0x05])), false);
  assert.equal(looksLikeText(new Uint8Array([1, 2, 3, 4, 65, 66])), false);
});

/** A stream of `chunks` chunks of `size` bytes that counts how many chunks were pulled. */
function counted(chunks: number, size: number): { stream: ReadableStream<Uint8Array>; pulled: () => number; cancelled: () => boolean } {
  let pulled = 0;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(c) {
        if (pulled === chunks) return c.close();
        pulled++;
        c.enqueue(new Uint8Array(size).fill(97));
      },
      cancel() {
        cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => pulled, cancelled: () => cancelled };
}

test('readHead stops after the limit and cancels the rest of a large file', async () => {
  const big = counted(10_000, 16 * 1024); // 160 MB if read whole
  const head = await readHead(big.stream, 64 * 1024);
  assert.equal(head.bytes.length, 64 * 1024);
  assert.equal(head.truncated, true);
  assert.ok(big.pulled() <= 6, `pulled ${big.pulled()} chunks`);
  assert.equal(big.cancelled(), true);

  const small = counted(2, 1000);
  const whole = await readHead(small.stream, 64 * 1024);
  assert.equal(whole.bytes.length, 2000);
  assert.equal(whole.truncated, false);
});

test('the text of a cut head ends at its last whole line and never shows a split character', () => {
  const bytes = new TextEncoder().encode('line one\nline two\nline thr€');
  const cut = bytes.subarray(0, bytes.length - 1); // splits the 3-byte euro sign
  assert.equal(headText({ bytes: cut, truncated: true }), 'line one\nline two\n');
  assert.equal(headText({ bytes, truncated: false }), 'line one\nline two\nline thr€');
});

test('CSV: header, quoted fields with commas, quotes and newlines, CRLF, BOM', () => {
  const t = parseCsv('\ufeffname,comment,age\r\n"Smith, J.","said ""hi""\nthen left",22\r\nDoe,,30\r\n');
  assert.deepEqual(t.header, ['name', 'comment', 'age']);
  assert.deepEqual(t.rows, [
    ['Smith, J.', 'said "hi"\nthen left', '22'],
    ['Doe', '', '30'],
  ]);
  assert.equal(t.more, false);
  assert.deepEqual(parseCsv('a\tb\n1\t2', { delimiter: '\t' }).rows, [['1', '2']]);
});

test('CSV: only the first rows are kept, and a cut file drops its partial last record', () => {
  const lines = ['id,x', ...Array.from({ length: 500 }, (_, i) => `${i},${i * 2}`)].join('\n');
  const t = parseCsv(lines, { maxRows: 100 });
  assert.equal(t.rows.length, 100);
  assert.deepEqual(t.rows[99], ['99', '198']);
  assert.equal(t.more, true);
  const cut = parseCsv('id,x\n1,2\n3,"unterminated', { complete: false });
  assert.deepEqual(cut.rows, [['1', '2']]);
  assert.equal(cut.more, true);
});

test('JSON is pretty-printed, non-JSON is null', () => {
  assert.equal(prettyJson('{"a":[1,2],"b":{"c":null}}'), '{\n  "a": [\n    1,\n    2\n  ],\n  "b": {\n    "c": null\n  }\n}');
  assert.equal(prettyJson('{"a":'), null);
});

test('sizes read in binary units', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(812), '812 B');
  assert.equal(formatBytes(1536), '1.5 KiB');
  assert.equal(formatBytes(12 * 1024 * 1024), '12 MiB');
  assert.equal(formatBytes(150 * 1024 * 1024), '150 MiB');
  assert.equal(formatBytes(undefined), '—');
});

test('directories list first, names in natural order; a deep selection opens its ancestors', () => {
  const f = (path: string, isDir = false) => ({ path, name: path.slice(path.lastIndexOf('/') + 1), isDir });
  assert.deepEqual(
    sortArtifacts([f('step-10.txt'), f('model', true), f('step-2.txt'), f('data', true)]).map((x) => x.name),
    ['data', 'model', 'step-2.txt', 'step-10.txt'],
  );
  assert.deepEqual(ancestorsOf('a/b/c.txt'), ['a', 'a/b']);
  assert.deepEqual(ancestorsOf('c.txt'), []);
});
