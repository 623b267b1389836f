import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError, type ErrorCode } from '../../core/errors/index.js';
import { DEFAULT_DEPLOYMENT_CONFIG, type DeploymentConfig, type DeploymentTarget } from '../deployment-types.js';
import type { Store } from '../store.js';
import { type OpenStore, sleep, withStore } from './helpers.js';

const config = (patch: Partial<DeploymentConfig> = {}): DeploymentConfig => ({ ...DEFAULT_DEPLOYMENT_CONFIG, ...patch });
const one: DeploymentTarget[] = [{ model: 'titanic', version: '3', weight: 1 }];

function create(store: Store, name: string, targets: DeploymentTarget[] = one, description = '') {
  return store.deployments.create({ name, description, targets, config: config() });
}

/** Like `rejectsWith`, and the error names the request field at fault. */
async function rejectsOn(p: Promise<unknown>, code: ErrorCode, field: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof AppError, `expected an AppError ${code}, got ${String(e)}`);
    assert.equal(e.code, code, `expected ${code}, got ${e.code}: ${e.message}`);
    assert.equal(e.field, field, `${code} names field ${field}`);
    return true;
  });
}

/** Deployments: names unique, byte-ordered listing, revisions with compare-and-set, change notifications. */
export function deploymentCases(open: OpenStore): void {
  describe('deployments', () => {
    it('creates a deployment at revision 1 and reads it back with its targets (by version or by alias) and weights', () =>
      withStore(open, async (store) => {
        const targets: DeploymentTarget[] = [
          { model: 'fraud', version: '7', weight: 0.9 },
          { model: 'fraud', alias: 'challenger', weight: 0.1 },
          { model: 'other model/ü', alias: 'champion', weight: 3 },
          { model: '', upstream: 'vllm-a', weight: 2 },
        ];
        const cfg = config({ maxBatchSize: 8, maxQueueDelayMs: 2, timeoutMs: 1500, intraOpThreads: 4, parallel: 16, contextSize: 512, threads: 2, kvCacheMb: 64 });
        const created = await store.deployments.create({ name: 'fraud-api', description: 'scores payments', targets, config: cfg });
        assert.equal(created.name, 'fraud-api');
        assert.equal(created.description, 'scores payments');
        assert.deepEqual(created.targets, targets);
        assert.deepEqual(created.config, cfg);
        assert.equal(created.revision, 1);
        assert.equal(created.createdAt, created.updatedAt);
        assert.ok(Math.abs(created.createdAt - Date.now()) < 60_000, `createdAt is a time in ms (${created.createdAt})`);
        const got = await store.deployments.get('fraud-api');
        assert.deepEqual(got, created, 'get returns what create returned');
        assert.equal('alias' in got.targets[0]!, false, 'a target by version carries no alias');
        assert.equal('version' in got.targets[1]!, false, 'a target by alias carries no version');
        assert.equal('upstream' in got.targets[0]!, false, 'a registered model carries no upstream');
      }));

    it('fills config fields the caller left out from the defaults', () =>
      withStore(open, async (store) => {
        const d = await store.deployments.create({ name: 'd', description: '', targets: one, config: { maxBatchSize: 1 } as DeploymentConfig });
        assert.deepEqual(d.config, config({ maxBatchSize: 1 }));
        assert.deepEqual((await store.deployments.get('d')).config, config({ maxBatchSize: 1 }));
      }));

    it('lists deployments in byte order (upper case before lower case), page by page', () =>
      withStore(open, async (store) => {
        assert.deepEqual(await store.deployments.list({ maxResults: 10, offset: 0 }), { items: [] });
        for (const name of ['c', 'a', '_x', 'B', 'a-b']) await create(store, name);
        const all = await store.deployments.list({ maxResults: 10, offset: 0 });
        assert.deepEqual(all.items.map((d) => d.name), ['B', '_x', 'a', 'a-b', 'c']);
        assert.equal(all.nextOffset, undefined, 'no next page');
        const first = await store.deployments.list({ maxResults: 2, offset: 0 });
        assert.deepEqual(first.items.map((d) => d.name), ['B', '_x']);
        assert.equal(first.nextOffset, 2);
        const second = await store.deployments.list({ maxResults: 2, offset: 2 });
        assert.deepEqual(second.items.map((d) => d.name), ['a', 'a-b']);
        assert.equal(second.nextOffset, 4);
        const last = await store.deployments.list({ maxResults: 2, offset: 4 });
        assert.deepEqual(last.items.map((d) => d.name), ['c']);
        assert.equal(last.nextOffset, undefined);
        const exact = await store.deployments.list({ maxResults: 5, offset: 0 });
        assert.equal(exact.items.length, 5);
        assert.equal(exact.nextOffset, undefined, 'a page that ends exactly at the last row has no next page');
        assert.deepEqual(all.items[0], await store.deployments.get('B'), 'listed items are whole deployments');
      }));

    it('refuses a duplicate name with RESOURCE_ALREADY_EXISTS on name and keeps the first', () =>
      withStore(open, async (store) => {
        const first = await create(store, 'dup', one, 'first');
        await rejectsOn(create(store, 'dup', [{ model: 'x', alias: 'a', weight: 1 }], 'second'), 'RESOURCE_ALREADY_EXISTS', 'name');
        assert.deepEqual(await store.deployments.get('dup'), first);
        // Names compare exactly: another case is another deployment.
        assert.equal((await create(store, 'DUP')).name, 'DUP');
      }));

    it('lets exactly one of many concurrent creates of one name win; the others are RESOURCE_ALREADY_EXISTS', () =>
      withStore(open, async (store) => {
        const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => create(store, 'race', one, `writer ${i}`)));
        const won = results.filter((r) => r.status === 'fulfilled');
        assert.equal(won.length, 1, 'one winner');
        for (const r of results) {
          if (r.status === 'rejected') {
            assert.ok(r.reason instanceof AppError, String(r.reason));
            assert.equal(r.reason.code, 'RESOURCE_ALREADY_EXISTS', r.reason.message);
            assert.equal(r.reason.field, 'name');
          }
        }
        assert.deepEqual(await store.deployments.get('race'), (won[0] as PromiseFulfilledResult<unknown>).value, 'the stored one is the winner');
      }));

    it('answers RESOURCE_DOES_NOT_EXIST on name for get, update and delete of an unknown deployment', () =>
      withStore(open, async (store) => {
        await create(store, 'present');
        await rejectsOn(store.deployments.get('absent'), 'RESOURCE_DOES_NOT_EXIST', 'name');
        await rejectsOn(store.deployments.update('absent', { description: 'x' }), 'RESOURCE_DOES_NOT_EXIST', 'name');
        await rejectsOn(store.deployments.update('absent', { description: 'x' }, 1), 'RESOURCE_DOES_NOT_EXIST', 'name');
        await rejectsOn(store.deployments.delete('absent'), 'RESOURCE_DOES_NOT_EXIST', 'name');
        await rejectsOn(store.deployments.get('Present'), 'RESOURCE_DOES_NOT_EXIST', 'name');
        assert.deepEqual((await store.deployments.list({ maxResults: 10, offset: 0 })).items.map((d) => d.name), ['present']);
      }));

    it('updates the given fields only, bumping revision and updatedAt and keeping createdAt', () =>
      withStore(open, async (store) => {
        const d = await store.deployments.create({ name: 'u', description: 'old', targets: one, config: config({ maxQueue: 10 }) });
        await sleep(5);
        const u1 = await store.deployments.update('u', { description: 'new' });
        assert.equal(u1.revision, 2);
        assert.equal(u1.description, 'new');
        assert.deepEqual(u1.targets, one, 'targets untouched');
        assert.deepEqual(u1.config, config({ maxQueue: 10 }), 'config untouched');
        assert.equal(u1.createdAt, d.createdAt);
        assert.ok(u1.updatedAt > d.updatedAt, `updatedAt moved on (${d.updatedAt} → ${u1.updatedAt})`);
        const targets: DeploymentTarget[] = [{ model: 'titanic', alias: 'champion', weight: 1 }];
        const u2 = await store.deployments.update('u', { targets, config: config({ maxBatchSize: 1 }) });
        assert.equal(u2.revision, 3);
        assert.equal(u2.description, 'new');
        assert.deepEqual(u2.targets, targets);
        assert.deepEqual(u2.config, config({ maxBatchSize: 1 }), 'a config replaces the whole config');
        const u3 = await store.deployments.update('u', {});
        assert.equal(u3.revision, 4, 'an empty patch still counts as an update');
        assert.deepEqual(await store.deployments.get('u'), u3, 'update returns what is stored');
      }));

    it('applies an update with expectedRevision only when the revision is still that one (RESOURCE_CONFLICT on revision otherwise)', () =>
      withStore(open, async (store) => {
        await create(store, 'cas', one, 'v1');
        const u = await store.deployments.update('cas', { description: 'v2' }, 1);
        assert.equal(u.revision, 2);
        await rejectsOn(store.deployments.update('cas', { description: 'stale' }, 1), 'RESOURCE_CONFLICT', 'revision');
        await rejectsOn(store.deployments.update('cas', { description: 'future' }, 3), 'RESOURCE_CONFLICT', 'revision');
        const after = await store.deployments.get('cas');
        assert.equal(after.description, 'v2', 'a refused update changes nothing');
        assert.equal(after.revision, 2);
        assert.equal((await store.deployments.update('cas', { description: 'v3' }, 2)).revision, 3);
      }));

    it('lets exactly one of many concurrent compare-and-set updates from the same revision win', () =>
      withStore(open, async (store) => {
        await create(store, 'cas-race');
        const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => store.deployments.update('cas-race', { description: `writer ${i}` }, 1)));
        const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
        assert.equal(won.length, 1, 'one winner');
        for (const r of results) {
          if (r.status === 'rejected') assert.equal((r.reason as AppError).code, 'RESOURCE_CONFLICT', String(r.reason));
        }
        const stored = await store.deployments.get('cas-race');
        assert.equal(stored.revision, 2);
        assert.equal(stored.description, won[0]!.description, "the stored description is the winner's");
      }));

    it('counts every concurrent unconditional update (no lost revision)', () =>
      withStore(open, async (store) => {
        await create(store, 'bump');
        const revs = await Promise.all(Array.from({ length: 12 }, () => store.deployments.update('bump', {})));
        assert.deepEqual(revs.map((d) => d.revision).sort((a, b) => a - b), Array.from({ length: 12 }, (_, i) => i + 2));
        assert.equal((await store.deployments.get('bump')).revision, 13);
      }));

    it('deletes a deployment; the name can then be created again from revision 1', () =>
      withStore(open, async (store) => {
        await create(store, 'gone');
        await store.deployments.update('gone', { description: 'x' });
        await create(store, 'stays');
        await store.deployments.delete('gone');
        await rejectsOn(store.deployments.get('gone'), 'RESOURCE_DOES_NOT_EXIST', 'name');
        await rejectsOn(store.deployments.delete('gone'), 'RESOURCE_DOES_NOT_EXIST', 'name');
        assert.deepEqual((await store.deployments.list({ maxResults: 10, offset: 0 })).items.map((d) => d.name), ['stays']);
        const again = await create(store, 'gone');
        assert.equal(again.revision, 1);
        assert.equal(again.description, '');
      }));

    it('announces committed creates, updates and deletes on the change feed, and refused writes not at all', () =>
      withStore(open, async (store) => {
        const seen: string[] = [];
        const off = store.changes.subscribe((e) => {
          if (e.entity === 'deployment') seen.push(`${e.action}:${e.name}`);
        });
        await store.changes.ready();
        await create(store, 'feed');
        await rejectsOn(create(store, 'feed'), 'RESOURCE_ALREADY_EXISTS', 'name');
        await store.deployments.update('feed', { description: 'd' }, 1);
        await rejectsOn(store.deployments.update('feed', { description: 'stale' }, 1), 'RESOURCE_CONFLICT', 'revision');
        await rejectsOn(store.deployments.update('nope', {}), 'RESOURCE_DOES_NOT_EXIST', 'name');
        await store.deployments.delete('feed');
        await rejectsOn(store.deployments.delete('feed'), 'RESOURCE_DOES_NOT_EXIST', 'name');
        const expected = ['created:feed', 'updated:feed', 'deleted:feed'];
        const deadline = Date.now() + 2000;
        while (seen.length < expected.length && Date.now() < deadline) await sleep(10);
        // A refused write published after the last good one would arrive after it: give it time to show up.
        await sleep(50);
        off();
        assert.deepEqual(seen, expected);
      }));
  });
}
