import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newPredictionId } from '../../core/ids.js';
import type { Prediction } from '../prediction-types.js';
import { type OpenStore, rejectsWith, withStore } from './helpers.js';

const T0 = 1_760_000_000_000;

function prediction(i: number, patch: Partial<Prediction> = {}): Prediction {
  const time = T0 + i * 1000;
  return {
    id: newPredictionId(time),
    time,
    deployment: 'fraud',
    model: 'fraud-model',
    version: i % 2 === 0 ? '1' : '2',
    endpoint: '/v2/models/:name/infer',
    status: 200,
    latencyMs: 1.5 + i,
    promptTokens: 0,
    completionTokens: 0,
    costUsd: 0.001 * i,
    entityKey: `customer-${i % 3}`,
    inputs: JSON.stringify({ amount: i, note: 'ünïcode' }),
    outputs: JSON.stringify({ score: i / 10 }),
    truncated: false,
    ...patch,
  };
}

/** The prediction log: batched inserts, newest-first keyset paging, filters, retention, feedback and labels. */
export function predictionCases(open: OpenStore): void {
  describe('predictions', () => {
    it('stores a batch and reads it back newest first, page by page, exactly as written', () =>
      withStore(open, async (store) => {
        const rows = Array.from({ length: 25 }, (_, i) => prediction(i));
        rows[3] = { ...rows[3]!, entityKey: null, inputs: null, outputs: null, truncated: true, status: 503 };
        await store.predictions.insert(rows);
        await store.predictions.insert(rows.slice(0, 5)); // a retried batch: nothing doubles
        assert.equal(await store.predictions.count(), 25);
        const seen: Prediction[] = [];
        let after: { time: number; id: string } | undefined;
        for (let page = 0; page < 10; page++) {
          const r = await store.predictions.list({ maxResults: 10, after });
          seen.push(...r.items);
          if (!r.next) break;
          after = r.next;
        }
        assert.deepEqual(seen, [...rows].reverse());
        assert.deepEqual(await store.predictions.get(rows[3]!.id), rows[3]);
        await rejectsWith(store.predictions.get(newPredictionId()), 'RESOURCE_DOES_NOT_EXIST', /not in the prediction log/);
      }));

    it('filters by deployment, version, status range, entity and time range', () =>
      withStore(open, async (store) => {
        const rows = Array.from({ length: 20 }, (_, i) => prediction(i, i >= 15 ? { deployment: 'chat', status: i === 19 ? 429 : 200 } : i === 4 ? { status: 504 } : {}));
        await store.predictions.insert(rows);
        const ids = async (q: Parameters<typeof store.predictions.list>[0]) => (await store.predictions.list(q)).items.map((p) => p.id);
        const pick = (f: (p: Prediction, i: number) => boolean) => rows.filter(f).map((p) => p.id).reverse();
        assert.deepEqual(await ids({ maxResults: 100, deployment: 'chat' }), pick((_, i) => i >= 15));
        assert.deepEqual(await ids({ maxResults: 100, deployment: 'fraud', version: '2' }), pick((p, i) => i < 15 && p.version === '2'));
        assert.deepEqual(await ids({ maxResults: 100, status: { min: 400, max: 599 } }), pick((p) => p.status >= 400));
        assert.deepEqual(await ids({ maxResults: 100, entityKey: 'customer-1' }), pick((p) => p.entityKey === 'customer-1'));
        assert.deepEqual(await ids({ maxResults: 100, from: T0 + 5000, to: T0 + 8000 }), pick((_, i) => i >= 5 && i < 8));
        assert.deepEqual(await store.predictions.latestForEntity('customer-2', T0 + 10_000), { id: rows[8]!.id });
        assert.equal(await store.predictions.latestForEntity('customer-2', T0 + 1000), undefined);
        assert.deepEqual(await store.predictions.existing([rows[0]!.id, 'nope', rows[1]!.id]), new Set([rows[0]!.id, rows[1]!.id]));
      }));

    it('attaches feedback and labels; the last label given wins', () =>
      withStore(open, async (store) => {
        const [a, b] = [prediction(1), prediction(2)];
        await store.predictions.insert([a, b]);
        await store.predictions.addFeedback({ id: 'f1', predictionId: a.id, time: T0 + 5, thumbs: -1, score: null, comment: 'wrong “currency”' });
        await store.predictions.addFeedback({ id: 'f2', predictionId: a.id, time: T0 + 6, thumbs: null, score: 0.25, comment: null });
        assert.deepEqual(await store.predictions.feedbackFor([a.id, b.id]), [
          { id: 'f1', predictionId: a.id, time: T0 + 5, thumbs: -1, score: null, comment: 'wrong “currency”' },
          { id: 'f2', predictionId: a.id, time: T0 + 6, thumbs: null, score: 0.25, comment: null },
        ]);
        await store.predictions.setLabels([{ predictionId: a.id, label: '0', time: T0 + 7 }, { predictionId: b.id, label: '"spam"', time: T0 + 7 }, { predictionId: a.id, label: '1', time: T0 + 8 }]);
        await store.predictions.setLabels([{ predictionId: b.id, label: '"ham"', time: T0 + 9 }]);
        const labels = (await store.predictions.labelsFor([a.id, b.id])).sort((x, y) => x.label.localeCompare(y.label));
        assert.deepEqual(labels, [
          { predictionId: b.id, label: '"ham"', time: T0 + 9 },
          { predictionId: a.id, label: '1', time: T0 + 8 },
        ]);
      }));

    it('retention deletes by age and beyond a row count, with feedback and labels', () =>
      withStore(open, async (store) => {
        const rows = Array.from({ length: 10 }, (_, i) => prediction(i));
        await store.predictions.insert(rows);
        await store.predictions.addFeedback({ id: 'f', predictionId: rows[0]!.id, time: T0, thumbs: 1, score: null, comment: null });
        await store.predictions.setLabels([{ predictionId: rows[1]!.id, label: '1', time: T0 }]);
        assert.equal(await store.predictions.deleteBefore(T0 + 2000), 2);
        assert.deepEqual(await store.predictions.feedbackFor([rows[0]!.id]), []);
        assert.deepEqual(await store.predictions.labelsFor([rows[1]!.id]), []);
        assert.equal(await store.predictions.keepNewest(5), 3);
        assert.equal(await store.predictions.keepNewest(5), 0);
        assert.deepEqual((await store.predictions.list({ maxResults: 100 })).items.map((p) => p.id), rows.slice(5).map((p) => p.id).reverse());
      }));

    it('roll-ups add up across writers and sum per version over aligned steps', () =>
      withStore(open, async (store) => {
        const m0 = 28_999_980; // epoch minutes, a multiple of 60
        const lat = (i: number, n: number) => Object.assign(new Array<number>(21).fill(0), { [i]: n });
        // Two replicas write the same minutes; one batch holds the same key twice.
        await store.predictions.addRollups([
          { deployment: 'd', model: 'm', version: '1', minute: m0, values: { requests: 3, errors_5xx: 1, latency_sum_ms: 30, cost_usd: 0.25 }, latency: lat(3, 3) },
          { deployment: 'd', model: 'm', version: '1', minute: m0, values: { requests: 1, latency_sum_ms: 5 }, latency: lat(2, 1) },
          { deployment: 'd', model: 'm', version: '2', minute: m0 + 1, values: { requests: 2, tp: 1, class_n: 2, class_correct: 1 } },
          { deployment: 'other', model: 'm', version: '1', minute: m0, values: { requests: 100 } },
        ]);
        await store.predictions.addRollups([
          { deployment: 'd', model: 'm', version: '1', minute: m0, values: { requests: 2, errors_4xx: 2, latency_sum_ms: 2000 }, latency: lat(13, 2) },
          { deployment: 'd', model: 'm', version: '1', minute: m0 + 61, values: { requests: 7, feedback_down: 1 } },
          { deployment: 'd', model: 'm', version: '2', minute: m0 + 1, values: { requests: 1, abs_err_sum: -0.5 } },
        ]);
        const perMinute = await store.predictions.rollupSeries({ deployment: 'd', from: m0, to: m0 + 120, stepMinutes: 1 });
        assert.deepEqual(perMinute.map((p) => [p.minute, p.version, p.values.requests]), [[m0, '1', 6], [m0 + 1, '2', 3], [m0 + 61, '1', 7]]);
        const first = perMinute[0]!;
        assert.deepEqual([first.values.errors_4xx, first.values.errors_5xx, first.values.latency_sum_ms, first.values.cost_usd, first.values.tp], [2, 1, 2035, 0.25, 0]);
        assert.deepEqual(first.latency, Object.assign(new Array<number>(21).fill(0), { 2: 1, 3: 3, 13: 2 }));
        assert.deepEqual([perMinute[1]!.values.tp, perMinute[1]!.values.class_correct, perMinute[1]!.values.abs_err_sum], [1, 1, -0.5]);
        const hourly = await store.predictions.rollupSeries({ deployment: 'd', from: m0, to: m0 + 120, stepMinutes: 60 });
        assert.deepEqual(hourly.map((p) => [p.minute, p.version, p.values.requests, p.values.feedback_down]), [[m0, '1', 6, 0], [m0, '2', 3, 0], [m0 + 60, '1', 7, 1]]);
        assert.deepEqual(await store.predictions.rollupSeries({ deployment: 'd', from: m0 + 2, to: m0 + 60, stepMinutes: 1 }), []);
        const ps = [prediction(1), prediction(2)];
        await store.predictions.insert(ps);
        assert.deepEqual((await store.predictions.getMany([ps[1]!.id, 'nope', ps[0]!.id])).sort((a, b) => a.time - b.time), ps);
      }));
  });
}
