// Serving benchmark (issue 5): in-process ceiling vs served over HTTP, dynamic batching on vs off, and overload.
import { readFileSync } from 'node:fs';
import { deploy, post, startBenchServer } from './harness.js';
import { closedLoop, percentile } from './http-load.js';
import { overload } from './serving-overload.js';
import { MLP_MODEL, TITANIC_MODEL, mlpInputs, rawThroughput, titanicInputs } from './serving-raw.js';
import type { Tensor } from '../src/serving/engine.js';

const v2Body = (inputs: Tensor[]) => ({ inputs });
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function register(url: string, name: string, file: string): Promise<void> {
  const put = await fetch(`${url}/api/2.0/mlflow-artifacts/artifacts/bench-models/${name}/model.onnx`, { method: 'PUT', body: readFileSync(file), headers: { 'content-type': 'application/octet-stream' } });
  if (!put.ok) throw new Error(`upload ${name}: ${put.status}`);
  await post(`${url}/api/2.0/mlflow/registered-models/create`, { name });
  await post(`${url}/api/2.0/mlflow/model-versions/create`, { name, source: `mlflow-artifacts:/bench-models/${name}` });
}

/** Items/s of one deployment at concurrency 64 (one row per request), after a warm-up. */
async function served(url: string, name: string, body: unknown, seconds = 5): Promise<{ itemsPerSec: number; p50: number; p99: number; errors: number }> {
  const target = `${url}/v2/models/${name}/infer`;
  await closedLoop({ url: target, body, concurrency: 64, durationMs: 1000 });
  const r = await closedLoop({ url: target, body, concurrency: 64, durationMs: seconds * 1000 });
  const ok = r.samples.filter((s) => s.status === 200);
  const ms = ok.map((s) => s.ms);
  return { itemsPerSec: ok.length / (r.elapsedMs / 1000), p50: percentile(ms, 50), p99: percentile(ms, 99), errors: r.samples.length - ok.length };
}

export async function benchServing(): Promise<void> {
  console.log('\nserving: in-process ceiling, served over HTTP (KServe V2, concurrency 64, one row per request), overload');
  const rawMlp = await rawThroughput(MLP_MODEL, mlpInputs, { batches: [1, 16, 32, 64, 128], threads: [1], compareOrt: false });
  const rawTitanic = await rawThroughput(TITANIC_MODEL, titanicInputs, { batches: [1, 32, 64, 256], threads: [1], compareOrt: false });
  console.log(`  raw onnxruntime (in-process, best batch): MLP ${fmt(rawMlp.itemsPerSec)} items/s at batch ${rawMlp.batch}; titanic ${fmt(rawTitanic.itemsPerSec)} items/s at batch ${rawTitanic.batch}`);

  const server = await startBenchServer();
  try {
    const url = server.url;
    await register(url, 'mlp', MLP_MODEL);
    await register(url, 'titanic', TITANIC_MODEL);
    // A queue of about 1/8 s of work at capacity: enough to fill every batch, short enough to answer in time.
    await deploy(url, 'mlp', 'models:/mlp/1', { max_batch_size: 64, max_queue_delay_ms: 2, max_queue: 128 });
    await deploy(url, 'mlp-unbatched', 'models:/mlp/1', { max_batch_size: 1, max_queue: 512 });
    await deploy(url, 'titanic', 'models:/titanic/1', { max_batch_size: 64, max_queue_delay_ms: 2, max_queue: 512 });
    await deploy(url, 'titanic-unbatched', 'models:/titanic/1', { max_batch_size: 1, max_queue: 512 });
    const mlpBody = v2Body(mlpInputs(1));
    const titanicBody = v2Body(titanicInputs(1));

    const mlpOn = await served(url, 'mlp', mlpBody);
    const mlpOff = await served(url, 'mlp-unbatched', mlpBody);
    const tOn = await served(url, 'titanic', titanicBody);
    const tOff = await served(url, 'titanic-unbatched', titanicBody);
    const line = (label: string, r: Awaited<ReturnType<typeof served>>) =>
      console.log(`  ${label.padEnd(32)} ${fmt(r.itemsPerSec).padStart(7)} items/s   p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms${r.errors ? `, ${r.errors} non-200` : ''}`);
    line('MLP, dynamic batching', mlpOn);
    line('MLP, batching off', mlpOff);
    line('titanic, dynamic batching', tOn);
    line('titanic, batching off', tOff);
    console.log(`  MLP served with batching / raw ceiling:   ${(mlpOn.itemsPerSec / rawMlp.itemsPerSec).toFixed(2)}× (goal ≥ 0.5)`);
    console.log(`  titanic batching on / off:                ${(tOn.itemsPerSec / tOff.itemsPerSec).toFixed(2)}× (goal ≥ 3)`);
    console.log(`  MLP batching on / off:                    ${(mlpOn.itemsPerSec / mlpOff.itemsPerSec).toFixed(2)}×`);

    const o = await overload({ url: `${url}/v2/models/mlp/infer`, body: mlpBody, pid: server.child.pid!, deadlineMs: 2000, durationMs: 10_000 });
    const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
    console.log(`  overload (MLP, 3× capacity for 10 s, deadline 2 s): capacity ${fmt(o.capacityPerSec)}/s, offered ${fmt(o.offeredPerSec)}/s, sent ${fmt(o.sent)}`);
    console.log(`    accepted ${fmt(o.accepted)} (p50 ${o.acceptedMs.p50.toFixed(0)} ms, p99 ${o.acceptedMs.p99.toFixed(0)} ms, max ${o.acceptedMs.max.toFixed(0)} ms; ${o.acceptedLate} past the deadline)`);
    console.log(`    refused 429: ${fmt(o.rejected)} (p50 ${o.rejectedMs.p50.toFixed(1)} ms, p99 ${o.rejectedMs.p99.toFixed(1)} ms; ${o.rejectedWithoutRetryAfter} without Retry-After); 504: ${o.expired}; other: ${o.failed}`);
    console.log(`    RSS steady ${mb(o.steadyRssBytes)}, peak ${mb(o.peakRssBytes)} (${(o.peakRssBytes / o.steadyRssBytes).toFixed(2)}×, goal < 1.5×); process ${o.alive ? 'up' : 'DOWN'}; serving again ${o.recoveryMs.toFixed(0)} ms after the burst (goal < 1000)`);
  } finally {
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchServing();
