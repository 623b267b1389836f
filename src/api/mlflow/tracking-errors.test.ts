import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiHarness, assertError } from '../testing/api-harness.js';

const T0 = 1_700_000_000_000;
const UNKNOWN_RUN = '0123456789abcdef0123456789abcdef';
const metrics = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `m${i}`, value: i, timestamp: T0, step: 0 }));
const kvs = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: 'v' }));

describe('MLflow tracking routes: errors', () => {
  let h: ApiHarness;
  let exp: string;
  let run: string;
  before(async () => {
    h = await ApiHarness.start();
    exp = await h.createExperiment('errors');
    run = await h.createRun(exp);
  });
  after(() => h.close());

  it("answers MLflow's limits with 400 INVALID_PARAMETER_VALUE naming the field", async () => {
    const cases: [string, Record<string, unknown>, string | RegExp][] = [
      ['a 1,001-metric batch', { metrics: metrics(1001) }, 'metrics'],
      ['a 101-param batch', { params: kvs(101) }, 'params'],
      ['a 101-tag batch', { tags: kvs(101) }, 'tags'],
      ['1,001 entities in all', { metrics: metrics(900), params: kvs(100), tags: kvs(1) }, 'metrics'],
      ['a 251-character metric key', { metrics: [{ key: 'k'.repeat(251), value: 1, timestamp: T0 }] }, 'metrics[0].key'],
      ['a key with *', { metrics: [{ key: 'a*b', value: 1, timestamp: T0 }] }, 'metrics[0].key'],
      ['a key a/../b', { params: [{ key: 'a/../b', value: '1' }] }, 'params[0].key'],
      ['a key with a leading /', { tags: [{ key: '/abs', value: '1' }] }, 'tags[0].key'],
      ['a missing timestamp', { metrics: [{ key: 'm', value: 1 }] }, 'metrics[0].timestamp'],
      ['a negative timestamp', { metrics: [{ key: 'm', value: 1, timestamp: -1 }] }, 'metrics[0].timestamp'],
      ['a missing metric value', { metrics: [{ key: 'm', timestamp: T0 }] }, 'metrics[0].value'],
    ];
    for (const [what, body, field] of cases) {
      await test(what, h.post('/runs/log-batch', { run_id: run, ...body }), 400, 'INVALID_PARAMETER_VALUE', field);
    }
    const exactly = await h.post('/runs/log-batch', { run_id: run, metrics: metrics(1000) });
    assert.equal(exactly.status, 200, '1,000 metrics is within the limit');
    await test('log-metric without timestamp', h.post('/runs/log-metric', { run_id: run, key: 'm', value: 1 }), 400, 'INVALID_PARAMETER_VALUE', 'timestamp');
    await test('log-parameter with a bad key', h.post('/runs/log-parameter', { run_id: run, key: 'a*', value: '1' }), 400, 'INVALID_PARAMETER_VALUE', 'key');
    await test('set-tag with a 251-char key', h.post('/runs/set-tag', { run_id: run, key: 'k'.repeat(251), value: '1' }), 400, 'INVALID_PARAMETER_VALUE', 'key');
    await test('OR in a filter', h.post('/runs/search', { experiment_ids: [exp], filter: 'metrics.a > 1 OR metrics.b > 2' }), 400, 'INVALID_PARAMETER_VALUE', 'filter');
    await test('a ~ comparator', h.post('/runs/search', { experiment_ids: [exp], filter: 'metrics.a ~ 1' }), 400, 'INVALID_PARAMETER_VALUE', 'filter');
    await test('OR in an experiment filter', h.post('/experiments/search', { filter: "name = 'a' OR name = 'b'" }), 400, 'INVALID_PARAMETER_VALUE', 'filter');
    await test('runs max_results 50,001', h.post('/runs/search', { experiment_ids: [exp], max_results: 50_001 }), 400, 'INVALID_PARAMETER_VALUE', 'max_results');
    await test('experiments max_results 50,001', h.get('/experiments/search', { max_results: '50001' }), 400, 'INVALID_PARAMETER_VALUE', 'max_results');
    assert.equal((await h.post('/runs/search', { experiment_ids: [exp], max_results: 50_000 })).status, 200);
    await test('a 501-char experiment name', h.post('/experiments/create', { name: 'n'.repeat(501) }), 400, 'INVALID_PARAMETER_VALUE', 'name');
    await test('a bad page token', h.post('/runs/search', { experiment_ids: [exp], page_token: 'not-a-token' }), 400, 'INVALID_PARAMETER_VALUE', 'page_token');
  });

  it('changing a param is 400 INVALID_PARAMETER_VALUE and keeps the first value', async () => {
    await h.ok('/runs/log-parameter', { run_id: run, key: 'fixed', value: 'a' });
    await h.ok('/runs/log-parameter', { run_id: run, key: 'fixed', value: 'a' });
    await test('a changed param', h.post('/runs/log-parameter', { run_id: run, key: 'fixed', value: 'b' }), 400, 'INVALID_PARAMETER_VALUE', 'params');
    const { run: got } = await h.okGet('/runs/get', { run_id: run });
    assert.equal(got.data.params.find((p: { key: string }) => p.key === 'fixed').value, 'a');
  });

  it('an existing experiment name is 400 RESOURCE_ALREADY_EXISTS', async () => {
    await test('create', h.post('/experiments/create', { name: 'errors' }), 400, 'RESOURCE_ALREADY_EXISTS', 'name');
    const other = await h.createExperiment('errors-other');
    await test('rename', h.post('/experiments/update', { experiment_id: other, new_name: 'errors' }), 400, 'RESOURCE_ALREADY_EXISTS', 'name');
  });

  it('truncates long param values to 6,000 and tag values to 8,000 characters, with a 200', async () => {
    await h.ok('/runs/log-parameter', { run_id: run, key: 'long', value: 'p'.repeat(7000) });
    await h.ok('/runs/set-tag', { run_id: run, key: 'long', value: 't'.repeat(9000) });
    await h.ok('/runs/log-batch', { run_id: run, params: [{ key: 'long2', value: 'q'.repeat(6001) }], tags: [{ key: 'long2', value: 'u'.repeat(8001) }] });
    const { run: got } = await h.okGet('/runs/get', { run_id: run });
    const find = (list: { key: string; value: string }[], k: string) => list.find((x) => x.key === k)!.value;
    assert.equal(find(got.data.params, 'long'), 'p'.repeat(6000));
    assert.equal(find(got.data.tags, 'long'), 't'.repeat(8000));
    assert.equal(find(got.data.params, 'long2').length, 6000);
    assert.equal(find(got.data.tags, 'long2').length, 8000);
  });

  it('answers unknown runs and experiments in every endpoint with 404 RESOURCE_DOES_NOT_EXIST', async () => {
    const runCases: [string, string, Record<string, unknown>][] = [
      ['GET', '/runs/get', {}],
      ['POST', '/runs/update', { status: 'FINISHED' }],
      ['POST', '/runs/delete', {}],
      ['POST', '/runs/restore', {}],
      ['POST', '/runs/log-metric', { key: 'm', value: 1, timestamp: T0 }],
      ['POST', '/runs/log-parameter', { key: 'p', value: '1' }],
      ['POST', '/runs/set-tag', { key: 't', value: '1' }],
      ['POST', '/runs/delete-tag', { key: 't' }],
      ['POST', '/runs/log-batch', { metrics: metrics(1) }],
      ['POST', '/runs/log-inputs', { datasets: [] }],
      ['POST', '/runs/outputs', { models: [{ model_id: 'm' }] }],
      ['POST', '/runs/log-model', { model_json: '{}' }],
      ['GET', '/metrics/get-history', { metric_key: 'm' }],
    ];
    for (const id of [UNKNOWN_RUN, 'not-a-run', "x' OR '1'='1"]) {
      for (const [method, path, extra] of runCases) {
        const a = method === 'GET' ? await h.get(path, { run_id: id, ...(extra as Record<string, string>) }) : await h.post(path, { run_id: id, ...extra });
        await test(`${path} ${id}`, Promise.resolve(a), 404, 'RESOURCE_DOES_NOT_EXIST', 'run_id');
      }
    }
    await test('bulk interval', h.get('/metrics/get-history-bulk-interval', { run_ids: [run, UNKNOWN_RUN], metric_key: 'm' }), 404, 'RESOURCE_DOES_NOT_EXIST', 'run_id');
    await test('curve', h.get('/metrics/curve', { run_id: UNKNOWN_RUN, key: 'm' }, '/api/v1'), 404, 'RESOURCE_DOES_NOT_EXIST', 'run_id');
    const expCases: [string, string, Record<string, unknown>][] = [
      ['GET', '/experiments/get', {}],
      ['POST', '/experiments/update', { new_name: 'zz' }],
      ['POST', '/experiments/delete', {}],
      ['POST', '/experiments/restore', {}],
      ['POST', '/experiments/set-experiment-tag', { key: 'k', value: 'v' }],
      ['POST', '/experiments/delete-experiment-tag', { key: 'k' }],
      ['POST', '/runs/create', {}],
    ];
    for (const id of ['424242', 'abc', '-1', '1e3', '99999999999999999999999']) {
      for (const [method, path, extra] of expCases) {
        const a = method === 'GET' ? await h.get(path, { experiment_id: id }) : await h.post(path, { experiment_id: id, ...extra });
        await test(`${path} ${id}`, Promise.resolve(a), 404, 'RESOURCE_DOES_NOT_EXIST', 'experiment_id');
      }
    }
    await test('get-by-name', h.get('/experiments/get-by-name', { experiment_name: 'no such experiment' }), 404, 'RESOURCE_DOES_NOT_EXIST', 'experiment_name');
    await test('delete-tag of a missing run tag', h.post('/runs/delete-tag', { run_id: run, key: 'never' }), 404, 'RESOURCE_DOES_NOT_EXIST', 'key');
    await test('delete-tag of a missing experiment tag', h.post('/experiments/delete-experiment-tag', { experiment_id: exp, key: 'never' }), 404, 'RESOURCE_DOES_NOT_EXIST', 'key');
    const search = await h.post('/runs/search', { experiment_ids: ['424242', 'abc'] });
    assert.equal(search.status, 200, 'searching unknown experiments finds nothing, it is not an error');
    assert.deepEqual(search.json.runs, []);
  });

  it('refuses writes to deleted runs and experiments with 400 INVALID_PARAMETER_VALUE', async () => {
    const e = await h.createExperiment('errors-deleted');
    const r = await h.createRun(e);
    await h.ok('/runs/delete', { run_id: r });
    await test('log to a deleted run', h.post('/runs/log-metric', { run_id: r, key: 'm', value: 1, timestamp: T0 }), 400, 'INVALID_PARAMETER_VALUE', 'run_id');
    await h.ok('/experiments/delete', { experiment_id: e });
    await test('create a run in a deleted experiment', h.post('/runs/create', { experiment_id: e }), 400, 'INVALID_PARAMETER_VALUE', 'experiment_id');
    await test('delete a deleted experiment', h.post('/experiments/delete', { experiment_id: e }), 400, 'INVALID_PARAMETER_VALUE', 'experiment_id');
    await test('restore an active experiment', h.post('/experiments/restore', { experiment_id: exp }), 400, 'INVALID_PARAMETER_VALUE', 'experiment_id');
  });

  it('refuses a run_name that contradicts the mlflow.runName tag, and names too long for the run-name column', async () => {
    await test(
      'run_name vs tag',
      h.post('/runs/create', { experiment_id: exp, run_name: 'a', tags: [{ key: 'mlflow.runName', value: 'b' }] }),
      400,
      'INVALID_PARAMETER_VALUE',
      'run_name',
    );
    await test('run_name 251 on create', h.post('/runs/create', { experiment_id: exp, run_name: 'n'.repeat(251) }), 400, 'INVALID_PARAMETER_VALUE', 'run_name');
    await test('run_name 251 on update', h.post('/runs/update', { run_id: run, run_name: 'n'.repeat(251) }), 400, 'INVALID_PARAMETER_VALUE', 'run_name');
    await test('mlflow.runName tag 251', h.post('/runs/set-tag', { run_id: run, key: 'mlflow.runName', value: 'n'.repeat(251) }), 400, 'INVALID_PARAMETER_VALUE', 'value');
    await test('user_id 257', h.post('/runs/create', { experiment_id: exp, user_id: 'u'.repeat(257) }), 400, 'INVALID_PARAMETER_VALUE', 'user_id');
    const ds = { name: 'd', digest: 'x', source_type: 's'.repeat(37), source: 's' };
    await test('dataset source_type 37', h.post('/runs/log-inputs', { run_id: run, datasets: [{ dataset: ds }] }), 400, 'INVALID_PARAMETER_VALUE', 'datasets[0].dataset.source_type');
    await test('model id 37', h.post('/runs/outputs', { run_id: run, models: [{ model_id: 'm'.repeat(37) }] }), 400, 'INVALID_PARAMETER_VALUE', 'models[0].model_id');
    const same = await h.post('/runs/create', { experiment_id: exp, run_name: 'same', tags: [{ key: 'mlflow.runName', value: 'same' }] });
    assert.equal(same.status, 200);
  });

  it('refuses searches too large for one SQL statement with a 400, not a 500', async () => {
    const ids = Array.from({ length: 10_001 }, (_, i) => String(i));
    await test('10,001 experiment ids', h.post('/runs/search', { experiment_ids: ids }), 400, 'INVALID_PARAMETER_VALUE', 'experiment_ids');
    const list = ids.map((i) => `'${i}'`).join(',');
    await test('a 10,001-value IN list', h.post('/runs/search', { experiment_ids: [exp], filter: `attributes.run_id IN (${list})` }), 400, 'INVALID_PARAMETER_VALUE', 'filter');
    const clauses = Array.from({ length: 101 }, (_, i) => `metrics.m${i} > 0`).join(' AND ');
    await test('101 filter clauses', h.post('/runs/search', { experiment_ids: [exp], filter: clauses }), 400, 'INVALID_PARAMETER_VALUE', 'filter');
    await test('51 order_by entries', h.post('/runs/search', { experiment_ids: [exp], order_by: Array.from({ length: 51 }, (_, i) => `params.p${i}`) }), 400, 'INVALID_PARAMETER_VALUE', 'order_by');
    const expClauses = Array.from({ length: 101 }, (_, i) => `tags.t${i} = 'x'`).join(' AND ');
    await test('101 experiment filter clauses', h.post('/experiments/search', { filter: expClauses }), 400, 'INVALID_PARAMETER_VALUE', 'filter');
    const fine = await h.post('/runs/search', {
      experiment_ids: ids.slice(0, 10_000),
      filter: `attributes.run_id IN (${ids.slice(0, 9_999).map((i) => `'${i}'`).join(',')},'${run}')`,
      order_by: Array.from({ length: 50 }, (_, i) => `metrics.m${i} DESC`),
    });
    assert.equal(fine.status, 200, fine.body.slice(0, 300));
  });

  it('never answers bad input with a 500: malformed bodies, wrong types, nulls, huge numbers', async () => {
    const raw = async (body: string) => h.request('POST', '/api/2.0/mlflow/runs/log-batch', body);
    assertError(await raw('{"run_id": '), 400, 'MALFORMED_REQUEST', 'body');
    assertError(await raw('{bad json}'), 400, 'MALFORMED_REQUEST', 'body');
    assertError(await raw('[{"run_id": "x"}]'), 400, 'INVALID_PARAMETER_VALUE', 'body');
    assertError(await raw('"just a string"'), 400, 'INVALID_PARAMETER_VALUE', 'body');
    assertError(await raw('42'), 400, 'INVALID_PARAMETER_VALUE', 'body');
    assertError(await raw('null'), 400, 'INVALID_PARAMETER_VALUE', 'body');
    assertError(await raw(''), 400, 'INVALID_PARAMETER_VALUE', 'run_id');
    assertError(await h.request('POST', '/api/2.0/mlflow/runs/log-batch', 'run_id=x', { 'content-type': 'application/x-www-form-urlencoded' }), 400, 'MALFORMED_REQUEST', 'body');
    const cases: [string, Record<string, unknown>, string | RegExp][] = [
      ['metrics: "x"', { run_id: run, metrics: 'x' }, /^metrics/],
      ['metrics: {}', { run_id: run, metrics: {} }, 'metrics'],
      ['value: {}', { run_id: run, metrics: [{ key: 'm', value: {}, timestamp: T0 }] }, 'metrics[0].value'],
      ['value: []', { run_id: run, metrics: [{ key: 'm', value: [], timestamp: T0 }] }, 'metrics[0].value'],
      ['value: "abc"', { run_id: run, metrics: [{ key: 'm', value: 'abc', timestamp: T0 }] }, 'metrics[0].value'],
      ['timestamp: "abc"', { run_id: run, metrics: [{ key: 'm', value: 1, timestamp: 'abc' }] }, 'metrics[0].timestamp'],
      ['timestamp: 1.5', { run_id: run, metrics: [{ key: 'm', value: 1, timestamp: 1.5 }] }, 'metrics[0].timestamp'],
      ['timestamp: 1e300', { run_id: run, metrics: [{ key: 'm', value: 1, timestamp: 1e300 }] }, 'metrics[0].timestamp'],
      ['step: 2^63', { run_id: run, metrics: [{ key: 'm', value: 1, timestamp: T0, step: '9223372036854775808' }] }, 'metrics[0].step'],
      ['step: true', { run_id: run, metrics: [{ key: 'm', value: 1, timestamp: T0, step: true }] }, 'metrics[0].step'],
      ['metrics: [null]', { run_id: run, metrics: [null] }, 'metrics[0]'],
      ['key: null', { run_id: run, metrics: [{ key: null, value: 1, timestamp: T0 }] }, 'metrics[0].key'],
      ['key: 5', { run_id: run, params: [{ key: 5, value: '1' }] }, 'params[0].key'],
      ['param value {}', { run_id: run, params: [{ key: 'p', value: {} }] }, 'params[0].value'],
      ['tag value []', { run_id: run, tags: [{ key: 't', value: [] }] }, 'tags[0].value'],
      ['run_id: null', { run_id: null, metrics: metrics(1) }, 'run_id'],
      ['run_id: 5', { run_id: 5 }, 'run_id'],
      ['run_id: []', { run_id: [] }, 'run_id'],
    ];
    for (const [what, body, field] of cases) await test(what, h.post('/runs/log-batch', body), 400, 'INVALID_PARAMETER_VALUE', field);
    const others: [string, Promise<import('../testing/api-harness.js').Answer>, string | RegExp][] = [
      ['experiment_ids: 5', h.post('/runs/search', { experiment_ids: 5 }), 'experiment_ids'],
      ['experiment_ids: {}', h.post('/runs/search', { experiment_ids: {} }), 'experiment_ids'],
      ['filter: 5', h.post('/runs/search', { experiment_ids: [exp], filter: 5 }), 'filter'],
      ['order_by: [{}]', h.post('/runs/search', { experiment_ids: [exp], order_by: [{}] }), /^order_by/],
      ['max_results: 1e20', h.post('/runs/search', { experiment_ids: [exp], max_results: 1e20 }), 'max_results'],
      ['max_results: 0', h.post('/runs/search', { experiment_ids: [exp], max_results: 0 }), 'max_results'],
      ['max_results: "ten"', h.get('/metrics/get-history', { run_id: run, metric_key: 'm', max_results: 'ten' }), 'max_results'],
      ['run_view_type: 7', h.post('/runs/search', { experiment_ids: [exp], run_view_type: 'SOMETIMES' }), 'run_view_type'],
      ['view_type: {}', h.post('/experiments/search', { view_type: {} }), 'view_type'],
      ['name: null', h.post('/experiments/create', { name: null }), 'name'],
      ['name: 42', h.post('/experiments/create', { name: 42 }), 'name'],
      ['name: blank', h.post('/experiments/create', { name: '   ' }), 'name'],
      ['tags: [null]', h.post('/experiments/create', { name: 'x1', tags: [null] }), 'tags[0]'],
      ['tags: "x"', h.post('/runs/create', { experiment_id: exp, tags: 'x' }), /^tags/],
      ['start_time: "soon"', h.post('/runs/create', { experiment_id: exp, start_time: 'soon' }), 'start_time'],
      ['experiment_id: {}', h.post('/runs/create', { experiment_id: {} }), 'experiment_id'],
      ['status: 3', h.post('/runs/update', { run_id: run, status: 'DONE' }), 'status'],
      ['end_time: -5', h.post('/runs/update', { run_id: run, end_time: -5 }), 'end_time'],
      ['run_id repeated in a GET', h.get('/runs/get', { run_id: [run, run] }), 'run_id'],
      ['datasets: [{}]', h.post('/runs/log-inputs', { run_id: run, datasets: [{}] }), 'datasets[0].dataset'],
      ['dataset without digest', h.post('/runs/log-inputs', { run_id: run, datasets: [{ dataset: { name: 'd', source_type: 's', source: 's' } }] }), 'datasets[0].dataset.digest'],
      ['models: [null]', h.post('/runs/outputs', { run_id: run, models: [null] }), /^models\[0\]/],
      ['model_json not JSON', h.post('/runs/log-model', { run_id: run, model_json: '{' }), 'model_json'],
      ['bulk start > end', h.get('/metrics/get-history-bulk-interval', { run_ids: run, metric_key: 'm', start_step: 5, end_step: 1 }), 'end_step'],
      ['bulk 101 runs', h.get('/metrics/get-history-bulk-interval', { run_ids: Array.from({ length: 101 }, () => run), metric_key: 'm' }), 'run_ids'],
      ['curve points 1', h.get('/metrics/curve', { run_id: run, key: 'm', points: 1 }, '/api/v1'), 'points'],
      ['curve points 20,001', h.get('/metrics/curve', { run_id: run, key: 'm', points: 20_001 }, '/api/v1'), 'points'],
    ];
    for (const [what, p, field] of others) await test(what, p, 400, 'INVALID_PARAMETER_VALUE', field);
  });
});

async function test(what: string, p: Promise<import('../testing/api-harness.js').Answer>, status: number, code: string, field: string | RegExp): Promise<void> {
  const a = await p;
  try {
    assertError(a, status, code, field);
  } catch (e) {
    (e as Error).message = `${what}: ${(e as Error).message}`;
    throw e;
  }
}

describe('malformed URLs', () => {
  it('answer 400 INVALID_PARAMETER_VALUE on field path, in the usual error shape', async () => {
    const h = await ApiHarness.start();
    try {
      for (const url of ['/api/2.0/mlflow/%ff', '/api/2.0/mlflow-artifacts/artifacts/%c0%ae%c0%ae/x', '/api/2.0/mlflow/runs/get?run_id=%E0%A4%A']) {
        const a = await h.request('GET', url);
        if (url.includes('?')) {
          assert.ok(a.status >= 400 && a.status < 500, `${url} → ${a.status}`);
          continue;
        }
        assertError(a, 400, 'INVALID_PARAMETER_VALUE', 'path');
      }
    } finally {
      await h.close();
    }
  });
});
