import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { CsrRows } from './logistic.js';
import { Tfidf } from './tfidf.js';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/text.json', import.meta.url), 'utf8')) as {
  tfidf: { stopWords: string[]; corpus: string[]; vocabulary: string[]; idf: number[]; rows: number[][] };
};

function dense(rows: CsrRows): number[][] {
  return Array.from({ length: rows.rows }, (_, i) => {
    const out = new Array<number>(rows.cols).fill(0);
    for (let k = rows.indptr[i]!; k < rows.indptr[i + 1]!; k++) out[rows.indices[k]!] = rows.values[k]!;
    return out;
  });
}

const close = (a: number[], b: number[], label: string) => a.forEach((x, j) => assert.ok(Math.abs(x - b[j]!) < 1e-12, `${label}[${j}]: ${x} vs ${b[j]}`));

describe('TF-IDF', () => {
  const f = fixture.tfidf;
  const { model, rows } = Tfidf.fitTransform(f.corpus, { stopWords: new Set(f.stopWords) });

  it('keeps words in at most half the documents and weighs them as scikit-learn (sublinear tf, smooth idf, L2 rows)', () => {
    assert.deepEqual(model.vocabulary, f.vocabulary);
    close([...model.idf], f.idf, 'idf');
    dense(rows).forEach((r, i) => close(r, f.rows[i]!, `row ${i}`));
    // "the the the" has no counted word: its row stays empty, not NaN.
    assert.equal(rows.indptr[5]! - rows.indptr[4]!, 0);
  });

  it('transforms new documents in the fitted columns, ignoring words it has not seen', () => {
    const again = model.transform(f.corpus);
    assert.deepEqual(dense(again), dense(rows));
    const unseen = dense(model.transform(['zebra cat cat']))[0]!;
    const cat = model.vocabulary.indexOf('cat');
    assert.equal(unseen[cat], 1, 'one known word, normalised to length 1');
    assert.equal(unseen.filter((x) => x !== 0).length, 1);
  });

  it('caps the vocabulary at the words with the most occurrences, ties alphabetically', () => {
    const docs = ['apple apple apple kiwi', 'banana banana kiwi', 'cherry date', 'fig grape', 'lemon lime'];
    const { model: capped } = Tfidf.fitTransform(docs, { maxFeatures: 3 });
    // apple 3, banana 2, kiwi 2, the rest 1 each.
    assert.deepEqual(capped.vocabulary, ['apple', 'banana', 'kiwi']);
    const { model: four } = Tfidf.fitTransform(docs, { maxFeatures: 4 });
    assert.deepEqual(four.vocabulary, ['apple', 'banana', 'cherry', 'kiwi']);
  });
});
