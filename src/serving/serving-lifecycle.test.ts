import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../config/index.js';
import { buildServer, startServer } from '../server.js';
import { MNIST_FILE, PASSENGERS, TITANIC_FILE, titanicV2 } from './testing/titanic.js';

const TITANIC = readFileSync(TITANIC_FILE);
const MNIST = readFileSync(MNIST_FILE);
const ROW = titanicV2([PASSENGERS[0]!]);

async function call(app: FastifyInstance, method: string, url: string, body?: unknown): Promise<{ status: number; json: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await app.inject({ method: method as 'GET', url, ...(body === undefined ? {} : { payload: body as object }) });
  return { status: res.statusCode, json: res.body ? JSON.parse(res.body) : undefined };
}

async function registerModel(app: FastifyInstance, name: string, file: string, bytes: Buffer): Promise<void> {
  const put = await app.inject({ method: 'PUT', url: `/api/2.0/mlflow-artifacts/artifacts/m/${name}/${file}`, payload: bytes, headers: { 'content-type': 'application/octet-stream' } });
  assert.equal(put.statusCode, 200, put.body);
  assert.equal((await call(app, 'POST', '/api/2.0/mlflow/registered-models/create', { name })).status, 200);
  assert.equal((await call(app, 'POST', '/api/2.0/mlflow/model-versions/create', { name, source: `mlflow-artifacts:/m/${name}` })).status, 200);
}

async function until(what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.fail(`timed out waiting for ${what}`);
}

describe('serving lifecycle', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'pitwall-serving-'));
    dirs.push(d);
    return d;
  };
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('a second server on the same SQLite file follows edits it cannot hear, including a delete and re-create under the same name', async () => {
    const dataDir = tmp();
    const config = loadConfig({ dataDir, log: { level: 'error' } }, {});
    // Each server's change feed is in-process on SQLite: B learns of A's writes only by polling.
    const a = await buildServer(config, { servingPollMs: 100 });
    const b = await buildServer(config, { servingPollMs: 100 });
    try {
      await registerModel(a.app, 'titanic', 'model.onnx', TITANIC);
      await registerModel(a.app, 'mnist', 'mnist.onnx', MNIST);
      assert.equal((await call(a.app, 'POST', '/api/v1/deployments', { name: 't', model: 'models:/titanic/1' })).status, 200);
      await call(a.app, 'PATCH', '/api/v1/deployments/t', { description: 'second revision' });
      await until('B serves the titanic model', async () => (await call(b.app, 'POST', '/v2/models/t/infer', ROW)).status === 200);
      assert.equal((await call(b.app, 'GET', '/api/v1/deployments/t/status')).json.status.revision, 2);

      assert.equal((await call(a.app, 'DELETE', '/api/v1/deployments/t')).status, 200);
      assert.equal((await call(a.app, 'POST', '/api/v1/deployments', { name: 't', model: 'models:/mnist/1' })).status, 200);
      // Revision 1 again, lower than what B holds: B must still see a new deployment and load MNIST.
      await until('B serves MNIST under the same name', async () => (await call(b.app, 'GET', '/v2/models/t')).json?.inputs?.[0]?.name === 'Input3');
      const old = await call(b.app, 'POST', '/v2/models/t/infer', ROW);
      assert.equal(old.status, 400, 'the titanic inputs no longer fit');
    } finally {
      await b.app.close();
      await a.app.close();
    }
  });

  it('closes within the drain grace period: requests still queued then are answered 503', async () => {
    const dataDir = tmp();
    const s = await startServer({ dataDir, server: { port: 0 }, log: { level: 'error' }, serving: { drainSeconds: 1 } }, { handleSignals: false, quiet: true });
    let closed = false;
    try {
      await registerModel(s.app, 'titanic', 'model.onnx', TITANIC);
      // Batches wait 10 s for company: without a grace period, shutdown would wait for them.
      const created = await call(s.app, 'POST', '/api/v1/deployments', { name: 'slow', model: 'models:/titanic/1', config: { max_batch_size: 64, max_queue_delay_ms: 10_000 } });
      assert.equal(created.status, 200);
      await until('ready', async () => (await call(s.app, 'GET', '/api/v1/deployments/slow/status')).json.status.ready);
      const t0 = Date.now();
      const pending = fetch(`${s.url}/v2/models/slow/infer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ROW) });
      await until('the request is queued', async () => (await call(s.app, 'GET', '/api/v1/deployments/slow/status')).json.status.targets[0].queue.queued === 1);
      const closing = s.close();
      const res = await pending;
      assert.equal(res.status, 503);
      assert.match(((await res.json()) as { error: string }).error, /shut down/);
      await closing;
      closed = true;
      const took = Date.now() - t0;
      assert.ok(took < 5000, `closed in ${took} ms, within the 1 s grace period plus shutdown`);
    } finally {
      if (!closed) await s.close();
    }
  });
});
