import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { close, throwsCode } from '../../stats/testing/distance-fixtures.js';
import {
  alertOf,
  bands,
  chunkByCount,
  chunkBySize,
  chunkSamplingError,
  confidenceBounds,
  meanStd,
  METRIC_LIMITS,
  npSum,
  regressionSamplingComponents,
  samplingError,
  type Band,
} from './bands.js';
import { mae } from './metrics.js';

type Bounds = [number, number][];
interface Fx {
  stream: { cnt: number[]; cntPred: number[] };
  bands: {
    sums: { x: number[]; sum: number; mean: number; std: number }[];
    maeChunks: Bounds;
    mae: number[];
    maeBand: Band;
    wide: Band;
    chunkers: { n: number; size: number; keep: Bounds; drop: Bounds; append: Bounds | null }[];
  };
}
const fx = JSON.parse(readFileSync(new URL('./fixtures/performance.json', import.meta.url), 'utf8')) as Fx;
const bounds = (chunks: { start: number; end: number }[]): Bounds => chunks.map((c) => [c.start, c.end]);

describe("chunkBySize / chunkByCount (NannyML's SizeBasedChunker / CountBasedChunker)", () => {
  for (const c of fx.bands.chunkers) {
    it(`${c.n} rows in chunks of ${c.size}`, () => {
      assert.deepEqual(bounds(chunkBySize(c.n, c.size)), c.keep, 'keep is the default');
      if (c.drop.length > 0) assert.deepEqual(bounds(chunkBySize(c.n, c.size, { incomplete: 'drop' })), c.drop);
      else throwsCode(() => chunkBySize(c.n, c.size, { incomplete: 'drop' }), 'INSUFFICIENT_DATA');
      if (c.append) assert.deepEqual(bounds(chunkBySize(c.n, c.size, { incomplete: 'append' })), c.append);
      else throwsCode(() => chunkBySize(c.n, c.size, { incomplete: 'append' }), 'INSUFFICIENT_DATA');
    });
  }

  it('keys, indexes and the too-small flag', () => {
    const chunks = chunkBySize(10, 4, { minSize: 3 });
    assert.deepEqual(
      chunks.map((c) => [c.index, c.key, c.size, c.tooSmall]),
      [
        [0, '[0:3]', 4, false],
        [1, '[4:7]', 4, false],
        [2, '[8:9]', 2, true],
      ],
    );
  });

  it('count-based: floor(n / count) rows per chunk, so keep may answer one more chunk', () => {
    assert.deepEqual(bounds(chunkByCount(23, 5)), [[0, 4], [4, 8], [8, 12], [12, 16], [16, 20], [20, 23]]);
    assert.deepEqual(bounds(chunkByCount(23, 5, { incomplete: 'append' })), [[0, 4], [4, 8], [8, 12], [12, 16], [16, 23]]);
    assert.equal(chunkByCount(20, 5).length, 5);
    throwsCode(() => chunkByCount(3, 5), 'INSUFFICIENT_DATA');
    throwsCode(() => chunkByCount(10, 0), 'INVALID_INPUT');
    throwsCode(() => chunkBySize(10, 2.5), 'INVALID_INPUT');
    throwsCode(() => chunkBySize(0, 3), 'INSUFFICIENT_DATA');
  });
});

describe("numpy's sum, mean and std", () => {
  for (const c of fx.bands.sums) {
    it(`${c.x.length} values, bit for bit`, () => {
      assert.equal(npSum(c.x), c.sum);
      assert.deepEqual(meanStd(c.x), { mean: c.mean, std: c.std });
    });
  }
});

describe("bands (NannyML's StandardDeviationThreshold(3, 3) with value limits) and alertOf", () => {
  it('MAE of the reference chunks: mean ± 3 std, clipped at 0 below only', () => {
    const { cnt, cntPred } = fx.stream;
    const maes = fx.bands.maeChunks.map(([a, b]) => mae(cnt.slice(a, b), cntPred.slice(a, b)));
    maes.forEach((m, i) => close(m, fx.bands.mae[i]!, 1e-12));
    const band = bands(maes, METRIC_LIMITS.mae);
    close(band.mean, fx.bands.maeBand.mean, 1e-12);
    close(band.std, fx.bands.maeBand.std, 1e-12);
    close(band.lower!, fx.bands.maeBand.lower!, 1e-12);
    close(band.upper!, fx.bands.maeBand.upper!, 1e-12);
  });

  it('clips to [0, 1] for accuracy-like metrics', () => {
    const band = bands([0.2, 0.9, 0.95, 0.99], METRIC_LIMITS.accuracy);
    assert.equal(band.upper, fx.bands.wide.upper);
    assert.equal(band.lower, fx.bands.wide.lower);
    assert.equal(band.upper, 1);
  });

  it('skips undefined chunks, allows one-sided bands and refuses too little data', () => {
    assert.deepEqual(bands([0.5, null, 0.7]), bands([0.5, 0.7]));
    assert.equal(bands([1, 2, 3], { lowerMultiplier: null }).lower, null);
    close(bands([1, 2, 3], { upperMultiplier: 1 }).upper!, 2 + Math.sqrt(2 / 3), 1e-15);
    throwsCode(() => bands([0.5]), 'INSUFFICIENT_DATA');
    throwsCode(() => bands([0.5, null]), 'INSUFFICIENT_DATA');
    throwsCode(() => bands([0.5, Number.NaN]), 'INVALID_INPUT');
  });

  it('alerts strictly outside the band; never on a null estimate', () => {
    const band = { lower: 0.6, upper: 0.9 };
    assert.equal(alertOf(0.59, band), true);
    assert.equal(alertOf(0.6, band), false);
    assert.equal(alertOf(0.9, band), false);
    assert.equal(alertOf(0.91, band), true);
    assert.equal(alertOf(null, band), false);
    assert.equal(alertOf(5, { lower: 0, upper: null }), false);
  });
});

describe('sampling errors', () => {
  it("NannyML's std / sqrt(n · fraction), and per-class variances combined", () => {
    close(samplingError({ std: 0.4, fraction: 1 }, 100)!, 0.04, 1e-15);
    close(samplingError({ std: 0.4, fraction: 0.25 }, 100)!, 0.08, 1e-15);
    const classes = [
      { variance: 0.04, fraction: 0.5 },
      { variance: 0.09, fraction: 0.25 },
    ];
    close(samplingError({ classes }, 100)!, Math.sqrt(0.04 / 50 + 0.09 / 25) / 2, 1e-15);
    assert.equal(samplingError({ std: Number.NaN, fraction: 1 }, 10), null);
    assert.deepEqual(confidenceBounds(0.95, 0.02, METRIC_LIMITS.accuracy), { lower: 0.95 - 0.06, upper: 1 });
  });

  it('the chunk-spread scaling: std of reference chunk values × sqrt(reference size / size)', () => {
    close(chunkSamplingError([0.8, 0.9, 0.85, 0.75], 100, 25), meanStd([0.8, 0.9, 0.85, 0.75]).std * 2, 1e-15);
    throwsCode(() => chunkSamplingError([0.8], 100, 25), 'INSUFFICIENT_DATA');
    throwsCode(() => chunkSamplingError([0.8, 0.9], 100, 0), 'INVALID_INPUT');
  });

  it('regression components: MAE std/sqrt(n), RMSE std/sqrt(4 n mean)', () => {
    const yTrue = [1, 2, 3, 4];
    const yPred = [1.5, 2, 2, 5];
    const abs = [0.5, 0, 1, 1];
    const sq = abs.map((x) => x * x);
    assert.deepEqual(regressionSamplingComponents('mae', yTrue, yPred), { std: meanStd(abs).std, fraction: 1 });
    assert.deepEqual(regressionSamplingComponents('rmse', yTrue, yPred), { std: meanStd(sq).std, fraction: 4 * meanStd(sq).mean });
    throwsCode(() => regressionSamplingComponents('mape', [1], []), 'INVALID_INPUT');
  });
});
