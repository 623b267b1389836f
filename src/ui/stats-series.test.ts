import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StatsPoint, VersionStats } from '../sdk/monitoring-client.js';
import { seriesColor } from './palette.js';
import { chartLines, sortVersions, statsCharts, statsWindow, stepTimes, STATS_RANGES, versionLabel } from './stats-series.js';

/** A step of a version as the SDK decodes it: no traffic unless `requests` is given. */
function point(time: number, o: { requests?: number; p95?: number; cost?: number; tokens?: number; feedback?: number; accuracy?: number; mae?: number } = {}): StatsPoint {
  const n = o.requests ?? 0;
  const has = n > 0;
  return {
    time,
    requests: n,
    requestRate: n / 60,
    errors4xx: 0,
    errors5xx: 0,
    errorRate: has ? 0 : null,
    latencyMs: { p50: has ? (o.p95 ?? 10) / 2 : null, p95: has ? (o.p95 ?? 10) : null, p99: null, mean: null },
    costUsd: o.cost ?? 0,
    costPerRequestUsd: null,
    promptTokens: 0,
    completionTokens: o.tokens ?? 0,
    tokensPerSecond: (o.tokens ?? 0) / 60,
    feedback: { count: o.feedback ?? 0, rate: has ? (o.feedback ?? 0) / n : null, thumbsDownRate: o.feedback ? 1 : null, scored: 0, meanScore: null },
    performance: { labelled: o.accuracy !== undefined || o.mae !== undefined ? 1 : 0, accuracy: o.accuracy ?? null, f1: null, mae: o.mae ?? null, rmse: o.mae ?? null },
  };
}

function version(v: string, points: StatsPoint[], model = 'titanic'): VersionStats {
  const sum = (f: (p: StatsPoint) => number) => points.reduce((a, p) => a + f(p), 0);
  const totals = point(0, { requests: sum((p) => p.requests), cost: sum((p) => p.costUsd), tokens: sum((p) => p.completionTokens), feedback: sum((p) => p.feedback.count) });
  const acc = points.find((p) => p.performance.accuracy !== null)?.performance.accuracy;
  const mae = points.find((p) => p.performance.mae !== null)?.performance.mae;
  return { model, version: v, points, totals: { ...totals, performance: { labelled: 1, accuracy: acc ?? null, f1: null, mae: mae ?? null, rmse: mae ?? null } } };
}

test('each range asks for a step that gives a readable number of points, the window ending now', () => {
  const steps = Object.fromEntries(STATS_RANGES.map((r) => [r.key, r.step]));
  assert.deepEqual(steps, { '15m': '1m', '1h': '1m', '6h': '5m', '24h': '15m', '7d': '1h' });
  const stepMs = (s: string) => Number(s.slice(0, -1)) * (s.endsWith('h') ? 3_600_000 : 60_000);
  for (const r of STATS_RANGES) {
    assert.equal(r.stepMs, stepMs(r.step), r.key);
    assert.ok(r.ms / r.stepMs <= 200, `${r.key}: at most 200 points, as the server's default`);
  }
  const now = Date.UTC(2025, 0, 1, 12);
  assert.deepEqual(statsWindow('6h', now), { from: now - 6 * 3_600_000, to: now, step: '5m' });
  assert.deepEqual(statsWindow('7d', now), { from: now - 7 * 86_400_000, to: now, step: '1h' });
});

test('versions are named by model and version and keep one order, numeric within a model', () => {
  assert.equal(versionLabel({ model: 'titanic', version: '2' }), 'titanic v2');
  assert.equal(versionLabel({ model: '', version: '' }), 'no version (refused)');
  const sorted = sortVersions([
    { model: 'titanic', version: '10' },
    { model: 'b', version: '1' },
    { model: 'titanic', version: '9' },
  ]);
  assert.deepEqual(
    sorted.map(versionLabel),
    ['b v1', 'titanic v9', 'titanic v10'],
  );
});

test('a step without traffic is a gap in rates and latency, while the request rate is a real zero', () => {
  const v1 = version('1', [point(0, { requests: 6, p95: 20 }), point(60_000), point(120_000, { requests: 3 })]);
  const charts = statsCharts([v1], '1 min');
  const byId = Object.fromEntries(charts.map((c) => [c.id, c]));
  const [requests] = chartLines([v1], byId.requests!);
  assert.deepEqual(requests!.values, [0.1, 0, 0.05]);
  assert.equal(requests!.label, 'titanic v1');
  const latency = chartLines([v1], byId.latency!);
  assert.deepEqual(
    latency.map((l) => [l.label, l.dashed, l.values]),
    [
      ['titanic v1 p95', false, [20, null, 10]],
      ['titanic v1 p50', true, [10, null, 5]],
    ],
  );
  assert.deepEqual(chartLines([v1], byId['error-rate']!)[0]!.values, [0, null, 0]);
  assert.deepEqual(stepTimes([v1]), [0, 60_000, 120_000]);
  assert.deepEqual(stepTimes([]), []);
});

test('one colour per version, the same for all of its lines', () => {
  const vs = [version('1', [point(0, { requests: 1 })]), version('2', [point(0, { requests: 2 })])];
  const latency = statsCharts(vs, '1 min').find((c) => c.id === 'latency')!;
  const lines = chartLines(vs, latency);
  assert.deepEqual(
    lines.map((l) => [l.label, l.color]),
    [
      ['titanic v1 p95', seriesColor(0)],
      ['titanic v1 p50', seriesColor(0)],
      ['titanic v2 p95', seriesColor(1)],
      ['titanic v2 p50', seriesColor(1)],
    ],
  );
  assert.equal(new Set(lines.map((l) => l.key)).size, 4, 'keys are unique');
});

test('charts with nothing in the window say why; performance is accuracy, MAE / RMSE, or both', () => {
  const quiet = [version('1', [point(0, { requests: 4 })])];
  const charts = statsCharts(quiet, '5 min');
  assert.deepEqual(
    charts.map((c) => c.id),
    ['requests', 'error-rate', 'latency', 'cost', 'tokens', 'feedback', 'accuracy'],
  );
  const empty = Object.fromEntries(charts.map((c) => [c.id, c.empty]));
  assert.equal(empty.requests, undefined);
  assert.match(empty.cost!, /cost_per_request/);
  assert.match(empty.tokens!, /only LLMs/);
  assert.match(empty.feedback!, /POST \/api\/v1\/feedback/);
  assert.match(empty.accuracy!, /POST \/api\/v1\/labels/);
  assert.equal(charts.find((c) => c.id === 'cost')!.title, 'Cost (USD per 5 min)');

  const busy = [version('1', [point(0, { requests: 4, cost: 0.02, tokens: 100, feedback: 1, accuracy: 0.75 })])];
  const filled = statsCharts(busy, '1 min');
  assert.deepEqual(
    filled.filter((c) => c.empty !== undefined).map((c) => c.id),
    [],
  );
  const [acc] = chartLines(busy, filled.find((c) => c.id === 'accuracy')!);
  assert.deepEqual(acc!.values, [0.75]);

  const regression = statsCharts([version('1', [point(0, { requests: 4, mae: 1.5 })])], '1 min');
  assert.deepEqual(
    regression.slice(-1).map((c) => [c.id, c.lines.map((l) => l.suffix)]),
    [['regression-error', ['MAE', 'RMSE']]],
  );
  assert.equal(regression.find((c) => c.id === 'accuracy'), undefined, 'no empty accuracy chart beside MAE');
  const both = statsCharts([version('1', [point(0, { requests: 1, accuracy: 1 })]), version('2', [point(0, { requests: 1, mae: 2 })])], '1 min');
  assert.deepEqual(
    both.slice(-2).map((c) => c.id),
    ['accuracy', 'regression-error'],
  );
});
