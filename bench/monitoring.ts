// Monitoring benchmark (issue 7): served throughput with the prediction log at 100% vs off (same run), prediction-log
// write capacity into SQLite with bounded memory, and a stats query over 7 days of minute roll-ups for 5 versions.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_DEPLOYMENT_CONFIG, ROLLUP_LATENCY_BOUNDS_MS, type Prediction, type RollupDelta } from '../src/store/index.js';
import { newPredictionId } from '../src/core/ids.js';
import type { MonitoringConfig } from '../src/config/config.js';
import { PredictionLog } from '../src/monitoring/prediction-log.js';
import { PredictionService } from '../src/monitoring/prediction-service.js';
import { RollupWriter } from '../src/monitoring/rollups.js';
import { SqlStore } from '../src/store/sql/sql-store.js';
import { SqliteAdapter } from '../src/store/sqlite/sqlite-adapter.js';
import { deploy, median, post, startBenchServer } from './harness.js';
import { closedLoop } from './http-load.js';
import { TITANIC_MODEL, titanicInputs } from './serving-raw.js';

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const CFG: MonitoringConfig = { bufferSize: 10_000, batchSize: 1000, flushMs: 200, maxPayloadBytes: 65_536, retentionDays: 30, maxRows: 100_000_000 };

async function openStore(dir: string): Promise<SqlStore> {
  return SqlStore.open(new SqliteAdapter({ file: path.join(dir, 'pitwall.db'), synchronous: 'NORMAL' }), { defaultArtifactRoot: 'mlflow-artifacts:/' });
}

/** Served items/s through two deployments of one model, logging 100% and 0%, alternated so drift hits both alike. */
async function loggingOverhead(): Promise<void> {
  const server = await startBenchServer();
  try {
    const url = server.url;
    const put = await fetch(`${url}/api/2.0/mlflow-artifacts/artifacts/bench-models/titanic/model.onnx`, { method: 'PUT', body: readFileSync(TITANIC_MODEL), headers: { 'content-type': 'application/octet-stream' } });
    if (!put.ok) throw new Error(`upload: ${put.status}`);
    await post(`${url}/api/2.0/mlflow/registered-models/create`, { name: 'titanic' });
    await post(`${url}/api/2.0/mlflow/model-versions/create`, { name: 'titanic', source: 'mlflow-artifacts:/bench-models/titanic' });
    const cfg = { max_batch_size: 64, max_queue_delay_ms: 2, max_queue: 512 };
    await deploy(url, 'logged', 'models:/titanic/1', { ...cfg, log_sample_rate: 1 });
    await deploy(url, 'unlogged', 'models:/titanic/1', { ...cfg, log_sample_rate: 0 });
    const body = { inputs: titanicInputs(1) };
    const rate = async (name: string) => {
      const r = await closedLoop({ url: `${url}/v2/models/${name}/infer`, body, concurrency: 32, durationMs: 4000 });
      return r.samples.filter((s) => s.status === 200).length / (r.elapsedMs / 1000);
    };
    await rate('logged');
    await rate('unlogged');
    const on: number[] = [];
    const off: number[] = [];
    for (let i = 0; i < 5; i++) {
      on.push(await rate('logged'));
      off.push(await rate('unlogged'));
    }
    const m = (await (await fetch(`${url}/metrics`)).text()).split('\n');
    const metric = (name: string) => m.filter((l) => l.startsWith(name)).map((l) => Number(l.split(' ').pop())).reduce((a, b) => a + b, 0);
    console.log(`  served titanic (V2, concurrency 32): logging 100% ${fmt(median(on))} req/s, logging off ${fmt(median(off))} req/s`);
    console.log(`  logging on / off: ${(median(on) / median(off)).toFixed(2)}× (goal ≥ 0.9); logged ${fmt(metric('pitwall_prediction_log_written_total'))}, dropped ${fmt(metric('pitwall_prediction_log_dropped_total'))}`);
  } finally {
    await server.stop();
  }
}

/** A titanic-sized prediction: V2 inputs and outputs of one row, an entity key. */
function prediction(i: number, t0: number): Prediction {
  return {
    id: newPredictionId(t0 + i),
    time: t0 + i,
    deployment: 'titanic',
    model: 'titanic',
    version: String(1 + (i % 5)),
    endpoint: '/v2/models/:name/infer',
    status: 200,
    latencyMs: 1.25,
    promptTokens: 0,
    completionTokens: 0,
    costUsd: 0,
    entityKey: `passenger-${i % 10_000}`,
    inputs: JSON.stringify({ inputs: titanicInputs(1) }),
    outputs: '[{"name":"label","datatype":"INT64","shape":[1],"data":[0]},{"name":"probabilities","datatype":"FP32","shape":[1,2],"data":[0.81,0.19]}]',
    truncated: false,
  };
}

/** Predictions/s the log writes into SQLite, fed as fast as it takes them, with the heap bounded by the buffer. */
async function writeCapacity(n = 300_000): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pitwall-bench-log-'));
  const store = await openStore(dir);
  try {
    const log = new PredictionLog(store.predictions, CFG, () => undefined);
    const t0 = Date.now();
    let peakHeap = 0;
    const heap0 = process.memoryUsage().heapUsed;
    const started = performance.now();
    let i = 0;
    while (i < n) {
      // The producer runs until the buffer is full (as a burst of traffic would), then lets the writer catch up.
      while (i < n && log.buffered < CFG.bufferSize) log.add(prediction(i++, t0));
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
      await log.flush();
    }
    const s = (performance.now() - started) / 1000;
    const rows = await store.predictions.count();
    console.log(`  prediction log into SQLite: ${fmt(rows / s)} predictions/s (${fmt(rows)} in ${s.toFixed(1)} s; goal ≥ 20,000/s), dropped ${log.counts.droppedFull + log.counts.droppedError}`);
    console.log(`    heap above start at most ${((peakHeap - heap0) / 1024 / 1024).toFixed(0)} MB (buffer ${fmt(CFG.bufferSize)} predictions)`);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The stats query over 7 days of minute roll-ups for 5 versions (50,400 rows), through the service the API calls. */
async function statsQuery(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pitwall-bench-stats-'));
  const store = await openStore(dir);
  try {
    await store.deployments.create({ name: 'titanic', description: '', targets: [{ model: 'titanic', version: '1', weight: 1 }], config: { ...DEFAULT_DEPLOYMENT_CONFIG } });
    const now = Math.floor(Date.now() / 60_000);
    const minutes = 7 * 1440;
    const deltas: RollupDelta[] = [];
    for (let m = now - minutes; m < now; m++) {
      for (let v = 1; v <= 5; v++) {
        const latency = new Array<number>(ROLLUP_LATENCY_BOUNDS_MS.length + 1).fill(0);
        latency[3] = 50;
        latency[5] = 10;
        deltas.push({ deployment: 'titanic', model: 'titanic', version: String(v), minute: m, values: { requests: 60, errors_5xx: 1, latency_sum_ms: 600, cost_usd: 0.06, feedback_up: 2, feedback_down: 1, class_n: 5, class_correct: 4 }, latency });
      }
    }
    await store.predictions.addRollups(deltas);
    const log = new PredictionLog(store.predictions, CFG, () => undefined);
    const service = new PredictionService(store, log, new RollupWriter(store.predictions));
    const times: number[] = [];
    let points = 0;
    for (let i = 0; i < 12; i++) {
      const t = performance.now();
      const r = await service.stats('titanic', { from: String((now - minutes) * 60_000), to: String(now * 60_000) });
      times.push(performance.now() - t);
      points = r.versions.reduce((n, v) => n + v.points.length, 0);
    }
    console.log(`  stats over 7 days of minute roll-ups, 5 versions (${fmt(deltas.length)} minute rows; default step 1 h, read from the hourly roll-ups → ${fmt(points)} points): median ${median(times.slice(2)).toFixed(1)} ms (goal ≤ 50 ms)`);
    // A step that is not whole hours sums the minute rows themselves.
    const minuteTimes: number[] = [];
    for (let i = 0; i < 6; i++) {
      const t = performance.now();
      await service.stats('titanic', { from: String((now - minutes) * 60_000), to: String(now * 60_000), step: '90m' });
      minuteTimes.push(performance.now() - t);
    }
    console.log(`    the same window at a 90-minute step (summing all ${fmt(deltas.length)} minute rows): median ${median(minuteTimes.slice(1)).toFixed(1)} ms`);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchMonitoring(): Promise<void> {
  console.log('\nmonitoring: prediction logging overhead, prediction-log write capacity, stats query');
  await loggingOverhead();
  await writeCapacity();
  await statsQuery();
}

if (import.meta.url === `file://${process.argv[1]}`) await benchMonitoring();
