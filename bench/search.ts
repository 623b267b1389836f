import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqlStore } from '../src/store/sql/sql-store.js';
import { SqliteAdapter } from '../src/store/sqlite/sqlite-adapter.js';
import { median, post, startBenchServer } from './harness.js';

const RUNS = 10_000;
const LRS = ['0.1', '0.01', '0.001', '0.0001'];

/** 10,000 runs with 5 params, 5 metrics and 3 tags each, written through the store (seeding is not measured). */
async function seed(dataDir: string): Promise<string> {
  const store = await SqlStore.open(new SqliteAdapter({ file: path.join(dataDir, 'pitwall.db'), synchronous: 'NORMAL' }), { defaultArtifactRoot: 'mlflow-artifacts:/' });
  const expId = await store.experiments.create({ name: 'search-bench' });
  const t0 = 1_700_000_000_000;
  for (let i = 0; i < RUNS; i++) {
    const run = await store.runs.create({ experimentId: expId, userId: 'bench', startTime: t0 + i * 1000, runName: `run-${i}`, tags: [] });
    await store.runs.logBatch(run.info.runId, {
      params: [
        { key: 'lr', value: LRS[i % 4]! },
        { key: 'batch_size', value: String(16 << (i % 4)) },
        { key: 'optimizer', value: i % 3 ? 'adam' : 'sgd' },
        { key: 'layers', value: String(2 + (i % 5)) },
        { key: 'dropout', value: String((i % 10) / 20) },
      ],
      metrics: ['loss', 'acc', 'f1', 'val_loss', 'val_acc'].map((key, k) => ({ key, value: ((i * 7919 + k * 104729) % 1000) / 1000, timestamp: t0 + i, step: 100 })),
      tags: [
        { key: 'team', value: i % 2 ? 'vision' : 'nlp' },
        { key: 'stage', value: i % 5 ? 'dev' : 'prod' },
        { key: 'gpu', value: `a100-${i % 8}` },
      ],
    });
  }
  await store.close();
  return expId;
}

export async function benchSearch(): Promise<Record<string, number>> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pitwall-search-'));
  const t = performance.now();
  const expId = await seed(dataDir);
  console.log(`search: seeded ${RUNS.toLocaleString()} runs in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const server = await startBenchServer(dataDir);
  try {
    const body = { experiment_ids: [expId], filter: "metrics.loss < 0.5 and params.lr = '0.01'", order_by: ['metrics.acc DESC'], max_results: 100 };
    const times: number[] = [];
    let count = 0;
    for (let i = 0; i < 25; i++) {
      const s = performance.now();
      const res = (await post(`${server.url}/api/2.0/mlflow/runs/search`, body)) as { runs: unknown[] };
      times.push(performance.now() - s);
      count = res.runs.length;
    }
    const med = median(times.slice(5));
    console.log(`search: "${body.filter}" ordered by metrics.acc, ${count} results: median ${med.toFixed(1)} ms over 20 requests — goal ≤ 30 ms`);
    const unfiltered: number[] = [];
    for (let i = 0; i < 10; i++) {
      const s = performance.now();
      await post(`${server.url}/api/2.0/mlflow/runs/search`, { experiment_ids: [expId], max_results: 100, page_token: Buffer.from(JSON.stringify({ offset: 5000 })).toString('base64') });
      unfiltered.push(performance.now() - s);
    }
    console.log(`search: page at offset 5,000, default order: median ${median(unfiltered).toFixed(1)} ms`);
    return { searchMedianMs: med };
  } finally {
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchSearch();
