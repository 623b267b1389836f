import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { ApiHarness, assertError } from '../testing/api-harness.js';

const SHARED = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/models');
const TITANIC = readFileSync(path.join(SHARED, 'sklearn-titanic/pipeline_titanic_nozipmap.onnx'));
const MNIST = readFileSync(path.join(SHARED, 'mnist/mnist-8.onnx'));

describe('MLflow model registry routes', () => {
  let h: ApiHarness;
  before(async () => {
    h = await ApiHarness.start();
  });
  after(() => h.close());

  const put = async (storePath: string, bytes: Buffer | string) => {
    const res = await h.app.inject({ method: 'PUT', url: `/api/2.0/mlflow-artifacts/artifacts/${storePath}`, payload: bytes, headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(res.statusCode, 200, res.body);
  };
  const patch = (url: string, body: unknown) => h.request('PATCH', `/api/2.0/mlflow${url}`, body);
  const del = (url: string, body: unknown) => h.request('DELETE', `/api/2.0/mlflow${url}`, body);

  it('runs the MLflow 3 log_model → register_model("runs:/…") → load by alias flow', async () => {
    const exp = await h.createExperiment('flow');
    const runId = await h.createRun(exp);
    // log_model: create a pending logged model, link it to the run, upload files, finalize.
    const created = await h.ok('/logged-models', { experiment_id: exp, name: 'model', source_run_id: runId, params: [{ key: 'C', value: '1.0' }], tags: [{ key: 'mlflow.user', value: 'me' }] });
    const info = created.model.info;
    assert.match(info.model_id, /^m-[0-9a-f]{32}$/);
    assert.equal(info.status, 'LOGGED_MODEL_PENDING');
    assert.equal(info.artifact_uri, `mlflow-artifacts:/${exp}/models/${info.model_id}/artifacts`);
    assert.deepEqual(created.model.data, { params: [{ key: 'C', value: '1.0' }] });
    await h.ok('/runs/outputs', { run_id: runId, models: [{ model_id: info.model_id, step: 0 }] });
    await h.ok('/runs/log-batch', { run_id: runId, metrics: [{ key: 'acc', value: 0.79, timestamp: 1, step: 0, model_id: info.model_id }] });
    const base = `${exp}/models/${info.model_id}/artifacts`;
    await put(`${base}/MLmodel`, 'artifact_path: model\nflavors:\n  onnx: {}\n');
    await put(`${base}/model.onnx`, TITANIC);
    await put(`${base}/input_example.json`, JSON.stringify({ pclass: [[1]], sex: [['female']], age: [[29]], fare: [[211.3]], embarked: [['S']] }));
    const fin = await patch(`/logged-models/${info.model_id}`, { model_id: info.model_id, status: 'LOGGED_MODEL_READY' });
    assert.equal(fin.status, 200, fin.body);
    assert.equal(fin.json.model.info.status, 'LOGGED_MODEL_READY');
    assert.deepEqual(fin.json.model.data.metrics.map((m: { key: string; value: number }) => [m.key, m.value]), [['acc', 0.79]]);

    // register_model("runs:/R/model"): no MLmodel under the run → search logged models by name.
    const search = await h.ok('/logged-models/search', { experiment_ids: [exp], filter: "name = 'model'" });
    assert.deepEqual(search.models.map((m: { info: { model_id: string } }) => m.info.model_id), [info.model_id]);
    await h.ok('/registered-models/create', { name: 'titanic' });
    assertError(await h.post('/registered-models/create', { name: 'titanic' }), 400, 'RESOURCE_ALREADY_EXISTS', 'name');
    const mv = (await h.ok('/model-versions/create', { name: 'titanic', source: `models:/${info.model_id}`, run_id: runId, model_id: info.model_id })).model_version;
    assert.equal(mv.version, '1');
    assert.equal(typeof mv.version, 'string', 'versions are strings on the wire');
    assert.equal(mv.status, 'READY');
    assert.equal(mv.current_stage, 'None');
    assert.equal(mv.run_id, runId);
    assert.equal(mv.source, `models:/${info.model_id}`);
    assert.equal(mv.manifest.flavor, 'onnx', 'the manifest is read from the stored ONNX file');
    assert.deepEqual(mv.manifest.signature.inputs.map((i: { name: string }) => i.name), ['pclass', 'sex', 'age', 'fare', 'embarked']);
    assert.deepEqual(mv.manifest.inputExample.sex, [['female']], 'the logged input example is kept');
    const lm = (await h.okGet(`/logged-models/${info.model_id}`)).model;
    assert.deepEqual(JSON.parse(lm.info.tags.find((t: { key: string }) => t.key === 'mlflow.modelVersions').value), [{ name: 'titanic', version: '1' }]);

    // load_model("models:/titanic@champion"): alias → download URI → list → download.
    await h.ok('/registered-models/alias', { name: 'titanic', alias: 'champion', version: '1' });
    const byAlias = (await h.okGet('/registered-models/alias', { name: 'titanic', alias: 'champion' })).model_version;
    assert.deepEqual(byAlias.aliases, ['champion']);
    const uri = (await h.okGet('/model-versions/get-download-uri', { name: 'titanic', version: '1' })).artifact_uri;
    assert.equal(uri, `mlflow-artifacts:/${base}`);
    const listing = await h.get('/artifacts', { path: base }, '/api/2.0/mlflow-artifacts');
    assert.deepEqual(listing.json.files.map((f: { path: string }) => f.path).sort(), ['MLmodel', 'input_example.json', 'model.onnx']);
    const file = await h.app.inject({ method: 'GET', url: `/api/2.0/mlflow-artifacts/artifacts/${base}/model.onnx` });
    assert.deepEqual(file.rawPayload, TITANIC);
    const model = (await h.okGet('/registered-models/get', { name: 'titanic' })).registered_model;
    assert.deepEqual(model.aliases, [{ alias: 'champion', version: '1' }]);
    assert.equal(model.latest_versions[0].version, '1');
  });

  it('registers from runs:/ and mlflow-artifacts:/ sources and reads MNIST’s fixed batch', async () => {
    const exp = await h.createExperiment('sources');
    const runId = await h.createRun(exp);
    await put(`${exp}/${runId}/artifacts/model/mnist.onnx`, MNIST);
    await h.ok('/registered-models/create', { name: 'mnist' });
    const v1 = (await h.ok('/model-versions/create', { name: 'mnist', source: `runs:/${runId}/model` })).model_version;
    assert.equal(v1.run_id, runId);
    assert.equal(v1.storage_location, `mlflow-artifacts:/${exp}/${runId}/artifacts/model`);
    assert.equal(v1.manifest.onnx.batchDimension, 'fixed');
    const v2 = (await h.ok('/model-versions/create', { name: 'mnist', source: `mlflow-artifacts:/${exp}/${runId}/artifacts/model/mnist.onnx` })).model_version;
    assert.equal(v2.version, '2');
    assert.equal(v2.manifest.files[0].size, MNIST.length);
    const v3 = (await h.ok('/model-versions/create', { name: 'mnist', source: 'models:/mnist/1' })).model_version;
    assert.equal(v3.storage_location, v1.storage_location);
    const files = (await h.okGet('/artifacts/list', { run_id: runId, path: 'model' }));
    assert.equal(files.root_uri, `mlflow-artifacts:/${exp}/${runId}/artifacts`);
    assert.deepEqual(files.files, [{ path: 'model/mnist.onnx', is_dir: false, file_size: MNIST.length }]);
    assert.deepEqual((await h.okGet('/artifacts/list', { run_id: runId })).files, [{ path: 'model', is_dir: true }]);
  });

  it('registers a model file that does not parse, saying why in the manifest (as MLflow registers anything)', async () => {
    await put('broken/model/model.onnx', '');
    await put('broken/model/README.txt', 'hello');
    await h.ok('/registered-models/create', { name: 'broken' });
    const v = (await h.ok('/model-versions/create', { name: 'broken', source: 'mlflow-artifacts:/broken/model' })).model_version;
    assert.equal(v.status, 'READY');
    assert.equal(v.manifest.flavor, 'other');
    assert.match(v.manifest.error, /not a valid ONNX model/);
    assert.deepEqual(v.manifest.files.map((f: { path: string; size: number }) => [f.path, f.size]), [['README.txt', 5], ['model.onnx', 0]]);
    assert.equal(v.manifest.files[0].sha256, '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
  });

  it('refuses sources outside the artifact store, touching nothing', async () => {
    await h.ok('/registered-models/create', { name: 'attacked' });
    const runId = await h.createRun('0');
    const bad = [
      '/etc/passwd',
      'file:///etc/passwd',
      'mlflow-artifacts:/../../etc/passwd',
      'mlflow-artifacts:/0/%2e%2e/%2e%2e/etc',
      'mlflow-artifacts:/0/%252e%252e/x',
      'mlflow-artifacts:/0/a\\..\\..\\x',
      'mlflow-artifacts:/0/a\u0000b',
      'mlflow-artifacts:/0/a#b',
      'mlflow-artifacts:/0/a?b',
      `runs:/${runId}/../../../etc`,
      'relative/path',
      's3://someone-elses-bucket/model',
      `file://${h.dataDir}/artifacts/0/a?b`,
      `file://${h.dataDir}/artifacts/0/a#b`,
      `${h.dataDir}/artifacts/../pitwall.db`,
      `${h.dataDir}/other`,
      'https://example.com/model.onnx',
      '',
    ];
    for (const source of bad) {
      assertError(await h.post('/model-versions/create', { name: 'attacked', source }), 400, 'INVALID_PARAMETER_VALUE', /^source|name$/);
    }
    assert.equal((await h.okGet('/registered-models/get', { name: 'attacked' })).registered_model.latest_versions, undefined, 'no version was created');
  });

  it('validates names, aliases, versions and stages', async () => {
    for (const name of ['a/b', 'a:b', '', '..']) assertError(await h.post('/registered-models/create', { name }), 400, 'INVALID_PARAMETER_VALUE', 'name');
    await h.ok('/registered-models/create', { name: 'rules' });
    await h.ok('/model-versions/create', { name: 'rules', source: 'mlflow-artifacts:/nothing/here' });
    for (const alias of ['latest', 'LATEST', 'v1', 'a b', '']) assertError(await h.post('/registered-models/alias', { name: 'rules', alias, version: '1' }), 400, 'INVALID_PARAMETER_VALUE', 'alias');
    assertError(await h.post('/registered-models/alias', { name: 'rules', alias: 'ok', version: '9' }), 404, 'RESOURCE_DOES_NOT_EXIST', 'version');
    assertError(await h.post('/registered-models/alias', { name: 'rules', alias: 'ok', version: 'x' }), 400, 'INVALID_PARAMETER_VALUE', 'version');
    assertError(await h.get('/model-versions/get', { name: 'rules', version: '7' }), 404, 'RESOURCE_DOES_NOT_EXIST', 'version');
    assertError(await h.get('/registered-models/get', { name: 'nope' }), 404, 'RESOURCE_DOES_NOT_EXIST', 'name');
    assertError(await h.post('/model-versions/transition-stage', { name: 'rules', version: '1', stage: 'Prod' }), 400, 'INVALID_PARAMETER_VALUE', 'stage');
    assertError(await h.post('/model-versions/transition-stage', { name: 'rules', version: '1', stage: 'Archived', archive_existing_versions: true }), 400, 'INVALID_PARAMETER_VALUE', 'archive_existing_versions');
    const staged = (await h.ok('/model-versions/transition-stage', { name: 'rules', version: '1', stage: 'staging' })).model_version;
    assert.equal(staged.current_stage, 'Staging');
    const latest = await h.ok('/registered-models/get-latest-versions', { name: 'rules', stages: ['Staging'] });
    assert.deepEqual(latest.model_versions.map((v: { version: string }) => v.version), ['1']);
  });

  it('renames, tags, searches, pages and deletes', async () => {
    for (const n of ['s-b', 's-a', 's-c']) await h.ok('/registered-models/create', { name: n, tags: [{ key: 'team', value: n === 's-c' ? 'x' : 'y' }] });
    const p1 = await h.okGet('/registered-models/search', { filter: "name LIKE 's-%'", max_results: 2 });
    assert.deepEqual(p1.registered_models.map((m: { name: string }) => m.name), ['s-a', 's-b']);
    const p2 = await h.okGet('/registered-models/search', { filter: "name LIKE 's-%'", max_results: 2, page_token: p1.next_page_token });
    assert.deepEqual(p2.registered_models.map((m: { name: string }) => m.name), ['s-c']);
    assert.equal(p2.next_page_token, undefined);
    assert.deepEqual((await h.okGet('/registered-models/search', { filter: "tags.team = 'x'" })).registered_models.map((m: { name: string }) => m.name), ['s-c']);
    assertError(await h.get('/registered-models/search', { filter: "run_id = 'x'" }), 400, 'INVALID_PARAMETER_VALUE', 'filter');
    assertError(await h.get('/registered-models/search', { max_results: 1001 }), 400, 'INVALID_PARAMETER_VALUE', 'max_results');
    const renamed = (await h.ok('/registered-models/rename', { name: 's-a', new_name: 's-z' })).registered_model;
    assert.equal(renamed.name, 's-z');
    assertError(await h.post('/registered-models/rename', { name: 's-b', new_name: 's-c' }), 400, 'RESOURCE_ALREADY_EXISTS', 'new_name');
    await h.ok('/registered-models/set-tag', { name: 's-z', key: 'k', value: 'v' });
    assert.equal((await del('/registered-models/delete-tag', { name: 's-z', key: 'k' })).status, 200);
    assert.equal((await del('/registered-models/delete-tag', { name: 's-z', key: 'k' })).status, 200, 'deleting an absent tag is a no-op');
    const upd = await patch('/registered-models/update', { name: 's-z', description: 'hello' });
    assert.equal(upd.json.registered_model.description, 'hello');
    await h.ok('/model-versions/create', { name: 's-z', source: 'mlflow-artifacts:/x/y', tags: [{ key: 'a', value: '1' }] });
    const found = await h.okGet('/model-versions/search', { filter: "name = 's-z' and tags.a = '1'" });
    assert.deepEqual(found.model_versions.map((v: { version: string }) => v.version), ['1']);
    assert.equal((await del('/registered-models/delete', { name: 's-z' })).status, 200);
    assertError(await h.get('/registered-models/get', { name: 's-z' }), 404, 'RESOURCE_DOES_NOT_EXIST');
  });

  it('mirrors every registry route under /ajax-api', async () => {
    const a = await h.request('GET', '/ajax-api/2.0/mlflow/registered-models/search');
    assert.equal(a.status, 200);
  });
});
