import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { inferKind } from './column-kind.js';
import { datasetFromObjects } from './dataset.js';
import { DatasetError, readDataset } from './read-dataset.js';

export const BIKE_DAY = path.resolve(import.meta.dirname, '../../../shared/data/bike-sharing/day.csv');

describe('drift datasets', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pitwall-drift-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const f = path.join(dir, name);
    writeFileSync(f, text);
    return f;
  };

  it('reads the bike-sharing days and infers each column as Evidently would', async () => {
    const seen: number[] = [];
    const d = await readDataset(BIKE_DAY, { onProgress: (done, total) => seen.push(done / total) });
    assert.equal(d.rows, 731);
    assert.equal(seen.at(-1), 1);
    const kinds = Object.fromEntries(d.columns.map((c) => [c.name, inferKind(c)]));
    assert.deepEqual(kinds, {
      instant: 'num',
      dteday: 'datetime',
      season: 'cat',
      yr: 'cat',
      // Twelve distinct integers: more than Evidently's limit of 10 for categories.
      mnth: 'num',
      holiday: 'cat',
      weekday: 'cat',
      workingday: 'cat',
      weathersit: 'cat',
      temp: 'num',
      atemp: 'num',
      hum: 'num',
      windspeed: 'num',
      casual: 'num',
      registered: 'num',
      cnt: 'num',
    });
    const temp = d.columns.find((c) => c.name === 'temp')!;
    assert.equal(temp.numbers![0], 0.344167);
  });

  it('reads missing values as pandas does, numbers written as text stay numbers, a text value makes a column text', async () => {
    const d = await readDataset(file('m.csv', 'a,b,c,d\n1,x,1.5,\nNA,y,2,7\n3,,NaN,8\n4,z,0x10,9\n'));
    const [a, b, c, dd] = d.columns;
    assert.deepEqual([...a!.numbers!].map((x) => (Number.isNaN(x) ? null : x)), [1, null, 3, 4]);
    assert.equal(a!.missing, 1);
    // An integer column with a gap is float to pandas: numerical, not categorical.
    assert.equal(inferKind(a!), 'num');
    assert.deepEqual(b!.strings, ['x', 'y', null, 'z']);
    assert.deepEqual(c!.strings, ['1.5', '2', null, '0x10']);
    assert.equal(dd!.missing, 1);
  });

  it('reads JSON lines: numbers, strings, booleans, embeddings, and columns that appear late', async () => {
    const d = await readDataset(file('e.jsonl', '{"x": 1, "s": "a", "v": [0.1, 0.2]}\n\n{"x": 2.5, "s": "b", "v": [0.3, 0.4], "late": true}\n{"x": null, "s": "", "v": null}\n'));
    assert.equal(d.rows, 3);
    const col = (n: string) => d.columns.find((c) => c.name === n)!;
    assert.deepEqual([...col('x').numbers!].map((v) => (Number.isNaN(v) ? null : v)), [1, 2.5, null]);
    assert.deepEqual(col('s').strings, ['a', 'b', null]);
    assert.deepEqual(col('v').vectors, [[0.1, 0.2], [0.3, 0.4], null]);
    assert.equal(inferKind(col('v')), 'embedding');
    assert.deepEqual(col('late').strings, [null, 'true', null]);
  });

  it('names the file and line of what it cannot read', async () => {
    await assert.rejects(readDataset(path.join(dir, 'nope.csv')), (e: unknown) => e instanceof DatasetError && /nope\.csv: no such file/.test(e.message));
    await assert.rejects(readDataset(file('bad.jsonl', '{"a": 1}\n{"a": \n')), (e: unknown) => e instanceof DatasetError && /line 2 is not JSON/.test(e.message));
    await assert.rejects(readDataset(file('arr.jsonl', '[1, 2]\n')), (e: unknown) => e instanceof DatasetError && /line 1 is not a JSON object/.test(e.message));
    await assert.rejects(readDataset(file('wide.csv', 'a,b\n1,2,3\n')), (e: unknown) => e instanceof DatasetError && /line 2 has 3 fields, the header 2/.test(e.message));
    await assert.rejects(readDataset(file('quote.csv', 'a\n"open\n')), (e: unknown) => e instanceof DatasetError && /unterminated quoted field/.test(e.message));
    await assert.rejects(readDataset(file('empty.csv', '')), (e: unknown) => e instanceof DatasetError && /empty file/.test(e.message));
  });

  it('infers text when most values are distinct, categories when they repeat', () => {
    const d = datasetFromObjects([
      ...Array.from({ length: 10 }, (_, i) => ({ msg: `message number ${i}`, color: i % 2 ? 'red' : 'blue', n: i % 3 })),
    ]);
    const kinds = d.columns.map((c) => inferKind(c));
    assert.deepEqual(kinds, ['text', 'cat', 'cat']);
  });
});
