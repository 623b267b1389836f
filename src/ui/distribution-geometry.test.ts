import { test } from 'node:test';
import assert from 'node:assert/strict';
import { distributionGeometry, linearTicks, percentTick } from './distribution-geometry.js';

test('a histogram: both sides over the same bins, bar heights in proportion to their shares, the current outlined as steps', () => {
  const g = distributionGeometry({ type: 'histogram', edges: [0, 10, 20, 30], reference: [0.5, 0.25, 0.25], current: [0, 0.25, 0.75] }, 354, 130);
  assert.equal(g.bins.length, 3);
  assert.deepEqual(g.plot, { x: 44, y: 8, width: 300, height: 100 });
  // The axis tops at the round tick over 0.75 (0.8): 0.5 is 62.5 px high.
  assert.equal(g.yTicks.at(-1)!.label, '80%');
  const [a, b, c] = g.bins;
  assert.equal(a!.reference.height, 62.5);
  assert.equal(a!.current.height, 0);
  assert.equal(b!.reference.height, b!.current.height, 'equal shares, equal bars');
  assert.equal(c!.current.height, 93.8);
  assert.equal(a!.reference.y + a!.reference.height, 108, 'bars stand on the axis');
  // Bins side by side across the plot, a pixel apart.
  assert.deepEqual([a!.reference.x, a!.reference.width, b!.reference.x, c!.reference.x + c!.reference.width], [44.5, 99, 144.5, 343.5]);
  assert.equal(a!.reference.x, a!.current.x, 'overlaid, not side by side');
  assert.deepEqual(g.bins.map((x) => x.label), ['[0, 10)', '[10, 20)', '[20, 30]']);
  assert.equal(g.currentStep, 'M44,108L44,108L144,108L144,76.8L244,76.8L244,14.3L344,14.3L344,108');
  assert.deepEqual(g.xTicks, [
    { at: 44, label: '0' },
    { at: 144, label: '10' },
    { at: 244, label: '20' },
    { at: 344, label: '30' },
  ]);
  assert.deepEqual(g.labels, []);
});

test('categories: grouped bars, reference then current, in slots across the plot; long names cut; many names slanted', () => {
  const g = distributionGeometry({ type: 'bars', categories: ['male', 'female'], reference: [0.4, 0.6], current: [1, 0] }, 454, 130);
  assert.equal(g.slanted, false);
  const [male, female] = g.bins;
  // Two slots of 200 px, 15 % padding each side: two bars of 70 px.
  assert.deepEqual(male!.reference, { x: 74, y: 68, width: 70, height: 40 });
  assert.deepEqual(male!.current, { x: 144, y: 8, width: 70, height: 100 });
  assert.equal(female!.reference.x, 274);
  assert.equal(female!.current.height, 0);
  assert.deepEqual(g.labels.map((l) => [l.x, l.text]), [[144, 'male'], [344, 'female']]);
  assert.equal(g.currentStep, '');

  const many = distributionGeometry({ type: 'bars', categories: Array.from({ length: 21 }, (_, i) => `a rather long category ${i}`), reference: Array(21).fill(1 / 21), current: Array(21).fill(1 / 21) }, 454, 170);
  assert.equal(many.slanted, true);
  assert.equal(many.labels[0]!.text, 'a rather lo…');
  assert.equal(many.labels[0]!.full, 'a rather long category 0');
  assert.ok(many.plot.height < 170 - 8 - 22, 'room under the plot for slanted names');
});

test('axis ticks: round values inside the range, shares as percents', () => {
  assert.deepEqual(linearTicks(0, 30, 3), [0, 10, 20, 30]);
  assert.deepEqual(linearTicks(0.42, 80, 4), [20, 40, 60, 80]);
  assert.deepEqual(linearTicks(-1.5, 1.5, 6), [-1.5, -1, -0.5, 0, 0.5, 1, 1.5]);
  assert.deepEqual(linearTicks(5, 5, 4), [5]);
  assert.deepEqual([0, 0.025, 0.4, 1].map(percentTick), ['0%', '2.5%', '40%', '100%']);
});
