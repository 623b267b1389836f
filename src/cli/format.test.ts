import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDuration, formatNumber, formatTime, runDuration, toJson } from './format.js';

describe('format', () => {
  it('formats durations in their two largest units', () => {
    assert.equal(formatDuration(850), '850ms');
    assert.equal(formatDuration(12_345), '12s');
    assert.equal(formatDuration(4_500), '4.5s');
    assert.equal(formatDuration(245_000), '4m 05s');
    assert.equal(formatDuration(7_380_000), '2h 03m');
    assert.equal(formatDuration(3 * 86_400_000 + 4 * 3_600_000), '3d 04h');
  });

  it('measures running runs against now and leaves unfinished non-running runs blank', () => {
    assert.equal(runDuration({ start_time: 1000, status: 'RUNNING' }, 61_000), '1m 00s');
    assert.equal(runDuration({ start_time: 1000, end_time: 3000, status: 'FINISHED' }), '2.0s');
    assert.equal(runDuration({ start_time: 1000, status: 'FAILED' }), '');
  });

  it('formats local times and blanks missing ones', () => {
    const t = new Date(2024, 0, 2, 3, 4, 5).getTime();
    assert.equal(formatTime(t), '2024-01-02 03:04:05');
    assert.equal(formatTime(undefined), '');
    assert.equal(formatTime(0), '');
  });

  it('prints metric values compactly with non-finite ones by name', () => {
    assert.equal(formatNumber(0.123456789), '0.123457');
    assert.equal(formatNumber(42), '42');
    assert.equal(formatNumber(1.5e-7), '1.5e-7');
    assert.equal(formatNumber(NaN), 'NaN');
    assert.equal(formatNumber(-Infinity), '-Infinity');
  });

  it('writes JSON with MLflow strings for non-finite numbers', () => {
    assert.equal(toJson({ a: NaN, b: [Infinity, -Infinity, 1] }), JSON.stringify({ a: 'NaN', b: ['Infinity', '-Infinity', 1] }, null, 2));
  });
});
