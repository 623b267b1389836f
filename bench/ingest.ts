import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqlStore } from '../src/store/sql/sql-store.js';
import { SqliteAdapter } from '../src/store/sqlite/sqlite-adapter.js';
import { pool, post, startBenchServer } from './harness.js';

export const BATCHES = 100;
export const PER_BATCH = 1000;
export const KEYS = 10;

/** The workload: a training loop logging 10 metrics per step, 100 steps per log-batch request. */
export function batchMetrics(b: number, t0: number) {
  const metrics = [];
  for (let i = 0; i < PER_BATCH; i++) {
    const step = b * (PER_BATCH / KEYS) + Math.floor(i / KEYS);
    metrics.push({ key: `metric_${i % KEYS}`, value: Math.exp(-step / 5000) + Math.random() * 0.01, timestamp: t0 + step, step });
  }
  return metrics;
}

/** Raw engine: the same rows through better-sqlite3 prepared inserts, one transaction per batch, same pragmas. */
async function rawInsert(): Promise<number> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pitwall-raw-'));
  const adapter = new SqliteAdapter({ file: path.join(dir, 'raw.db'), synchronous: 'NORMAL' });
  const store = await SqlStore.open(adapter, { defaultArtifactRoot: 'mlflow-artifacts:/' });
  const db = adapter.raw!;
  const ins = db.prepare('INSERT INTO metrics (run_uuid, key, value, timestamp, step, is_nan) VALUES (?, ?, ?, ?, ?, 0) ON CONFLICT DO NOTHING');
  const batches = Array.from({ length: BATCHES }, (_, b) => batchMetrics(b, 1_700_000_000_000));
  const tx = db.transaction((ms: ReturnType<typeof batchMetrics>) => {
    for (const m of ms) ins.run('raw', m.key, m.value, m.timestamp, m.step);
  });
  const t = performance.now();
  for (const b of batches) tx(b);
  const secs = (performance.now() - t) / 1000;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return (BATCHES * PER_BATCH) / secs;
}

let ingestRuns = 0;

/** Ingest timing of one configuration: values/s and the run the values went to. */
export interface IngestResult {
  valuesPerSec: number;
  runId: string;
}

/**
 * The HTTP side of the workload against running servers: one run created through the first, the 100 bodies sent
 * round-robin across all of them (body i to server i mod n) with `concurrency` requests in flight. Each server first
 * gets one warm-up request (JIT, statement caches) on a separate run.
 */
export async function ingestOver(urls: string[], concurrency: number): Promise<IngestResult> {
  const apis = urls.map((u) => `${u}/api/2.0/mlflow`);
  const api = apis[0]!;
  const { experiment_id } = (await post(`${api}/experiments/create`, { name: `bench-${++ingestRuns}` })) as { experiment_id: string };
  const { run } = (await post(`${api}/runs/create`, { experiment_id })) as { run: { info: { run_id: string } } };
  const bodies = Array.from({ length: BATCHES }, (_, b) => JSON.stringify({ run_id: run.info.run_id, metrics: batchMetrics(b, 1_700_000_000_000) }));
  const warm = (await post(`${api}/runs/create`, { experiment_id })) as { run: { info: { run_id: string } } };
  for (const [i, a] of apis.entries()) await post(`${a}/runs/log-batch`, { run_id: warm.run.info.run_id, metrics: batchMetrics(i, 1) });
  const t = performance.now();
  await pool(
    bodies.map((body, i) => ({ body, api: apis[i % apis.length]! })),
    concurrency,
    async ({ body, api: target }) => {
      const r = await fetch(`${target}/runs/log-batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      if (!r.ok) throw new Error(`log-batch ${r.status} ${await r.text()}`);
      await r.arrayBuffer();
    },
  );
  const secs = (performance.now() - t) / 1000;
  return { valuesPerSec: (BATCHES * PER_BATCH) / secs, runId: run.info.run_id };
}

/** Throws unless every value of the workload is in the run's history, read back through `url`. */
export async function checkIngested(url: string, runId: string): Promise<void> {
  for (let k = 0; k < KEYS; k++) {
    const q = new URLSearchParams({ run_id: runId, metric_key: `metric_${k}`, max_results: '25000' });
    const r = await fetch(`${url}/api/2.0/mlflow/metrics/get-history?${q}`);
    const body = (await r.json()) as { metrics?: { step: number }[]; next_page_token?: string };
    const steps = new Set((body.metrics ?? []).map((m) => m.step));
    const want = (BATCHES * PER_BATCH) / KEYS;
    if (!r.ok || body.next_page_token || steps.size !== want) throw new Error(`metric_${k}: ${steps.size} of ${want} steps arrived (${r.status})`);
  }
}

async function httpInsert(concurrency: number): Promise<number> {
  const server = await startBenchServer();
  try {
    return (await ingestOver([server.url], concurrency)).valuesPerSec;
  } finally {
    await server.stop();
  }
}

export async function benchIngest(): Promise<Record<string, number>> {
  const raw = await rawInsert();
  const http1 = await httpInsert(1);
  const http4 = await httpInsert(4);
  const best = Math.max(http1, http4);
  console.log(`ingest: raw better-sqlite3 insert ${Math.round(raw).toLocaleString()} values/s`);
  console.log(`ingest: HTTP log-batch, 1 client   ${Math.round(http1).toLocaleString()} values/s (ratio ${(http1 / raw).toFixed(2)})`);
  console.log(`ingest: HTTP log-batch, 4 clients  ${Math.round(http4).toLocaleString()} values/s (ratio ${(http4 / raw).toFixed(2)}) — goal ≥ 0.30`);
  return { raw, http1, http4, ratio: best / raw };
}

if (import.meta.url === `file://${process.argv[1]}`) await benchIngest();
