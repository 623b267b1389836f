import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PASSENGERS, TITANIC_FILE, titanicV2 } from '../serving/testing/titanic.js';
import { ApiHarness, assertError } from './testing/api-harness.js';

describe('GET /api/v1/deployments/{name}/stats', () => {
  let h: ApiHarness;
  const infer = async (rows = PASSENGERS) => {
    const r = await h.app.inject({ method: 'POST', url: '/v2/models/titanic/infer', payload: titanicV2(rows), headers: { 'content-type': 'application/json' } });
    assert.equal(r.statusCode, 200, r.body);
    const label = (JSON.parse(r.body).outputs as { name: string; data: number[] }[]).find((o) => o.name === 'label')!.data;
    return { id: String(r.headers['x-pitwall-prediction-id']), label };
  };
  const stats = async (query = '') => {
    const r = await h.request('GET', `/api/v1/deployments/titanic/stats${query}`);
    assert.equal(r.status, 200, r.body);
    return r.json;
  };

  before(async () => {
    h = await ApiHarness.start();
    await h.registerFile('titanic', TITANIC_FILE);
    await h.deploy({ name: 'titanic', model: 'models:/titanic/1', config: { cost_per_request: 0.01 } });
  });
  after(() => h.close());

  it('charts requests, errors, latency percentiles and cost per version and step, from the roll-ups', async () => {
    for (let i = 0; i < 6; i++) await infer();
    const bad = await h.app.inject({ method: 'POST', url: '/v2/models/titanic/infer', payload: { inputs: [] }, headers: { 'content-type': 'application/json' } });
    assert.equal(bad.statusCode, 400);
    const s = await stats('?step=1m');
    assert.equal(s.deployment, 'titanic');
    assert.equal(s.step_seconds, 60);
    assert.equal(s.versions.length, 1);
    const v = s.versions[0];
    assert.deepEqual([v.model, v.version], ['titanic', '1']);
    assert.equal(v.points.length, (s.to - s.from) / 60_000);
    assert.equal(v.points.reduce((n: number, p: { requests: number }) => n + p.requests, 0), 7);
    const t = v.totals;
    assert.deepEqual([t.requests, t.errors_4xx, t.errors_5xx, t.error_rate], [7, 1, 0, 0]);
    // The 400 is not charged.
    assert.ok(Math.abs(t.cost_usd - 0.06) < 1e-9 && Math.abs(t.cost_per_request_usd - 0.06 / 7) < 1e-9);
    assert.ok(t.latency_ms.p50 > 0 && t.latency_ms.p50 <= t.latency_ms.p95 && t.latency_ms.p95 <= t.latency_ms.p99, JSON.stringify(t.latency_ms));
    assert.ok(t.latency_ms.mean > 0);
    assert.equal(t.performance.accuracy, null);
    // A window with no traffic: no version has roll-ups there.
    const old = await stats(`?from=${Date.now() - 7 * 86_400_000}&to=${Date.now() - 6 * 86_400_000}&step=1h`);
    assert.deepEqual(old.versions, []);
  });

  it('adds feedback rates and the accuracy and F1 of labelled predictions; a corrected label replaces its score', async () => {
    const a = await infer([PASSENGERS[0]!]);
    const b = await infer([PASSENGERS[1]!]);
    const c = await infer([PASSENGERS[2]!]);
    assert.equal((await h.request('POST', '/api/v1/feedback', { prediction_id: a.id, thumbs: 'down' })).status, 200);
    assert.equal((await h.request('POST', '/api/v1/feedback', { prediction_id: b.id, thumbs: 'up', score: 4 })).status, 200);
    // a and b labelled as predicted, c the other way.
    const labels = [
      { prediction_id: a.id, label: a.label[0] },
      { prediction_id: b.id, label: b.label[0] },
      { prediction_id: c.id, label: 1 - c.label[0]! },
    ];
    assert.equal((await h.request('POST', '/api/v1/labels', { labels })).json.accepted, 3);
    const preds = [a.label[0]!, b.label[0]!, c.label[0]!];
    const ys = [a.label[0]!, b.label[0]!, 1 - c.label[0]!];
    const tp = preds.filter((p, i) => p === 1 && ys[i] === 1).length;
    const fp = preds.filter((p, i) => p === 1 && ys[i] === 0).length;
    const fn = preds.filter((p, i) => p === 0 && ys[i] === 1).length;
    let t = (await stats()).versions[0].totals;
    assert.equal(t.feedback.count, 2);
    assert.equal(t.feedback.thumbs_down_rate, 0.5);
    assert.equal(t.feedback.mean_score, 4);
    assert.equal(t.performance.labelled, 3);
    assert.ok(Math.abs(t.performance.accuracy - 2 / 3) < 1e-12);
    assert.equal(t.performance.f1, tp + fp + fn > 0 ? (2 * tp) / (2 * tp + fp + fn) : null);
    // The label of c was wrong: given again, it replaces the old one in the counts.
    assert.equal((await h.request('POST', '/api/v1/labels', { prediction_id: c.id, label: c.label[0] })).json.accepted, 1);
    t = (await stats()).versions[0].totals;
    assert.deepEqual([t.performance.labelled, t.performance.accuracy], [3, 1]);
  });

  it('refuses a bad window naming the field, and an unknown deployment with 404', async () => {
    assertError(await h.request('GET', '/api/v1/deployments/titanic/stats?step=90s'), 400, 'INVALID_PARAMETER_VALUE', 'step');
    assertError(await h.request('GET', '/api/v1/deployments/titanic/stats?step=1m&from=0'), 400, 'INVALID_PARAMETER_VALUE', 'step');
    assertError(await h.request('GET', '/api/v1/deployments/titanic/stats?from=2026-01-02&to=2026-01-01'), 400, 'INVALID_PARAMETER_VALUE', 'from');
    assertError(await h.request('GET', '/api/v1/deployments/titanic/stats?to=soon'), 400, 'INVALID_PARAMETER_VALUE', 'to');
    assertError(await h.request('GET', '/api/v1/deployments/nope/stats'), 404, 'RESOURCE_DOES_NOT_EXIST', 'name');
  });
});
