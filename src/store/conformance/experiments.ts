import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '../store.js';
import { type OpenStore, rejectsWith, sleep, tagMap, withStore } from './helpers.js';

const newRun = (store: Store, experimentId: string, runName = '') =>
  store.runs.create({ experimentId, userId: 'u', startTime: Date.now(), runName, tags: [] });

async function stageOf(store: Store, runId: string): Promise<string> {
  return (await store.runs.getInfo(runId)).lifecycleStage;
}

/** Experiment lifecycle, names and tags. Search is in `experiments-search.ts`. */
export function experimentCases(open: OpenStore): void {
  describe('experiments', () => {
    it('has experiment 0 "Default", active, findable by id and by name', () =>
      withStore(open, async (store) => {
        const e = await store.experiments.get('0');
        assert.equal(e.experimentId, '0');
        assert.equal(e.name, 'Default');
        assert.equal(e.lifecycleStage, 'active');
        assert.ok(e.artifactLocation.endsWith('0'), e.artifactLocation);
        assert.equal((await store.experiments.getByName('Default'))?.experimentId, '0');
        const page = await store.experiments.search({ filter: [], orderBy: [], viewType: 'ALL', maxResults: 100, offset: 0 });
        assert.deepEqual(page.items.map((x) => x.experimentId), ['0']);
        assert.equal(page.nextOffset, undefined);
      }));

    it('creates experiments that get and getByName return whole', () =>
      withStore(open, async (store) => {
        const before = Date.now();
        const a = await store.experiments.create({ name: 'alpha', tags: [{ key: 'team', value: 'vision' }, { key: 'k2', value: '' }] });
        const b = await store.experiments.create({ name: 'beta', artifactLocation: 's3://bucket/beta' });
        assert.match(a, /^\d+$/);
        assert.match(b, /^\d+$/);
        assert.notEqual(a, b);
        assert.notEqual(a, '0');
        const ea = await store.experiments.get(a);
        assert.equal(ea.name, 'alpha');
        assert.equal(ea.lifecycleStage, 'active');
        assert.ok(ea.artifactLocation.endsWith(`/${a}`), `default artifact location ends with the id: ${ea.artifactLocation}`);
        assert.deepEqual(tagMap(ea.tags), { team: 'vision', k2: '' });
        assert.ok(ea.creationTime >= before - 1000 && ea.creationTime <= Date.now() + 1000, `creationTime ${ea.creationTime}`);
        assert.equal(ea.lastUpdateTime, ea.creationTime);
        assert.equal((await store.experiments.get(b)).artifactLocation, 's3://bucket/beta');
        assert.deepEqual(await store.experiments.getByName('alpha'), ea);
        assert.equal(await store.experiments.getByName('ALPHA'), null, 'names are case-sensitive');
        assert.equal(await store.experiments.getByName('nope'), null);
      }));

    it('refuses unknown and malformed experiment ids with RESOURCE_DOES_NOT_EXIST', () =>
      withStore(open, async (store) => {
        for (const id of ['424242', 'abc', '', '-1', '1.5', '99999999999999999999']) {
          await rejectsWith(store.experiments.get(id), 'RESOURCE_DOES_NOT_EXIST');
        }
        await rejectsWith(store.experiments.rename('424242', 'x'), 'RESOURCE_DOES_NOT_EXIST');
        await rejectsWith(store.experiments.delete('424242'), 'RESOURCE_DOES_NOT_EXIST');
        await rejectsWith(store.experiments.restore('424242'), 'RESOURCE_DOES_NOT_EXIST');
        await rejectsWith(store.experiments.setTag('424242', { key: 'a', value: 'b' }), 'RESOURCE_DOES_NOT_EXIST');
        await rejectsWith(store.experiments.deleteTag('424242', 'a'), 'RESOURCE_DOES_NOT_EXIST');
      }));

    it('refuses a duplicate name, also the name of a deleted experiment, and stores nothing', () =>
      withStore(open, async (store) => {
        const id = await store.experiments.create({ name: 'dup' });
        await rejectsWith(store.experiments.create({ name: 'dup', tags: [{ key: 'x', value: 'y' }] }), 'RESOURCE_ALREADY_EXISTS');
        await store.experiments.delete(id);
        await rejectsWith(store.experiments.create({ name: 'dup' }), 'RESOURCE_ALREADY_EXISTS');
        const all = await store.experiments.search({ filter: [], orderBy: [], viewType: 'ALL', maxResults: 100, offset: 0 });
        assert.deepEqual(all.items.map((e) => e.name).sort(), ['Default', 'dup']);
        assert.deepEqual((await store.experiments.get(id)).tags, []);
      }));

    it('lets exactly one of several concurrent creates with the same name win', () =>
      withStore(open, async (store) => {
        const results = await Promise.allSettled(Array.from({ length: 8 }, () => store.experiments.create({ name: 'race' })));
        const won = results.filter((r) => r.status === 'fulfilled');
        assert.equal(won.length, 1);
        for (const r of results) {
          if (r.status === 'rejected') await rejectsWith(Promise.reject(r.reason), 'RESOURCE_ALREADY_EXISTS');
        }
        assert.equal((await store.experiments.getByName('race'))?.experimentId, (won[0] as PromiseFulfilledResult<string>).value);
      }));

    it('renames, and refuses a name another experiment holds', () =>
      withStore(open, async (store) => {
        const a = await store.experiments.create({ name: 'old' });
        await store.experiments.create({ name: 'taken' });
        const created = (await store.experiments.get(a)).lastUpdateTime;
        await sleep(2);
        await store.experiments.rename(a, 'new');
        const e = await store.experiments.get(a);
        assert.equal(e.name, 'new');
        assert.ok(e.lastUpdateTime > created, 'rename moves last_update_time forward');
        assert.equal(await store.experiments.getByName('old'), null);
        assert.equal((await store.experiments.getByName('new'))?.experimentId, a);
        await rejectsWith(store.experiments.rename(a, 'taken'), 'RESOURCE_ALREADY_EXISTS');
        assert.equal((await store.experiments.get(a)).name, 'new');
        await store.experiments.rename(a, 'new');
        assert.equal((await store.experiments.get(a)).name, 'new', 'renaming to its own name is a no-op');
      }));

    it('refuses to rename, tag or untag a deleted experiment', () =>
      withStore(open, async (store) => {
        const a = await store.experiments.create({ name: 'gone', tags: [{ key: 't', value: '1' }] });
        await store.experiments.delete(a);
        await rejectsWith(store.experiments.rename(a, 'other'), 'INVALID_PARAMETER_VALUE');
        await rejectsWith(store.experiments.setTag(a, { key: 't', value: '2' }), 'INVALID_PARAMETER_VALUE');
        await rejectsWith(store.experiments.deleteTag(a, 't'), 'INVALID_PARAMETER_VALUE');
        const e = await store.experiments.get(a);
        assert.equal(e.name, 'gone');
        assert.deepEqual(tagMap(e.tags), { t: '1' });
      }));

    it('deleting marks the experiment and all its runs deleted, and only its runs', () =>
      withStore(open, async (store) => {
        const a = await store.experiments.create({ name: 'doomed' });
        const other = await store.experiments.create({ name: 'bystander' });
        const runs = await Promise.all([newRun(store, a), newRun(store, a), newRun(store, a)]);
        const safe = await newRun(store, other);
        await store.experiments.delete(a);
        const e = await store.experiments.get(a);
        assert.equal(e.lifecycleStage, 'deleted');
        assert.equal((await store.experiments.getByName('doomed'))?.lifecycleStage, 'deleted', 'getByName finds deleted experiments');
        for (const r of runs) assert.equal(await stageOf(store, r.info.runId), 'deleted');
        assert.equal(await stageOf(store, safe.info.runId), 'active');
        await rejectsWith(newRun(store, a), 'INVALID_PARAMETER_VALUE');
        await rejectsWith(store.experiments.restore(other), 'INVALID_PARAMETER_VALUE');
      }));

    it('restoring brings back the runs deleted with the experiment, not runs deleted before it', async () => {
      // Deleting a run and then its experiment in the same millisecond must not confuse the two; repeat to hit that.
      for (let i = 0; i < 12; i++) {
        await withStore(open, async (store) => {
          const a = await store.experiments.create({ name: `exp-${i}` });
          const [early, withExp] = await Promise.all([newRun(store, a), newRun(store, a)]);
          await store.runs.delete(early.info.runId);
          await store.experiments.delete(a);
          await store.experiments.restore(a);
          assert.equal((await store.experiments.get(a)).lifecycleStage, 'active');
          assert.equal(await stageOf(store, withExp.info.runId), 'active', `iteration ${i}: run deleted with the experiment`);
          assert.equal(await stageOf(store, early.info.runId), 'deleted', `iteration ${i}: run deleted before the experiment`);
        });
      }
    });

    it('keeps the deletion record when a deleted experiment or run is deleted again', () =>
      withStore(open, async (store) => {
        const a = await store.experiments.create({ name: 'twice' });
        const [early, withExp] = await Promise.all([newRun(store, a), newRun(store, a)]);
        await store.runs.delete(early.info.runId);
        await sleep(2);
        await store.experiments.delete(a);
        await sleep(2);
        await store.runs.delete(early.info.runId); // already deleted: must not look as if deleted with the experiment
        await rejectsWith(store.experiments.delete(a), 'INVALID_PARAMETER_VALUE');
        await sleep(2);
        await store.experiments.restore(a);
        assert.equal(await stageOf(store, withExp.info.runId), 'active');
        assert.equal(await stageOf(store, early.info.runId), 'deleted');
      }));

    it('sets, overwrites and deletes experiment tags', () =>
      withStore(open, async (store) => {
        const a = await store.experiments.create({ name: 'tagged', tags: [{ key: 'keep', value: 'k' }] });
        await store.experiments.setTag(a, { key: 'stage', value: 'dev' });
        await store.experiments.setTag(a, { key: 'stage', value: 'prod' });
        await store.experiments.setTag(a, { key: 'empty', value: '' });
        assert.deepEqual(tagMap((await store.experiments.get(a)).tags), { keep: 'k', stage: 'prod', empty: '' });
        await store.experiments.deleteTag(a, 'stage');
        assert.deepEqual(tagMap((await store.experiments.get(a)).tags), { keep: 'k', empty: '' });
        await rejectsWith(store.experiments.deleteTag(a, 'stage'), 'RESOURCE_DOES_NOT_EXIST');
        await rejectsWith(store.experiments.deleteTag(a, 'never'), 'RESOURCE_DOES_NOT_EXIST');
        const b = await store.experiments.create({ name: 'other', tags: [{ key: 'stage', value: 'x' }] });
        await rejectsWith(store.experiments.deleteTag(a, 'stage'), 'RESOURCE_DOES_NOT_EXIST');
        assert.deepEqual(tagMap((await store.experiments.get(b)).tags), { stage: 'x' }, 'tags belong to one experiment');
      }));

    it('refuses a NUL character in text on every dialect, storing nothing', () =>
      withStore(open, async (store) => {
        await rejectsWith(store.experiments.create({ name: 'a\u0000b' }), 'INVALID_PARAMETER_VALUE', /NUL/);
        const a = await store.experiments.create({ name: 'clean' });
        await rejectsWith(store.experiments.setTag(a, { key: 't', value: 'x\u0000' }), 'INVALID_PARAMETER_VALUE', /NUL/);
        const run = await newRun(store, a);
        await rejectsWith(store.runs.logBatch(run.info.runId, { metrics: [], params: [{ key: 'p', value: '\u0000' }], tags: [] }), 'INVALID_PARAMETER_VALUE');
        assert.deepEqual((await store.experiments.get(a)).tags, []);
        assert.deepEqual((await store.runs.get(run.info.runId)).data.params, []);
        await rejectsWith(store.experiments.getByName('a\u0000b'), 'INVALID_PARAMETER_VALUE', /NUL/);
        assert.equal(await store.experiments.getByName('ab'), null);
      }));
  });
}
