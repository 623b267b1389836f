import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { close, closeArrays, throwsCode } from '../../stats/testing/distance-fixtures.js';
import { calibrationCheck, fitIsotonic, predictIsotonic, stratifiedShuffleSplit } from './calibration.js';
import type { Label } from './metrics.js';

interface Fx {
  stream: { yTrue: number[]; proba: number[] };
  nReference: number;
  isotonic: { case: string; x: number[]; y: number[]; yMin: number | null; yMax: number | null; xThresholds: number[]; yThresholds: number[]; at: number[]; predicted: number[] }[];
  splits: { case: string; y: Label[]; nSplits: number; testSize: number; seed: number; splits: { train: number[]; test: number[] }[] }[];
  calibrationChecks: { case: string; power?: number; needsCalibration: boolean; reason: string; eceBefore?: number; eceAfter?: number; tests?: number[][] }[];
}
const fx = JSON.parse(readFileSync(new URL('./fixtures/performance.json', import.meta.url), 'utf8')) as Fx;
const st = fx.stream;
const nRef = fx.nReference;
const REL = 1e-9;

describe("stratifiedShuffleSplit (scikit-learn's, numpy's legacy MT19937)", () => {
  for (const c of fx.splits) {
    it(c.case, () => assert.deepEqual(stratifiedShuffleSplit(c.y, { splits: c.nSplits, testSize: c.testSize, seed: c.seed }), c.splits));
  }

  it('refuses a class with one row and splits too small for the classes', () => {
    throwsCode(() => stratifiedShuffleSplit([0, 0, 0, 1]), 'INSUFFICIENT_DATA');
    throwsCode(() => stratifiedShuffleSplit([0, 1, 2, 0, 1, 2], { testSize: 0.1 }), 'INSUFFICIENT_DATA');
  });
});

describe("fitIsotonic / predictIsotonic (IsotonicRegression(out_of_bounds='clip'))", () => {
  for (const c of fx.isotonic) {
    it(c.case, () => {
      const model = fitIsotonic(c.x, c.y, { ...(c.yMin === null ? {} : { yMin: c.yMin }), ...(c.yMax === null ? {} : { yMax: c.yMax }) });
      closeArrays(model.xThresholds, c.xThresholds, 'X_thresholds_', 0, 0);
      closeArrays(model.yThresholds, c.yThresholds, 'y_thresholds_', REL, 1e-15);
      closeArrays(predictIsotonic(model, c.at), c.predicted, 'predict', REL, 1e-15);
    });
  }

  it('refuses empty, mismatched and NaN input', () => {
    throwsCode(() => fitIsotonic([], []), 'INSUFFICIENT_DATA');
    throwsCode(() => fitIsotonic([0.1, 0.2], [1]), 'INVALID_INPUT');
    throwsCode(() => fitIsotonic([0.1, Number.NaN], [1, 0]), 'INVALID_INPUT');
    throwsCode(() => predictIsotonic(fitIsotonic([0.1, 0.2], [0, 1]), [Number.NaN]), 'INVALID_INPUT');
  });
});

describe("calibrationCheck (NannyML's needs_calibration)", () => {
  for (const c of fx.calibrationChecks) {
    it(c.case, () => {
      const yTrue = st.yTrue.slice(0, nRef);
      const proba = st.proba.slice(0, nRef).map((p) => p ** (c.power ?? 1));
      assert.deepEqual(
        stratifiedShuffleSplit(yTrue).map((s) => s.test),
        c.tests,
      );
      const check = calibrationCheck(yTrue, proba);
      assert.equal(check.needsCalibration, c.needsCalibration);
      assert.equal(check.reason, 'ece');
      close(check.eceBefore!, c.eceBefore!, REL, 1e-15, 'ece before');
      close(check.eceAfter!, c.eceAfter!, REL, 1e-15, 'ece after');
    });
  }

  it('no calibration for a single class or scores that already separate the classes', () => {
    assert.deepEqual(calibrationCheck([1, 1, 1], [0.2, 0.5, 0.9]), { needsCalibration: false, reason: 'single-class' });
    assert.deepEqual(calibrationCheck([0, 0, 1, 1], [0.1, 0.2, 0.7, 0.8]), { needsCalibration: false, reason: 'roc-auc' });
    throwsCode(() => calibrationCheck([0, 2], [0.1, 0.2]), 'INVALID_INPUT');
    throwsCode(() => calibrationCheck([0, 1], [0.1, 1.2]), 'INVALID_INPUT');
  });
});
