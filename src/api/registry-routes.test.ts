import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiHarness, assertError } from './testing/api-harness.js';

describe('Pitwall registry API: cards, approvals, protected aliases, lineage', () => {
  let h: ApiHarness;
  before(async () => {
    h = await ApiHarness.start();
  });
  after(() => h.close());
  const v1 = (method: string, url: string, body?: unknown) => h.request(method, `/api/v1${url}`, body);

  it('keeps a model card per version', async () => {
    await h.ok('/registered-models/create', { name: 'carded' });
    await h.ok('/model-versions/create', { name: 'carded', source: 'mlflow-artifacts:/c/1' });
    const a = await v1('PATCH', '/models/carded/versions/1/card', {
      description: 'logistic regression',
      intended_use: 'ranking leads, not credit decisions',
      evaluation_scores: [{ metric: 'accuracy', value: 0.791, dataset: 'kaggle-891' }],
      known_failure_modes: ['passengers with no fare recorded'],
    });
    assert.equal(a.status, 200, a.body);
    assert.equal(a.json.model_version.description, 'logistic regression');
    const got = (await h.okGet('/model-versions/get', { name: 'carded', version: '1' })).model_version;
    assert.deepEqual(got.card, {
      intended_use: 'ranking leads, not credit decisions',
      evaluation_scores: [{ metric: 'accuracy', value: 0.791, dataset: 'kaggle-891' }],
      known_failure_modes: ['passengers with no fare recorded'],
      limitations: '',
    });
    assertError(await v1('PATCH', '/models/carded/versions/1/card', { evaluation_scores: [{ metric: 'a', value: 'high' }] }), 400, 'INVALID_PARAMETER_VALUE', 'evaluation_scores[0].value');
    assertError(await v1('PATCH', '/models/carded/versions/9/card', { intended_use: 'x' }), 404, 'RESOURCE_DOES_NOT_EXIST', 'version');
  });

  it('refuses a protected alias until the version is approved, and again after a rejection', async () => {
    await h.ok('/registered-models/create', { name: 'guarded' });
    await h.ok('/model-versions/create', { name: 'guarded', source: 'mlflow-artifacts:/g/1' });
    const policy = await v1('PUT', '/models/guarded/policy', { protected_aliases: ['champion'] });
    assert.deepEqual(policy.json.registered_model.protected_aliases, ['champion']);
    assertError(await h.post('/registered-models/alias', { name: 'guarded', alias: 'champion', version: '1' }), 409, 'RESOURCE_CONFLICT', 'version');
    await h.ok('/registered-models/alias', { name: 'guarded', alias: 'challenger', version: '1' });
    const approval = await v1('POST', '/models/guarded/versions/1/approvals', { approver: 'ann', comment: 'eval looks good' });
    assert.equal(approval.status, 201, approval.body);
    assert.equal(approval.json.approval.decision, 'approved');
    await h.ok('/registered-models/alias', { name: 'guarded', alias: 'champion', version: '1' });
    await v1('POST', '/models/guarded/versions/1/approvals', { approver: 'bob', comment: 'bias on women 3rd class', decision: 'rejected' });
    const moved = await h.post('/registered-models/alias', { name: 'guarded', alias: 'champion', version: '1' });
    assertError(moved, 409, 'RESOURCE_CONFLICT');
    assert.match(moved.json.message, /bob/);
    const list = await v1('GET', '/models/guarded/versions/1/approvals');
    assert.deepEqual(list.json.approvals.map((x: { approver: string }) => x.approver), ['bob', 'ann']);
    assertError(await v1('POST', '/models/guarded/versions/1/approvals', { approver: '' }), 400, 'INVALID_PARAMETER_VALUE', 'approver');
    assertError(await v1('POST', '/models/guarded/versions/1/approvals', { approver: 'x', decision: 'maybe' }), 400, 'INVALID_PARAMETER_VALUE', 'decision');
    assertError(await v1('PUT', '/models/guarded/policy', { protected_aliases: ['latest'] }), 400, 'INVALID_PARAMETER_VALUE', 'protected_aliases[0]');
  });

  it('refuses to protect an alias that already points at an unapproved version', async () => {
    await h.ok('/registered-models/create', { name: 'late-policy' });
    await h.ok('/model-versions/create', { name: 'late-policy', source: 'mlflow-artifacts:/lp/1' });
    await h.ok('/registered-models/alias', { name: 'late-policy', alias: 'champion', version: '1' });
    assertError(await v1('PUT', '/models/late-policy/policy', { protected_aliases: ['champion'] }), 409, 'RESOURCE_CONFLICT');
    await v1('POST', '/models/late-policy/versions/1/approvals', { approver: 'ann' });
    const ok = await v1('PUT', '/models/late-policy/policy', { protected_aliases: ['champion'] });
    assert.equal(ok.status, 200, ok.body);
  });

  it('resolves models:/ references everywhere a model is named', async () => {
    await h.ok('/registered-models/create', { name: 'refs' });
    for (let i = 0; i < 3; i++) await h.ok('/model-versions/create', { name: 'refs', source: `mlflow-artifacts:/r/${i}` });
    await h.ok('/registered-models/alias', { name: 'refs', alias: 'champion', version: '2' });
    const cases: [string, string][] = [['models:/refs/3', '3'], ['models:/refs@champion', '2'], ['refs/1', '1'], ['refs@champion', '2'], ['models:/refs/latest', '3']];
    for (const [uri, version] of cases) {
      const a = await h.get('/models/resolve', { uri }, '/api/v1');
      assert.equal(a.status, 200, `${uri}: ${a.body}`);
      assert.equal(a.json.model_version.version, version, uri);
    }
    assertError(await h.get('/models/resolve', { uri: 'models:/refs@nope' }, '/api/v1'), 404, 'RESOURCE_DOES_NOT_EXIST');
    assertError(await h.get('/models/resolve', { uri: 'models:/refs' }, '/api/v1'), 400, 'INVALID_PARAMETER_VALUE', 'uri');
  });

  it('draws lineage from datasets through runs and logged models to versions', async () => {
    const exp = await h.createExperiment('lineage');
    const run = await h.createRun(exp, { run_name: 'train-lr' });
    await h.ok('/runs/log-inputs', {
      run_id: run,
      datasets: [{ tags: [{ key: 'mlflow.data.context', value: 'training' }], dataset: { name: 'titanic', digest: 'abc123', source_type: 'local', source: 'titanic.csv' } }],
    });
    const lm = (await h.ok('/logged-models', { experiment_id: exp, name: 'model', source_run_id: run })).model.info.model_id;
    await h.ok('/registered-models/create', { name: 'lin' });
    await h.ok('/model-versions/create', { name: 'lin', source: `models:/${lm}`, model_id: lm });
    const g = await h.get('/lineage', { model: 'lin/1' }, '/api/v1');
    assert.equal(g.status, 200, g.body);
    assert.equal(g.json.root, 'model_version:lin/1');
    const keys = g.json.nodes.map((n: { key: string }) => n.key).sort();
    assert.deepEqual(keys, ['dataset:titanic@abc123', `logged_model:${lm}`, 'model_version:lin/1', `run:${run}`].sort());
    const edges = g.json.edges.map((e: { from: string; relation: string; to: string }) => `${e.from} -${e.relation}-> ${e.to}`).sort();
    assert.deepEqual(edges, [
      `dataset:titanic@abc123 -input (training)-> run:${run}`,
      `logged_model:${lm} -registered_as-> model_version:lin/1`,
      `run:${run} -logged-> logged_model:${lm}`,
      `run:${run} -registered_as-> model_version:lin/1`,
    ].sort());
    assert.equal(g.json.nodes.find((n: { type: string }) => n.type === 'run').label, 'train-lr');
    assertError(await h.get('/lineage', {}, '/api/v1'), 400, 'INVALID_PARAMETER_VALUE', 'model');
    assertError(await h.get('/lineage', { run_id: 'nope' }, '/api/v1'), 404, 'RESOURCE_DOES_NOT_EXIST');
  });
});
