import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqlStore } from '../src/store/sql/sql-store.js';
import { SqliteAdapter } from '../src/store/sqlite/sqlite-adapter.js';
import { pool, post, startBenchServer } from './harness.js';

const BATCHES = 100;
const PER_BATCH = 1000;
const KEYS = 10;

/** The workload: a training loop logging 10 metrics per step, 100 steps per log-batch request. */
function batchMetrics(b: number, t0: number) {
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

async function httpInsert(concurrency: number): Promise<number> {
  const server = await startBenchServer();
  try {
    const api = `${server.url}/api/2.0/mlflow`;
    const { experiment_id } = (await post(`${api}/experiments/create`, { name: 'bench' })) as { experiment_id: string };
    const { run } = (await post(`${api}/runs/create`, { experiment_id })) as { run: { info: { run_id: string } } };
    const bodies = Array.from({ length: BATCHES }, (_, b) => JSON.stringify({ run_id: run.info.run_id, metrics: batchMetrics(b, 1_700_000_000_000) }));
    // Warm-up request (JIT, statement caches) on a separate run.
    const warm = (await post(`${api}/runs/create`, { experiment_id })) as { run: { info: { run_id: string } } };
    await post(`${api}/runs/log-batch`, { run_id: warm.run.info.run_id, metrics: batchMetrics(0, 1) });
    const t = performance.now();
    await pool(bodies, concurrency, async (body) => {
      const r = await fetch(`${api}/runs/log-batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      if (!r.ok) throw new Error(`log-batch ${r.status} ${await r.text()}`);
      await r.arrayBuffer();
    });
    const secs = (performance.now() - t) / 1000;
    return (BATCHES * PER_BATCH) / secs;
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
