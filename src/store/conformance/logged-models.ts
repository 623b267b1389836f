import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clause, type OpenStore, order, rejectsWith, sleep, tagMap, withStore } from './helpers.js';

const page = { filter: [], orderBy: [], maxResults: 100, offset: 0, experimentIds: ['0'] };

/** MLflow 3 logged models. */
export function loggedModelCases(open: OpenStore): void {
  describe('logged models', () => {
    it('creates a pending model under the experiment artifact location, finalizes and deletes it', () =>
      withStore(open, async (store) => {
        const m = await store.loggedModels.create({ experimentId: '0', name: 'model', modelType: 'sklearn', sourceRunId: 'r1', tags: [{ key: 'a', value: '1' }], params: [{ key: 'p', value: 'x' }] });
        assert.match(m.modelId, /^m-[0-9a-f]{32}$/);
        assert.equal(m.status, 'LOGGED_MODEL_PENDING');
        assert.ok(m.artifactLocation.endsWith(`/0/models/${m.modelId}/artifacts`), m.artifactLocation);
        assert.deepEqual(tagMap(m.tags), { a: '1' });
        assert.deepEqual(m.params, [{ key: 'p', value: 'x' }]);
        assert.equal((await store.loggedModels.finalize(m.modelId, 'LOGGED_MODEL_READY')).status, 'LOGGED_MODEL_READY');
        await store.loggedModels.delete(m.modelId);
        await rejectsWith(store.loggedModels.get(m.modelId), 'RESOURCE_DOES_NOT_EXIST');
        assert.equal((await store.loggedModels.get(m.modelId, { allowDeleted: true })).lifecycleStage, 'deleted');
        await rejectsWith(store.loggedModels.get('m-0'), 'RESOURCE_DOES_NOT_EXIST');
        await rejectsWith(store.loggedModels.create({ experimentId: '999', name: 'x' }), 'RESOURCE_DOES_NOT_EXIST');
      }));

    it('sets and deletes tags, logs params and metrics', () =>
      withStore(open, async (store) => {
        const m = await store.loggedModels.create({ experimentId: '0', name: 'model' });
        await store.loggedModels.setTags(m.modelId, [{ key: 'k', value: '1' }, { key: 'k', value: '2' }]);
        await store.loggedModels.logParams(m.modelId, [{ key: 'lr', value: '0.1' }]);
        await store.loggedModels.logMetrics([{ modelId: m.modelId, key: 'acc', value: 0.8, step: 1, timestamp: 5, runId: 'r', datasetName: 'd', datasetDigest: 'x' }]);
        const got = await store.loggedModels.get(m.modelId);
        assert.deepEqual(tagMap(got.tags), { k: '2' });
        assert.deepEqual(got.params, [{ key: 'lr', value: '0.1' }]);
        assert.equal(got.metrics[0]?.value, 0.8);
        assert.equal(got.metrics[0]?.datasetName, 'd');
        await store.loggedModels.deleteTag(m.modelId, 'k');
        await rejectsWith(store.loggedModels.deleteTag(m.modelId, 'k'), 'RESOURCE_DOES_NOT_EXIST');
      }));

    it('searches by run, name, param and metric, ordered and paged', () =>
      withStore(open, async (store) => {
        const ids: string[] = [];
        for (let i = 0; i < 4; i++) {
          const m = await store.loggedModels.create({ experimentId: '0', name: i % 2 ? 'model' : 'other', sourceRunId: `r${i}`, params: [{ key: 'depth', value: String(i) }] });
          await store.loggedModels.logMetrics([{ modelId: m.modelId, key: 'acc', value: i / 10, step: 0, timestamp: 1 }]);
          ids.push(m.modelId);
          await sleep(2);
        }
        const byRun = await store.loggedModels.search({ ...page, filter: [clause('attribute', 'source_run_id', '=', 'r1'), clause('attribute', 'name', '=', 'model')] });
        assert.deepEqual(byRun.items.map((m) => m.modelId), [ids[1]]);
        const newest = await store.loggedModels.search(page);
        assert.deepEqual(newest.items.map((m) => m.modelId), [...ids].reverse());
        const byMetric = await store.loggedModels.search({ ...page, filter: [clause('metric', 'acc', '>=', 0.2)], orderBy: [order('metric', 'acc', true)] });
        assert.deepEqual(byMetric.items.map((m) => m.modelId), [ids[2], ids[3]]);
        const byParam = await store.loggedModels.search({ ...page, filter: [clause('param', 'depth', '=', '0')] });
        assert.deepEqual(byParam.items.map((m) => m.modelId), [ids[0]]);
        await store.loggedModels.logMetrics([{ modelId: ids[0]!, key: 'acc', value: 0.95, step: 1, timestamp: 2, datasetName: 'holdout', datasetDigest: 'h1' }]);
        const onHoldout = await store.loggedModels.search({ ...page, datasets: [{ name: 'holdout' }], filter: [clause('metric', 'acc', '>', 0.9)] });
        assert.deepEqual(onHoldout.items.map((m) => m.modelId), [ids[0]], 'metric clauses look only at the named datasets');
        assert.deepEqual((await store.loggedModels.search({ ...page, datasets: [{ name: 'holdout', digest: 'other' }] })).items, []);
        assert.deepEqual((await store.loggedModels.search({ ...page, datasets: [{ name: 'holdout', digest: 'h1' }] })).items.map((m) => m.modelId), [ids[0]]);
        const paged = await store.loggedModels.search({ ...page, maxResults: 3 });
        assert.equal(paged.nextOffset, 3);
        assert.deepEqual((await store.loggedModels.search({ ...page, experimentIds: ['12345'] })).items, []);
      }));
  });
}
