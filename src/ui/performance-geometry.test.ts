import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performanceGeometry } from './performance-geometry.js';
import { chunk, report } from './testing/reports.js';

test('reference chunks come first, then the current ones, with a divider between and the band across', () => {
  const r = report([chunk(), chunk({ realized: null, labelled: 0, value: 0.8, basis: 'estimated', alert: false }), chunk({ realized: null, labelled: 0, value: 0.82, estimated: 0.82, lowerConfidence: 0.75, upperConfidence: 0.88, basis: 'estimated', alert: false })]);
  const g = performanceGeometry(r, 600, 240);
  const step = g.plot.width / 9;
  assert.equal(g.divider, Math.round((g.plot.x + 6 * step) * 10) / 10);
  assert.deepEqual(
    g.current.map((c) => c.index),
    [6, 7, 8],
  );
  assert.ok(g.current.every((c) => c.x > g.divider!), 'current chunks right of the divider');
  assert.ok(g.sides.reference! < g.divider! && g.sides.current! > g.divider!);
  // y grows downwards: the upper threshold is above (smaller y than) the mean, the lower below it.
  assert.ok(g.upper! < g.mean && g.mean < g.lower!);
  // The first current chunk (0.25) sits far below the lower threshold; it alerts.
  assert.ok(g.current[0]!.y! > g.lower!);
  assert.equal(g.current[0]!.chunk.alert, true);
  // Six reference values: one line; the realized value alone is a dot; the estimates a line inside their shaded interval.
  assert.equal(g.reference.d.split('L').length, 6);
  assert.equal(g.realized.d, '');
  assert.equal(g.realized.dots.length, 1);
  assert.equal(g.estimated.d.split('L').length, 3);
  assert.match(g.ciArea, /^M.*Z$/);
  assert.equal(g.ciBars.length, 3);
  for (const b of g.ciBars) assert.ok(b.y1 < b.y2, 'upper confidence above lower');
  // The axis holds every value and stays within [0, 1] for accuracy.
  const labels = g.yTicks.map((t) => Number(t.label));
  assert.ok(Math.min(...labels) <= 0.25 && Math.max(...labels) <= 1, labels.join());
  assert.ok(g.yTicks.every((t) => t.at >= g.plot.y - 0.1 && t.at <= g.plot.y + g.plot.height + 0.1));
  assert.ok(g.xTicks.length >= 2 && g.xTicks[0]!.label === '0');
});

test('an error metric is not capped at 1; a side with no chunks has no divider', () => {
  const r = report([], { metric: 'mae', reference: { rows: 48, chunks: [3, 4, 5, 4], band: { lower: 1, upper: 7, mean: 4, std: 1 }, calibrated: null } });
  const g = performanceGeometry(r, 400, 200);
  assert.equal(g.divider, null);
  assert.equal(g.sides.current, null);
  assert.ok(Math.max(...g.yTicks.map((t) => Number(t.label))) >= 7);
  assert.equal(g.current.length, 0);
  assert.equal(g.ciArea, '');
});
