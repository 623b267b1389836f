import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bandText, calibrationText, currentText, estimateText, formatMetric, metricTitle, performanceHeadline, performanceReportOf } from './performance-report.js';
import { chunk, report } from './testing/reports.js';

test('a performance report is recognised by its type and shape; other reports are not', () => {
  const r = report([chunk()]);
  assert.equal(performanceReportOf({ report: r }), r);
  assert.equal(performanceReportOf({ report: { type: 'llm_quality', signals: [] } }), undefined);
  assert.equal(performanceReportOf({ report: { type: 'performance', chunks: [] } }), undefined, 'no reference: not drawable');
  assert.equal(performanceReportOf({ report: null }), undefined);
  assert.equal(performanceReportOf({}), undefined);
});

test('metrics, bands and estimates read as NannyML writes them', () => {
  assert.equal(metricTitle('roc_auc'), 'ROC AUC');
  assert.equal(metricTitle('f1'), 'F1');
  assert.equal(metricTitle('something'), 'something');
  assert.equal(formatMetric(0.79666), '0.797');
  assert.equal(formatMetric(12.345), '12.3');
  assert.equal(formatMetric(null), '—');
  assert.equal(formatMetric(0), '0');
  assert.equal(bandText({ lower: 0.7, upper: 0.9, mean: 0.8, std: 0.03 }), '0.7–0.9 (mean 0.8)');
  assert.equal(bandText({ lower: null, upper: 3.2, mean: 2, std: 0.4 }), '−∞–3.2 (mean 2)');
  assert.equal(estimateText(chunk()), '0.8 (0.7–0.9)');
  assert.equal(estimateText(chunk({ estimated: null })), '—');
  assert.equal(estimateText(chunk({ lowerConfidence: null })), '0.8');
  assert.equal(currentText({ rows: 36, labelled: 24 }), '36 rows, 24 labelled (66.7%)');
  assert.equal(currentText({ rows: 0, labelled: 0 }), '0 rows, 0 labelled');
  assert.equal(calibrationText(true), 'estimates calibrated');
  assert.equal(calibrationText(false), 'estimates not calibrated');
  assert.match(calibrationText(null), /^no estimates/);
});

test('the headline counts the chunks outside the band among those judged', () => {
  assert.deepEqual(performanceHeadline({ chunks: [chunk(), chunk({ alert: false }), chunk({ value: null, basis: null, alert: false })] }), { headline: '1 of 2 chunks outside the band', alerting: true });
  assert.deepEqual(performanceHeadline({ chunks: [chunk({ alert: false })] }), { headline: 'All 1 chunk within the band', alerting: false });
  assert.deepEqual(performanceHeadline({ chunks: [] }), { headline: 'No chunk could be judged', alerting: false });
});
