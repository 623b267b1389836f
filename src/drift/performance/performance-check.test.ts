import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StatsError } from '../../stats/errors.js';
import { chunkByPeriod } from './bands.js';
import { type PerformanceRow, performanceReport } from './performance-check.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 1);

/** `n` rows in hour `h` of which the first `right` are predicted right; probabilities 0.9 / 0.1 with the prediction. */
function hour(h: number, n: number, right: number, labelled = true): PerformanceRow[] {
  return Array.from({ length: n }, (_, i) => {
    const yPred = i % 2;
    const yTrue = i < right ? yPred : 1 - yPred;
    return { time: T0 + h * HOUR + i * 1000, yPred, proba: yPred === 1 ? 0.9 : 0.1, yTrue: labelled ? yTrue : null };
  });
}

const spec = { metric: 'accuracy' as const, chunkSize: 20, chunkMinutes: 60, positiveLabel: 1, positiveIndex: 1, estimate: true };

describe('performance by time period', () => {
  it('chunkByPeriod groups time-ordered rows by UTC period and flags small ones', () => {
    const times = [T0, T0 + 10, T0 + HOUR - 1, T0 + HOUR, T0 + 3 * HOUR + 5];
    const chunks = chunkByPeriod(times, HOUR, { minSize: 2 });
    assert.deepEqual(
      chunks.map((c) => [c.key, c.start, c.end, c.tooSmall]),
      [
        [new Date(T0).toISOString(), 0, 3, false],
        [new Date(T0 + HOUR).toISOString(), 3, 4, true],
        [new Date(T0 + 3 * HOUR).toISOString(), 4, 5, true],
      ],
    );
    assert.throws(() => chunkByPeriod([2, 1], HOUR), (e: unknown) => e instanceof StatsError && e.code === 'INVALID_INPUT');
  });

  it('hourly chunks: the band from the reference hours, an alert on the hour whose accuracy fell', () => {
    const reference = [hour(0, 40, 32), hour(1, 40, 34), hour(2, 40, 30), hour(3, 40, 33)].flat();
    const current = [hour(10, 40, 33), hour(11, 40, 12), hour(12, 5, 5)].flat();
    const r = performanceReport(reference, current, spec);
    assert.equal(r.chunkMinutes, 60);
    assert.deepEqual(r.reference.chunks, [0.8, 0.85, 0.75, 0.825]);
    assert.equal(r.chunks.length, 2, 'the 5-row hour is too small to judge');
    assert.deepEqual(
      r.chunks.map((c) => [c.key, c.realized, c.alert]),
      [
        [new Date(T0 + 10 * HOUR).toISOString(), 0.825, false],
        [new Date(T0 + 11 * HOUR).toISOString(), 0.3, true],
      ],
    );
    assert.ok(r.reference.band.lower! < 0.75 && r.reference.band.upper! > 0.85);
  });

  it('unlabelled hours are judged on the CBPE estimate', () => {
    const reference = [hour(0, 40, 36), hour(1, 40, 36), hour(2, 40, 36)].flat();
    const r = performanceReport(reference, hour(5, 40, 0, false), spec);
    assert.equal(r.chunks[0]!.basis, 'estimated');
    assert.equal(r.chunks[0]!.realized, null);
    assert.ok(Math.abs(r.chunks[0]!.estimated! - 0.9) < 1e-9, String(r.chunks[0]!.estimated));
  });

  it('a reference without two chunks is insufficient data', () => {
    assert.throws(() => performanceReport(hour(0, 40, 30), hour(1, 40, 30), spec), (e: unknown) => e instanceof StatsError && e.code === 'INSUFFICIENT_DATA' && /makes 1 chunk/.test(e.message));
  });
});

describe('performance chunking stays consistent', () => {
  it('hourly chunks estimate with CBPE whatever chunk_size says', () => {
    const reference = [hour(0, 25, 22), hour(1, 25, 22), hour(2, 25, 23), hour(3, 25, 22), hour(4, 25, 21), hour(5, 25, 22)].flat();
    const r = performanceReport(reference, hour(8, 30, 0, false), { ...spec, chunkSize: 100 });
    assert.equal(r.chunkMinutes, 60);
    assert.equal(r.reference.estimateError, undefined);
    assert.equal(r.chunks[0]!.basis, 'estimated');
    assert.ok(r.chunks[0]!.estimated! > 0.8);
  });

  it('a reference without times is chunked by size, and so is the current data', () => {
    const untimed = [hour(0, 40, 32), hour(1, 40, 34), hour(2, 40, 30)].flat().map(({ time: _t, ...rest }) => rest);
    const r = performanceReport(untimed, [hour(9, 40, 33), hour(10, 40, 12)].flat(), spec);
    assert.equal(r.chunkMinutes, null);
    assert.deepEqual(
      r.chunks.map((c) => c.size),
      [20, 20, 20, 20],
    );
  });
});
