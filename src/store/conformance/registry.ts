import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '../store.js';
import { clause, type OpenStore, order, rejectsWith, tagMap, withStore } from './helpers.js';

const page = { filter: [], orderBy: [], maxResults: 100, offset: 0 };

async function withVersions(store: Store, name: string, n: number): Promise<void> {
  await store.registry.createModel({ name });
  for (let i = 0; i < n; i++) await store.registry.createVersion({ name, source: `mlflow-artifacts:/0/r${i}/artifacts/model`, storageLocation: `mlflow-artifacts:/0/r${i}/artifacts/model`, runId: `run${i}` });
}

/** Registered models, versions, aliases, stages, approvals and lineage edges. */
export function registryCases(open: OpenStore): void {
  describe('model registry', () => {
    it('creates a model with tags; a duplicate name is RESOURCE_ALREADY_EXISTS; unknown names are RESOURCE_DOES_NOT_EXIST', () =>
      withStore(open, async (store) => {
        const m = await store.registry.createModel({ name: 'titanic', description: 'd', tags: [{ key: 'team', value: 'ml' }] });
        assert.equal(m.name, 'titanic');
        assert.equal(m.description, 'd');
        assert.deepEqual(tagMap(m.tags), { team: 'ml' });
        assert.deepEqual(m.latestVersions, []);
        await rejectsWith(store.registry.createModel({ name: 'titanic' }), 'RESOURCE_ALREADY_EXISTS');
        await rejectsWith(store.registry.getModel('nope'), 'RESOURCE_DOES_NOT_EXIST');
        await rejectsWith(store.registry.createVersion({ name: 'nope', source: 's', storageLocation: 's' }), 'RESOURCE_DOES_NOT_EXIST');
      }));

    it('numbers versions 1, 2, 3 and never reuses a number after a delete', () =>
      withStore(open, async (store) => {
        await withVersions(store, 'm', 3);
        await store.registry.deleteVersion('m', '3');
        const v = await store.registry.createVersion({ name: 'm', source: 's', storageLocation: 's' });
        assert.equal(v.version, '4');
        assert.equal(v.currentStage, 'None');
        assert.equal(v.status, 'READY');
        await rejectsWith(store.registry.getVersion('m', '3'), 'RESOURCE_DOES_NOT_EXIST');
        await rejectsWith(store.registry.getVersion('m', 'x'), 'RESOURCE_DOES_NOT_EXIST');
        const nums = (await store.registry.searchVersions({ ...page, filter: [clause('attribute', 'name', '=', 'm')] })).items.map((x) => x.version).sort();
        assert.deepEqual(nums, ['1', '2', '4']);
      }));

    it('hands out distinct numbers to concurrent registrations', () =>
      withStore(open, async (store) => {
        await store.registry.createModel({ name: 'c' });
        const vs = await Promise.all(Array.from({ length: 20 }, () => store.registry.createVersion({ name: 'c', source: 's', storageLocation: 's' })));
        assert.deepEqual(vs.map((v) => Number(v.version)).sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i + 1));
      }));

    it('moves aliases atomically, resolves them, and drops them with their version', () =>
      withStore(open, async (store) => {
        await withVersions(store, 'm', 2);
        await store.registry.setAlias('m', 'champion', '1');
        assert.equal((await store.registry.getVersionByAlias('m', 'champion')).version, '1');
        await store.registry.setAlias('m', 'champion', '2');
        const v2 = await store.registry.getVersionByAlias('m', 'champion');
        assert.equal(v2.version, '2');
        assert.deepEqual(v2.aliases, ['champion']);
        assert.deepEqual((await store.registry.getVersion('m', '1')).aliases, []);
        assert.deepEqual((await store.registry.getModel('m')).aliases, [{ alias: 'champion', version: '2' }]);
        await rejectsWith(store.registry.setAlias('m', 'x', '9'), 'RESOURCE_DOES_NOT_EXIST');
        await rejectsWith(store.registry.getVersionByAlias('m', 'nope'), 'RESOURCE_DOES_NOT_EXIST');
        await store.registry.deleteVersion('m', '2');
        await rejectsWith(store.registry.getVersionByAlias('m', 'champion'), 'RESOURCE_DOES_NOT_EXIST');
        await store.registry.deleteAlias('m', 'absent');
      }));

    it('announces committed registry changes to subscribers, in order', () =>
      withStore(open, async (store) => {
        const seen: string[] = [];
        const off = store.changes.subscribe((e) => {
          if (e.entity !== 'resync') seen.push(`${e.entity}:${e.action}:${'version' in e ? (e.version ?? '') : ''}`);
        });
        await store.changes.ready();
        await withVersions(store, 'feed', 2);
        await store.registry.setAlias('feed', 'champion', '2');
        await rejectsWith(store.registry.setAlias('feed', 'champion', '9'), 'RESOURCE_DOES_NOT_EXIST');
        await store.registry.deleteAlias('feed', 'champion');
        await store.registry.deleteVersion('feed', '1');
        const expected = ['registered_model:created:', 'model_version:created:1', 'model_version:created:2', 'alias:set:2', 'alias:deleted:', 'model_version:deleted:1'];
        const deadline = Date.now() + 2000;
        while (seen.length < expected.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
        off();
        assert.deepEqual(seen, expected, 'a refused write announces nothing');
      }));

    it('moves aliases while versions are deleted concurrently: only not-found refusals, never a stale alias', () =>
      withStore(open, async (store) => {
        await withVersions(store, 'race', 40);
        const ops: Promise<unknown>[] = [];
        for (let i = 1; i <= 40; i++) {
          ops.push(store.registry.setAlias('race', 'champion', String(i)));
          if (i % 2 === 0) ops.push(store.registry.deleteVersion('race', String(i - 1)));
        }
        const results = await Promise.allSettled(ops);
        for (const r of results) {
          if (r.status === 'rejected') assert.equal((r.reason as { code?: string }).code, 'RESOURCE_DOES_NOT_EXIST', String(r.reason));
        }
        const m = await store.registry.getModel('race');
        const left = (await store.registry.searchVersions({ ...page, filter: [clause('attribute', 'name', '=', 'race')] })).items.map((v) => v.version);
        for (const a of m.aliases) assert.ok(left.includes(a.version), `alias ${a.alias} -> ${a.version} points at a live version`);
        assert.equal(left.length, 20);
      }));

    it('renames a model with its versions, tags, aliases and approvals', () =>
      withStore(open, async (store) => {
        await withVersions(store, 'old', 2);
        await store.registry.setModelTag('old', { key: 'k', value: 'v' });
        await store.registry.setVersionTag('old', '2', { key: 'vk', value: 'vv' });
        await store.registry.setAlias('old', 'prod', '2');
        await store.registry.addApproval({ name: 'old', version: '2', approver: 'ann', comment: 'ok', decision: 'approved' });
        await store.registry.addLineage([{ from: { type: 'run', id: 'run1' }, to: { type: 'model_version', id: 'old/2' }, relation: 'registered_as' }]);
        await store.registry.createModel({ name: 'taken' });
        await rejectsWith(store.registry.renameModel('old', 'taken'), 'RESOURCE_ALREADY_EXISTS');
        const m = await store.registry.renameModel('old', 'new');
        assert.equal(m.name, 'new');
        assert.deepEqual(tagMap(m.tags), { k: 'v' });
        const v = await store.registry.getVersionByAlias('new', 'prod');
        assert.equal(v.name, 'new');
        assert.deepEqual(tagMap(v.tags), { vk: 'vv' });
        assert.equal((await store.registry.listApprovals('new', '2')).length, 1);
        const edges = await store.registry.lineageAround({ type: 'model_version', id: 'new/2' }, 1);
        assert.equal(edges.length, 1);
        await rejectsWith(store.registry.getModel('old'), 'RESOURCE_DOES_NOT_EXIST');
        // The next version continues the numbering.
        assert.equal((await store.registry.createVersion({ name: 'new', source: 's', storageLocation: 's' })).version, '3');
      }));

    it('deletes a model with everything under it; the name can be reused from version 1', () =>
      withStore(open, async (store) => {
        await withVersions(store, 'm', 2);
        await store.registry.setAlias('m', 'a', '1');
        await store.registry.addLineage([{ from: { type: 'run', id: 'old-run' }, to: { type: 'model_version', id: 'm/1' }, relation: 'registered_as' }]);
        await store.registry.addLineage([{ from: { type: 'run', id: 'other' }, to: { type: 'model_version', id: 'm2/1' }, relation: 'registered_as' }]);
        await store.registry.deleteModel('m');
        await rejectsWith(store.registry.getModel('m'), 'RESOURCE_DOES_NOT_EXIST');
        assert.deepEqual((await store.registry.searchVersions(page)).items, []);
        await withVersions(store, 'm', 1);
        assert.deepEqual(await store.registry.lineageAround({ type: 'model_version', id: 'm/1' }, 2), [], 'the old version 1 lineage is gone');
        assert.equal((await store.registry.lineageAround({ type: 'model_version', id: 'm2/1' }, 1)).length, 1, 'other models keep theirs');
        const m = await store.registry.getModel('m');
        assert.deepEqual(m.aliases, []);
        assert.equal(m.latestVersions[0]?.version, '1');
      }));

    it('keeps the latest version per stage and archives on request', () =>
      withStore(open, async (store) => {
        await withVersions(store, 'm', 3);
        await store.registry.transitionStage('m', '1', 'Production', false);
        await store.registry.transitionStage('m', '2', 'Production', true);
        assert.equal((await store.registry.getVersion('m', '1')).currentStage, 'Archived');
        const latest = await store.registry.latestVersions('m', []);
        assert.deepEqual(latest.map((v) => `${v.currentStage}:${v.version}`).sort(), ['Archived:1', 'None:3', 'Production:2']);
        assert.deepEqual((await store.registry.latestVersions('m', ['Production'])).map((v) => v.version), ['2']);
      }));

    it('searches models by name and tag with order and paging', () =>
      withStore(open, async (store) => {
        for (const n of ['b', 'a', 'c', 'ab']) await store.registry.createModel({ name: n, tags: [{ key: 'team', value: n.length > 1 ? 'x' : 'y' }] });
        const all = await store.registry.searchModels(page);
        assert.deepEqual(all.items.map((m) => m.name), ['a', 'ab', 'b', 'c']);
        const like = await store.registry.searchModels({ ...page, filter: [clause('attribute', 'name', 'LIKE', 'a%')] });
        assert.deepEqual(like.items.map((m) => m.name), ['a', 'ab']);
        const tagged = await store.registry.searchModels({ ...page, filter: [clause('tag', 'team', '=', 'x')] });
        assert.deepEqual(tagged.items.map((m) => m.name), ['ab']);
        const desc = await store.registry.searchModels({ ...page, orderBy: [order('attribute', 'name', false)], maxResults: 3 });
        assert.deepEqual(desc.items.map((m) => m.name), ['c', 'b', 'ab']);
        assert.equal(desc.nextOffset, 3);
        const rest = await store.registry.searchModels({ ...page, orderBy: [order('attribute', 'name', false)], maxResults: 3, offset: 3 });
        assert.deepEqual(rest.items.map((m) => m.name), ['a']);
        assert.equal(rest.nextOffset, undefined);
      }));

    it('searches versions by run_id list, version number and tag', () =>
      withStore(open, async (store) => {
        await withVersions(store, 'm', 4);
        await store.registry.setVersionTag('m', '3', { key: 'k', value: 'v' });
        const byRun = await store.registry.searchVersions({ ...page, filter: [clause('attribute', 'run_id', 'IN', ['run0', 'run2'])] });
        assert.deepEqual(byRun.items.map((v) => v.version).sort(), ['1', '3']);
        const gt = await store.registry.searchVersions({ ...page, filter: [clause('attribute', 'version_number', '>', 2)], orderBy: [order('attribute', 'version_number', true)] });
        assert.deepEqual(gt.items.map((v) => v.version), ['3', '4']);
        const tag = await store.registry.searchVersions({ ...page, filter: [clause('tag', 'k', '=', 'v')] });
        assert.deepEqual(tag.items.map((v) => v.version), ['3']);
        await store.registry.deleteVersionTag('m', '3', 'k');
        await store.registry.deleteVersionTag('m', '3', 'k');
        assert.deepEqual((await store.registry.getVersion('m', '3')).tags, []);
        await rejectsWith(store.registry.deleteVersionTag('m', '9', 'k'), 'RESOURCE_DOES_NOT_EXIST');
      }));

    it('stores model cards and manifests, merging card updates', () =>
      withStore(open, async (store) => {
        await store.registry.createModel({ name: 'm' });
        const v = await store.registry.createVersion({
          name: 'm',
          source: 's',
          storageLocation: 's',
          manifest: { flavor: 'onnx', files: [{ path: 'model.onnx', size: 3, sha256: 'abc' }] },
          card: { intendedUse: 'ranking', knownFailureModes: ['children under 5'] },
        });
        assert.deepEqual(v.manifest, { flavor: 'onnx', files: [{ path: 'model.onnx', size: 3, sha256: 'abc' }] });
        assert.equal(v.card.intendedUse, 'ranking');
        const u = await store.registry.updateVersion('m', '1', { description: 'new', card: { evaluationScores: [{ metric: 'accuracy', value: 0.79, dataset: 'holdout' }] } });
        assert.equal(u.description, 'new');
        assert.equal(u.card.intendedUse, 'ranking');
        assert.deepEqual(u.card.knownFailureModes, ['children under 5']);
        assert.deepEqual(u.card.evaluationScores, [{ metric: 'accuracy', value: 0.79, dataset: 'holdout' }]);
      }));

    it('records approvals newest first and protected aliases on the model', () =>
      withStore(open, async (store) => {
        await withVersions(store, 'm', 2);
        await store.registry.addApproval({ name: 'm', version: '1', approver: 'ann', comment: 'looks good', decision: 'approved' });
        await store.registry.addApproval({ name: 'm', version: '1', approver: 'bob', comment: 'bias found', decision: 'rejected' });
        const list = await store.registry.listApprovals('m', '1');
        assert.deepEqual(list.map((a) => a.approver).sort(), ['ann', 'bob']);
        assert.ok(list[0]!.createdAt >= list[1]!.createdAt);
        assert.deepEqual(await store.registry.listApprovals('m', '2'), []);
        await rejectsWith(store.registry.addApproval({ name: 'm', version: '7', approver: 'a', comment: '', decision: 'approved' }), 'RESOURCE_DOES_NOT_EXIST');
        const m = await store.registry.updateModel('m', { protectedAliases: ['champion', 'champion', 'prod'] });
        assert.deepEqual(m.protectedAliases, ['champion', 'prod']);
      }));

    it('walks lineage edges both ways to a depth, each edge once', () =>
      withStore(open, async (store) => {
        const e = (a: string, b: string) => ({ from: { type: 'run' as const, id: a }, to: { type: 'run' as const, id: b }, relation: 'r' });
        await store.registry.addLineage([e('a', 'b'), e('b', 'c'), e('c', 'd'), e('a', 'b')]);
        assert.equal((await store.registry.lineageAround({ type: 'run', id: 'b' }, 1)).length, 2);
        assert.equal((await store.registry.lineageAround({ type: 'run', id: 'a' }, 2)).length, 2);
        assert.equal((await store.registry.lineageAround({ type: 'run', id: 'a' }, 5)).length, 3);
      }));
  });
}
