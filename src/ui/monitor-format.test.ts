import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkWording,
  columnRows,
  columnVerdict,
  driftedOfTested,
  formatMinutes,
  formatRange,
  formatScore,
  monitorPath,
  monitorRunPath,
  optionsJson,
  referenceKind,
  referenceText,
  reportSummary,
  scheduleText,
  statusLabel,
  thresholdText,
  webhookOrigin,
} from './monitor-format.js';
import type { ColumnDrift } from './monitors-client.js';

const col = (column: string, extra: Partial<ColumnDrift> = {}): ColumnDrift => ({ column, kind: 'num', status: 'tested', drifted: false, reference: { count: 1, missing: 0 }, current: { count: 1, missing: 0 }, ...extra });

test('scores read with 3 significant digits, tiny p-values in exponent form', () => {
  assert.equal(formatScore(3.615505176941288e-17), '3.62e-17');
  assert.equal(formatScore(1e-5), '1e-5');
  assert.equal(formatScore(0.000123), '1.23e-4');
  assert.equal(formatScore(0.0499), '0.0499');
  assert.equal(formatScore(0.123456), '0.123');
  assert.equal(formatScore(1), '1');
  assert.equal(formatScore(0), '0');
  assert.equal(formatScore(12.3456), '12.3');
  assert.equal(formatScore(undefined), '—');
  assert.equal(formatScore(Infinity), '∞');
});

test('a threshold carries the direction its score drifts in: below for p-values, at or above for distances', () => {
  assert.equal(thresholdText({ scoreKind: 'p_value', threshold: 0.05 }), '< 0.05');
  assert.equal(thresholdText({ scoreKind: 'distance', threshold: 0.1 }), '≥ 0.1');
  assert.equal(thresholdText({ threshold: 0.05 }), '< 0.05', 'p-values are the default');
  assert.equal(thresholdText({ scoreKind: 'distance' }), '—');
});

test('a column verdict is drifted / no drift when tested, else the status that kept it from one', () => {
  assert.deepEqual(columnVerdict({ status: 'tested', drifted: true }), { status: 'drifted', label: 'drifted' });
  assert.deepEqual(columnVerdict({ status: 'tested', drifted: false }), { status: 'ok', label: 'no drift' });
  assert.deepEqual(columnVerdict({ status: 'insufficient_data', drifted: false }), { status: 'insufficient_data', label: 'insufficient data' });
  assert.deepEqual(columnVerdict({ status: 'skipped', drifted: false }), { status: 'skipped', label: 'skipped' });
  assert.equal(statusLabel('insufficient_data'), 'insufficient data');
});

test("a text column's descriptors come right under it, indented; orphans too", () => {
  const rows = columnRows([col('age'), col('review', { kind: 'text' }), col('fare'), col('review: length', { derivedFrom: 'review' }), col('review: oov_share', { derivedFrom: 'review' }), col('gone: length', { derivedFrom: 'gone' })]);
  assert.deepEqual(
    rows.map((r) => [r.column.column, r.depth]),
    [
      ['age', 0],
      ['review', 0],
      ['review: length', 1],
      ['review: oov_share', 1],
      ['fare', 0],
      ['gone: length', 1],
    ],
  );
});

test('the summary says whether the dataset drifted, N of M columns, and the share against its threshold', () => {
  assert.deepEqual(reportSummary({ tested: 5, drifted: 3, share: 0.6, driftShare: 0.5, datasetDrift: true }), { headline: 'Dataset drift detected', detail: '3 of 5 columns drifted (60% ≥ 50%)' });
  assert.deepEqual(reportSummary({ tested: 5, drifted: 1, share: 0.2, driftShare: 0.5, datasetDrift: false }), { headline: 'No dataset drift', detail: '1 of 5 columns drifted (20% < 50%)' });
  assert.deepEqual(reportSummary({ tested: 1, drifted: 0, share: 0, driftShare: 0.5, datasetDrift: false }).detail, '0 of 1 column drifted (0% < 50%)');
  assert.equal(reportSummary({ tested: 0, drifted: 0, share: 0, driftShare: 0.5, datasetDrift: false }).headline, 'Nothing could be tested');
  assert.equal(driftedOfTested({ drifted: 3, tested: 5 }), '3 / 5');
  assert.equal(driftedOfTested({ drifted: 0, tested: 0 }), '—');
});

test('a webhook shows only its origin: the path of a Slack webhook is its secret', () => {
  assert.equal(webhookOrigin('https://hooks.slack.com/services/T000/B000/XXXX'), 'https://hooks.slack.com');
  assert.equal(webhookOrigin('http://alerts.internal:9000/pitwall?token=abc'), 'http://alerts.internal:9000');
  assert.equal(webhookOrigin('https://user:pass@example.com/x'), 'https://example.com', 'no credentials either');
  assert.equal(webhookOrigin('nonsense'), '(not a URL)');
});

test('references, windows, schedules and options read as words', () => {
  assert.equal(referenceKind(null), 'none');
  assert.equal(referenceKind({ type: 'upload', format: 'csv', rows: 1234, uploadedAt: 1 }), 'upload (1,234 rows)');
  assert.equal(referenceKind({ type: 'run_artifact', runId: 'r', path: 'p' }), 'run artifact');
  assert.equal(referenceKind({ type: 'window', deployment: 'd', from: 1, to: 2 }), 'window');
  assert.match(referenceText(null), /upload one with PUT/);
  assert.equal(referenceText({ type: 'run_artifact', runId: 'abc', path: 'data/train.csv' }), 'data/train.csv of run abc');
  assert.match(referenceText({ type: 'upload', format: 'csv', rows: 38, uploadedAt: Date.UTC(2025, 0, 2) }), /^uploaded CSV, 38 rows, 2025-01-0\d /);
  assert.deepEqual([45, 60, 90, 1440, 2160].map(formatMinutes), ['45 min', '1 h', '1 h 30 min', '1 d', '1 d 12 h']);
  const t = new Date(2025, 5, 1, 10, 0, 0).getTime();
  assert.equal(formatRange(t, t + 3600_000), '2025-06-01 10:00:00 – 11:00:00');
  assert.equal(formatRange(t, t + 86_400_000), '2025-06-01 10:00:00 – 2025-06-02 10:00:00');
  assert.equal(scheduleText({ schedule: '0 * * * *', timezone: 'UTC', enabled: true }), '0 * * * * (UTC)');
  assert.equal(scheduleText({ schedule: '0 * * * *', timezone: 'UTC', enabled: false }), '0 * * * * (UTC) · paused');
  assert.equal(optionsJson({}), '{}');
  assert.equal(optionsJson({ drift_share: 0.3 }), '{\n  "drift_share": 0.3\n}');
  assert.equal(monitorPath('a b'), '/monitors/a%20b');
  assert.equal(monitorRunPath('m', '019a'), '/monitors/m/runs/019a');
});

test("each monitor type's checks are spoken of in its own terms", () => {
  assert.equal(checkWording('data').unit, 'drifted columns');
  assert.equal(checkWording('performance').unit, 'alerting chunks');
  assert.equal(checkWording('performance').header, 'Alerting / chunks');
  assert.equal(checkWording('llm_quality').unit, 'degraded signals');
  assert.equal(checkWording('llm_quality').section, 'Quality over time');
  assert.equal(checkWording('unknown' as never).unit, 'drifted columns', 'an unknown type reads as data');
});
