import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { TITANIC_FILE } from '../serving/testing/titanic.js';
import { ApiHarness } from './testing/api-harness.js';

/**
 * Deployments whose target is an upstream server from the admin configuration: what the API accepts and refuses, the
 * LLM deadline default, and a failing health check taking the upstream out of rotation. (Relaying through a real
 * upstream is tested end to end in test/e2e/llm-upstream.test.ts.)
 */
describe('deployments of upstream servers', () => {
  let h: ApiHarness;
  let upstream: http.Server;
  let healthy = true;
  const api = (method: string, url: string, body?: unknown) => h.request(method, url, body);

  before(async () => {
    upstream = http.createServer((req, res) => {
      if (req.url === '/health') return void res.writeHead(healthy ? 200 : 503).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [{ id: 'served-model', object: 'model' }] }));
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    h = await ApiHarness.start({ upstreams: { local: { url, api_key: 'sk-never-shown', health_interval_ms: 50 } } });
    const put = await h.app.inject({ method: 'PUT', url: '/api/2.0/mlflow-artifacts/artifacts/m/titanic/model.onnx', payload: readFileSync(TITANIC_FILE), headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(put.statusCode, 200);
    await h.post('/registered-models/create', { name: 'titanic' });
    await h.ok('/model-versions/create', { name: 'titanic', source: 'mlflow-artifacts:/m/titanic' });
  });
  after(async () => {
    await h.close();
    upstream.close();
  });

  const status = async (name: string) => (await api('GET', `/api/v1/deployments/${name}/status`)).json.status;
  const until = async (fn: () => Promise<boolean>) => {
    for (let i = 0; i < 200 && !(await fn()); i++) await new Promise((r) => setTimeout(r, 25));
  };

  it('refuses an upstream the configuration does not name, and an upstream target with model fields', async () => {
    const unknown = await api('POST', '/api/v1/deployments', { name: 'x', model: 'upstream:nope' });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.json.field, 'model');
    assert.match(unknown.json.message, /No upstream named 'nope'.*configured: local/);
    const mixed = await api('POST', '/api/v1/deployments', { name: 'x', targets: [{ upstream: 'local', model: 'titanic' }] });
    assert.equal(mixed.status, 400);
    assert.equal(mixed.json.field, 'targets[0].model');
    const weight = await api('POST', '/api/v1/deployments', { name: 'x', targets: [{ upstream: 'local', weight: 0 }] });
    assert.equal(weight.json.field, 'targets[0].weight');
  });

  it('serves a configured upstream: ready once healthy, LLM deadline by default, never shows the key', async () => {
    const created = await api('POST', '/api/v1/deployments', { name: 'chat', model: 'upstream:local' });
    assert.equal(created.status, 200, created.body);
    assert.deepEqual(created.json.deployment.targets, [{ upstream: 'local', weight: 1 }]);
    assert.equal(created.json.deployment.config.timeout_ms, 300_000);
    await until(async () => (await status('chat')).ready);
    const t = (await status('chat')).targets[0];
    assert.deepEqual([t.upstream, t.available, t.batching, t.state, t.llm.upstream_model], ['local', true, 'upstream', 'ready', 'served-model']);
    const models = await api('GET', '/v1/models');
    assert.deepEqual(models.json.data.map((m: { id: string }) => m.id), ['chat']);
    assert.equal(JSON.stringify([created.json, await status('chat'), models.json]).includes('sk-never'), false);
  });

  it('a deployment switched from an ONNX model to an upstream gets the LLM deadline unless one is given', async () => {
    assert.equal((await api('POST', '/api/v1/deployments', { name: 'sw', model: 'models:/titanic/1' })).json.deployment.config.timeout_ms, 10_000);
    assert.equal((await api('PATCH', '/api/v1/deployments/sw', { model: 'upstream:local' })).json.deployment.config.timeout_ms, 300_000);
    assert.equal((await api('PATCH', '/api/v1/deployments/sw', { model: 'models:/titanic/1', config: { timeout_ms: 2000 } })).json.deployment.config.timeout_ms, 2000);
    assert.equal((await api('PATCH', '/api/v1/deployments/sw', { model: 'upstream:local' })).json.deployment.config.timeout_ms, 2000, 'a deadline set by hand stays');
  });

  it('takes an upstream failing its health checks out of rotation (503 saying so), and back when it recovers', async () => {
    healthy = false;
    await until(async () => (await status('chat')).targets[0].available === false);
    assert.equal((await status('chat')).ready, false);
    const r = await api('POST', '/v1/completions', { model: 'chat', prompt: 'hi' });
    assert.equal(r.status, 503);
    assert.match(r.json.error.message, /upstream local is failing its health checks/);
    healthy = true;
    await until(async () => (await status('chat')).ready);
    assert.equal((await status('chat')).targets[0].available, true);
  });
});
