import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { ApiHarness, type Answer, assertError } from './testing/api-harness.js';
import { MNIST_FILE, PASSENGERS, TITANIC_FILE, titanicV2 } from '../serving/testing/titanic.js';

const TITANIC = readFileSync(TITANIC_FILE);
const MNIST = readFileSync(MNIST_FILE);

describe('deployments and inference routes', () => {
  let h: ApiHarness;
  const api = (method: string, url: string, body?: unknown, headers?: Record<string, string>) => h.request(method, url, body, headers);

  const register = async (model: string, file: string, bytes: Buffer): Promise<string> => {
    const dir = `models-under-test/${model}/${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const res = await h.app.inject({ method: 'PUT', url: `/api/2.0/mlflow-artifacts/artifacts/${dir}/${file}`, payload: bytes, headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(res.statusCode, 200, res.body);
    await h.post('/registered-models/create', { name: model });
    const mv = await h.ok('/model-versions/create', { name: model, source: `mlflow-artifacts:/${dir}` });
    return mv.model_version.version as string;
  };

  const waitReady = async (name: string, version?: string): Promise<Answer> => {
    for (let i = 0; i < 400; i++) {
      const st = await api('GET', `/api/v1/deployments/${name}/status`);
      assert.equal(st.status, 200, st.body);
      const failed = st.json.status.targets.find((t: { state: string }) => t.state === 'failed');
      assert.equal(failed, undefined, `deployment ${name} failed: ${JSON.stringify(failed)}`);
      if (st.json.status.ready && (!version || st.json.status.targets.every((t: { served_version?: string }) => t.served_version === version))) return st;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`deployment ${name} never became ready`);
  };

  before(async () => {
    h = await ApiHarness.start();
    assert.equal(await register('titanic', 'model.onnx', TITANIC), '1');
    assert.equal(await register('titanic', 'model.onnx', TITANIC), '2');
    await h.ok('/registered-models/alias', { name: 'titanic', alias: 'champion', version: '1' });
    assert.equal(await register('mnist', 'mnist.onnx', MNIST), '1');
  });
  after(() => h.close());

  it('creates a deployment following an alias, reports readiness, answers KServe V2', async () => {
    const created = await api('POST', '/api/v1/deployments', { name: 'titanic', model: 'models:/titanic@champion', description: 'survival' });
    assert.equal(created.status, 200, created.body);
    assert.deepEqual(created.json.deployment.targets, [{ model: 'titanic', alias: 'champion', weight: 1 }]);
    assert.equal(created.json.deployment.config.max_batch_size, 32);
    assert.equal(created.json.deployment.revision, 1);
    const st = await waitReady('titanic');
    assert.equal(st.json.status.targets[0].served_version, '1');
    assert.equal(st.json.status.targets[0].batching, 'dynamic');

    const live = await api('GET', '/v2/health/live');
    assert.deepEqual([live.status, live.json], [200, { live: true }]);
    const meta = await api('GET', '/v2/models/titanic');
    assert.equal(meta.status, 200, meta.body);
    assert.equal(meta.json.name, 'titanic');
    assert.deepEqual(meta.json.versions, ['1']);
    assert.deepEqual(
      meta.json.inputs.map((i: { name: string; datatype: string; shape: number[] }) => [i.name, i.datatype, i.shape]),
      [
        ['pclass', 'INT64', [-1, 1]],
        ['sex', 'BYTES', [-1, 1]],
        ['age', 'FP32', [-1, 1]],
        ['fare', 'FP32', [-1, 1]],
        ['embarked', 'BYTES', [-1, 1]],
      ],
    );
    const ready = await api('GET', '/v2/models/titanic/ready');
    assert.equal(ready.status, 200);

    const out = await api('POST', '/v2/models/titanic/infer', { id: 'req-1', ...titanicV2() });
    assert.equal(out.status, 200, out.body);
    assert.equal(out.json.model_name, 'titanic');
    assert.equal(out.json.model_version, '1');
    assert.equal(out.json.id, 'req-1');
    const label = out.json.outputs.find((o: { name: string }) => o.name === 'label');
    const probs = out.json.outputs.find((o: { name: string }) => o.name === 'probabilities');
    assert.deepEqual([label.datatype, label.shape], ['INT64', [3]]);
    assert.deepEqual([probs.datatype, probs.shape], ['FP32', [3, 2]]);
    // The pipeline says a third-class man dies and a first-class woman survives.
    assert.deepEqual(label.data.slice(0, 2), [0, 1]);
    for (let i = 0; i < 3; i++) assert.ok(Math.abs(probs.data[2 * i] + probs.data[2 * i + 1] - 1) < 1e-5);

    const byVersion = await api('POST', '/v2/models/titanic/versions/1/infer', titanicV2());
    assert.equal(byVersion.status, 200, byVersion.body);
    const wrongVersion = await api('POST', '/v2/models/titanic/versions/2/infer', titanicV2());
    assert.equal(wrongVersion.status, 404);
    assert.match(wrongVersion.json.error, /does not serve version 2/);
  });

  it('answers bad inference requests with 4xx and {"error"} naming the tensor', async () => {
    const body = titanicV2();
    body.inputs[2]!.datatype = 'FP64';
    const wrongType = await api('POST', '/v2/models/titanic/infer', body);
    assert.equal(wrongType.status, 400);
    assert.deepEqual(Object.keys(wrongType.json), ['error']);
    assert.match(wrongType.json.error, /age/);
    const missing = await api('POST', '/v2/models/titanic/infer', { inputs: titanicV2().inputs.slice(1) });
    assert.equal(missing.status, 400);
    assert.match(missing.json.error, /pclass/);
    const notJson = await api('POST', '/v2/models/titanic/infer', '{"inputs": [');
    assert.equal(notJson.status, 400);
    assert.equal(typeof notJson.json.error, 'string');
    const unknown = await api('POST', '/v2/models/nope/infer', titanicV2());
    assert.equal(unknown.status, 404);
    assert.match(unknown.json.error, /nope/);
    const badTimeout = await api('POST', '/v2/models/titanic/infer', titanicV2(), { 'x-pitwall-timeout-ms': 'soon' });
    assert.equal(badTimeout.status, 400);
    assert.match(badTimeout.json.error, /x-pitwall-timeout-ms/);
  });

  it('scores MLflow scoring-server bodies at /deployments/{name}/invocations', async () => {
    const columns = ['pclass', 'sex', 'age', 'fare', 'embarked'];
    const split = await api('POST', '/deployments/titanic/invocations', { dataframe_split: { columns, data: PASSENGERS } });
    assert.equal(split.status, 200, split.body);
    // A tensor-based signature (an ONNX model's): MLflow answers a dict of output arrays.
    assert.deepEqual(split.json.predictions.label, [0, 1, 1]);
    assert.equal(split.json.predictions.probabilities.length, 3);
    assert.equal(split.json.predictions.probabilities[0].length, 2);
    const records = await api('POST', '/deployments/titanic/invocations', { dataframe_records: PASSENGERS.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]]))) });
    assert.equal(records.status, 200, records.body);
    assert.deepEqual(records.json, split.json);
    const csv = await h.app.inject({ method: 'POST', url: '/deployments/titanic/invocations', payload: `${columns.join(',')}\n${PASSENGERS.map((r) => r.join(',')).join('\n')}\n`, headers: { 'content-type': 'text/csv' } });
    assert.equal(csv.statusCode, 200, csv.body);
    assert.deepEqual(JSON.parse(csv.body), split.json);
    const bad = await api('POST', '/deployments/titanic/invocations', { dataframe_split: { columns: columns.slice(1), data: PASSENGERS.map((r) => r.slice(1)) } });
    assert.equal(bad.status, 400);
    assert.match(bad.json.message, /pclass/);
    const neither = await api('POST', '/deployments/titanic/invocations', { rows: [] });
    assert.equal(neither.status, 400);
  });

  it('serves a fixed-batch model (MNIST) one request at a time', async () => {
    const created = await api('POST', '/api/v1/deployments', { name: 'digits', model: { model: 'mnist', version: 1 } });
    assert.equal(created.status, 200, created.body);
    const st = await waitReady('digits');
    assert.equal(st.json.status.targets[0].batching, 'none');
    const pixels = Array.from({ length: 784 }, (_, i) => ((i * 37) % 255) / 255);
    const answers = await Promise.all(
      [0, 1, 2, 3].map(() => api('POST', '/v2/models/digits/infer', { inputs: [{ name: 'Input3', datatype: 'FP32', shape: [1, 1, 28, 28], data: pixels }] })),
    );
    for (const a of answers) {
      assert.equal(a.status, 200, a.body);
      assert.deepEqual(a.json.outputs[0].shape, [1, 10]);
      assert.deepEqual(a.json.outputs[0].data, answers[0]!.json.outputs[0].data);
    }
    const batchOfTwo = await api('POST', '/v2/models/digits/infer', { inputs: [{ name: 'Input3', datatype: 'FP32', shape: [2, 1, 28, 28], data: [...pixels, ...pixels] }] });
    assert.equal(batchOfTwo.status, 400);
    assert.match(batchOfTwo.json.error, /Input3/);
  });

  it('swaps in the version an alias moves to without failing a request', async () => {
    let stop = false;
    const statuses: number[] = [];
    const versions = new Set<string>();
    const load = (async () => {
      while (!stop) {
        const a = await api('POST', '/v2/models/titanic/infer', titanicV2());
        statuses.push(a.status);
        if (a.status === 200) versions.add(a.json.model_version);
      }
    })();
    await new Promise((r) => setTimeout(r, 50));
    await h.ok('/registered-models/alias', { name: 'titanic', alias: 'champion', version: '2' });
    await waitReady('titanic', '2');
    // Until requests have reached the new version (on a loaded machine a request can take tens of ms).
    for (const until = Date.now() + 5000; !versions.has('2') && Date.now() < until; ) await new Promise((r) => setTimeout(r, 10));
    stop = true;
    await load;
    assert.ok(statuses.length > 2, `only ${statuses.length} requests ran`);
    assert.deepEqual([...new Set(statuses)], [200], 'every request during the swap succeeded');
    assert.deepEqual([...versions].sort(), ['1', '2']);
    const meta = await api('GET', '/v2/models/titanic');
    assert.deepEqual(meta.json.versions, ['2']);
  });

  it('refuses a full queue at once with 429 and Retry-After, and enforces deadlines with 504', async () => {
    const created = await api('POST', '/api/v1/deployments', { name: 'tight', model: 'models:/titanic/1', config: { max_batch_size: 1, max_queue: 1 } });
    assert.equal(created.status, 200, created.body);
    await waitReady('tight');
    const tooMany = await api('POST', '/v2/models/tight/infer', titanicV2(PASSENGERS.slice(0, 2)));
    assert.equal(tooMany.status, 400, 'a request may not hold more rows than max_batch_size');
    assert.match(tooMany.json.error, /at most 1 per request/);
    const answers = await Promise.all(Array.from({ length: 60 }, () => h.app.inject({ method: 'POST', url: '/v2/models/tight/infer', payload: titanicV2([PASSENGERS[0]!]) })));
    const codes = answers.map((a) => a.statusCode);
    assert.ok(codes.includes(429), `some requests were refused: ${codes.join(',')}`);
    assert.ok(codes.includes(200));
    assert.deepEqual([...new Set(codes)].sort(), [200, 429]);
    const refused = answers.find((a) => a.statusCode === 429)!;
    assert.equal(refused.headers['retry-after'], '1');
    assert.match(JSON.parse(refused.body).error, /queue is full/);

    // A batch that waits a long time for company: a request with a short deadline gets its 504 at the deadline.
    const slow = await api('PATCH', '/api/v1/deployments/tight', { config: { max_batch_size: 64, max_queue: 10, max_queue_delay_ms: 5000 } });
    assert.equal(slow.status, 200, slow.body);
    assert.equal(slow.json.deployment.revision, 2);
    await waitReady('tight');
    for (let i = 0; i < 200 && (await api('GET', '/api/v1/deployments/tight/status')).json.status.targets[0].queue.capacity !== 10; i++) await new Promise((r) => setTimeout(r, 25));
    const t0 = Date.now();
    const late = await api('POST', '/v2/models/tight/infer', titanicV2(), { 'x-pitwall-timeout-ms': '100' });
    assert.equal(late.status, 504, late.body);
    assert.ok(Date.now() - t0 < 2000, 'answered at its deadline, not after the batch delay');
    const mlflowLate = await api('POST', '/deployments/tight/invocations', { dataframe_split: { columns: ['pclass', 'sex', 'age', 'fare', 'embarked'], data: PASSENGERS } }, { 'x-pitwall-timeout-ms': '100' });
    assert.equal(mlflowLate.status, 504);
    assert.equal(mlflowLate.json.error_code, 'DEADLINE_EXCEEDED');
  });

  it('validates deployment writes with the field at fault', async () => {
    assertError(await api('POST', '/api/v1/deployments', { name: 'titanic', model: 'models:/titanic/1' }), 400, 'RESOURCE_ALREADY_EXISTS', 'name');
    assertError(await api('POST', '/api/v1/deployments', { name: 'x', model: 'models:/ghost@champion' }), 404, 'RESOURCE_DOES_NOT_EXIST', 'model');
    assertError(await api('POST', '/api/v1/deployments', { name: 'x', model: 'models:/titanic@nobody' }), 404, 'RESOURCE_DOES_NOT_EXIST', 'model');
    assertError(await api('POST', '/api/v1/deployments', { name: 'x' }), 400, 'INVALID_PARAMETER_VALUE', 'model');
    assertError(await api('POST', '/api/v1/deployments', { name: 'bad name', model: 'models:/titanic/1' }), 400, 'INVALID_PARAMETER_VALUE', 'name');
    assertError(await api('POST', '/api/v1/deployments', { name: 'x', model: 'models:/titanic/1', config: { max_batch_size: 0 } }), 400, 'INVALID_PARAMETER_VALUE', 'config.max_batch_size');
    assertError(await api('POST', '/api/v1/deployments', { name: 'x', model: 'models:/titanic/1', config: { batch: 4 } }), 400, 'INVALID_PARAMETER_VALUE', 'config.batch');
    assertError(await api('POST', '/api/v1/deployments', { name: 'x', targets: [{ model: 'titanic', version: '1', alias: 'champion' }] }), 400, 'INVALID_PARAMETER_VALUE', 'targets[0].alias');
    assertError(await api('PATCH', '/api/v1/deployments/titanic', { revision: 99, description: 'x' }), 409, 'RESOURCE_CONFLICT', 'revision');
    assertError(await api('PATCH', '/api/v1/deployments/titanic', { name: 'y' }), 400, 'INVALID_PARAMETER_VALUE', 'name');
    assertError(await api('GET', '/api/v1/deployments/ghost'), 404, 'RESOURCE_DOES_NOT_EXIST', 'name');
    const list = await api('GET', '/api/v1/deployments');
    assert.deepEqual(
      list.json.deployments.map((d: { name: string }) => d.name),
      ['digits', 'tight', 'titanic'],
    );
  });

  it('stops serving a deleted deployment', async () => {
    const del = await api('DELETE', '/api/v1/deployments/digits');
    assert.equal(del.status, 200, del.body);
    for (let i = 0; i < 100; i++) {
      const a = await api('GET', '/v2/models/digits');
      if (a.status === 404) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.fail('the deleted deployment still answers');
  });
});
