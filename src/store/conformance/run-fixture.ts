import type { Store } from '../store.js';
import { type DatasetInput, type Metric, RUN_STATUSES } from '../types.js';
import { metric, prng } from './helpers.js';
import { type DatasetRef, type RunModel, latestValue } from './reference.js';

export interface RunFixture {
  store: Store;
  /** Experiments A and B hold the 50 searched runs (B every fifth); C holds 4 runs that must never leak in. */
  expA: string;
  expB: string;
  expC: string;
  runs: RunModel[];
  /** Looks a run up by name (names are unique in the fixture). */
  byName: (name: string) => RunModel;
}

export const BASE_TIME = 1_700_000_000_000;
const PREFIX = ['Grid', 'Rand', 'Bayes'];
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Generates ~54 runs with varied names, users, start times (with ties), statuses, end times, params, tags, metric
 * histories logged out of order (some latest values NaN or infinite, some metrics missing), dataset inputs, and a
 * few deleted runs. Deterministic: the same data on every run and dialect. Returns the model the reference filter
 * works on.
 */
export async function generateRuns(store: Store, count = 50): Promise<RunFixture> {
  const rnd = prng(2024);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const expA = await store.experiments.create({ name: 'search-a' });
  const expB = await store.experiments.create({ name: 'search-b' });
  const expC = await store.experiments.create({ name: 'search-c' });
  const runs: RunModel[] = [];
  for (let i = 0; i < count + 4; i++) {
    const experimentId = i >= count ? expC : i % 5 === 4 ? expB : expA;
    const runName = `${PREFIX[i % 3]}${pad(i)}`;
    const startTime = BASE_TIME + Math.floor(rnd() * 30) * 1000;
    const userId = pick(['alice', 'bob', 'carol']);
    const tags: Record<string, string> = { 'mlflow.runName': runName };
    if (i % 4 !== 3) tags.team = ['red', 'green', 'blue'][i % 3]!;
    const note = ['Baseline', 'baseline run', 'tuned'][i % 5];
    if (note !== undefined) tags.note = note;
    const created = await store.runs.create({ experimentId, userId, startTime, runName, tags: Object.entries(tags).filter(([k]) => k !== 'mlflow.runName').map(([key, value]) => ({ key, value })) });
    const runId = created.info.runId;

    const params: Record<string, string> = { lr: pick(['0.1', '0.01', '0.001']) };
    if (rnd() > 0.2) params.batch = pick(['016', '032', '064', '128']);
    if (i % 7 !== 0) params.opt = ['Adam', 'adam', 'sgd'][i % 3]!;

    const metrics: Metric[] = [];
    const latest: Record<string, number> = {};
    if (i % 6 !== 5) {
      const n = 1 + Math.floor(rnd() * 4);
      const hist = Array.from({ length: n }, (_, j) => metric('loss', Math.round(rnd() * 2000) / 1000, Math.floor(rnd() * 20), 10_000 + j * 37 + i));
      if (i % 13 === 0) hist.push(metric('loss', Number.NaN, 100, 1));
      metrics.push(...hist.reverse());
      latest.loss = latestValue(hist);
    }
    if (i % 4 !== 2) {
      const acc = i === 7 ? Number.POSITIVE_INFINITY : i === 8 ? Number.NEGATIVE_INFINITY : Math.round(rnd() * 1000) / 1000;
      metrics.push(metric('acc', acc, 0, 5));
      latest.acc = acc;
    }
    await store.runs.logBatch(runId, { metrics, params: Object.entries(params).map(([key, value]) => ({ key, value })), tags: [] });

    const datasets: DatasetRef[] = [];
    const inputs: DatasetInput[] = [];
    const addDataset = (name: string, digest: string, context?: string) => {
      datasets.push(context === undefined ? { name, digest } : { name, digest, context });
      inputs.push({ tags: context === undefined ? [] : [{ key: 'mlflow.data.context', value: context }], dataset: { name, digest, sourceType: 'local', source: `/data/${name}` } });
    };
    if (i % 3 === 0) addDataset('train', i % 2 ? 'aaa1' : 'bbb2', 'training');
    if (i % 6 === 0) addDataset('Eval', 'ccc3', 'eval');
    if (i % 11 === 5) addDataset('holdout', 'ddd4');
    if (inputs.length > 0) await store.runs.logInputs(runId, inputs, []);

    const status = RUN_STATUSES[i % 5]!;
    const endTime = status === 'FINISHED' || status === 'FAILED' || status === 'KILLED' ? startTime + 1000 * (1 + (i % 9)) : null;
    if (status !== 'RUNNING') await store.runs.update(runId, endTime === null ? { status } : { status, endTime });

    const deleted = i % 8 === 3;
    if (deleted) await store.runs.delete(runId);
    runs.push({ runId, runName, experimentId, userId, status, startTime, endTime, lifecycleStage: deleted ? 'deleted' : 'active', params, tags, latest, datasets });
  }
  const byName = (name: string): RunModel => {
    const r = runs.find((x) => x.runName === name);
    if (!r) throw new Error(`fixture has no run ${name}`);
    return r;
  };
  return { store, expA, expB, expC, runs, byName };
}
