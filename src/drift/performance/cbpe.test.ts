import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { mulberry32 } from '../../stats/mmd.js';
import { close, closeArrays, throwsCode } from '../../stats/testing/distance-fixtures.js';
import type { Band } from './bands.js';
import { predictIsotonic } from './calibration.js';
import { calibrateMulticlass, estimateCbpeMulticlass, fitCbpeMulticlass } from './cbpe-multiclass.js';
import { BINARY_METRICS, estimateBinary, estimateCbpe, fitCbpe, MULTICLASS_METRICS } from './cbpe.js';

interface Expected {
  estimated: number | null;
  realized: number | null;
  samplingError: number;
  alert: boolean;
}
type ChunkFx = { start: number; end: number } & Record<string, Expected>;
interface Check {
  needsCalibration: boolean;
  reason: string;
  eceBefore?: number;
  eceAfter?: number;
  tests?: number[][];
}
interface Fx {
  stream: { yTrue: number[]; yPred: number[]; proba: number[]; y3True: string[]; y3Pred: string[]; proba3: number[][] };
  nReference: number;
  binary: { calibration: Check; calibrated: number[]; bands: Record<string, Band>; reference: ChunkFx[]; analysis: ChunkFx[] };
  multiclass: { classes: string[]; calibration: Check[]; calibrated: number[][]; bands: Record<string, Band>; analysis: ChunkFx[] };
}
const fx = JSON.parse(readFileSync(new URL('./fixtures/performance.json', import.meta.url), 'utf8')) as Fx;
const st = fx.stream;
const nRef = fx.nReference;
const chunking = { size: 30, incomplete: 'append' as const };
const REL = 1e-9;

const closeOrNull = (actual: number | null, expected: number | null, what: string): void => {
  if (expected === null) return assert.equal(actual, null, what);
  assert.notEqual(actual, null, what);
  close(actual!, expected, REL, 1e-12, what);
};
const closeBand = (actual: Band, expected: Band, what: string): void => {
  close(actual.mean, expected.mean, REL, 1e-12, `${what} mean`);
  close(actual.std, expected.std, REL, 1e-12, `${what} std`);
  closeOrNull(actual.lower, expected.lower, `${what} lower`);
  closeOrNull(actual.upper, expected.upper, `${what} upper`);
};

describe('binary CBPE on the bike-sharing stream (NannyML transcribed with numpy)', () => {
  const reference = { yTrue: st.yTrue.slice(0, nRef), yPred: st.yPred.slice(0, nRef), proba: st.proba.slice(0, nRef) };
  const model = fitCbpe(reference, { chunking });

  it('calibrates as NannyML decides and with the same isotonic fit', () => {
    assert.equal(model.check?.needsCalibration, fx.binary.calibration.needsCalibration);
    assert.ok(model.calibrator);
    closeArrays(predictIsotonic(model.calibrator, st.proba), fx.binary.calibrated, 'calibrated', REL, 1e-15);
  });

  it('bands from the realized metrics of the reference chunks', () => {
    for (const m of BINARY_METRICS) closeBand(model.bands[m], fx.binary.bands[m]!, m);
  });

  for (const period of ['reference', 'analysis'] as const) {
    it(`estimates, realized values, sampling errors and alerts per ${period} chunk`, () => {
      const rows = period === 'reference' ? reference : { yTrue: st.yTrue.slice(nRef), yPred: st.yPred.slice(nRef), proba: st.proba.slice(nRef) };
      const results = estimateCbpe(model, rows);
      assert.equal(results.length, fx.binary[period].length);
      results.forEach((r, i) => {
        const e = fx.binary[period][i]!;
        const offset = period === 'reference' ? 0 : nRef;
        assert.deepEqual([r.chunk.start + offset, r.chunk.end + offset], [e.start, e.end]);
        for (const m of BINARY_METRICS) {
          const got = r.metrics[m];
          closeOrNull(got.estimated, e[m]!.estimated, `${i} ${m} estimated`);
          closeOrNull(got.realized, e[m]!.realized, `${i} ${m} realized`);
          closeOrNull(got.samplingError, e[m]!.samplingError, `${i} ${m} sampling error`);
          assert.equal(got.alert, e[m]!.alert, `${i} ${m} alert`);
        }
      });
    });
  }

  it('estimates without labels are the same, with realized values null', () => {
    const rows = { yPred: st.yPred.slice(nRef), proba: st.proba.slice(nRef) };
    const results = estimateCbpe(model, rows);
    results.forEach((r, i) => {
      assert.equal(r.metrics.accuracy.realized, null);
      closeOrNull(r.metrics.accuracy.estimated, fx.binary.analysis[i]!.accuracy!.estimated, 'accuracy');
      const { lowerConfidence, upperConfidence, estimated, samplingError } = r.metrics.f1;
      close(upperConfidence!, Math.min(1, estimated! + 3 * samplingError!), 1e-15);
      close(lowerConfidence!, Math.max(0, estimated! - 3 * samplingError!), 1e-15);
    });
  });

  it('refuses labels other than 0/1, probabilities outside [0, 1] and a reference of one chunk', () => {
    throwsCode(() => fitCbpe({ ...reference, yTrue: reference.yTrue.map((y) => y * 2) }, { chunking }), 'INVALID_INPUT');
    throwsCode(() => fitCbpe({ ...reference, proba: reference.proba.map((p) => p + 1) }, { chunking }), 'INVALID_INPUT');
    throwsCode(() => fitCbpe(reference, { chunking: { count: 1 } }), 'INSUFFICIENT_DATA');
    throwsCode(() => estimateCbpe(model, { yPred: [1, 0], proba: [0.5] }), 'INVALID_INPUT');
    throwsCode(() => estimateBinary([], []), 'INSUFFICIENT_DATA');
  });
});

describe('multiclass CBPE on the bike-sharing stream (one-vs-rest calibration, rows normalised)', () => {
  const ref = (xs: readonly (string | number)[]) => xs.slice(0, nRef);
  const reference = { yTrue: ref(st.y3True) as string[], yPred: ref(st.y3Pred) as string[], proba: st.proba3.map((c) => c.slice(0, nRef)) };
  const model = fitCbpeMulticlass(reference, { chunking, classes: fx.multiclass.classes });

  it('decides calibration per class and normalises the calibrated rows', () => {
    assert.deepEqual(
      model.checks.map((c) => c?.needsCalibration),
      fx.multiclass.calibration.map((c) => c.needsCalibration),
    );
    model.checks.forEach((c, k) => {
      close(c!.eceBefore!, fx.multiclass.calibration[k]!.eceBefore!, REL, 1e-15);
      close(c!.eceAfter!, fx.multiclass.calibration[k]!.eceAfter!, REL, 1e-15);
    });
    calibrateMulticlass(model, st.proba3).forEach((col, k) => closeArrays(col, fx.multiclass.calibrated[k]!, `class ${k}`, REL, 1e-15));
  });

  it('takes the classes in any order', () => {
    const order = [2, 0, 1];
    const classes = order.map((k) => fx.multiclass.classes[k]!);
    const other = fitCbpeMulticlass({ ...reference, proba: order.map((k) => reference.proba[k]!) }, { chunking, classes });
    assert.deepEqual(other.classes, model.classes);
    assert.deepEqual(other.bands, model.bands);
  });

  it('bands, estimates, realized values, sampling errors and alerts per analysis chunk', () => {
    for (const m of MULTICLASS_METRICS) closeBand(model.bands[m], fx.multiclass.bands[m]!, m);
    const results = estimateCbpeMulticlass(model, { yTrue: st.y3True.slice(nRef), yPred: st.y3Pred.slice(nRef), proba: st.proba3.map((c) => c.slice(nRef)) });
    assert.equal(results.length, fx.multiclass.analysis.length);
    results.forEach((r, i) => {
      const e = fx.multiclass.analysis[i]!;
      for (const m of MULTICLASS_METRICS) {
        closeOrNull(r.metrics[m].estimated, e[m]!.estimated, `${i} ${m} estimated`);
        closeOrNull(r.metrics[m].realized, e[m]!.realized, `${i} ${m} realized`);
        closeOrNull(r.metrics[m].samplingError, e[m]!.samplingError, `${i} ${m} sampling error`);
        assert.equal(r.metrics[m].alert, e[m]!.alert, `${i} ${m} alert`);
      }
    });
  });

  it('refuses mismatched probability columns', () => {
    throwsCode(() => fitCbpeMulticlass({ ...reference, proba: reference.proba.slice(0, 2) }, { chunking, classes: fx.multiclass.classes }), 'INVALID_INPUT');
    throwsCode(() => fitCbpeMulticlass(reference, { chunking, classes: ['high', 'high', 'low'] }), 'INVALID_INPUT');
  });
});

/** Calibrated rows by construction: y ~ Bernoulli(p), the prediction p >= 0.5. */
function synthetic(seed: number, n: number, draw: (u: () => number) => number) {
  const u = mulberry32(seed);
  const proba: number[] = [];
  const yTrue: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = draw(u);
    proba.push(p);
    yTrue.push(u() < p ? 1 : 0);
  }
  return { proba, yTrue, yPred: proba.map((p) => (p >= 0.5 ? 1 : 0)) };
}
const confident = (u: () => number): number => (u() < 0.5 ? 0.02 + 0.16 * u() : 0.82 + 0.16 * u());
// Mostly confident, but every probability occurs, so the isotonic calibrator has seen the whole range.
const usual = (u: () => number): number => (u() < 0.7 ? confident(u) : 0.02 + 0.96 * u());

describe('CBPE on synthetic calibrated classifiers', () => {
  const model = fitCbpe(synthetic(1, 5000, usual), { chunking: { size: 500 } });

  it('a shift towards low-confidence rows drops the estimated accuracy below the band', () => {
    const shifted = synthetic(2, 2000, (u) => 0.35 + 0.3 * u());
    const results = estimateCbpe(model, { yPred: shifted.yPred, proba: shifted.proba });
    assert.equal(results.length, 4);
    for (const r of results) {
      const a = r.metrics.accuracy;
      assert.ok(a.estimated! < a.lower!, `estimate ${a.estimated} is below ${a.lower}`);
      assert.equal(a.alert, true);
    }
    // The same rows from the reference's distribution raise nothing.
    const same = estimateCbpe(model, synthetic(3, 2000, usual));
    assert.ok(same.every((r) => !r.metrics.accuracy.alert));
  });

  it('the estimate tracks the realized accuracy under covariate shift when the labels come', () => {
    const mixed = synthetic(4, 5000, (u) => (u() < 0.6 ? 0.3 + 0.4 * u() : confident(u)));
    const results = estimateCbpe(model, mixed);
    let gap = 0;
    for (const r of results) {
      const { estimated, realized, samplingError } = r.metrics.accuracy;
      assert.ok(Math.abs(estimated! - realized!) < 3 * samplingError!, `chunk ${r.chunk.key}: ${estimated} vs ${realized}`);
      gap += estimated! - realized!;
    }
    assert.ok(Math.abs(gap / results.length) < 0.01);
    // And the realized accuracy has really moved: the reference band no longer holds it.
    assert.ok(results.some((r) => r.metrics.accuracy.alert));
  });

  it("calibration 'always' and 'never' skip the check", () => {
    const rows = synthetic(5, 1000, confident);
    assert.equal(fitCbpe(rows, { chunking: { count: 4 }, calibration: 'never' }).calibrator, null);
    const always = fitCbpe(rows, { chunking: { count: 4 }, calibration: 'always' });
    assert.equal(always.check, null);
    assert.ok(always.calibrator);
  });
});
