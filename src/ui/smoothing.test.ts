import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emaSmooth } from './smoothing.js';

test('weight 0 returns the values unchanged', () => {
  assert.deepEqual(emaSmooth([3, 1, 4, 1, 5], 0), [3, 1, 4, 1, 5]);
});

test('the first point is de-biased to the raw value, like TensorBoard', () => {
  const out = emaSmooth([10, 10, 10], 0.9);
  for (const v of out) assert.ok(Math.abs((v as number) - 10) < 1e-9, `constant input stays constant, got ${v}`);
});

test('matches a hand-computed EMA with de-biasing', () => {
  const w = 0.5;
  // last1 = 0.5*0 + 0.5*2 = 1 → 1/(1-0.5) = 2
  // last2 = 0.5*1 + 0.5*4 = 2.5 → 2.5/(1-0.25) = 3.3333
  // last3 = 0.5*2.5 + 0.5*0 = 1.25 → 1.25/(1-0.125) = 1.428571
  const out = emaSmooth([2, 4, 0], w) as number[];
  assert.ok(Math.abs(out[0]! - 2) < 1e-9);
  assert.ok(Math.abs(out[1]! - 10 / 3) < 1e-9);
  assert.ok(Math.abs(out[2]! - 1.25 / 0.875) < 1e-9);
});

test('smoothing reduces the variance of a noisy series and keeps its mean', () => {
  const raw = Array.from({ length: 2000 }, (_, i) => 1 + (i % 2 === 0 ? 0.5 : -0.5));
  const sm = emaSmooth(raw, 0.95) as number[];
  const tail = sm.slice(1000);
  const max = Math.max(...tail);
  const min = Math.min(...tail);
  assert.ok(max - min < 0.1, `spread after smoothing is ${max - min}`);
  const mean = tail.reduce((a, b) => a + b, 0) / tail.length;
  assert.ok(Math.abs(mean - 1) < 0.01);
});

test('non-finite values and nulls pass through without poisoning later points', () => {
  const out = emaSmooth([1, Number.NaN, null, 1, Number.POSITIVE_INFINITY, 1], 0.9);
  assert.ok(Number.isNaN(out[1] as number));
  assert.equal(out[2], null);
  assert.equal(out[4], Number.POSITIVE_INFINITY);
  for (const i of [0, 3, 5]) assert.ok(Math.abs((out[i] as number) - 1) < 1e-9);
});

test('weights outside [0, 1) are clamped instead of exploding', () => {
  const out = emaSmooth([1, 2, 3], 5) as number[];
  for (const v of out) assert.ok(Number.isFinite(v) && v >= 1 && v <= 3);
  assert.deepEqual(emaSmooth([1, 2, 3], -1), [1, 2, 3]);
  assert.deepEqual(emaSmooth([], 0.5), []);
});
