import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '../store.js';
import type { CurvePoint, Metric } from '../types.js';
import { type OpenStore, metric, prng, rejectsWith, withStore } from './helpers.js';

async function newRun(store: Store, experimentId?: string): Promise<string> {
  const exp = experimentId ?? (await store.experiments.create({ name: `m-${Math.random()}` }));
  return (await store.runs.create({ experimentId: exp, userId: '', startTime: 1, runName: '', tags: [] })).info.runId;
}

/** Logs metrics in batches of 1000, as a client must. */
async function logAll(store: Store, runId: string, metrics: Metric[]): Promise<void> {
  for (let i = 0; i < metrics.length; i += 1000) await store.runs.logBatch(runId, { metrics: metrics.slice(i, i + 1000), params: [], tags: [] });
}

const byStepThenTs = (a: Metric, b: Metric): number => a.step - b.step || a.timestamp - b.timestamp || a.value - b.value;

/** A curve's points must be real recorded values, in strictly increasing step order. */
function assertRealPoints(points: CurvePoint[], valueAt: (step: number) => number, what: string): void {
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    assert.equal(p.value, valueAt(p.step), `${what}: point ${i} at step ${p.step} is not the recorded value`);
    if (i > 0) assert.ok(p.step > points[i - 1]!.step, `${what}: steps increase at ${i}`);
  }
}

export function metricCases(open: OpenStore): void {
  describe('metrics', () => {
    it('pages through a history ordered by step, then timestamp', () =>
      withStore(open, async (store) => {
        const runId = await newRun(store);
        const rnd = prng(7);
        const all: Metric[] = [];
        for (let step = 0; step < 20; step++) for (let k = 0; k < 1 + (step % 3); k++) all.push(metric('loss', Math.round(rnd() * 1000) / 10, step, 1000 + step * 10 - k));
        const shuffled = [...all].sort(() => rnd() - 0.5);
        for (let i = 0; i < shuffled.length; i += 7) await store.runs.logBatch(runId, { metrics: shuffled.slice(i, i + 7), params: [], tags: [] });
        await store.runs.logBatch(runId, { metrics: [metric('other', 1, 0, 0)], params: [], tags: [] });
        const want = [...all].sort(byStepThenTs);
        const seen: Metric[] = [];
        let offset = 0;
        for (;;) {
          const page = await store.metrics.history(runId, 'loss', { maxResults: 6, offset });
          assert.ok(page.items.length <= 6);
          seen.push(...page.items);
          if (page.nextOffset === undefined) break;
          offset = page.nextOffset;
        }
        assert.deepEqual(seen, want);
        const whole = await store.metrics.history(runId, 'loss', { maxResults: want.length, offset: 0 });
        assert.equal(whole.nextOffset, undefined, 'an exactly full last page has no next offset');
        assert.deepEqual((await store.metrics.history(runId, 'nope', { maxResults: 10, offset: 0 })).items, []);
        await rejectsWith(store.metrics.history('ffffffffffffffffffffffffffffffff', 'loss', { maxResults: 10, offset: 0 }), 'RESOURCE_DOES_NOT_EXIST');
      }));

    it('historyBulkInterval samples the union of the runs\' steps evenly, keeping each run\'s first and last step when in range', () =>
      withStore(open, async (store) => {
        const exp = await store.experiments.create({ name: 'bulk' });
        const runs = [await newRun(store, exp), await newRun(store, exp), await newRun(store, exp)];
        const steps = [Array.from({ length: 500 }, (_, i) => i), Array.from({ length: 100 }, (_, i) => i * 7), [3, 4, 5]];
        for (const [r, runId] of runs.entries()) {
          await logAll(store, runId, steps[r]!.map((s) => metric('acc', s * 10 + r, s, 5000 + s)));
          await store.runs.logBatch(runId, { metrics: [metric('acc', -1, steps[r]![0]!, 1)], params: [], tags: [] }); // a second value at the first step
        }
        const valuesAt = (r: number, s: number) => (s === steps[r]![0] ? [-1, s * 10 + r] : [s * 10 + r]);

        const check = async (q: { startStep?: number; endStep?: number; maxResults: number }) => {
          const got = await store.metrics.historyBulkInterval(runs, 'acc', q);
          const lo = q.startStep ?? 0;
          const hi = q.endStep ?? Math.max(...steps.flat());
          const union = [...new Set(steps.flat())].filter((s) => s >= lo && s <= hi).sort((a, b) => a - b);
          const picked = [...new Set(got.map((m) => m.step))].sort((a, b) => a - b);
          const label = JSON.stringify(q);
          // At most maxResults evenly spaced picks, plus the last step, plus each run's two ends.
          assert.ok(picked.length <= q.maxResults + 1 + 2 * runs.length, `${label}: ${picked.length} steps`);
          if (union.length <= q.maxResults) assert.deepEqual(picked, union, `${label}: every step when few`);
          else {
            const idx = picked.map((s) => union.indexOf(s));
            const gap = Math.ceil(union.length / q.maxResults);
            for (let i = 1; i < idx.length; i++) assert.ok(idx[i]! - idx[i - 1]! <= gap, `${label}: even spacing`);
            assert.equal(picked[0], union[0], `${label}: first step of the range kept`);
            assert.equal(picked.at(-1), union.at(-1), `${label}: last step of the range kept`);
          }
          for (const [r, runId] of runs.entries()) {
            const mine = got.filter((m) => m.runId === runId);
            const inRange = steps[r]!.filter((s) => s >= lo && s <= hi);
            const distinct = [...new Set(mine.map((m) => m.step))];
            assert.deepEqual(mine, [...mine].sort(byStepThenTs), `${label}: ordered by step`);
            if (inRange.length === 0) {
              assert.equal(mine.length, 0);
              continue;
            }
            const [first, last] = [steps[r]![0]!, steps[r]!.at(-1)!];
            if (first >= lo && first <= hi) assert.equal(distinct[0], first, `run ${r} ${label}: its first step kept`);
            if (last >= lo && last <= hi) assert.equal(distinct.at(-1), last, `run ${r} ${label}: its last step kept`);
            assert.deepEqual(distinct, picked.filter((s) => inRange.includes(s)), `run ${r} ${label}: the shared picks it has`);
            for (const m of mine) {
              assert.equal(m.key, 'acc');
              assert.ok(valuesAt(r, m.step).includes(m.value), `${label}: value at ${m.step}`);
            }
            for (const st of distinct) assert.equal(mine.filter((m) => m.step === st).length, valuesAt(r, st).length, `${label}: every value at a picked step`);
          }
        };
        await check({ maxResults: 320 });
        await check({ maxResults: 10 });
        await check({ maxResults: 2 });
        await check({ startStep: 100, endStep: 300, maxResults: 25 });
        await check({ startStep: 3, endStep: 5, maxResults: 1000 });
        await check({ startStep: 10_000, endStep: 20_000, maxResults: 5 });
        assert.deepEqual(await store.metrics.historyBulkInterval(runs, 'missing', { maxResults: 10 }), []);
        await rejectsWith(store.metrics.historyBulkInterval([runs[0]!, 'ffffffffffffffffffffffffffffffff'], 'acc', { maxResults: 10 }), 'RESOURCE_DOES_NOT_EXIST');
      }));

    it('downsampled returns a small curve whole, and never more than `points` points', () =>
      withStore(open, async (store) => {
        const runId = await newRun(store);
        const values = Array.from({ length: 500 }, (_, s) => Math.sin(s / 10) * 100);
        await logAll(store, runId, values.map((v, s) => metric('c', v, s, s)));
        const whole = await store.metrics.downsampled(runId, 'c', { points: 500 });
        assert.equal(whole.downsampled, false);
        assert.equal(whole.total, 500);
        assert.deepEqual(whole.points, values.map((v, s) => ({ step: s, value: v, timestamp: s })));
        assert.equal(whole.minStep, 0);
        assert.equal(whole.maxStep, 499);
        assert.equal(whole.runId, runId);
        assert.equal(whole.key, 'c');
        for (const points of [2, 3, 7, 50, 499]) {
          const d = await store.metrics.downsampled(runId, 'c', { points });
          assert.ok(d.points.length <= points, `${d.points.length} points for ${points}`);
          assert.ok(d.points.length >= Math.min(points, 2) - 1, 'some points');
          assert.equal(d.downsampled, true);
          assert.equal(d.total, 500);
          assertRealPoints(d.points, (s) => values[s]!, `points=${points}`);
        }
        const empty = await store.metrics.downsampled(runId, 'none', { points: 100 });
        assert.deepEqual(empty.points, []);
        assert.equal(empty.total, 0);
        await rejectsWith(store.metrics.downsampled('ffffffffffffffffffffffffffffffff', 'c', { points: 10 }), 'RESOURCE_DOES_NOT_EXIST');
      }));

    it('downsampled returns a sparse history spread over a million steps whole', () =>
      withStore(open, async (store) => {
        const runId = await newRun(store);
        const metrics = Array.from({ length: 200 }, (_, i) => metric('s', i % 2 ? i : -(i + 1), i * 5000, i));
        await logAll(store, runId, metrics);
        const d = await store.metrics.downsampled(runId, 's', { points: 1000 });
        assert.equal(d.downsampled, false, 'all 200 values fit in 1000 points');
        assert.equal(d.total, 200);
        assert.deepEqual(d.points, metrics.map((m) => ({ step: m.step, value: m.value, timestamp: m.timestamp })));
        const zoom = await store.metrics.downsampled(runId, 's', { points: 1000, startStep: 100_001, endStep: 600_000 });
        assert.deepEqual(zoom.points.map((p) => p.step), metrics.filter((m) => m.step > 100_000 && m.step <= 600_000).map((m) => m.step));
        assert.equal(zoom.downsampled, false);
        assert.equal(zoom.total, zoom.points.length);
      }));

    it('downsampled skips NaN and infinite values', () =>
      withStore(open, async (store) => {
        const runId = await newRun(store);
        const vals = [1, Number.NaN, 3, Number.POSITIVE_INFINITY, 5, Number.NEGATIVE_INFINITY, 7];
        await store.runs.logBatch(runId, { metrics: vals.map((v, s) => metric('n', v, s, s)), params: [], tags: [] });
        const d = await store.metrics.downsampled(runId, 'n', { points: 100 });
        assert.deepEqual(d.points.map((p) => [p.step, p.value]), [[0, 1], [2, 3], [4, 5], [6, 7]]);
        assert.equal(d.total, 4, 'total counts the values a chart can draw');
        assert.equal(d.downsampled, false);
      }));

    it('downsampled keeps the min and max of every region of a 200,000-step curve, spikes included', () =>
      withStore(open, async (store) => {
        const runId = await newRun(store);
        const N = 200_000;
        const rnd = prng(42);
        // Small noise everywhere; every 400 steps a peak (at +100) and a trough (at +300) of varying height; one
        // spike and one dip far larger than anything else.
        const values = new Float64Array(N);
        for (let s = 0; s < N; s++) {
          const r = Math.floor(s / 400);
          const off = s % 400;
          values[s] = off === 100 ? 10 + (r % 7) : off === 300 ? -10 - (r % 5) : rnd() - 0.5;
        }
        const SPIKE = 123_457;
        const DIP = 77_777;
        values[SPIKE] = 1e6;
        values[DIP] = -1e6;
        const metrics = Array.from(values, (v, s) => metric('big', v, s, 1_000_000 + s));
        await logAll(store, runId, metrics);
        const valueAt = (s: number) => values[s]!;

        for (const points of [1000, 300]) {
          const d = await store.metrics.downsampled(runId, 'big', { points });
          const label = `points=${points}`;
          assert.ok(d.points.length <= points, `${label}: ${d.points.length} points`);
          assert.ok(d.points.length >= points / 4, `${label}: too few points (${d.points.length})`);
          assert.equal(d.downsampled, true);
          assert.equal(d.total, N);
          assert.equal(d.minStep, 0);
          assert.equal(d.maxStep, N - 1);
          assertRealPoints(d.points, valueAt, label);
          const steps = new Set(d.points.map((p) => p.step));
          assert.ok(steps.has(SPIKE), `${label}: the spike is drawn`);
          assert.ok(steps.has(DIP), `${label}: the dip is drawn`);
          // The contract's regions: (maxStep - minStep + 1) / (points / 2) steps each.
          const regions = Math.floor(points / 2);
          const width = N / regions;
          for (let g = 0; g < regions; g++) {
            const lo = Math.ceil(g * width);
            const hi = Math.ceil((g + 1) * width) - 1;
            let max = -Infinity;
            let min = Infinity;
            for (let s = lo; s <= hi; s++) {
              max = Math.max(max, values[s]!);
              min = Math.min(min, values[s]!);
            }
            const inRegion = d.points.filter((p) => p.step >= lo && p.step <= hi).map((p) => p.value);
            assert.ok(inRegion.includes(max), `${label}: region ${g} [${lo}, ${hi}] lost its max ${max}`);
            assert.ok(inRegion.includes(min), `${label}: region ${g} [${lo}, ${hi}] lost its min ${min}`);
          }
        }

        // Zoom: only points inside the range, shape kept there.
        for (const [startStep, endStep, points] of [[50_000, 150_000, 500], [123_000, 124_000, 200], [1000, 1399, 1000]] as const) {
          const z = await store.metrics.downsampled(runId, 'big', { points, startStep, endStep });
          const label = `zoom ${startStep}-${endStep}`;
          assert.ok(z.points.length > 0 && z.points.length <= points, `${label}: ${z.points.length} points`);
          assert.ok(z.points.every((p) => p.step >= startStep && p.step <= endStep), `${label}: a point outside the range`);
          assertRealPoints(z.points, valueAt, label);
          const inside = endStep - startStep + 1;
          if (inside <= points) {
            assert.equal(z.downsampled, false);
            assert.equal(z.points.length, inside, `${label}: whole`);
          }
          if (SPIKE >= startStep && SPIKE <= endStep) assert.ok(z.points.some((p) => p.step === SPIKE), `${label}: spike kept`);
          assert.ok(z.minStep !== null && z.minStep >= startStep && z.maxStep !== null && z.maxStep <= endStep, `${label}: minStep/maxStep`);
          if (z.downsampled) assert.ok(z.total >= inside, `${label}: total ${z.total} for ${inside} values`);
          else assert.equal(z.total, z.points.length, `${label}: total of a whole range`);
        }
      }));

    it('counts a re-sent batch once in downsampled totals', () =>
      withStore(open, async (store) => {
        const runId = await newRun(store);
        const metrics = Array.from({ length: 10_000 }, (_, s) => metric('r', s % 97, s, s));
        await logAll(store, runId, metrics);
        await logAll(store, runId, metrics.slice(2000, 5000));
        for (const points of [100, 10_000]) {
          const d = await store.metrics.downsampled(runId, 'r', { points });
          assert.equal(d.total, 10_000, `points=${points}`);
          assert.ok(d.points.length <= points);
          assert.ok(d.points.some((p) => p.value === 96) && d.points.some((p) => p.value === 0));
        }
      }));
  });
}
