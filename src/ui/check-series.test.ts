import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performanceSeries, shareOfChecks, signalSeries } from './check-series.js';
import { checkOf, chunk, qualityReport, report, signal } from './testing/reports.js';

const T = Date.UTC(2025, 5, 1, 10);
const H = 3600_000;

test("performance checks: the share of alerting chunks, and each check's latest value against the band", () => {
  const runs = [
    checkOf(T + 2 * H, report([chunk({ alert: false, value: 0.8, realized: 0.8 }), chunk({ value: 0.3, realized: 0.3 }), chunk({ value: null, realized: null, estimated: null, basis: null, alert: false })]), { tested: 2, drifted: 1 }),
    checkOf(T, report([chunk({ alert: false, value: 0.82, realized: 0.82 })]), { tested: 1, drifted: 0 }),
    checkOf(T + H, null, { tested: 0, drifted: 0 }),
  ];
  const share = shareOfChecks(runs, T);
  assert.deepEqual(share.times, [T, T + H, T + 2 * H], 'oldest first');
  assert.deepEqual(share.values, [0, null, 0.5]);
  assert.deepEqual(share.marks, [false, false, true]);
  assert.ok(share.from < T && share.to > T + 2 * H);

  const p = performanceSeries(runs, T);
  assert.equal(p.metric, 'accuracy');
  assert.deepEqual(p.values, [0.82, null, 0.3], 'the latest chunk with a value');
  assert.deepEqual(p.marks, [false, false, true]);
  assert.deepEqual(p.lower, [0.7, null, 0.7]);
  assert.deepEqual(p.upper, [0.9, null, 0.9]);
});

test("quality checks: each signal's rate where it was tested, degraded checks marked, in the newest order", () => {
  const runs = [
    checkOf(T, qualityReport([signal('thumbs_down_rate', { degraded: false, rate: 0.1 }), signal('human_pass_rate', { status: 'insufficient_data', degraded: false })]), { tested: 1, drifted: 0 }),
    checkOf(T + H, qualityReport([signal('thumbs_down_rate'), signal('judge_pass_rate', { rate: 0.4, threshold: 0.6 }), signal('human_pass_rate', { rate: 0.9, degraded: false })]), { tested: 3, drifted: 2 }),
  ];
  const s = signalSeries(runs);
  assert.deepEqual(
    s.map((x) => x.name),
    ['thumbs_down_rate', 'judge_pass_rate', 'human_pass_rate'],
  );
  assert.deepEqual(s[0]!.values, [0.1, 10 / 12]);
  assert.deepEqual(s[0]!.marks, [false, true]);
  assert.equal(s[0]!.direction, 'above');
  assert.deepEqual(s[1]!.values, [null, 0.4], 'no judge in the older check');
  assert.equal(s[1]!.threshold, 0.6);
  assert.deepEqual(s[2]!.values, [null, 0.9], 'not tested: a gap');
  assert.deepEqual(shareOfChecks(runs, T).values, [0, 2 / 3]);
  assert.deepEqual(signalSeries([]), []);
});
