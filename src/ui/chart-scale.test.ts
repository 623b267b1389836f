import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linePath, nearestIndex, niceScale, rangeScale, stepIndex, timeTicks } from './chart-scale.js';

test('a value axis starts at 0 and ends on a round tick at or above the largest value', () => {
  assert.deepEqual(niceScale(0.1667), { max: 0.2, ticks: [0, 0.05, 0.1, 0.15, 0.2] });
  assert.deepEqual(niceScale(7), { max: 8, ticks: [0, 2, 4, 6, 8] });
  assert.deepEqual(niceScale(100), { max: 100, ticks: [0, 25, 50, 75, 100] });
  assert.deepEqual(niceScale(1), { max: 1, ticks: [0, 0.25, 0.5, 0.75, 1] });
  assert.deepEqual(niceScale(0), { max: 1, ticks: [0, 0.25, 0.5, 0.75, 1] }, 'all zeros: 0 sits at the bottom of a 0–1 axis');
  assert.deepEqual(niceScale(Number.NaN).max, 1);
  const small = niceScale(0.000123);
  assert.ok(small.max >= 0.000123 && small.max <= 0.00015, String(small.max));
  assert.ok(small.ticks.every((t, i) => i === 0 || t > small.ticks[i - 1]!));
});

test('time ticks fall on round local times, as HH:MM within a day and MM-DD beyond', () => {
  const from = Date.UTC(2025, 0, 15, 10, 3, 20);
  const hour = timeTicks(from, from + 3_600_000, 5);
  assert.deepEqual(
    hour.map((t) => t.label),
    ['10:15', '10:30', '10:45', '11:00'],
  );
  assert.equal(timeTicks(from, from + 3_600_000, 6).length, 6, 'every 10 min when six fit');
  assert.equal(hour[0]!.time, Date.UTC(2025, 0, 15, 10, 15));
  // Half an hour east of a whole-hour zone: ticks are round in local time, not in UTC.
  const india = timeTicks(from, from + 3_600_000, 5, 330);
  assert.deepEqual(
    india.map((t) => t.label),
    ['15:45', '16:00', '16:15', '16:30'],
  );
  const day = timeTicks(Date.UTC(2025, 0, 15, 13), Date.UTC(2025, 0, 16, 13), 6);
  assert.deepEqual(
    day.map((t) => t.label),
    ['18:00', '01-16', '06:00', '12:00'],
    'midnight shows the date',
  );
  const week = timeTicks(Date.UTC(2025, 0, 8, 13), Date.UTC(2025, 0, 15, 13), 6);
  assert.deepEqual(
    week.map((t) => t.label),
    ['01-10', '01-12', '01-14'],
  );
  assert.ok(timeTicks(from, from + 15 * 60_000, 6).length <= 6);
  assert.deepEqual(timeTicks(from, from, 6), []);
});

test('a line breaks where data is missing, and a lone point becomes a dot', () => {
  const p = (x: number, y: number) => ({ x, y });
  assert.deepEqual(linePath([p(0, 10), p(1, 20), null, p(3, 5), null, p(5, 1), p(6, 2.25)]), {
    d: 'M0,10L1,20M5,1L6,2.3',
    dots: [p(3, 5)],
  });
  assert.deepEqual(linePath([null, null]), { d: '', dots: [] });
  assert.deepEqual(linePath([p(1, 1)]), { d: '', dots: [p(1, 1)] });
});

test('the step under the cursor is the one holding its time, clamped to the steps there are', () => {
  assert.equal(stepIndex(0, 0, 60_000, 10), 0);
  assert.equal(stepIndex(59_999, 0, 60_000, 10), 0);
  assert.equal(stepIndex(60_000, 0, 60_000, 10), 1);
  assert.equal(stepIndex(-5, 0, 60_000, 10), 0);
  assert.equal(stepIndex(99 * 60_000, 0, 60_000, 10), 9);
  assert.equal(stepIndex(0, 0, 60_000, 0), -1);
});

test('among points not evenly spaced, the cursor picks the nearest in time (the earlier on a tie)', () => {
  const times = [100, 200, 1000];
  assert.equal(nearestIndex(0, times), 0);
  assert.equal(nearestIndex(149, times), 0);
  assert.equal(nearestIndex(150, times), 0);
  assert.equal(nearestIndex(151, times), 1);
  assert.equal(nearestIndex(700, times), 2);
  assert.equal(nearestIndex(5000, times), 2);
  assert.equal(nearestIndex(5, [7]), 0);
  assert.equal(nearestIndex(5, []), -1);
});

test('a range axis need not start at 0: round ends around the values, within the limits given', () => {
  assert.deepEqual(rangeScale(0.71, 0.88), { min: 0.7, max: 0.9, ticks: [0.7, 0.75, 0.8, 0.85, 0.9] });
  assert.deepEqual(rangeScale(0.3, 1.04, 4, { min: 0, max: 1 }), { min: 0.2, max: 1, ticks: [0.2, 0.4, 0.6, 0.8, 1] }, 'capped at 1');
  const flat = rangeScale(0.5, 0.5);
  assert.ok(flat.min < 0.5 && flat.max > 0.5, JSON.stringify(flat));
  const neg = rangeScale(-0.3, 0.4, 4, { min: 0 });
  assert.equal(neg.min, 0);
  assert.equal(neg.ticks[0], 0);
  assert.deepEqual(rangeScale(3, 1).min <= 1, true, 'ends in either order');
});
