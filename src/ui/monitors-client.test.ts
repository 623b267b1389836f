import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMonitor, decodeRun, driftReportOf } from './monitors-client.js';

test('a monitor is read from the wire in camelCase, with its reference and webhooks', () => {
  const m = decodeMonitor({
    name: 'titanic-features',
    description: '',
    type: 'data',
    deployment: 'titanic',
    reference: { type: 'upload', format: 'csv', rows: 38, uploaded_at: 1700000000000 },
    schedule: '*/10 * * * *',
    timezone: 'Europe/Paris',
    window_minutes: 30,
    max_rows: 100000,
    options: { columns: ['age'], drift_share: 0.3 },
    webhooks: [{ url: 'https://hooks.slack.com/services/T/B/X', format: 'slack' }],
    enabled: false,
    quality: null,
    performance: null,
    state: 'drifted',
    created_at: 1,
    updated_at: 2,
  });
  assert.deepEqual(m.reference, { type: 'upload', format: 'csv', rows: 38, uploadedAt: 1700000000000 });
  assert.equal(m.windowMinutes, 30);
  assert.equal(m.timezone, 'Europe/Paris');
  assert.equal(m.enabled, false);
  assert.equal(m.state, 'drifted');
  assert.deepEqual(m.options, { columns: ['age'], drift_share: 0.3 });
  assert.deepEqual(m.webhooks, [{ url: 'https://hooks.slack.com/services/T/B/X', format: 'slack' }]);
  assert.deepEqual(decodeMonitor({ name: 'x', reference: { type: 'run_artifact', run_id: 'r1', path: 'data/a.csv' } }).reference, { type: 'run_artifact', runId: 'r1', path: 'data/a.csv' });
  assert.deepEqual(decodeMonitor({ name: 'x', reference: { type: 'window', deployment: 'd', from: 1, to: 2 } }).reference, { type: 'window', deployment: 'd', from: 1, to: 2 });
  assert.equal(m.current, null);
  assert.deepEqual(decodeMonitor({ name: 'x', deployment: '', current: { type: 'latest_run_artifact', experiment_id: '7', path: 'scored/batch.csv' } }).current, { experimentId: '7', path: 'scored/batch.csv' });
  const bare = decodeMonitor({ name: 'x', reference: null, state: 'weird' });
  assert.equal(bare.reference, null);
  assert.equal(bare.state, 'unknown');
  assert.equal(bare.type, 'data');
  assert.equal(bare.enabled, true);
  assert.equal(bare.quality, null);
  assert.equal(bare.performance, null);
  const q = decodeMonitor({ name: 'q', type: 'llm_quality', quality: { judge: { deployment: 'stories', sample_size: 12 }, min_count: 10 }, performance: null });
  assert.equal(q.type, 'llm_quality');
  assert.deepEqual(q.quality, { judge: { deployment: 'stories', sample_size: 12 }, min_count: 10 }, 'settings kept as given');
  assert.equal(q.performance, null);
  assert.deepEqual(decodeMonitor({ name: 'p', type: 'performance', performance: { metric: 'accuracy', chunk_size: 12 } }).performance, { metric: 'accuracy', chunk_size: 12 });
});

test('a check is read from the wire; its report only when sent, and a drift report only when it has columns', () => {
  const wire = { id: '019a', monitor: 'm', time: 10, window_from: 1, window_to: 9, status: 'drifted', reference_rows: 38, current_rows: 40, tested: 5, drifted: 3, share: 0.6, error: null, alert: 'drift', alert_error: null };
  const run = decodeRun(wire);
  assert.deepEqual(run, { id: '019a', monitor: 'm', time: 10, windowFrom: 1, windowTo: 9, status: 'drifted', referenceRows: 38, currentRows: 40, tested: 5, drifted: 3, share: 0.6, error: null, alert: 'drift', alertError: null });
  assert.equal('report' in run, false);
  const report = { columns: [], tested: 0 };
  assert.equal(driftReportOf(decodeRun({ ...wire, report })), report);
  assert.equal(driftReportOf(decodeRun({ ...wire, report: { signals: [] } })), undefined, 'an llm_quality report is no drift report');
  assert.equal(driftReportOf(decodeRun({ ...wire, report: null })), undefined);
  assert.equal(decodeRun({ ...wire, share: null, status: 'error', alert: null }).share, null);
});
