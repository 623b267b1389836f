import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiHarness, assertError } from '../testing/api-harness.js';

const T0 = 1_700_000_000_000;

describe('MLflow tracking routes: wire shapes', () => {
  let h: ApiHarness;
  before(async () => {
    h = await ApiHarness.start();
  });
  after(() => h.close());

  it('creates and reads experiments in MLflow shapes', async () => {
    const created = await h.ok('/experiments/create', { name: 'wire-exp', tags: [{ key: 'team', value: 'a' }] });
    assert.deepEqual(Object.keys(created), ['experiment_id']);
    assert.match(created.experiment_id, /^[1-9]\d*$/, 'experiment ids are decimal strings');
    const id = created.experiment_id as string;
    const { experiment } = await h.okGet('/experiments/get', { experiment_id: id });
    assert.deepEqual(experiment, {
      experiment_id: id,
      name: 'wire-exp',
      artifact_location: `mlflow-artifacts:/${id}`,
      lifecycle_stage: 'active',
      last_update_time: experiment.last_update_time,
      creation_time: experiment.creation_time,
      tags: [{ key: 'team', value: 'a' }],
    });
    assert.equal(typeof experiment.creation_time, 'number', 'int64 answered as JSON numbers');
    assert.deepEqual((await h.okGet('/experiments/get-by-name', { experiment_name: 'wire-exp' })).experiment, experiment);
    const def = (await h.okGet('/experiments/get', { experiment_id: '0' })).experiment;
    assert.equal(def.name, 'Default');
    assert.equal('tags' in def, false, 'empty repeated fields are omitted');
  });

  it('answers {} for every write without a result', async () => {
    const id = await h.createExperiment('empty-answers');
    const run = await h.createRun(id);
    const cases: [string, Record<string, unknown>][] = [
      ['/experiments/update', { experiment_id: id, new_name: 'empty-answers-2' }],
      ['/experiments/set-experiment-tag', { experiment_id: id, key: 'k', value: 'v' }],
      ['/experiments/delete-experiment-tag', { experiment_id: id, key: 'k' }],
      ['/runs/log-metric', { run_id: run, key: 'm', value: 1, timestamp: T0 }],
      ['/runs/log-parameter', { run_id: run, key: 'p', value: 'v' }],
      ['/runs/set-tag', { run_id: run, key: 't', value: 'v' }],
      ['/runs/delete-tag', { run_id: run, key: 't' }],
      ['/runs/log-batch', { run_id: run, metrics: [{ key: 'm', value: 2, timestamp: T0, step: 1 }] }],
      ['/runs/log-inputs', { run_id: run, datasets: [{ dataset: { name: 'd', digest: 'x', source_type: 'local', source: 's' } }] }],
      ['/runs/outputs', { run_id: run, models: [{ model_id: 'm-1', step: 3 }] }],
      ['/runs/log-model', { run_id: run, model_json: '{"artifact_path": "model"}' }],
      ['/runs/delete', { run_id: run }],
      ['/runs/restore', { run_id: run }],
      ['/experiments/delete', { experiment_id: id }],
      ['/experiments/restore', { experiment_id: id }],
    ];
    for (const [path, body] of cases) {
      const a = await h.post(path, body);
      assert.equal(a.status, 200, `${path}: ${a.body}`);
      assert.equal(a.body, '{}', path);
      assert.match(a.contentType, /application\/json/);
    }
  });

  it('creates, updates and reads runs as {"run": {"info", "data", "inputs", "outputs"}} and {"run_info"}', async () => {
    const exp = await h.createExperiment('wire-runs');
    const { run } = await h.ok('/runs/create', { experiment_id: exp, run_name: 'r1', user_id: 'ada', start_time: String(T0), tags: [{ key: 'k', value: 'v' }] });
    const id = run.info.run_id as string;
    assert.match(id, /^[0-9a-f]{32}$/);
    assert.deepEqual(run, {
      info: { run_uuid: id, run_id: id, run_name: 'r1', experiment_id: exp, user_id: 'ada', status: 'RUNNING', start_time: T0, artifact_uri: `mlflow-artifacts:/${exp}/${id}/artifacts`, lifecycle_stage: 'active' },
      data: { tags: [{ key: 'k', value: 'v' }, { key: 'mlflow.runName', value: 'r1' }] },
      inputs: {},
      outputs: {},
    });
    const upd = await h.ok('/runs/update', { run_id: id, status: 'FINISHED', end_time: String(T0 + 5) });
    assert.deepEqual(Object.keys(upd), ['run_info']);
    assert.equal(upd.run_info.status, 'FINISHED');
    assert.equal(upd.run_info.end_time, T0 + 5);
    const byUuid = await h.okGet('/runs/get', { run_uuid: id });
    assert.deepEqual(byUuid.run.info, upd.run_info, 'run_uuid is accepted as the legacy spelling of run_id');
  });

  it('logs metrics, params, tags, inputs and outputs and reads them back in MLflow shapes (NaN as a string)', async () => {
    const exp = await h.createExperiment('wire-data');
    const id = await h.createRun(exp, { run_name: 'data' });
    await h.ok('/runs/log-batch', {
      run_id: id,
      metrics: [
        { key: 'loss', value: 0.5, timestamp: String(T0), step: '2' },
        { key: 'loss', value: 'NaN', timestamp: T0 + 1, step: 3 },
        { key: 'big', value: 'Infinity', timestamp: T0 },
        { key: 'neg', value: '-Infinity', timestamp: T0 },
      ],
      params: [{ key: 'lr', value: '0.01' }],
      tags: [{ key: 'team', value: 'vision' }],
    });
    await h.ok('/runs/log-metric', { run_id: id, key: 'acc', value: '0.25', timestamp: String(T0), step: '7' });
    await h.ok('/runs/log-inputs', {
      run_id: id,
      datasets: [{ tags: [{ key: 'mlflow.data.context', value: 'train' }], dataset: { name: 'ds', digest: 'abc', source_type: 'local', source: '/d', schema: '{}', profile: '{"n": 1}' } }],
      models: [{ model_id: 'm-in' }],
    });
    await h.ok('/runs/outputs', { run_id: id, models: [{ model_id: 'm-out', step: '4' }] });
    const { run } = await h.okGet('/runs/get', { run_id: id });
    assert.deepEqual(run.data.metrics, [
      { key: 'acc', value: 0.25, timestamp: T0, step: 7 },
      { key: 'big', value: 'Infinity', timestamp: T0, step: 0 },
      { key: 'loss', value: 'NaN', timestamp: T0 + 1, step: 3 },
      { key: 'neg', value: '-Infinity', timestamp: T0, step: 0 },
    ]);
    assert.deepEqual(run.data.params, [{ key: 'lr', value: '0.01' }]);
    assert.deepEqual(run.data.tags, [{ key: 'mlflow.runName', value: 'data' }, { key: 'team', value: 'vision' }]);
    assert.deepEqual(run.inputs, {
      dataset_inputs: [{ tags: [{ key: 'mlflow.data.context', value: 'train' }], dataset: { name: 'ds', digest: 'abc', source_type: 'local', source: '/d', schema: '{}', profile: '{"n": 1}' } }],
      model_inputs: [{ model_id: 'm-in' }],
    });
    assert.deepEqual(run.outputs, { model_outputs: [{ model_id: 'm-out', step: 4 }] });
  });

  it("accepts Python json.dumps' bare NaN / Infinity tokens in a body", async () => {
    const runId = await h.createRun(await h.createExperiment('python-nan'), { start_time: T0 });
    const body = `{"run_id": "${runId}", "metrics": [{"key": "m", "value": NaN, "timestamp": ${T0}, "step": 0}, {"key": "m", "value": -Infinity, "timestamp": ${T0}, "step": 1}]}`;
    const res = await h.request('POST', '/api/2.0/mlflow/runs/log-batch', body);
    assert.equal(res.status, 200, res.body);
    const { metrics } = await h.okGet('/metrics/get-history', { run_id: runId, metric_key: 'm' });
    assert.deepEqual(metrics.map((m: { value: unknown }) => m.value), ['NaN', '-Infinity']);
  });

  it('pages metric history with next_page_token, reading GET query strings', async () => {
    const exp = await h.createExperiment('wire-history');
    const id = await h.createRun(exp);
    await h.ok('/runs/log-batch', { run_id: id, metrics: Array.from({ length: 5 }, (_, i) => ({ key: 'm', value: i === 2 ? 'NaN' : i, timestamp: T0 + i, step: i })) });
    const first = await h.okGet('/metrics/get-history', { run_id: id, metric_key: 'm', max_results: '2' });
    assert.equal(first.metrics.length, 2);
    assert.equal(typeof first.next_page_token, 'string');
    const values: unknown[] = [...first.metrics.map((m: { value: unknown }) => m.value)];
    let token = first.next_page_token as string | undefined;
    while (token) {
      const page = await h.okGet('/metrics/get-history', { run_id: id, metric_key: 'm', max_results: 2, page_token: token });
      values.push(...page.metrics.map((m: { value: unknown }) => m.value));
      token = page.next_page_token;
    }
    assert.deepEqual(values, [0, 1, 'NaN', 3, 4]);
    const all = await h.okGet('/metrics/get-history', { run_id: id, metric_key: 'm' });
    assert.equal('next_page_token' in all, false);
    assert.deepEqual(all.metrics[1], { key: 'm', value: 1, timestamp: T0 + 1, step: 1 });
  });

  it('reads repeated query keys as lists (run_ids=a&run_ids=b) for get-history-bulk-interval', async () => {
    const exp = await h.createExperiment('wire-bulk');
    const a = await h.createRun(exp);
    const b = await h.createRun(exp);
    for (const [i, id] of [a, b].entries()) {
      await h.ok('/runs/log-batch', { run_id: id, metrics: Array.from({ length: 50 }, (_, s) => ({ key: 'acc', value: s + i * 100, timestamp: T0, step: s })) });
    }
    const res = await h.okGet('/metrics/get-history-bulk-interval', { run_ids: [a, b], metric_key: 'acc', start_step: '10', end_step: '19', max_results: '4' });
    assert.deepEqual(Object.keys(res), ['metrics']);
    for (const [i, id] of [a, b].entries()) {
      const mine = res.metrics.filter((m: { run_id: string }) => m.run_id === id);
      // MLflow's sampling: 4 evenly spaced picks over steps 10..19 (interval 2.5) plus the last step.
      assert.deepEqual(mine.map((m: { step: number }) => m.step), [10, 12, 15, 17, 19]);
      assert.deepEqual(Object.keys(mine[0]).sort(), ['key', 'run_id', 'step', 'timestamp', 'value']);
      assert.equal(mine[0].value, 10 + i * 100);
    }
    const curves = await h.get('/metrics/curves', { run_ids: [a, b], key: 'acc', points: 10 }, '/api/v1');
    assert.equal(curves.status, 200, curves.body);
    assert.deepEqual(curves.json.curves.map((c: { run_id: string }) => c.run_id), [a, b]);
    assert.ok(curves.json.curves.every((c: { points: unknown[] }) => c.points.length <= 10));
  });

  it('searches experiments (POST and GET) and runs with filters, order_by, view types and page tokens', async () => {
    const exp = await h.createExperiment('wire-search');
    await h.createExperiment('wire-search-other');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const id = await h.createRun(exp, { run_name: `s${i}`, start_time: T0 + i });
      await h.ok('/runs/log-metric', { run_id: id, key: 'loss', value: 5 - i, timestamp: T0 });
      ids.push(id);
    }
    await h.ok('/runs/delete', { run_id: ids[0] });
    const post = await h.ok('/experiments/search', { filter: "name LIKE 'wire-search%'", order_by: ['name DESC'], max_results: 1 });
    assert.deepEqual(post.experiments.map((e: { name: string }) => e.name), ['wire-search-other']);
    const get = await h.okGet('/experiments/search', { filter: "name LIKE 'wire-search%'", order_by: 'name DESC', max_results: '1', page_token: post.next_page_token });
    assert.deepEqual(get.experiments.map((e: { name: string }) => e.name), ['wire-search']);
    assert.equal('next_page_token' in get, false);

    const runs = await h.ok('/runs/search', { experiment_ids: [exp], filter: 'metrics.loss < 4', order_by: ['metrics.loss ASC'], max_results: '2' });
    assert.deepEqual(runs.runs.map((r: { info: { run_name: string } }) => r.info.run_name), ['s4', 's3']);
    const next = await h.ok('/runs/search', { experiment_ids: [exp], filter: 'metrics.loss < 4', order_by: ['metrics.loss ASC'], max_results: 2, page_token: runs.next_page_token });
    assert.deepEqual(next.runs.map((r: { info: { run_name: string } }) => r.info.run_name), ['s2']);
    assert.equal('next_page_token' in next, false);
    const deleted = await h.ok('/runs/search', { experiment_ids: [exp], run_view_type: 'DELETED_ONLY' });
    assert.deepEqual(deleted.runs.map((r: { info: { run_id: string } }) => r.info.run_id), [ids[0]]);
    const all = await h.ok('/runs/search', { experiment_ids: [exp, '0'], run_view_type: 'ALL' });
    assert.equal(all.runs.length, 5);
    assert.deepEqual(all.runs[0].data.metrics, [{ key: 'loss', value: 1, timestamp: T0, step: 0 }], 'search answers whole runs, newest first');
  });

  it('mirrors every MLflow route under /ajax-api/2.0/mlflow', async () => {
    const created = await h.request('POST', '/ajax-api/2.0/mlflow/experiments/create', { name: 'via-ajax' });
    assert.equal(created.status, 200);
    const id = created.json.experiment_id as string;
    const viaApi = await h.okGet('/experiments/get', { experiment_id: id });
    const viaAjax = await h.request('GET', `/ajax-api/2.0/mlflow/experiments/get?experiment_id=${id}`);
    assert.deepEqual(viaAjax.json, viaApi);
    const doc = (await h.request('GET', '/docs/json')).json as { paths: Record<string, Record<string, unknown>> };
    for (const [path, methods] of Object.entries(doc.paths)) {
      if (!path.startsWith('/api/2.0/mlflow/')) continue;
      for (const method of Object.keys(methods)) {
        const a = await h.request(method.toUpperCase(), path.replace('/api/', '/ajax-api/'), method === 'get' ? undefined : {});
        assert.notEqual(a.json?.error_code, 'ENDPOINT_NOT_FOUND', `${method} ${path} has no ajax mirror`);
        assert.ok(a.status < 500);
      }
    }
  });

  it('answers /health with OK, unknown API paths with a JSON 404 ENDPOINT_NOT_FOUND, and lists MLflow paths in /docs/json', async () => {
    const health = await h.request('GET', '/health');
    assert.equal(health.status, 200);
    assert.equal(health.body, 'OK');
    for (const [method, url] of [['GET', '/api/2.0/mlflow/nope'], ['POST', '/api/2.0/mlflow/runs/get'], ['GET', '/ajax-api/2.0/mlflow/x/y'], ['DELETE', '/api/2.0/mlflow/runs/delete'], ['GET', '/api/9.0/mlflow/runs/get']] as const) {
      assertError(await h.request(method, url), 404, 'ENDPOINT_NOT_FOUND', 'path');
    }
    const doc = await h.request('GET', '/docs/json');
    assert.equal(doc.status, 200);
    const paths = doc.json.paths as Record<string, Record<string, unknown>>;
    const expected: [string, string][] = [
      ['post', 'experiments/create'], ['get', 'experiments/get'], ['get', 'experiments/get-by-name'], ['post', 'experiments/search'], ['get', 'experiments/search'],
      ['post', 'experiments/update'], ['post', 'experiments/delete'], ['post', 'experiments/restore'], ['post', 'experiments/set-experiment-tag'],
      ['post', 'experiments/delete-experiment-tag'], ['post', 'runs/create'], ['get', 'runs/get'], ['post', 'runs/update'], ['post', 'runs/delete'],
      ['post', 'runs/restore'], ['post', 'runs/log-metric'], ['post', 'runs/log-parameter'], ['post', 'runs/set-tag'], ['post', 'runs/delete-tag'],
      ['post', 'runs/log-batch'], ['post', 'runs/log-inputs'], ['post', 'runs/outputs'], ['post', 'runs/log-model'], ['post', 'runs/search'],
      ['get', 'metrics/get-history'], ['get', 'metrics/get-history-bulk-interval'],
    ];
    for (const [method, p] of expected) assert.ok(paths[`/api/2.0/mlflow/${p}`]?.[method], `${method} /api/2.0/mlflow/${p} in /docs/json`);
    assert.ok(!Object.keys(paths).some((p) => p.startsWith('/ajax-api/')), 'ajax mirrors are not documented twice');
  });
});
