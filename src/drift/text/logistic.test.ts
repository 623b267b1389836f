import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decisionFunction, seededRandom, trainLogistic, type CsrRows, type DenseRows } from './logistic.js';
import { rocAuc } from './roc-auc.js';

/** Sparse rows from lists of [column, value] pairs. */
function csr(rows: [number, number][][], cols: number): CsrRows {
  const indptr = new Int32Array(rows.length + 1);
  const indices: number[] = [];
  const values: number[] = [];
  rows.forEach((r, i) => {
    for (const [j, v] of r) {
      indices.push(j);
      values.push(v);
    }
    indptr[i + 1] = indices.length;
  });
  return { kind: 'csr', rows: rows.length, cols, indptr, indices: Int32Array.from(indices), values: Float64Array.from(values) };
}

describe('SGD linear classifier', () => {
  it("takes scikit-learn's first step: η₀ = √(1/√α) = 10 at α = 1e-4, intercept decay 0.01 on sparse rows, L1 after it", () => {
    // Log loss at p = 0: loss′ = −½, so the step is 5·x and the (dense) intercept moves by 5.
    const dense = trainLogistic({ kind: 'dense', rows: 1, cols: 2, data: [[1, 2]] }, [1], { maxEpochs: 1 });
    assert.deepEqual([...dense.weights], [5, 10]);
    assert.equal(dense.intercept, 5);
    // Modified Huber at p = 0: loss′ = −2, so 20·x; the sparse intercept moves by 20 × 0.01; L1 then takes η α = 1e-3.
    const sparse = trainLogistic(csr([[[0, 1]]], 2), [1], { loss: 'modified_huber', penalty: 'l1', maxEpochs: 1 });
    assert.ok(Math.abs(sparse.weights[0]! - 19.999) < 1e-12);
    assert.equal(sparse.weights[1], 0);
    assert.ok(Math.abs(sparse.intercept - 0.2) < 1e-12);
  });

  it('learns which sparse features mark each class, L1 leaving a feature both share at zero', () => {
    const r = seededRandom(5);
    const rows: [number, number][][] = [];
    const labels: number[] = [];
    for (let i = 0; i < 400; i++) {
      const y = i % 2;
      // Feature 0 marks class 1, feature 1 class 0 (each 80% of the time); feature 2 is in every row.
      const own: [number, number][] = r() < 0.8 ? [[y === 1 ? 0 : 1, 0.8]] : [];
      rows.push([...own, [2, own.length ? 0.6 : 1]]);
      labels.push(y);
    }
    const x = csr(rows, 3);
    const m = trainLogistic(x, labels, { loss: 'modified_huber', penalty: 'l1', seed: 3 });
    assert.ok(m.weights[0]! > 0 && m.weights[1]! < 0, `${m.weights}`);
    assert.equal(m.weights[2], 0);
    assert.ok(rocAuc(labels, decisionFunction(m, x)) > 0.85);
    assert.deepEqual(trainLogistic(x, labels, { loss: 'modified_huber', penalty: 'l1', seed: 3 }), m, 'the same seed gives the same model');
  });

  it('fits logistic regression on dense rows, averaged SGD settling near the direction that separates them', () => {
    const r = seededRandom(8);
    const g = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
    const data: number[][] = [];
    const labels: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const y = i % 2;
      data.push([g() + (y ? 1 : -1), g(), g()]);
      labels.push(y);
    }
    const x: DenseRows = { kind: 'dense', rows: data.length, cols: 3, data };
    const m = trainLogistic(x, labels, { average: true, maxEpochs: 20, seed: 1 });
    const [a, b, c] = m.weights;
    assert.ok(a! > 5 * Math.abs(b!) && a! > 5 * Math.abs(c!), `${m.weights}`);
    // The best linear rule on this data (Bayes: sign of the first coordinate) has AUC Φ(√2) ≈ 0.92.
    assert.ok(rocAuc(labels, decisionFunction(m, x)) > 0.9);
    assert.throws(() => trainLogistic(csr([[[0, 1]]], 1), [1], { average: true }), /dense/);
  });
});
