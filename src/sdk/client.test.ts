import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { PitwallClient } from './client.js';
import { PitwallApiError, PitwallNetworkError } from './errors.js';
import { type FakeServer, startFakeServer } from './testing/fake-server.js';

const RUN_INFO = {
  run_id: 'r1',
  run_uuid: 'r1',
  run_name: 'calm-owl',
  experiment_id: '1',
  user_id: 'ana',
  status: 'RUNNING',
  start_time: 1700000000000,
  artifact_uri: 'mlflow-artifacts:/1/r1/artifacts',
  lifecycle_stage: 'active',
};

function run(id: string): unknown {
  return { info: { ...RUN_INFO, run_id: id, run_uuid: id }, data: {} };
}

describe('PitwallClient', () => {
  let fake: FakeServer;
  let client: PitwallClient;

  before(async () => {
    fake = await startFakeServer({
      'POST /api/2.0/mlflow/experiments/create': { json: { experiment_id: '7' } },
      'GET /api/2.0/mlflow/experiments/get-by-name': (req) =>
        req.query.get('experiment_name') === 'a b&c/ü'
          ? { json: { experiment: { experiment_id: '3', name: 'a b&c/ü', artifact_location: 'x', lifecycle_stage: 'active', creation_time: '1700000000000', last_update_time: 1 } } }
          : { status: 404, json: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Could not find experiment', field: 'experiment_name' } },
      'POST /api/2.0/mlflow/runs/log-metric': { json: {} },
      'POST /api/2.0/mlflow/runs/log-batch': { json: {} },
      'GET /api/2.0/mlflow/runs/get': {
        json: {
          run: {
            info: { ...RUN_INFO, end_time: '1700000005000' },
            data: {
              metrics: [
                { key: 'nan', value: 'NaN', timestamp: 1, step: 0 },
                { key: 'ninf', value: '-Infinity', timestamp: 1, step: 0 },
                { key: 'inf', value: 'Infinity', timestamp: 1, step: 0 },
                { key: 'loss', value: 0.25, timestamp: '1700000001000', step: '12' },
              ],
            },
          },
        },
      },
      'GET /api/2.0/mlflow/metrics/get-history-bulk-interval': { json: { metrics: [{ key: 'loss', value: 'NaN', timestamp: 5, step: 2, run_id: 'r2' }] } },
      'GET /api/2.0/mlflow/metrics/get-history': { json: {} },
      'GET /api/v1/metrics/curve': {
        json: { run_id: 'r1', key: 'loss', total: 5000, downsampled: true, min_step: 0, max_step: 4999, points: [{ step: 0, value: 'Infinity', timestamp: 9 }] },
      },
      'POST /api/2.0/mlflow/runs/search': (req) => {
        const token = (req.body as { page_token?: string }).page_token;
        if (token === undefined) return { json: { runs: [run('a'), run('b')], next_page_token: 'p2' } };
        if (token === 'p2') return { json: { runs: [run('c')], next_page_token: 'p3' } };
        return { json: {} }; // last page: MLflow omits the empty repeated field and the token
      },
      'POST /api/2.0/mlflow/runs/update': { json: { run_info: { ...RUN_INFO, status: 'FINISHED', end_time: 1700000009000 } } },
      'GET /health': { text: 'OK' },
    });
    client = new PitwallClient({ baseUrl: `${fake.url}/`, headers: { authorization: 'Bearer t0k' } });
  });

  after(() => fake.close());

  it('sends POST bodies as JSON with proto field names, leaving out absent fields', async () => {
    const id = await client.createExperiment('exp', { tags: { team: 'nlp' } });
    assert.equal(id, '7');
    const req = fake.calls('POST /api/2.0/mlflow/experiments/create').at(-1)!;
    assert.equal(req.headers['content-type'], 'application/json');
    assert.equal(req.headers.authorization, 'Bearer t0k');
    assert.deepEqual(req.body, { name: 'exp', tags: [{ key: 'team', value: 'nlp' }] });
  });

  it('encodes GET parameters in the query string, URL-escaped', async () => {
    const e = await client.getExperimentByName('a b&c/ü');
    assert.equal(e.experiment_id, '3');
    assert.equal(e.creation_time, 1700000000000, 'int64 given as a string is decoded to a number');
  });

  it('repeats the key for repeated GET fields and omits absent ones', async () => {
    const metrics = await client.getMetricHistoryBulkInterval({ runIds: ['r1', 'r2'], metricKey: 'loss', startStep: 0, endStep: 10 });
    const req = fake.calls('GET /api/2.0/mlflow/metrics/get-history-bulk-interval').at(-1)!;
    assert.deepEqual(req.query.getAll('run_ids'), ['r1', 'r2']);
    assert.equal(req.query.get('metric_key'), 'loss');
    assert.equal(req.query.get('start_step'), '0');
    assert.equal(req.query.has('max_results'), false);
    assert.equal(metrics.length, 1);
    assert.ok(Number.isNaN(metrics[0]!.value));
    assert.equal(metrics[0]!.run_id, 'r2');
  });

  it('encodes non-finite metric values as MLflow strings', async () => {
    const before = Date.now();
    await client.logMetric({ runId: 'r1', key: 'loss', value: NaN });
    await client.logBatch({ runId: 'r1', metrics: [{ key: 'a', value: Infinity, step: 3, timestamp: 11 }, { key: 'b', value: -Infinity }] });
    const single = fake.calls('POST /api/2.0/mlflow/runs/log-metric').at(-1)!.body as Record<string, unknown>;
    assert.equal(single.value, 'NaN');
    assert.equal(single.step, 0);
    assert.ok((single.timestamp as number) >= before, 'timestamp defaults to now');
    const batch = fake.calls('POST /api/2.0/mlflow/runs/log-batch').at(-1)!.body as { metrics: Array<Record<string, unknown>> };
    assert.deepEqual(batch.metrics[0], { key: 'a', value: 'Infinity', timestamp: 11, step: 3 });
    assert.equal(batch.metrics[1]!.value, '-Infinity');
  });

  it('decodes "NaN"/"Infinity" metric values and int64 strings in runs', async () => {
    const r = await client.getRun('r1');
    assert.equal(fake.calls('GET /api/2.0/mlflow/runs/get').at(-1)!.query.get('run_id'), 'r1');
    const byKey = Object.fromEntries(r.data.metrics!.map((m) => [m.key, m]));
    assert.ok(Number.isNaN(byKey.nan!.value));
    assert.equal(byKey.ninf!.value, -Infinity);
    assert.equal(byKey.inf!.value, Infinity);
    assert.deepEqual(byKey.loss, { key: 'loss', value: 0.25, timestamp: 1700000001000, step: 12 });
    assert.equal(r.info.end_time, 1700000005000);
  });

  it('maps an MLflow error body to PitwallApiError with status, code, message and field', async () => {
    await assert.rejects(client.getExperimentByName('nope'), (e: unknown) => {
      assert.ok(e instanceof PitwallApiError);
      assert.equal(e.status, 404);
      assert.equal(e.errorCode, 'RESOURCE_DOES_NOT_EXIST');
      assert.equal(e.message, 'Could not find experiment');
      assert.equal(e.field, 'experiment_name');
      return true;
    });
  });

  it('maps a non-JSON error (an HTML 404) to HTTP_<status> with a readable message', async () => {
    const html = await startFakeServer({
      'GET /api/2.0/mlflow/runs/get': { status: 404, text: '<html><body><h1>Not Found</h1></body></html>', contentType: 'text/html' },
    });
    try {
      await assert.rejects(new PitwallClient({ baseUrl: html.url }).getRun('r1'), (e: unknown) => {
        assert.ok(e instanceof PitwallApiError);
        assert.equal(e.status, 404);
        assert.equal(e.errorCode, 'HTTP_404');
        assert.match(e.message, /^GET \/api\/2\.0\/mlflow\/runs\/get answered 404 Not Found: Not Found$/);
        return true;
      });
    } finally {
      await html.close();
    }
  });

  it('pages through every run with iterateRuns, sending each next_page_token', async () => {
    const ids: string[] = [];
    for await (const r of client.iterateRuns({ experimentIds: ['1', '2'], maxResults: 2, orderBy: ['metrics.loss ASC'] })) ids.push(r.info.run_id);
    assert.deepEqual(ids, ['a', 'b', 'c']);
    const bodies = fake.calls('POST /api/2.0/mlflow/runs/search').map((r) => r.body as Record<string, unknown>);
    assert.deepEqual(bodies.map((b) => b.page_token), [undefined, 'p2', 'p3']);
    assert.deepEqual(bodies[0], { experiment_ids: ['1', '2'], max_results: 2, order_by: ['metrics.loss ASC'] });
  });

  it('returns empty lists when the server omits empty repeated fields', async () => {
    const h = await client.getMetricHistory({ runId: 'r1', metricKey: 'loss' });
    assert.deepEqual(h, { metrics: [] });
  });

  it('decodes the downsampled curve', async () => {
    const c = await client.getMetricCurve({ runId: 'r1', key: 'loss', points: 200, startStep: 10 });
    const q = fake.calls('GET /api/v1/metrics/curve').at(-1)!.query;
    assert.equal(q.get('points'), '200');
    assert.equal(q.get('start_step'), '10');
    assert.equal(q.has('end_step'), false);
    assert.equal(c.downsampled, true);
    assert.equal(c.points[0]!.value, Infinity);
  });

  it('updateRun returns the decoded run info', async () => {
    const info = await client.updateRun({ runId: 'r1', status: 'FINISHED', endTime: 1700000009000 });
    assert.equal(info.status, 'FINISHED');
    assert.deepEqual(fake.calls('POST /api/2.0/mlflow/runs/update').at(-1)!.body, { run_id: 'r1', status: 'FINISHED', end_time: 1700000009000 });
  });

  it('health() resolves with the body of /health', async () => {
    assert.equal(await client.health(), 'OK');
  });

  it('wraps a refused connection in a PitwallNetworkError naming the URL', async () => {
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((r) => probe.close(() => r()));
    const dead = new PitwallClient({ baseUrl: `http://127.0.0.1:${port}` });
    await assert.rejects(dead.getRun('r1'), (e: unknown) => {
      assert.ok(e instanceof PitwallNetworkError);
      assert.equal(e.message, `cannot reach Pitwall at http://127.0.0.1:${port} — is \`pitwall server\` running? (ECONNREFUSED)`);
      assert.equal(e.timedOut, false);
      return true;
    });
  });

  it('gives up after timeoutMs on a server that never answers', async () => {
    const silent = http.createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const { port } = silent.address() as AddressInfo;
    try {
      const slow = new PitwallClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 100 });
      const t0 = Date.now();
      await assert.rejects(slow.getRun('r1'), (e: unknown) => e instanceof PitwallNetworkError && e.timedOut && /within 100 ms/.test(e.message));
      assert.ok(Date.now() - t0 < 2000);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it('rejects a base URL that is not http(s)', () => {
    assert.throws(() => new PitwallClient({ baseUrl: 'file:///tmp/mlruns' }), /only http and https/);
    assert.throws(() => new PitwallClient({ baseUrl: 'not a url' }), /invalid Pitwall URL/);
  });
});
