import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agreementFacts, meanGradeText, qualityHeadline, qualityReportOf, rateText, signalThresholdText, signalTitle, signalVerdict } from './quality-report.js';
import { qualityReport, signal } from './testing/reports.js';

test('a quality report is recognised by its type and shape', () => {
  const r = qualityReport([signal('thumbs_down_rate')]);
  assert.equal(qualityReportOf({ report: r }), r);
  assert.equal(qualityReportOf({ report: { type: 'llm_quality', signals: [] } }), undefined, 'no feedback or human blocks');
  assert.equal(qualityReportOf({ report: { type: 'performance', chunks: [] } }), undefined);
  assert.equal(qualityReportOf({ report: null }), undefined);
});

test('signals read with their thresholds, rates and intervals, and verdicts', () => {
  assert.equal(signalTitle('thumbs_down_rate'), 'Thumbs-down rate');
  assert.equal(signalTitle('judge_pass_rate'), 'Judge pass rate');
  assert.equal(signalTitle('new_rate'), 'new rate');
  assert.equal(signalThresholdText(signal('thumbs_down_rate')), '> 20%');
  assert.equal(signalThresholdText(signal('human_pass_rate')), '< 70%');
  assert.equal(rateText(signal('thumbs_down_rate')), '83.3% (55.2–95.3%)');
  assert.equal(rateText(signal('human_pass_rate', { interval: null, rate: 0.5 })), '50%');
  assert.equal(rateText(signal('human_pass_rate', { interval: null, rate: null })), '—');
  assert.deepEqual(signalVerdict(signal('thumbs_down_rate')), { status: 'drifted', label: 'degraded' });
  assert.deepEqual(signalVerdict(signal('judge_pass_rate', { degraded: false })), { status: 'ok', label: 'ok' });
  assert.deepEqual(signalVerdict(signal('human_pass_rate', { status: 'insufficient_data', degraded: false })), { status: 'insufficient_data', label: 'insufficient data' });
  assert.equal(meanGradeText(2.4166), '2.42');
  assert.equal(meanGradeText(null), '—');
});

test('the headline counts degraded signals among those tested', () => {
  const insufficient = signal('human_pass_rate', { status: 'insufficient_data', degraded: false, count: 3, interval: null });
  assert.deepEqual(qualityHeadline({ signals: [signal('thumbs_down_rate'), signal('judge_pass_rate', { degraded: false }), insufficient] }), { headline: '1 of 2 signals degraded', degraded: true });
  assert.deepEqual(qualityHeadline({ signals: [signal('judge_pass_rate', { degraded: false })] }), { headline: 'No signal degraded (1 tested)', degraded: false });
  assert.equal(qualityHeadline({ signals: [insufficient] }).degraded, false);
  assert.match(qualityHeadline({ signals: [insufficient] }).headline, /^Nothing could be tested/);
});

test('agreement is its figures, or why there are none', () => {
  assert.deepEqual(agreementFacts({ pairs: 3, exact: 1 / 3, withinOne: 2 / 3, kappa: 0.1234, quadraticKappa: -0.5 }), [
    ['Pairs', '3'],
    ['Exact', '33.3%'],
    ['Within one', '66.7%'],
    ['Kappa', '0.123'],
    ['Quadratic kappa', '-0.5'],
  ]);
  assert.deepEqual(agreementFacts({ error: 'every grade is the same: kappa is undefined' }), { error: 'every grade is the same: kappa is undefined' });
  assert.match((agreementFacts(null) as { error: string }).error, /no answer has both/);
});
