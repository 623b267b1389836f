import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FeedbackRecord } from '../sdk/monitoring-client.js';
import {
  feedbackSummary,
  formatLatencyMs,
  formatNumber,
  formatPercent,
  formatPerSecond,
  formatUsd,
  payloadFull,
  payloadPreview,
  performanceText,
  requestHint,
  statusClass,
  tokensText,
} from './monitoring-format.js';

test('stats values read as people write them, and a dash where there was nothing to measure', () => {
  assert.deepEqual([0, 0.0312, 0.5, 1].map(formatPercent), ['0%', '3.12%', '50%', '100%']);
  assert.equal(formatPercent(null), '—');
  assert.deepEqual([0.4213, 12.34, 235, 1240].map(formatLatencyMs), ['0.421 ms', '12.3 ms', '235 ms', '1.24 s']);
  assert.equal(formatLatencyMs(null), '—');
  assert.deepEqual([0, 0.00123456, 0.5, 12.3, 1234.5].map(formatUsd), ['$0', '$0.00123', '$0.5', '$12.30', '$1,234.50']);
  assert.deepEqual([0, 1 / 60, 12.5, 12_345.6].map(formatPerSecond), ['0/s', '0.0167/s', '12.5/s', '12,346/s']);
  assert.deepEqual([1.23456, 1234.5].map(formatNumber), ['1.23', '1,235']);
});

test('labelled performance names what it measured and over how many labels', () => {
  assert.equal(performanceText({ labelled: 0, accuracy: null, f1: null, mae: null, rmse: null }), '—');
  assert.equal(performanceText({ labelled: 8, accuracy: 0.875, f1: 0.8, mae: null, rmse: null }), '87.5% accuracy (8 labelled)');
  assert.equal(performanceText({ labelled: 1200, accuracy: null, f1: null, mae: 1.5, rmse: 2.25 }), 'MAE 1.5 · RMSE 2.25 (1,200 labelled)');
});

test('statuses are coloured by class', () => {
  assert.deepEqual([200, 204, 400, 429, 499, 500, 503, 0].map(statusClass), ['2xx', '2xx', '4xx', '4xx', '4xx', '5xx', '5xx', 'other']);
});

test('a payload preview is one line of JSON cut at the limit, a cut payload shown as its text', () => {
  const inputs = { inputs: [{ name: 'pclass', datatype: 'INT64', shape: [3, 1], data: [3, 1, 3] }] };
  assert.deepEqual(payloadPreview(inputs), { text: JSON.stringify(inputs), cut: false });
  const long = payloadPreview({ text: 'x'.repeat(500) }, 120);
  assert.equal(Array.from(long.text).length, 120);
  assert.ok(long.text.endsWith('…'));
  assert.equal(long.cut, true);
  assert.deepEqual(payloadPreview('{"inputs": [1, 2', 120), { text: '{"inputs": [1, 2', cut: false });
  assert.deepEqual(payloadPreview(null), { text: '—', cut: false });
  // Never half an emoji.
  const emoji = payloadPreview('😀'.repeat(200), 10);
  assert.equal(emoji.text, `${'😀'.repeat(9)}…`);
});

test('a full payload is pretty-printed JSON, and cut JSON stays as it was logged', () => {
  assert.equal(payloadFull({ a: [1, 2] }), '{\n  "a": [\n    1,\n    2\n  ]\n}');
  assert.equal(payloadFull('{"a":1}'), '{\n  "a": 1\n}');
  assert.equal(payloadFull('{"a": [1, 2, 3'), '{"a": [1, 2, 3');
  assert.equal(payloadFull(undefined), '—');
});

test('feedback is counted by thumbs, with comments and scores kept', () => {
  const f = (thumbs: FeedbackRecord['thumbs'], comment: string | null = null, score: number | null = null): FeedbackRecord => ({ id: 'f', predictionId: 'p', time: 1, thumbs, score, comment });
  assert.deepEqual(feedbackSummary([f('up'), f('down', 'wrong class'), f('down'), f(null, 'meh', 3)]), { up: 1, down: 2, comments: ['wrong class', 'meh'], scores: [3] });
  assert.deepEqual(feedbackSummary([]), { up: 0, down: 0, comments: [], scores: [] });
});

test('tokens show only for models that count them, and the empty log says where to send a request', () => {
  assert.equal(tokensText(0, 0), '—');
  assert.equal(tokensText(1200, 34), '1,200 → 34');
  assert.equal(requestHint('titanic', false), 'send a request to /v2/models/titanic/infer');
  assert.equal(requestHint('stories', true), 'send a request to /v1/chat/completions with "model": "stories"');
});
