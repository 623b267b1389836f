import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { close, throwsCode } from '../../stats/testing/distance-fixtures.js';
import { accuracy, f1, mae, mape, precision, recall, rmse, rocAuc, type Label } from './metrics.js';

interface Stream {
  yTrue: number[];
  yPred: number[];
  proba: number[];
  y3True: string[];
  y3Pred: string[];
  cnt: number[];
  cntPred: number[];
}
type Scores = { accuracy: number; precision: number; recall: number; f1: number };
interface Fx {
  stream: Stream;
  metrics: {
    binary: ({ case: string; positive: Label } & Scores)[];
    macro: ({ case: string; yTrue: number[] | null; yPred: number[] | null } & Scores)[];
    rocAuc: { case: string; yTrue?: Label[]; scores: number[] | null; rocAuc: number }[];
    regression: { case: string; yTrue?: number[]; yPred?: number[]; mae: number; rmse: number; mape: number }[];
  };
}
const fx = JSON.parse(readFileSync(new URL('./fixtures/performance.json', import.meta.url), 'utf8')) as Fx;
const st = fx.stream;
const REL = 1e-9;

describe('classification metrics (sklearn.metrics, bike-sharing stream)', () => {
  for (const c of fx.metrics.binary) {
    it(`binary: ${c.case}`, () => {
      const strings = typeof c.positive === 'string';
      const yTrue: Label[] = strings ? st.yTrue.map((y) => (y === 1 ? 'high' : 'low')) : st.yTrue;
      const yPred: Label[] = strings ? st.yPred.map((y) => (y === 1 ? 'high' : 'low')) : st.yPred;
      const o = { positive: c.positive };
      close(accuracy(yTrue, yPred), c.accuracy, REL, 0, 'accuracy');
      close(precision(yTrue, yPred, o), c.precision, REL, 0, 'precision');
      close(recall(yTrue, yPred, o), c.recall, REL, 0, 'recall');
      close(f1(yTrue, yPred, o), c.f1, REL, 0, 'f1');
    });
  }

  for (const c of fx.metrics.macro) {
    it(`macro: ${c.case}`, () => {
      const yTrue = c.yTrue ?? st.y3True;
      const yPred = c.yPred ?? st.y3Pred;
      const o = { average: 'macro' as const };
      close(accuracy(yTrue, yPred), c.accuracy, REL, 0, 'accuracy');
      close(precision(yTrue, yPred, o), c.precision, REL, 0, 'precision');
      close(recall(yTrue, yPred, o), c.recall, REL, 0, 'recall');
      close(f1(yTrue, yPred, o), c.f1, REL, 0, 'f1');
    });
  }

  for (const c of fx.metrics.rocAuc) {
    it(`roc auc: ${c.case}`, () => close(rocAuc(c.yTrue ?? st.yTrue, c.scores ?? st.proba), c.rocAuc, REL, 0));
  }

  it('binary F1 is the harmonic mean of precision and recall; a class never predicted scores 0', () => {
    const p = precision(st.yTrue, st.yPred);
    const r = recall(st.yTrue, st.yPred);
    close(f1(st.yTrue, st.yPred), (2 * p * r) / (p + r), 1e-12);
    assert.equal(precision([1, 0, 1], [0, 0, 0]), 0);
    assert.equal(f1([0, 0], [0, 0]), 0); // no positives anywhere: zero_division=0
    assert.equal(recall(['a', 'b'], ['a', 'a'], { average: 'macro', labels: ['a', 'b', 'c'] }), 1 / 3);
    close(rocAuc([0, 0, 1, 1], [0.5, 0.5, 0.5, 0.5]), 0.5); // all tied: half credit
    close(rocAuc(['x', 'y', 'x'], [0.9, 0.1, 0.8], 'x'), 1);
  });

  it('refuses what scikit-learn refuses', () => {
    throwsCode(() => accuracy([], []), 'INSUFFICIENT_DATA');
    throwsCode(() => accuracy([1, 0], [1]), 'INVALID_INPUT');
    throwsCode(() => accuracy([1, Number.NaN], [1, 0]), 'INVALID_INPUT');
    throwsCode(() => accuracy([1, 'a'], [1, 1]), 'INVALID_INPUT');
    throwsCode(() => precision([0, 1, 2], [0, 1, 2]), 'INVALID_INPUT'); // multiclass with average='binary'
    throwsCode(() => precision(['a', 'b'], ['a', 'b']), 'INVALID_INPUT'); // positive=1 is not a label
    throwsCode(() => rocAuc([1, 1, 1], [0.1, 0.2, 0.3]), 'INSUFFICIENT_DATA');
    throwsCode(() => rocAuc([0, 1, 2], [0.1, 0.2, 0.3]), 'INVALID_INPUT');
    throwsCode(() => rocAuc([0, 1], [0.1, Number.NaN]), 'INVALID_INPUT');
    throwsCode(() => rocAuc([0, 1], [0.1]), 'INVALID_INPUT');
  });
});

describe('regression metrics (sklearn.metrics)', () => {
  for (const c of fx.metrics.regression) {
    it(c.case, () => {
      const yTrue = c.yTrue ?? st.cnt;
      const yPred = c.yPred ?? st.cntPred;
      close(mae(yTrue, yPred), c.mae, REL, 0, 'mae');
      close(rmse(yTrue, yPred), c.rmse, REL, 0, 'rmse');
      close(mape(yTrue, yPred), c.mape, REL, 0, 'mape');
    });
  }

  it('refuses empty, mismatched and non-finite input', () => {
    throwsCode(() => mae([], []), 'INSUFFICIENT_DATA');
    throwsCode(() => rmse([1, 2], [1]), 'INVALID_INPUT');
    throwsCode(() => mape([1, Infinity], [1, 2]), 'INVALID_INPUT');
  });
});
