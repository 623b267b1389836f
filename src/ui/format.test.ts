import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, formatStep, formatValue, runDuration, formatTime } from './format.js';

test('durations read naturally at every scale', () => {
  assert.equal(formatDuration(120), '120ms');
  assert.equal(formatDuration(4200), '4.2s');
  assert.equal(formatDuration(185_000), '3m 05s');
  assert.equal(formatDuration(3_720_000), '1h 02m');
  assert.equal(formatDuration(null), '—');
});

test('run duration uses the end time, or now for a running run', () => {
  assert.equal(runDuration(1000, 5000, 'FINISHED'), 4000);
  assert.equal(runDuration(1000, undefined, 'FAILED'), null);
  const running = runDuration(Date.now() - 10_000, undefined, 'RUNNING');
  assert.ok(running !== null && running >= 10_000 && running < 20_000);
});

test('metric values keep 5 significant digits and show special values', () => {
  assert.equal(formatValue(0.123456789), '0.12346');
  assert.equal(formatValue(42), '42');
  assert.equal(formatValue(0.00001234), '1.234e-5');
  assert.equal(formatValue('NaN'), 'NaN');
  assert.equal(formatValue(Number.POSITIVE_INFINITY), '∞');
  assert.equal(formatValue(undefined), '');
});

test('times render as local date and time, missing ones as a dash', () => {
  assert.match(formatTime(Date.UTC(2024, 0, 2, 3, 4, 5)), /^2024-01-0\d \d\d:\d\d:05$/);
  assert.equal(formatTime(undefined), '—');
  assert.equal(formatTime(0), '—');
});

test('large steps are abbreviated on the axis', () => {
  assert.equal(formatStep(4500), '4500');
  assert.equal(formatStep(502_000), '502K');
  assert.equal(formatStep(1_000_000), '1M');
  assert.equal(formatStep(12_500), '12.5K');
});
