import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqlStore } from '../src/store/sql/sql-store.js';
import { SqliteAdapter } from '../src/store/sqlite/sqlite-adapter.js';
import { median, startBenchServer } from './harness.js';

const STEPS = 1_000_000;

export async function benchHistory(): Promise<Record<string, number>> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pitwall-history-'));
  const store = await SqlStore.open(new SqliteAdapter({ file: path.join(dataDir, 'pitwall.db'), synchronous: 'NORMAL' }), { defaultArtifactRoot: 'mlflow-artifacts:/' });
  const run = await store.runs.create({ experimentId: '0', userId: 'bench', startTime: 1, runName: 'long', tags: [] });
  const t = performance.now();
  for (let b = 0; b < STEPS / 1000; b++) {
    const metrics = Array.from({ length: 1000 }, (_, i) => {
      const step = b * 1000 + i;
      return { key: 'loss', value: Math.exp(-step / 200_000) + 0.05 * Math.sin(step / 50) + (step === 777_777 ? 5 : 0), timestamp: 1_700_000_000_000 + step, step };
    });
    await store.runs.logBatch(run.info.runId, { metrics, params: [], tags: [] });
  }
  await store.close();
  console.log(`history: wrote ${STEPS.toLocaleString()} steps in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const server = await startBenchServer(dataDir);
  try {
    const url = `${server.url}/api/v1/metrics/curve?run_id=${run.info.runId}&key=loss&points=1000`;
    const times: number[] = [];
    let n = 0;
    let spike = false;
    for (let i = 0; i < 25; i++) {
      const s = performance.now();
      const res = (await (await fetch(url)).json()) as { points: { step: number; value: number }[] };
      times.push(performance.now() - s);
      n = res.points.length;
      spike = res.points.some((p) => p.step === 777_777);
    }
    const med = median(times.slice(5));
    console.log(`history: 1,000,000-step curve downsampled to ${n} points (spike at step 777,777 kept: ${spike}): median ${med.toFixed(1)} ms — goal ≤ 100 ms`);
    const zoom: number[] = [];
    for (let i = 0; i < 10; i++) {
      const s = performance.now();
      await (await fetch(`${url}&start_step=400000&end_step=460000`)).json();
      zoom.push(performance.now() - s);
    }
    console.log(`history: zoomed 60,000-step window: median ${median(zoom).toFixed(1)} ms`);
    return { historyMedianMs: med };
  } finally {
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchHistory();
