import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildChartData } from './chart-data.js';

const curve = (pairs: [number, number | string][]) => ({ points: pairs.map(([step, value]) => ({ step, value })) });

test('aligns curves with different steps on the union of steps, leaving undefined where a run has no point', () => {
  const d = buildChartData([curve([[0, 1], [10, 2]]), curve([[5, 3], [10, 4]])], { smoothing: 0, logScale: false });
  assert.deepEqual(d.steps, [0, 5, 10]);
  assert.deepEqual(d.raw, [
    [1, undefined, 2],
    [undefined, 3, 4],
  ]);
  assert.equal(d.smoothed, null);
});

test('log scale hides non-positive values as gaps and counts them', () => {
  const d = buildChartData([curve([[0, 0], [1, -2], [2, 0.5], [3, 10]])], { smoothing: 0, logScale: true });
  assert.deepEqual(d.raw[0], [null, null, 0.5, 10]);
  assert.equal(d.hiddenNonPositive, 2);
  const linear = buildChartData([curve([[0, 0], [1, -2]])], { smoothing: 0, logScale: false });
  assert.deepEqual(linear.raw[0], [0, -2]);
  assert.equal(linear.hiddenNonPositive, 0);
});

test('smoothing adds a smoothed column per curve computed on that curve alone', () => {
  const d = buildChartData([curve([[0, 2], [2, 4]]), curve([[1, 100]])], { smoothing: 0.5, logScale: false });
  assert.ok(d.smoothed);
  const s0 = d.smoothed[0]!;
  assert.equal(s0[0], 2);
  assert.equal(s0[1], undefined);
  assert.ok(Math.abs((s0[2] as number) - 10 / 3) < 1e-9);
  assert.equal(d.smoothed[1]![1], 100);
});

test('non-finite and string values from the wire become gaps', () => {
  const d = buildChartData([curve([[0, 'NaN'], [1, '1.5'], [2, 'Infinity']])], { smoothing: 0, logScale: false });
  assert.deepEqual(d.raw[0], [null, 1.5, null]);
});
