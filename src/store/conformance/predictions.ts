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
  });
}
