import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '../store.js';
import type { DatasetInput, Run } from '../types.js';
import { type OpenStore, latestOf, metric, paramOf, rejectsWith, tagMap, tagOf, withStore } from './helpers.js';

const CONTEXT = 'mlflow.data.context';

async function twoRuns(store: Store): Promise<{ experimentId: string; a: string; b: string }> {
  const experimentId = await store.experiments.create({ name: 'inputs' });
  const mk = async () => (await store.runs.create({ experimentId, userId: '', startTime: 1, runName: '', tags: [] })).info.runId;
  return { experimentId, a: await mk(), b: await mk() };
}

const train: DatasetInput = {
  tags: [{ key: CONTEXT, value: 'training' }, { key: 'split', value: 'a' }],
  dataset: { name: 'train', digest: 'd41d8cd9', sourceType: 'local', source: '{"uri": "/data/train.csv"}', schema: '{"mlflow_colspec": [{"name": "x", "type": "double"}]}', profile: '{"num_rows": 10}' },
};
const evalSet: DatasetInput = { tags: [], dataset: { name: 'eval', digest: 'e0e0', sourceType: 'http', source: 'https://example.com/eval' } };

/** Dataset inputs sorted by (name, digest), tags sorted by key: the order of inputs is not part of the contract. */
function inputsOf(run: Run): DatasetInput[] {
  return run.inputs.datasetInputs
    .map((d) => ({ ...d, tags: [...d.tags].sort((x, y) => (x.key < y.key ? -1 : 1)) }))
    .sort((x, y) => (x.dataset.name + x.dataset.digest < y.dataset.name + y.dataset.digest ? -1 : 1));
}

/** Inputs, outputs and concurrent writers. */
export function runWriteCases(open: OpenStore): void {
  describe('runs: inputs, outputs and concurrent writes', () => {
    it('logs dataset inputs with their tags, schema and profile, once per name and digest', () =>
      withStore(open, async (store) => {
        const { a, b } = await twoRuns(store);
        await store.runs.logInputs(a, [train, evalSet], []);
        await store.runs.logInputs(a, [train], []);
        let run = await store.runs.get(a);
        assert.deepEqual(inputsOf(run), [evalSet, train].map((d) => ({ ...d, tags: [...d.tags].sort((x, y) => (x.key < y.key ? -1 : 1)) })));
        assert.equal(run.inputs.datasetInputs.find((d) => d.dataset.name === 'eval')?.dataset.schema, undefined, 'absent schema stays absent');

        // The same dataset in another run of the experiment: its own input with its own context.
        await store.runs.logInputs(b, [{ tags: [{ key: CONTEXT, value: 'eval' }], dataset: train.dataset }], []);
        const runB = await store.runs.get(b);
        assert.equal(runB.inputs.datasetInputs.length, 1);
        assert.deepEqual(runB.inputs.datasetInputs[0]!.tags, [{ key: CONTEXT, value: 'eval' }]);
        assert.deepEqual(runB.inputs.datasetInputs[0]!.dataset, train.dataset);
        run = await store.runs.get(a);
        assert.deepEqual(tagMap(run.inputs.datasetInputs.find((d) => d.dataset.name === 'train')!.tags), { [CONTEXT]: 'training', split: 'a' });

        // Same name, new digest: a new dataset version, a second input.
        const v2 = { tags: [], dataset: { ...train.dataset, digest: 'ffff0000' } };
        await store.runs.logInputs(a, [v2], []);
        run = await store.runs.get(a);
        assert.deepEqual(run.inputs.datasetInputs.map((d) => `${d.dataset.name}@${d.dataset.digest}`).sort(), ['eval@e0e0', 'train@d41d8cd9', 'train@ffff0000']);
      }));

    it('logs model inputs and model outputs once each', () =>
      withStore(open, async (store) => {
        const { a, b } = await twoRuns(store);
        await store.runs.logInputs(a, [], [{ modelId: 'm-in-1' }, { modelId: 'm-in-2' }]);
        await store.runs.logInputs(a, [], [{ modelId: 'm-in-1' }]);
        await store.runs.logOutputs(a, [{ modelId: 'm-out-1', step: 5 }, { modelId: 'm-out-2', step: 0 }]);
        await store.runs.logOutputs(a, [{ modelId: 'm-out-1', step: 5 }]);
        const run = await store.runs.get(a);
        assert.deepEqual(run.inputs.modelInputs.map((m) => m.modelId).sort(), ['m-in-1', 'm-in-2']);
        assert.deepEqual([...run.outputs.modelOutputs].sort((x, y) => (x.modelId < y.modelId ? -1 : 1)), [{ modelId: 'm-out-1', step: 5 }, { modelId: 'm-out-2', step: 0 }]);
        assert.deepEqual(run.inputs.datasetInputs, []);
        const other = await store.runs.get(b);
        assert.deepEqual(other.inputs, { datasetInputs: [], modelInputs: [] });
        assert.deepEqual(other.outputs, { modelOutputs: [] });
      }));

    it('writes more rows in one call than a SQL statement can bind (12,000 tags, params and dataset tags)', () =>
      withStore(open, async (store) => {
        const many = (prefix: string) => Array.from({ length: 12_000 }, (_, i) => ({ key: `${prefix}${i}`, value: String(i) }));
        const experimentId = await store.experiments.create({ name: 'wide', tags: many('e') });
        assert.equal((await store.experiments.get(experimentId)).tags.length, 12_000);
        const run = await store.runs.create({ experimentId, userId: '', startTime: 1, runName: 'w', tags: many('t') });
        assert.equal(run.data.tags.length, 12_001);
        await store.runs.logBatch(run.info.runId, { metrics: [], params: many('p'), tags: many('u') });
        await store.runs.logInputs(run.info.runId, [{ tags: many('d'), dataset: evalSet.dataset }], []);
        const got = await store.runs.get(run.info.runId);
        assert.equal(got.data.params.length, 12_000);
        assert.equal(got.data.tags.length, 24_001);
        assert.equal(got.inputs.datasetInputs[0]!.tags.length, 12_000);
        await rejectsWith(store.runs.logBatch(run.info.runId, { metrics: [], params: [...many('p'), { key: 'p5', value: 'changed' }], tags: [] }), 'INVALID_PARAMETER_VALUE');
      }));

    it('accepts 30 concurrent logBatch calls to one run, and keeps every value', () =>
      withStore(open, async (store) => {
        const { a } = await twoRuns(store);
        const N = 30;
        const PER = 40;
        await Promise.all(
          Array.from({ length: N }, (_, i) =>
            store.runs.logBatch(a, {
              metrics: Array.from({ length: PER }, (_, j) => metric('loss', i * 1000 + j, i * PER + j, 1_000 + i)),
              params: [{ key: `p${i}`, value: String(i) }, { key: 'shared', value: 'same' }],
              tags: [{ key: `t${i}`, value: String(i) }, { key: 'last', value: String(i) }],
            }),
          ),
        );
        const run = await store.runs.get(a);
        const hist = (await store.metrics.history(a, 'loss', { maxResults: 10_000, offset: 0 })).items;
        assert.equal(hist.length, N * PER);
        assert.deepEqual(hist.map((m) => m.step), Array.from({ length: N * PER }, (_, s) => s));
        for (const m of hist) assert.equal(m.value, Math.floor(m.step / PER) * 1000 + (m.step % PER));
        assert.deepEqual(latestOf(run, 'loss'), metric('loss', (N - 1) * 1000 + PER - 1, N * PER - 1, 1_000 + N - 1));
        for (let i = 0; i < N; i++) {
          assert.equal(paramOf(run, `p${i}`), String(i));
          assert.equal(tagOf(run, `t${i}`), String(i));
        }
        assert.equal(paramOf(run, 'shared'), 'same');
        assert.ok(Number(tagOf(run, 'last')) >= 0);
      }));

    it('lets exactly one of several concurrent batches set a new param, and keeps its value', () =>
      withStore(open, async (store) => {
        const { a } = await twoRuns(store);
        const results = await Promise.allSettled(
          Array.from({ length: 10 }, (_, i) => store.runs.logBatch(a, { metrics: [metric(`m${i}`, i, 0, 0)], params: [{ key: 'seed', value: String(i) }], tags: [] })),
        );
        const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
        assert.equal(won.length, 1, `exactly one writer wins, got ${JSON.stringify(won)}`);
        for (const r of results) if (r.status === 'rejected') await rejectsWith(Promise.reject(r.reason), 'INVALID_PARAMETER_VALUE');
        const run = await store.runs.get(a);
        assert.equal(paramOf(run, 'seed'), String(won[0]));
        assert.deepEqual(run.data.metrics.map((m) => m.key), [`m${won[0]}`], "the losers' metrics were rolled back");
      }));

    it('accepts the same dataset logged concurrently to many runs of one experiment', () =>
      withStore(open, async (store) => {
        const experimentId = await store.experiments.create({ name: 'ds-race' });
        const runs = await Promise.all(Array.from({ length: 10 }, () => store.runs.create({ experimentId, userId: '', startTime: 1, runName: '', tags: [] })));
        await Promise.all(runs.map((r) => store.runs.logInputs(r.info.runId, [train], [])));
        for (const r of runs) {
          const got = await store.runs.get(r.info.runId);
          assert.equal(got.inputs.datasetInputs.length, 1);
          assert.deepEqual(got.inputs.datasetInputs[0]!.dataset, train.dataset);
        }
      }));
  });
}
