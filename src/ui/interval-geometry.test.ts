import { test } from 'node:test';
import assert from 'node:assert/strict';
import { intervalGeometry, ROW_HEIGHT } from './interval-geometry.js';
import { signal } from './testing/reports.js';

test('each signal is a row: its rate a point inside its interval bar, its threshold a tick, on one 0–100% axis', () => {
  const g = intervalGeometry([signal('thumbs_down_rate'), signal('judge_pass_rate', { rate: 0.75, interval: { low: 0.5, high: 0.9 }, degraded: false }), signal('human_pass_rate', { status: 'insufficient_data', count: 3, rate: 2 / 3, interval: null, degraded: false })], 550);
  assert.equal(g.rows.length, 3);
  assert.deepEqual(
    g.rows.map((r) => r.state),
    ['degraded', 'ok', 'insufficient'],
  );
  const x = (v: number) => Math.round((g.plot.x + v * g.plot.width) * 10) / 10;
  const [down, judge, human] = g.rows;
  assert.equal(down!.point, x(10 / 12));
  assert.deepEqual(down!.bar, { x1: x(0.552), x2: x(0.953) });
  assert.equal(down!.threshold, x(0.2));
  assert.ok(down!.bar!.x1 > down!.threshold, 'the whole interval is past the threshold: degraded');
  assert.equal(judge!.threshold, x(0.7));
  assert.equal(human!.bar, null, 'no interval below min_count');
  assert.equal(human!.point, x(2 / 3));
  assert.ok(down!.y < judge!.y && judge!.y < human!.y);
  assert.equal(judge!.y - down!.y, ROW_HEIGHT);
  assert.deepEqual(
    g.xTicks.map((t) => t.label),
    ['0%', '25%', '50%', '75%', '100%'],
  );
  assert.equal(g.height, g.plot.y + 3 * ROW_HEIGHT + 24);
});

test('rates outside [0, 1] are clamped to the axis; a signal without a rate has no point', () => {
  const g = intervalGeometry([signal('thumbs_down_rate', { rate: null, interval: null, status: 'insufficient_data', count: 0 }), signal('judge_pass_rate', { interval: { low: -0.1, high: 1.2 } })], 400);
  assert.equal(g.rows[0]!.point, null);
  assert.deepEqual(g.rows[1]!.bar, { x1: g.plot.x, x2: g.plot.x + g.plot.width });
});
