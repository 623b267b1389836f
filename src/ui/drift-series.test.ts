import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkAxis, columnSeries, shareSeries } from './drift-series.js';
import type { ColumnDrift, MonitorRun } from './monitors-client.js';

const col = (column: string, score: number | undefined, drifted: boolean, extra: Partial<ColumnDrift> = {}): ColumnDrift => ({
  column,
  kind: 'num',
  status: 'tested',
  test: 'ks',
  testTitle: 'K-S p-value',
  scoreKind: 'p_value',
  ...(score !== undefined ? { score } : {}),
  threshold: 0.05,
  drifted,
  reference: { count: 38, missing: 0 },
  current: { count: 38, missing: 0 },
  ...extra,
});

const run = (time: number, status: MonitorRun['status'], columns: ColumnDrift[] | null, driftShare = 0.5): MonitorRun => {
  const tested = columns?.filter((c) => c.status === 'tested' && c.derivedFrom === undefined).length ?? 0;
  const drifted = columns?.filter((c) => c.drifted && c.derivedFrom === undefined).length ?? 0;
  return {
    id: `r${time}`,
    monitor: 'm',
    time,
    windowFrom: time - 3600_000,
    windowTo: time,
    status,
    referenceRows: 38,
    currentRows: 38,
    tested,
    drifted,
    share: tested > 0 ? drifted / tested : null,
    error: columns ? null : 'no reference yet',
    alert: null,
    alertError: null,
    report: columns ? { columns, tested, drifted, share: tested ? drifted / tested : 0, driftShare, datasetDrift: tested > 0 && drifted / tested >= driftShare, referenceRows: 38, currentRows: 38, correction: 'none', minRows: 10 } : null,
  };
};

const H = 3600_000;

test('the share chart has one point per check, oldest first, drifted checks marked, gaps where nothing was tested', () => {
  // Newest first, as the API lists them.
  const runs = [run(4 * H, 'ok', [col('age', 0.3, false), col('fare', 0.2, false)], 0.4), run(3 * H, 'drifted', [col('age', 0.001, true), col('fare', 0.2, false)]), run(2 * H, 'error', null)];
  const s = shareSeries(runs, 10 * H);
  assert.deepEqual(s.times, [2 * H, 3 * H, 4 * H]);
  assert.deepEqual(s.values, [null, 0.5, 0]);
  assert.deepEqual(s.marks, [false, true, false]);
  assert.equal(s.driftShare, 0.4, "the newest report's threshold");
  assert.ok(s.from < 2 * H && s.to > 4 * H, 'room on both sides');
  assert.equal(shareSeries([run(H, 'error', null)], 10 * H).driftShare, 0.5, 'the default with no report');
});

test("each column's score per check, in the newest report's order, with its newest threshold; untested checks are gaps", () => {
  const runs = [
    run(3 * H, 'drifted', [col('age', 1e-9, true), col('sex', undefined, false, { status: 'insufficient_data' }), col('fare', 0.3, false, { scoreKind: 'distance', test: 'wasserstein', testTitle: 'Wasserstein distance (normed)', threshold: 0.1 })]),
    run(2 * H, 'ok', [col('age', 0.4, false), col('sex', 0.9, false), col('embarked', 0.7, false)]),
    run(H, 'error', null),
  ];
  const cols = columnSeries(runs);
  assert.deepEqual(cols.map((c) => c.column), ['age', 'fare', 'sex', 'embarked']);
  const age = cols[0]!;
  assert.deepEqual(age.values, [null, 0.4, 1e-9]);
  assert.deepEqual(age.marks, [false, false, true]);
  assert.equal(age.testTitle, 'K-S p-value');
  const fare = cols[1]!;
  assert.equal(fare.scoreKind, 'distance');
  assert.equal(fare.threshold, 0.1);
  assert.deepEqual(fare.values, [null, null, 0.3]);
  assert.deepEqual(cols[2]!.values, [null, 0.9, null], 'sex was not tested in the newest check');
});

test('an adjusted p-value is what the verdict read, so it is what the history shows', () => {
  const [c] = columnSeries([run(H, 'ok', [col('age', 0.01, false, { adjustedScore: 0.05 })])]);
  assert.deepEqual(c!.values, [0.05]);
});

test('the time axis pads the checks, and gives a lone check an hour around it', () => {
  assert.deepEqual(checkAxis([], 10 * H), { from: 9 * H, to: 10 * H });
  assert.deepEqual(checkAxis([5 * H], 10 * H), { from: 4.5 * H, to: 5.5 * H });
  const a = checkAxis([0, 100 * 60_000], 0);
  assert.deepEqual(a, { from: -4 * 60_000, to: 104 * 60_000 });
});
