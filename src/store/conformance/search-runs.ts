import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FilterClause, OrderByClause } from '../../tracking/search/filter-types.js';
import type { ViewType } from '../types.js';
import { type OpenStore, clause, order, withStore } from './helpers.js';
import { BASE_TIME, type RunFixture, generateRuns } from './run-fixture.js';
import { type RunModel, inView, runCmp, runMatches } from './reference.js';

interface Query {
  filter?: FilterClause[];
  orderBy?: OrderByClause[];
  viewType?: ViewType;
  experimentIds?: string[];
}

function expected(f: RunFixture, q: Query): RunModel[] {
  const ids = q.experimentIds ?? [f.expA, f.expB];
  return f.runs
    .filter((r) => ids.includes(r.experimentId) && inView(r.lifecycleStage, q.viewType ?? 'ACTIVE_ONLY') && runMatches(r, q.filter ?? []))
    .sort(runCmp(q.orderBy ?? []));
}

async function search(f: RunFixture, q: Query, page = { maxResults: 50_000, offset: 0 }) {
  return f.store.runs.search({ experimentIds: q.experimentIds ?? [f.expA, f.expB], filter: q.filter ?? [], orderBy: q.orderBy ?? [], viewType: q.viewType ?? 'ACTIVE_ONLY', ...page });
}

/** Asserts the store returns exactly the reference's runs in the reference's order; `min` guards against weak fixtures. */
async function check(f: RunFixture, q: Query, min = 1): Promise<RunModel[]> {
  const want = expected(f, q);
  const got = await search(f, q);
  assert.equal(got.nextOffset, undefined);
  assert.deepEqual(got.items.map((r) => r.info.runName), want.map((r) => r.runName), JSON.stringify(q));
  assert.ok(want.length >= min, `fixture too weak for ${JSON.stringify(q)}: ${want.length} matches`);
  return want;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
/** The runs a default search sees (active, in A or B): thresholds are picked among them so `=` matches something. */
const visible = (f: RunFixture): RunModel[] => f.runs.filter((r) => r.lifecycleStage === 'active' && r.experimentId !== f.expC);

export function searchRunCases(open: OpenStore): void {
  describe('runs: search', () => {
    const withRuns = (fn: (f: RunFixture) => Promise<void>) => () => withStore(open, async (store) => fn(await generateRuns(store)));

    it('returns runs with their data, in the default order start_time DESC, run_id ASC', withRuns(async (f) => {
      const want = await check(f, {}, 40);
      assert.ok(new Set(want.map((r) => r.startTime)).size < want.length, 'the fixture has start_time ties');
      const got = await search(f, {});
      for (const run of got.items) assert.deepEqual(run, await f.store.runs.get(run.info.runId), `search and get agree on ${run.info.runName}`);
    }));

    it('compares the latest metric value with = != < <= > >= (NaN matches nothing, infinities compare)', withRuns(async (f) => {
      const losses = visible(f).flatMap((r) => (r.latest.loss !== undefined && !Number.isNaN(r.latest.loss) ? [r.latest.loss] : []));
      const mid = median(losses);
      const midAcc = median(visible(f).flatMap((r) => (r.latest.acc !== undefined && Number.isFinite(r.latest.acc) ? [r.latest.acc] : [])));
      for (const op of ['=', '!=', '<', '<=', '>', '>='] as const) {
        await check(f, { filter: [clause('metric', 'loss', op, mid)] });
        await check(f, { filter: [clause('metric', 'acc', op, midAcc)] });
      }
      await check(f, { filter: [clause('metric', 'acc', '>', 1e300)] });
      await check(f, { filter: [clause('metric', 'acc', '<', -1e300)] });
      await check(f, { filter: [clause('metric', 'loss', '>=', -1e300)] }, 30);
      await check(f, { filter: [clause('metric', 'nope', '>=', -1e300)] }, 0);
      const withNaN = f.runs.filter((r) => Number.isNaN(r.latest.loss ?? 0) && r.lifecycleStage === 'active');
      assert.ok(withNaN.length > 0, 'fixture has NaN latest values');
    }));

    it('filters params and tags with = != LIKE ILIKE IS NULL IS NOT NULL', withRuns(async (f) => {
      await check(f, { filter: [clause('param', 'lr', '=', '0.01')] });
      await check(f, { filter: [clause('param', 'lr', '!=', '0.01')] });
      await check(f, { filter: [clause('param', 'lr', 'LIKE', '0.0%')] });
      await check(f, { filter: [clause('param', 'lr', 'LIKE', '0._1')] });
      const like = await check(f, { filter: [clause('param', 'opt', 'LIKE', 'a%')] });
      const ilike = await check(f, { filter: [clause('param', 'opt', 'ILIKE', 'a%')] });
      assert.ok(ilike.length > like.length, 'ILIKE ignores case, LIKE does not');
      await check(f, { filter: [clause('param', 'opt', 'IS NULL')] });
      await check(f, { filter: [clause('param', 'opt', 'IS NOT NULL')] });
      await check(f, { filter: [clause('param', 'batch', 'IS NULL')] });
      await check(f, { filter: [clause('param', 'missing', 'IS NULL')] }, 40);
      await check(f, { filter: [clause('param', 'missing', 'IS NOT NULL')] }, 0);
      await check(f, { filter: [clause('tag', 'team', '=', 'red')] });
      await check(f, { filter: [clause('tag', 'team', '!=', 'red')] });
      await check(f, { filter: [clause('tag', 'team', 'IS NULL')] });
      await check(f, { filter: [clause('tag', 'team', 'IS NOT NULL')] });
      const noteLike = await check(f, { filter: [clause('tag', 'note', 'LIKE', '%base%')] });
      const noteIlike = await check(f, { filter: [clause('tag', 'note', 'ILIKE', '%BASE%')] });
      assert.ok(noteIlike.length > noteLike.length);
      await check(f, { filter: [clause('tag', 'mlflow.runName', 'LIKE', 'Rand%')] });
      await check(f, { filter: [clause('tag', 'mlflow.runName', '=', 'Rand10')] });
    }));

    it('filters attributes: run_id IN / NOT IN / =, run_name, status, user_id, start_time and end_time', withRuns(async (f) => {
      const some = ['Rand10', 'Grid03', 'Bayes29', 'Grid51', 'Bayes11'].map((n) => f.byName(n).runId); // Grid03 and Bayes11 are deleted, Grid51 is in C
      await check(f, { filter: [clause('attribute', 'run_id', 'IN', some)] }, 2);
      await check(f, { filter: [clause('attribute', 'run_id', 'NOT IN', some)] }, 30);
      await check(f, { filter: [clause('attribute', 'run_id', '=', some[0]!)] });
      await check(f, { filter: [clause('attribute', 'run_id', '!=', some[0]!)] }, 30);
      await check(f, { filter: [clause('attribute', 'run_name', '=', 'Rand10')] });
      await check(f, { filter: [clause('attribute', 'run_name', 'LIKE', 'Grid%')] });
      await check(f, { filter: [clause('attribute', 'run_name', 'LIKE', 'grid%')] }, 0);
      await check(f, { filter: [clause('attribute', 'run_name', 'ILIKE', 'grid%')] });
      await check(f, { filter: [clause('attribute', 'run_name', 'LIKE', '%_1')] });
      for (const s of ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED']) await check(f, { filter: [clause('attribute', 'status', '=', s)] });
      await check(f, { filter: [clause('attribute', 'status', '!=', 'RUNNING')] });
      await check(f, { filter: [clause('attribute', 'user_id', '=', 'bob')] });
      const t = BASE_TIME + 15_000;
      for (const op of ['=', '!=', '<', '<=', '>', '>='] as const) await check(f, { filter: [clause('attribute', 'start_time', op, t)] }, op === '=' ? 0 : 1);
      await check(f, { filter: [clause('attribute', 'start_time', '>=', BASE_TIME + 5000), clause('attribute', 'start_time', '<', BASE_TIME + 20_000)] });
      const ends = visible(f).flatMap((r) => (r.endTime === null ? [] : [r.endTime]));
      for (const op of ['=', '!=', '<', '<=', '>', '>='] as const) await check(f, { filter: [clause('attribute', 'end_time', op, median(ends))] });
      await check(f, { filter: [clause('attribute', 'end_time', '>', 0)] }, 10);
    }));

    it('filters on datasets.name, datasets.digest and datasets.context', withRuns(async (f) => {
      await check(f, { filter: [clause('dataset', 'name', '=', 'train')] });
      await check(f, { filter: [clause('dataset', 'name', '!=', 'train')] });
      await check(f, { filter: [clause('dataset', 'name', 'IN', ['Eval', 'holdout'])] });
      await check(f, { filter: [clause('dataset', 'name', 'NOT IN', ['train'])] });
      await check(f, { filter: [clause('dataset', 'name', 'LIKE', 'tr%')] });
      await check(f, { filter: [clause('dataset', 'name', 'LIKE', 'eval')] }, 0);
      await check(f, { filter: [clause('dataset', 'name', 'ILIKE', 'eval')] });
      await check(f, { filter: [clause('dataset', 'digest', '=', 'aaa1')] });
      await check(f, { filter: [clause('dataset', 'digest', 'IN', ['bbb2', 'ddd4'])] });
      await check(f, { filter: [clause('dataset', 'context', '=', 'eval')] });
      await check(f, { filter: [clause('dataset', 'context', 'LIKE', 'train%')] });
      await check(f, { filter: [clause('dataset', 'context', '!=', 'eval')] });
    }));

    it('ANDs clauses of every kind', withRuns(async (f) => {
      await check(f, { filter: [clause('metric', 'loss', '<', 1.5), clause('param', 'lr', '!=', '0.1'), clause('tag', 'team', 'IS NOT NULL')] });
      await check(f, { filter: [clause('attribute', 'status', '!=', 'KILLED'), clause('dataset', 'name', '=', 'train'), clause('metric', 'acc', '>=', 0)] });
      await check(
        f,
        {
          filter: [
            clause('attribute', 'start_time', '>', BASE_TIME),
            clause('param', 'opt', 'ILIKE', '%a%'),
            clause('tag', 'note', 'IS NULL'),
            clause('metric', 'loss', '>', 0),
            clause('attribute', 'run_name', 'LIKE', '%0%'),
          ],
        },
        0,
      );
      await check(f, { filter: [clause('param', 'lr', '=', '0.1'), clause('param', 'lr', '=', '0.01')] }, 0);
    }));

    it('orders by a metric both ways, runs without it (then NaN before missing) last either way', withRuns(async (f) => {
      for (const key of ['loss', 'acc']) {
        for (const ascending of [true, false]) {
          const want = await check(f, { orderBy: [order('metric', key, ascending)] }, 40);
          const ranks = want.map((r) => (r.latest[key] === undefined ? 2 : Number.isNaN(r.latest[key]) ? 1 : 0));
          assert.deepEqual(ranks, [...ranks].sort(), `${key}: values, then NaN, then missing`);
          assert.ok(ranks.includes(2), `fixture has runs without ${key}`);
        }
      }
      await check(f, { orderBy: [order('metric', 'nope', true)] }, 40);
      await check(f, { filter: [clause('metric', 'loss', '>', 0.5)], orderBy: [order('metric', 'loss', false)] });
    }));

    it('orders by params, tags and attributes, and by several keys', withRuns(async (f) => {
      for (const ascending of [true, false]) {
        await check(f, { orderBy: [order('param', 'batch', ascending)] }, 40);
        await check(f, { orderBy: [order('tag', 'team', ascending)] }, 40);
        for (const key of ['run_name', 'start_time', 'end_time', 'status', 'user_id', 'run_id']) {
          await check(f, { orderBy: [order('attribute', key, ascending)] }, 40);
        }
      }
      await check(f, { orderBy: [order('attribute', 'status', true), order('metric', 'acc', false)] }, 40);
      await check(f, { orderBy: [order('tag', 'team', false), order('param', 'batch', true), order('attribute', 'run_name', false)] }, 40);
      await check(f, { filter: [clause('param', 'lr', '=', '0.001')], orderBy: [order('param', 'missing', true)] });
    }));

    it('honours view types and searches several experiments at once', withRuns(async (f) => {
      for (const viewType of ['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL'] as const) {
        await check(f, { viewType });
        await check(f, { viewType, experimentIds: [f.expA] });
        await check(f, { viewType, experimentIds: [f.expB, f.expC] });
        await check(f, { viewType, filter: [clause('param', 'lr', '=', '0.1')] });
      }
      await check(f, { experimentIds: [f.expA, f.expB, f.expC] }, 45);
      await check(f, { experimentIds: [f.expC] }, 3);
      assert.deepEqual((await search(f, { experimentIds: ['424242'] })).items, []);
      assert.deepEqual((await search(f, { experimentIds: ['not-an-id'] })).items, []);
      assert.deepEqual((await search(f, { experimentIds: [] })).items, []);
      await check(f, { experimentIds: [f.expA, '424242', 'x'] });
    }));

    it('pages with maxResults and offset: every run exactly once, in order', withRuns(async (f) => {
      const orders: OrderByClause[][] = [[], [order('metric', 'loss', true)], [order('attribute', 'start_time', true)], [order('tag', 'team', false)]];
      for (const orderBy of orders) {
        for (const maxResults of [1, 7, 45]) {
          const q = { orderBy, viewType: 'ALL' as const };
          const want = expected(f, q).map((r) => r.runName);
          const seen: string[] = [];
          let offset = 0;
          for (let n = 0; ; n++) {
            assert.ok(n <= want.length, 'paging terminates');
            const page = await search(f, q, { maxResults, offset });
            seen.push(...page.items.map((r) => r.info.runName));
            if (page.nextOffset === undefined) break;
            assert.equal(page.items.length, maxResults, 'only the last page is short');
            offset = page.nextOffset;
          }
          assert.deepEqual(seen, want, `pages of ${maxResults}, ${JSON.stringify(orderBy)}`);
        }
      }
      const total = expected(f, {}).length;
      const exact = await search(f, {}, { maxResults: total, offset: 0 });
      assert.equal(exact.items.length, total);
      assert.equal(exact.nextOffset, undefined);
      assert.deepEqual((await search(f, {}, { maxResults: 10, offset: 10_000 })).items, []);
    }));
  });
}
