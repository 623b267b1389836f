import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FilterClause, OrderByClause } from '../../tracking/search/filter-types.js';
import type { Store } from '../store.js';
import type { Experiment, ViewType } from '../types.js';
import { type OpenStore, clause, order, sleep, withStore } from './helpers.js';
import { defaultExperimentOrder, experimentCmp, experimentKey, experimentMatches, inView } from './reference.js';

/** Lower-case, letters only: these names sort the same under any collation. */
const FRUIT = ['mango', 'apple', 'kiwi', 'fig', 'plum', 'banana', 'cherry', 'grape', 'lemon', 'date', 'pear', 'lime', 'peach', 'melon'];
/** Mixed case, for LIKE (case-sensitive) against ILIKE. */
const BERT = ['BertBase', 'bertlarge', 'BERTtiny'];

interface Fixture {
  store: Store;
  /** Every experiment as the store reports it after setup, experiment 0 included. */
  all: Experiment[];
  /** A creation time in the middle of the fixture's, for range filters. */
  midCreation: number;
  midUpdate: number;
}

/** ~18 experiments with distinct-ish creation times, tags on some, three deleted, one renamed. */
async function fixture(store: Store): Promise<Fixture> {
  const ids: string[] = [];
  const names = [...FRUIT.map((f) => `xp${f}`), ...BERT];
  for (let i = 0; i < names.length; i++) {
    const tags = [];
    if (i % 3 === 0) tags.push({ key: 'owner', value: 'alice' });
    if (i % 3 === 1) tags.push({ key: 'owner', value: i % 2 ? 'Bob' : 'bob' });
    if (i % 4 === 0) tags.push({ key: 'priority', value: i % 8 ? 'high' : 'low' });
    ids.push(await store.experiments.create({ name: names[i]!, tags }));
    if (i % 2 === 0) await sleep(2);
  }
  for (const i of [2, 7, 15]) await store.experiments.delete(ids[i]!);
  await sleep(2);
  await store.experiments.rename(ids[5]!, 'xpbananas');
  await store.experiments.setTag(ids[6]!, { key: 'owner', value: 'carol' });
  const all = await Promise.all(['0', ...ids].map((id) => store.experiments.get(id)));
  const creations = all.map((e) => e.creationTime).sort((a, b) => a - b);
  const updates = all.map((e) => e.lastUpdateTime).sort((a, b) => a - b);
  return { store, all, midCreation: creations[Math.floor(creations.length / 2)]!, midUpdate: updates[Math.floor(updates.length / 2)]! };
}

async function searchAll(store: Store, filter: FilterClause[], viewType: ViewType, orderBy: OrderByClause[] = []): Promise<Experiment[]> {
  const page = await store.experiments.search({ filter, orderBy, viewType, maxResults: 1000, offset: 0 });
  assert.equal(page.nextOffset, undefined);
  return page.items;
}

function expected(f: Fixture, filter: FilterClause[], viewType: ViewType): Experiment[] {
  return f.all.filter((e) => inView(e.lifecycleStage, viewType) && experimentMatches(e, filter)).sort(defaultExperimentOrder);
}

async function check(f: Fixture, filter: FilterClause[], viewType: ViewType = 'ACTIVE_ONLY', minMatches = 1): Promise<void> {
  const want = expected(f, filter, viewType);
  const got = await searchAll(f.store, filter, viewType);
  const label = `${JSON.stringify(filter)} ${viewType}`;
  assert.deepEqual(got.map((e) => e.name), want.map((e) => e.name), label);
  assert.ok(want.length >= minMatches, `fixture too weak for ${label}: ${want.length} matches`);
}

export function experimentSearchCases(open: OpenStore): void {
  describe('experiments: search', () => {
    it('filters on name with = != LIKE ILIKE; LIKE is case-sensitive, ILIKE is not', () =>
      withStore(open, async (store) => {
        const f = await fixture(store);
        await check(f, [clause('attribute', 'name', '=', 'xpfig')]);
        await check(f, [clause('attribute', 'name', '!=', 'xpfig')]);
        await check(f, [clause('attribute', 'name', 'LIKE', 'xp%')], 'ACTIVE_ONLY', 10);
        await check(f, [clause('attribute', 'name', 'LIKE', 'xp_ear')]);
        await check(f, [clause('attribute', 'name', 'LIKE', '%an%')], 'ACTIVE_ONLY', 2);
        await check(f, [clause('attribute', 'name', '=', 'xpFIG')], 'ACTIVE_ONLY', 0);
        const like = await searchAll(store, [clause('attribute', 'name', 'LIKE', 'bert%')], 'ALL');
        assert.deepEqual(like.map((e) => e.name), ['bertlarge']);
        const ilike = await searchAll(store, [clause('attribute', 'name', 'ILIKE', 'bert%')], 'ALL');
        assert.deepEqual(ilike.map((e) => e.name).sort(), ['BERTtiny', 'BertBase', 'bertlarge']);
        await check(f, [clause('attribute', 'name', 'ILIKE', '%BASE')]);
        await check(f, [clause('attribute', 'name', 'ILIKE', 'XP%E')], 'ALL', 3);
      }));

    it('filters on creation_time and last_update_time with every numeric comparator', () =>
      withStore(open, async (store) => {
        const f = await fixture(store);
        for (const op of ['=', '!=', '<', '<=', '>', '>='] as const) {
          await check(f, [clause('attribute', 'creation_time', op, f.midCreation)], 'ALL');
          await check(f, [clause('attribute', 'last_update_time', op, f.midUpdate)], 'ALL');
        }
        await check(f, [clause('attribute', 'creation_time', '>', f.midCreation), clause('attribute', 'creation_time', '<=', f.midCreation + 1_000_000)], 'ALL');
      }));

    it('filters on tags, including IS NULL and IS NOT NULL', () =>
      withStore(open, async (store) => {
        const f = await fixture(store);
        await check(f, [clause('tag', 'owner', '=', 'alice')]);
        await check(f, [clause('tag', 'owner', '!=', 'alice')], 'ACTIVE_ONLY', 2);
        await check(f, [clause('tag', 'owner', 'LIKE', 'b%')]);
        await check(f, [clause('tag', 'owner', 'ILIKE', 'b%')], 'ACTIVE_ONLY', 2);
        await check(f, [clause('tag', 'owner', 'IS NULL')], 'ACTIVE_ONLY', 2);
        await check(f, [clause('tag', 'owner', 'IS NOT NULL')], 'ACTIVE_ONLY', 5);
        await check(f, [clause('tag', 'priority', 'IS NOT NULL'), clause('tag', 'owner', 'IS NULL')], 'ALL', 0);
        await check(f, [clause('tag', 'nonexistent', 'IS NULL')], 'ALL', 5);
        await check(f, [clause('tag', 'nonexistent', '!=', 'x')], 'ALL', 0);
      }));

    it('ANDs clauses and honours the view type', () =>
      withStore(open, async (store) => {
        const f = await fixture(store);
        const and = [clause('attribute', 'name', 'LIKE', 'xp%'), clause('tag', 'priority', '=', 'high'), clause('attribute', 'creation_time', '>=', f.all[1]!.creationTime)];
        for (const v of ['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL'] as const) {
          await check(f, [], v);
          await check(f, [clause('attribute', 'name', 'LIKE', 'xp%')], v);
          await check(f, and, v, 0);
        }
        assert.equal((await searchAll(store, [], 'DELETED_ONLY')).length, 3);
        assert.equal((await searchAll(store, [], 'ALL')).length, f.all.length);
      }));

    it('orders by each key in both directions; default is creation_time DESC, experiment_id ASC', () =>
      withStore(open, async (store) => {
        const f = await fixture(store);
        const xp = [clause('attribute', 'name', 'LIKE', 'xp%')];
        const members = expected(f, xp, 'ALL').map((e) => e.experimentId).sort();
        for (const key of ['name', 'experiment_id', 'creation_time', 'last_update_time']) {
          for (const ascending of [true, false]) {
            const got = await searchAll(store, xp, 'ALL', [order('attribute', key, ascending)]);
            assert.deepEqual(got.map((e) => e.experimentId).sort(), members, `${key} ${ascending}: same members`);
            const cmp = experimentCmp(key, ascending);
            for (let i = 1; i < got.length; i++) {
              assert.ok(cmp(got[i - 1]!, got[i]!) <= 0, `${key} ${ascending ? 'ASC' : 'DESC'} out of order at ${i}: ${experimentKey(got[i - 1]!, key)} then ${experimentKey(got[i]!, key)}`);
            }
            if (key === 'name' || key === 'experiment_id') {
              assert.deepEqual(got.map((e) => e.experimentId), expected(f, xp, 'ALL').sort(cmp).map((e) => e.experimentId));
            }
          }
        }
        const byDefault = await searchAll(store, [], 'ALL');
        assert.deepEqual(byDefault.map((e) => e.experimentId), [...f.all].sort(defaultExperimentOrder).map((e) => e.experimentId));
      }));

    it('pages through all results with offsets: every experiment once, none missing', () =>
      withStore(open, async (store) => {
        const f = await fixture(store);
        for (const orderBy of [[], [order('attribute', 'name', true)], [order('attribute', 'creation_time', true)]]) {
          for (const maxResults of [1, 4, 5]) {
            const full = await searchAll(store, [], 'ALL', orderBy);
            const seen: string[] = [];
            let offset = 0;
            for (let pages = 0; ; pages++) {
              assert.ok(pages <= f.all.length, 'paging terminates');
              const page = await store.experiments.search({ filter: [], orderBy, viewType: 'ALL', maxResults, offset });
              assert.ok(page.items.length <= maxResults);
              seen.push(...page.items.map((e) => e.experimentId));
              if (page.nextOffset === undefined) break;
              assert.equal(page.items.length, maxResults, 'only the last page is short');
              offset = page.nextOffset;
            }
            assert.deepEqual(seen, full.map((e) => e.experimentId), `pages of ${maxResults} ordered by ${JSON.stringify(orderBy)}`);
            assert.equal(new Set(seen).size, f.all.length);
          }
        }
        const exact = await store.experiments.search({ filter: [], orderBy: [], viewType: 'ALL', maxResults: f.all.length, offset: 0 });
        assert.equal(exact.items.length, f.all.length);
        assert.equal(exact.nextOffset, undefined, 'a full last page has no next offset');
        const past = await store.experiments.search({ filter: [], orderBy: [], viewType: 'ALL', maxResults: 10, offset: 10_000 });
        assert.deepEqual(past.items, []);
        assert.equal(past.nextOffset, undefined);
      }));
  });
}
