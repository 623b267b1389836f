import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '../store.js';
import type { Tag } from '../types.js';
import { type OpenStore, latestOf, metric, paramOf, rejectsWith, tagMap, tagOf, withStore } from './helpers.js';

const RUN_NAME = 'mlflow.runName';

async function setup(store: Store, tags: Tag[] = [], runName = '') {
  const experimentId = await store.experiments.create({ name: 'runs' });
  const run = await store.runs.create({ experimentId, userId: 'ada', startTime: 1_700_000_000_000, runName, tags });
  return { experimentId, run, runId: run.info.runId };
}

/** Run lifecycle, params, tags and latest metrics. Inputs/outputs and concurrency are in `run-writes.ts`. */
export function runCases(open: OpenStore): void {
  describe('runs', () => {
    it('creates a run named by run_name, and sets the mlflow.runName tag to it', () =>
      withStore(open, async (store) => {
        const { experimentId, run, runId } = await setup(store, [{ key: 'a', value: '1' }], 'named');
        assert.match(runId, /^[0-9a-f]{32}$/);
        assert.equal(run.info.runName, 'named');
        assert.equal(run.info.experimentId, experimentId);
        assert.equal(run.info.userId, 'ada');
        assert.equal(run.info.status, 'RUNNING');
        assert.equal(run.info.startTime, 1_700_000_000_000);
        assert.equal(run.info.endTime, null);
        assert.equal(run.info.lifecycleStage, 'active');
        const exp = await store.experiments.get(experimentId);
        assert.equal(run.info.artifactUri, `${exp.artifactLocation}/${runId}/artifacts`);
        assert.deepEqual(tagMap(run.data.tags), { a: '1', [RUN_NAME]: 'named' });
        assert.deepEqual(run.data.metrics, []);
        assert.deepEqual(run.data.params, []);
        assert.deepEqual(run.inputs, { datasetInputs: [], modelInputs: [] });
        assert.deepEqual(run.outputs, { modelOutputs: [] });
        assert.deepEqual(await store.runs.get(runId), run);
        assert.deepEqual(await store.runs.getInfo(runId), run.info);
      }));

    it('takes the name from the mlflow.runName tag when run_name is empty', () =>
      withStore(open, async (store) => {
        const { run } = await setup(store, [{ key: RUN_NAME, value: 'from-tag' }]);
        assert.equal(run.info.runName, 'from-tag');
        assert.equal(tagOf(run, RUN_NAME), 'from-tag');
      }));

    it('refuses a run_name that differs from the mlflow.runName tag; the same name in both is fine', () =>
      withStore(open, async (store) => {
        const experimentId = await store.experiments.create({ name: 'names' });
        await rejectsWith(
          store.runs.create({ experimentId, userId: '', startTime: 1, runName: 'a', tags: [{ key: RUN_NAME, value: 'b' }] }),
          'INVALID_PARAMETER_VALUE',
          /run_name.*mlflow\.runName/,
        );
        const same = await store.runs.create({ experimentId, userId: '', startTime: 1, runName: 'a', tags: [{ key: RUN_NAME, value: 'a' }] });
        assert.equal(same.info.runName, 'a');
        const page = await store.runs.search({ experimentIds: [experimentId], filter: [], orderBy: [], viewType: 'ALL', maxResults: 10, offset: 0 });
        assert.deepEqual(page.items.map((r) => r.info.runId), [same.info.runId], 'the refused run was not stored');
      }));

    it('generates a name when neither is given, and tags it', () =>
      withStore(open, async (store) => {
        const { experimentId, run } = await setup(store);
        assert.ok(run.info.runName.length > 0);
        assert.equal(tagOf(run, RUN_NAME), run.info.runName);
        const names = new Set<string>();
        for (let i = 0; i < 10; i++) {
          names.add((await store.runs.create({ experimentId, userId: '', startTime: 1, runName: '', tags: [] })).info.runName);
        }
        assert.ok(names.size > 1, 'generated names vary');
      }));

    it('refuses runs in unknown or deleted experiments, and answers unknown run ids with RESOURCE_DOES_NOT_EXIST', () =>
      withStore(open, async (store) => {
        await rejectsWith(store.runs.create({ experimentId: '4242', userId: '', startTime: 1, runName: '', tags: [] }), 'RESOURCE_DOES_NOT_EXIST');
        await rejectsWith(store.runs.create({ experimentId: 'x', userId: '', startTime: 1, runName: '', tags: [] }), 'RESOURCE_DOES_NOT_EXIST');
        const { experimentId } = await setup(store);
        await store.experiments.delete(experimentId);
        await rejectsWith(store.runs.create({ experimentId, userId: '', startTime: 1, runName: '', tags: [] }), 'INVALID_PARAMETER_VALUE');
        const unknown = '0123456789abcdef0123456789abcdef';
        await rejectsWith(store.runs.get(unknown), 'RESOURCE_DOES_NOT_EXIST');
        await rejectsWith(store.runs.getInfo(unknown), 'RESOURCE_DOES_NOT_EXIST');
        await rejectsWith(store.runs.update(unknown, { status: 'FINISHED' }), 'RESOURCE_DOES_NOT_EXIST');
        await rejectsWith(store.runs.delete(unknown), 'RESOURCE_DOES_NOT_EXIST');
        await rejectsWith(store.runs.restore(unknown), 'RESOURCE_DOES_NOT_EXIST');
        await rejectsWith(store.runs.logBatch(unknown, { metrics: [], params: [{ key: 'p', value: '1' }], tags: [] }), 'RESOURCE_DOES_NOT_EXIST');
        await rejectsWith(store.runs.deleteTag(unknown, 'k'), 'RESOURCE_DOES_NOT_EXIST');
        await rejectsWith(store.runs.logInputs(unknown, [], [{ modelId: 'm' }]), 'RESOURCE_DOES_NOT_EXIST');
        await rejectsWith(store.runs.logOutputs(unknown, [{ modelId: 'm', step: 0 }]), 'RESOURCE_DOES_NOT_EXIST');
        await rejectsWith(store.runs.get("' OR 1=1 --"), 'RESOURCE_DOES_NOT_EXIST');
      }));

    it('updates status, end time and name; a new name also updates the mlflow.runName tag', () =>
      withStore(open, async (store) => {
        const { runId } = await setup(store, [], 'first');
        const info = await store.runs.update(runId, { status: 'FINISHED', endTime: 1_700_000_123_456 });
        assert.equal(info.status, 'FINISHED');
        assert.equal(info.endTime, 1_700_000_123_456);
        assert.equal(info.runName, 'first');
        const renamed = await store.runs.update(runId, { runName: 'second' });
        assert.equal(renamed.runName, 'second');
        assert.equal(renamed.status, 'FINISHED');
        const run = await store.runs.get(runId);
        assert.deepEqual(run.info, renamed);
        assert.equal(tagOf(run, RUN_NAME), 'second');
        await store.runs.update(runId, { status: 'KILLED' });
        const after = await store.runs.getInfo(runId);
        assert.equal(after.status, 'KILLED');
        assert.equal(after.endTime, 1_700_000_123_456, 'fields not in the patch are kept');
        assert.equal(after.runName, 'second');
      }));

    it('a mlflow.runName tag logged later renames the run', () =>
      withStore(open, async (store) => {
        const { runId } = await setup(store, [], 'before');
        await store.runs.logBatch(runId, { metrics: [], params: [], tags: [{ key: RUN_NAME, value: 'after' }] });
        assert.equal((await store.runs.getInfo(runId)).runName, 'after');
      }));

    it('deletes and restores runs; a deleted run refuses every write', () =>
      withStore(open, async (store) => {
        const { runId } = await setup(store, [{ key: 't', value: '1' }]);
        await store.runs.logBatch(runId, { metrics: [metric('m', 1, 0, 1)], params: [{ key: 'p', value: 'v' }], tags: [] });
        await store.runs.delete(runId);
        const deleted = await store.runs.get(runId);
        assert.equal(deleted.info.lifecycleStage, 'deleted');
        assert.equal(paramOf(deleted, 'p'), 'v', 'a deleted run keeps its data');
        await rejectsWith(store.runs.logBatch(runId, { metrics: [metric('m', 2, 1, 2)], params: [], tags: [] }), 'INVALID_PARAMETER_VALUE');
        await rejectsWith(store.runs.logBatch(runId, { metrics: [], params: [{ key: 'q', value: '1' }], tags: [] }), 'INVALID_PARAMETER_VALUE');
        await rejectsWith(store.runs.logBatch(runId, { metrics: [], params: [], tags: [{ key: 't', value: '2' }] }), 'INVALID_PARAMETER_VALUE');
        await rejectsWith(store.runs.deleteTag(runId, 't'), 'INVALID_PARAMETER_VALUE');
        await rejectsWith(store.runs.update(runId, { status: 'FAILED' }), 'INVALID_PARAMETER_VALUE');
        await rejectsWith(store.runs.logInputs(runId, [], [{ modelId: 'm1' }]), 'INVALID_PARAMETER_VALUE');
        await rejectsWith(store.runs.logOutputs(runId, [{ modelId: 'm1', step: 1 }]), 'INVALID_PARAMETER_VALUE');
        const still = await store.runs.get(runId);
        assert.deepEqual(still, deleted, 'nothing changed');
        await store.runs.restore(runId);
        assert.equal((await store.runs.getInfo(runId)).lifecycleStage, 'active');
        await store.runs.logBatch(runId, { metrics: [metric('m', 2, 1, 2)], params: [], tags: [] });
        assert.equal(latestOf(await store.runs.get(runId), 'm')?.value, 2);
      }));

    it('params are immutable: the same value again is fine, a different one rolls back the whole batch', () =>
      withStore(open, async (store) => {
        const { runId } = await setup(store);
        await store.runs.logBatch(runId, { metrics: [], params: [{ key: 'lr', value: '0.1' }], tags: [] });
        await store.runs.logBatch(runId, { metrics: [], params: [{ key: 'lr', value: '0.1' }, { key: 'bs', value: '32' }], tags: [] });
        const before = await store.runs.get(runId);
        assert.deepEqual(before.data.params.map((p) => [p.key, p.value]).sort(), [['bs', '32'], ['lr', '0.1']]);
        await rejectsWith(
          store.runs.logBatch(runId, {
            metrics: [metric('loss', 0.5, 3, 10)],
            params: [{ key: 'new', value: 'x' }, { key: 'lr', value: '0.2' }],
            tags: [{ key: 'fresh', value: 'y' }, { key: RUN_NAME, value: 'renamed' }],
          }),
          'INVALID_PARAMETER_VALUE',
          /param/i,
        );
        const after = await store.runs.get(runId);
        assert.deepEqual(after, before, 'no metric, param, tag or name from the failed batch was kept');
        assert.deepEqual((await store.metrics.history(runId, 'loss', { maxResults: 10, offset: 0 })).items, []);
      }));

    it('refuses one batch naming a param twice with different values; the same value twice is fine', () =>
      withStore(open, async (store) => {
        const { runId } = await setup(store);
        await rejectsWith(
          store.runs.logBatch(runId, { metrics: [metric('m', 1, 0, 0)], params: [{ key: 'a', value: '1' }, { key: 'a', value: '2' }], tags: [{ key: 't', value: 'v' }] }),
          'INVALID_PARAMETER_VALUE',
        );
        const run = await store.runs.get(runId);
        assert.deepEqual(run.data.params, []);
        assert.deepEqual(run.data.metrics, []);
        assert.equal(tagOf(run, 't'), undefined);
        await store.runs.logBatch(runId, { metrics: [], params: [{ key: 'a', value: '1' }, { key: 'a', value: '1' }], tags: [] });
        assert.deepEqual((await store.runs.get(runId)).data.params, [{ key: 'a', value: '1' }]);
      }));

    it('keeps long and unusual values intact', () =>
      withStore(open, async (store) => {
        const { runId } = await setup(store);
        const long = 'x'.repeat(6000);
        const odd = "it's \"quoted\" \\ % _ ; -- ünïcødé ✓\nnewline";
        await store.runs.logBatch(runId, { metrics: [], params: [{ key: 'long', value: long }, { key: 'odd', value: odd }, { key: 'empty', value: '' }], tags: [{ key: 'odd', value: odd }, { key: 'big', value: 'y'.repeat(8000) }] });
        const run = await store.runs.get(runId);
        assert.equal(paramOf(run, 'long'), long);
        assert.equal(paramOf(run, 'odd'), odd);
        assert.equal(paramOf(run, 'empty'), '');
        assert.equal(tagOf(run, 'odd'), odd);
        assert.equal(tagOf(run, 'big')?.length, 8000);
      }));

    it('overwrites tags, the last value in a batch wins, and deleteTag removes one tag', () =>
      withStore(open, async (store) => {
        const { runId } = await setup(store, [{ key: 'env', value: 'dev' }, { key: 'keep', value: 'k' }], 'r');
        await store.runs.logBatch(runId, { metrics: [], params: [], tags: [{ key: 'env', value: 'staging' }] });
        await store.runs.logBatch(runId, { metrics: [], params: [], tags: [{ key: 'env', value: 'a' }, { key: 'env', value: 'prod' }] });
        assert.deepEqual(tagMap((await store.runs.get(runId)).data.tags), { env: 'prod', keep: 'k', [RUN_NAME]: 'r' });
        await store.runs.deleteTag(runId, 'env');
        assert.deepEqual(tagMap((await store.runs.get(runId)).data.tags), { keep: 'k', [RUN_NAME]: 'r' });
        await rejectsWith(store.runs.deleteTag(runId, 'env'), 'RESOURCE_DOES_NOT_EXIST');
        await rejectsWith(store.runs.deleteTag(runId, 'never'), 'RESOURCE_DOES_NOT_EXIST');
      }));

    it('reports as latest the value at the highest step, then the highest timestamp, whatever the logging order', () =>
      withStore(open, async (store) => {
        const { runId } = await setup(store);
        const log = (...ms: ReturnType<typeof metric>[]) => store.runs.logBatch(runId, { metrics: ms, params: [], tags: [] });
        await log(metric('loss', 5, 10, 100));
        await log(metric('loss', 1, 2, 999)); // lower step, later timestamp: not latest
        await log(metric('loss', 7, 10, 50)); // same step, earlier timestamp: not latest
        await log(metric('acc', 0.1, 0, 5), metric('acc', 0.9, 4, 1), metric('acc', 0.5, 3, 9)); // out of order in one batch
        let run = await store.runs.get(runId);
        assert.deepEqual(latestOf(run, 'loss'), metric('loss', 5, 10, 100));
        assert.deepEqual(latestOf(run, 'acc'), metric('acc', 0.9, 4, 1));
        await log(metric('loss', 6, 10, 101)); // same step, later timestamp: latest
        await log(metric('acc', -3, 5, 0)); // higher step, earliest timestamp: latest
        run = await store.runs.get(runId);
        assert.deepEqual(latestOf(run, 'loss'), metric('loss', 6, 10, 101));
        assert.deepEqual(latestOf(run, 'acc'), metric('acc', -3, 5, 0));
        assert.deepEqual(run.data.metrics.map((m) => m.key).sort(), ['acc', 'loss'], 'one latest value per key');
      }));

    it('stores identical metric rows once, so a re-sent batch adds nothing', () =>
      withStore(open, async (store) => {
        const { runId } = await setup(store);
        const batch = { metrics: [metric('m', 1, 0, 10), metric('m', 2, 1, 11), metric('m', 2, 1, 11), metric('m', 3, 1, 11)], params: [{ key: 'p', value: '1' }], tags: [{ key: 't', value: '1' }] };
        await store.runs.logBatch(runId, batch);
        await store.runs.logBatch(runId, batch);
        await store.runs.logBatch(runId, { metrics: [metric('m', 1, 0, 10)], params: [], tags: [] });
        const hist = (await store.metrics.history(runId, 'm', { maxResults: 100, offset: 0 })).items;
        assert.deepEqual(hist, [metric('m', 1, 0, 10), metric('m', 2, 1, 11), metric('m', 3, 1, 11)]);
        assert.deepEqual(latestOf(await store.runs.get(runId), 'm'), metric('m', 3, 1, 11));
      }));

    it('round-trips NaN, +Infinity, -Infinity and extreme doubles, and int64 steps and timestamps', () =>
      withStore(open, async (store) => {
        const { runId } = await setup(store);
        const values = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.MAX_VALUE, Number.MIN_VALUE, -1e-300, 0.1 + 0.2];
        await store.runs.logBatch(runId, { metrics: values.map((v, i) => metric('v', v, i, 1000 + i)), params: [], tags: [] });
        const hist = (await store.metrics.history(runId, 'v', { maxResults: 100, offset: 0 })).items;
        assert.deepEqual(hist.map((m) => m.value), values);
        for (const [i, v] of values.entries()) {
          await store.runs.logBatch(runId, { metrics: [metric(`k${i}`, v, 0, 1)], params: [], tags: [] });
          assert.deepEqual(latestOf(await store.runs.get(runId), `k${i}`)?.value, v, `latest ${v}`);
        }
        const big = Number.MAX_SAFE_INTEGER;
        await store.runs.logBatch(runId, { metrics: [metric('int64', 1, big, big), metric('int64', 2, -5, 0)], params: [], tags: [] });
        const ints = (await store.metrics.history(runId, 'int64', { maxResults: 10, offset: 0 })).items;
        assert.deepEqual(ints, [metric('int64', 2, -5, 0), metric('int64', 1, big, big)]);
      }));
  });
}
