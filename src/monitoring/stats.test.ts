import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Prediction } from '../store/index.js';
import { predictedValues, scoreLabel } from './label-scoring.js';
import { latencyBucket } from './rollups.js';
import { bucketQuantile, buildStats, parseStatsQuery } from './stats.js';

const pred = (outputs: unknown, patch: Partial<Prediction> = {}): Prediction => ({
  id: 'x', time: 0, deployment: 'd', model: 'm', version: '1', endpoint: '/e', status: 200, latencyMs: 1, promptTokens: 0, completionTokens: 0, costUsd: 0, entityKey: null,
  inputs: null, outputs: JSON.stringify(outputs), truncated: false, ...patch,
});

describe('label scoring', () => {
  it('reads what was predicted from V2 tensors (label output, argmax of probabilities), MLflow answers and LLM text', () => {
    assert.deepEqual(predictedValues(pred([{ name: 'probabilities', datatype: 'FP32', shape: [2, 3], data: [0.1, 0.7, 0.2, 0.5, 0.3, 0.2] }])), { values: [1, 0], regression: false });
    assert.deepEqual(predictedValues(pred([{ name: 'probabilities', datatype: 'FP32', shape: [1, 2], data: [0.4, 0.6] }, { name: 'label', datatype: 'INT64', shape: [1], data: [1] }])), { values: [1], regression: false });
    assert.deepEqual(predictedValues(pred([{ name: 'count', datatype: 'FP32', shape: [2, 1], data: [12.5, 3] }])), { values: [12.5, 3], regression: true });
    assert.deepEqual(predictedValues(pred({ label: [[1], [0]] })), { values: [1, 0], regression: false });
    assert.deepEqual(predictedValues(pred([{ label: 'spam' }, { label: 'ham' }])), { values: ['spam', 'ham'], regression: false });
    assert.deepEqual(predictedValues(pred({ variable: [2.5, 4.25] })), { values: [2.5, 4.25], regression: true });
    assert.deepEqual(predictedValues(pred({ text: ' positive\n', finish_reason: 'stop' })), { values: ['positive'], regression: false });
    assert.equal(predictedValues(pred({ a: 1 }, { truncated: true })), undefined);
    assert.equal(predictedValues(pred({ error: 'x' }, { status: 400 })), undefined);
  });

  it('scores classifications (with binary confusion counts) and regressions; a label that does not fit scores nothing', () => {
    const two = pred([{ name: 'label', datatype: 'INT64', shape: [2], data: [1, 0] }]);
    assert.deepEqual(scoreLabel(two, [1, 1]), { class_n: 2, class_correct: 1, tp: 1, fn: 1 });
    assert.deepEqual(scoreLabel(two, [false, 'false']), { class_n: 2, class_correct: 1, fp: 1 });
    assert.deepEqual(scoreLabel(pred({ label: [true] }), 1), { class_n: 1, class_correct: 1, tp: 1 });
    assert.deepEqual(scoreLabel(pred({ text: 'positive' }), 'positive'), { class_n: 1, class_correct: 1 });
    assert.deepEqual(scoreLabel(pred([{ name: 'y', datatype: 'FP64', shape: [2], data: [3, 5.5] }]), [1, 6]), { reg_n: 2, abs_err_sum: 2.5, sq_err_sum: 4.25 });
    assert.equal(scoreLabel(two, 1), undefined, 'two rows need two labels');
  });
});

describe('stats', () => {
  it('estimates quantiles inside buckets as histogram_quantile does', () => {
    // 10 requests in (2, 5] ms: the median is halfway through that bucket.
    const counts = new Array<number>(21).fill(0);
    counts[latencyBucket(3)] = 10;
    assert.equal(latencyBucket(3), 2);
    assert.equal(bucketQuantile(counts, 0.5), 3.5);
    assert.equal(bucketQuantile(counts, 1), 5);
    assert.equal(bucketQuantile(new Array<number>(21).fill(0), 0.5), null);
    counts[20] = 10;
    assert.equal(bucketQuantile(counts, 0.99), 300_000, 'the overflow bucket answers its lower bound');
  });

  it('aligns the window to the step and fills steps without traffic with zeros', () => {
    const now = Date.UTC(2026, 10, 28, 12, 34, 56);
    const w = parseStatsQuery({ step: '15m' }, now);
    assert.equal(w.stepMinutes, 15);
    assert.equal((w.from * 60_000) % (15 * 60_000), 0);
    assert.equal(w.to * 60_000, Date.UTC(2026, 10, 28, 12, 35));
    const s = buildStats([{ model: 'm', version: '1', minute: w.from + 15, values: { requests: 30, errors_5xx: 3, latency_sum_ms: 60, prompt_tokens: 0, completion_tokens: 900, cost_usd: 1.5, errors_4xx: 0, feedback_up: 0, feedback_down: 0, feedback_scored: 0, feedback_score_sum: 0, class_n: 0, class_correct: 0, tp: 0, fp: 0, fn: 0, reg_n: 2, abs_err_sum: 1, sq_err_sum: 2 }, latency: new Array<number>(21).fill(0) }], w);
    const pts = s.versions[0]!.points;
    assert.equal(pts.length, 5);
    assert.deepEqual(pts.map((p) => p.requests), [0, 30, 0, 0, 0]);
    assert.deepEqual([pts[1]!.request_rate, pts[1]!.error_rate, pts[1]!.tokens_per_second, pts[1]!.performance.mae, pts[1]!.performance.rmse], [30 / 900, 0.1, 1, 0.5, 1]);
    assert.equal(pts[0]!.error_rate, null);
    assert.equal(s.versions[0]!.totals.requests, 30);
  });
});
