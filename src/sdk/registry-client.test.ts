import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PitwallClient } from './client.js';
import { PitwallApiError } from './errors.js';
import { type FakeServer, startFakeServer } from './testing/fake-server.js';

const VERSION = {
  name: 'titanic',
  version: '3',
  creation_timestamp: 1700000000000,
  last_updated_timestamp: '1700000001000',
  current_stage: 'None',
  description: '',
  source: 'mlflow-artifacts:/models/titanic/abc',
  run_id: '',
  status: 'READY',
  run_link: '',
  aliases: ['champion'],
  storage_location: 'mlflow-artifacts:/models/titanic/abc',
  manifest: { flavor: 'onnx', files: [{ path: 'm.onnx', size: 10, sha256: 'ab' }], signature: { inputs: [{ name: 'pclass', dtype: 'int64', shape: [null, 1] }], outputs: [] } },
  card: { intended_use: 'demo', evaluation_scores: [{ metric: 'auc', value: 0.9 }], known_failure_modes: [], limitations: '' },
};

const MODEL = {
  name: 'titanic',
  creation_timestamp: 1700000000000,
  last_updated_timestamp: 1700000000000,
  latest_versions: [{ ...VERSION, aliases: undefined, storage_location: undefined, manifest: undefined, card: undefined }],
  aliases: [{ alias: 'champion', version: '3' }],
  protected_aliases: ['champion'],
};

describe('client.registry', () => {
  let fake: FakeServer;
  let client: PitwallClient;

  before(async () => {
    fake = await startFakeServer({
      'POST /api/2.0/mlflow/registered-models/create': { json: { registered_model: { name: 'titanic', creation_timestamp: 1, last_updated_timestamp: 1 } } },
      'GET /api/2.0/mlflow/registered-models/get': { json: { registered_model: MODEL } },
      'GET /api/2.0/mlflow/registered-models/search': (req) =>
        req.query.get('page_token') === 'p2'
          ? { json: { registered_models: [{ ...MODEL, name: 'b' }] } }
          : { json: { registered_models: [MODEL], next_page_token: 'p2' } },
      'DELETE /api/2.0/mlflow/registered-models/alias': { json: {} },
      'POST /api/2.0/mlflow/registered-models/alias': { status: 409, json: { error_code: 'RESOURCE_CONFLICT', message: 'protected', field: 'version' } },
      'POST /api/2.0/mlflow/model-versions/create': { json: { model_version: VERSION } },
      'GET /api/2.0/mlflow/model-versions/get': { json: { model_version: VERSION } },
      'PATCH /api/2.0/mlflow/model-versions/update': { json: { model_version: VERSION } },
      'GET /api/2.0/mlflow/model-versions/search': { json: {} },
      'GET /api/2.0/mlflow/model-versions/get-download-uri': { json: { artifact_uri: 'mlflow-artifacts:/models/titanic/abc' } },
      'GET /api/v1/models/resolve': { json: { model_version: VERSION } },
      'PATCH /api/v1/models/my%20model/versions/3/card': { json: { model_version: VERSION } },
      'POST /api/v1/models/titanic/versions/3/approvals': { status: 201, json: { approval: { id: 'a1', name: 'titanic', version: '3', approver: 'ana', comment: '', decision: 'rejected', created_at: 5 } } },
      'GET /api/v1/models/titanic/approvals': { json: { approvals: [] } },
      'PUT /api/v1/models/titanic/policy': { json: { registered_model: MODEL } },
      'GET /api/v1/lineage': {
        json: {
          root: 'model_version:titanic/3',
          nodes: [{ key: 'run:r1', type: 'run', id: 'r1', label: 'calm-owl', detail: { status: 'FINISHED' } }],
          edges: [{ from: 'run:r1', to: 'model_version:titanic/3', relation: 'registered_as' }],
        },
      },
      'GET /api/2.0/mlflow/logged-models/m-1': {
        json: { model: { info: { model_id: 'm-1', experiment_id: '1', name: 'clf', creation_timestamp_ms: 7, status: 'LOGGED_MODEL_READY' }, data: { metrics: [{ key: 'acc', value: 'NaN', timestamp: 1, step: 0 }] } } },
      },
    });
    client = new PitwallClient({ baseUrl: fake.url });
  });

  after(() => fake.close());

  it('creates a model with tags as a list and decodes camelCase fields', async () => {
    const m = await client.registry.createModel('titanic', { tags: { team: 'risk' } });
    assert.deepEqual(fake.calls('POST /api/2.0/mlflow/registered-models/create').at(-1)!.body, { name: 'titanic', tags: [{ key: 'team', value: 'risk' }] });
    assert.deepEqual(m, { name: 'titanic', creationTimestamp: 1, lastUpdatedTimestamp: 1, description: '', latestVersions: [], tags: [], aliases: [], protectedAliases: [] });
  });

  it('decodes a registered model with aliases, protected aliases and latest versions', async () => {
    const m = await client.registry.getModel('titanic');
    assert.equal(fake.calls('GET /api/2.0/mlflow/registered-models/get').at(-1)!.query.get('name'), 'titanic');
    assert.deepEqual(m.aliases, [{ alias: 'champion', version: '3' }]);
    assert.deepEqual(m.protectedAliases, ['champion']);
    assert.equal(m.latestVersions[0]!.version, '3');
    assert.equal(m.latestVersions[0]!.card, null, 'latest_versions carry no card');
    assert.equal(m.latestVersions[0]!.lastUpdatedTimestamp, 1700000001000);
  });

  it('iterates registered models across pages', async () => {
    const names: string[] = [];
    for await (const m of client.registry.iterateModels({ filter: "name LIKE 't%'", maxResults: 1 })) names.push(m.name);
    assert.deepEqual(names, ['titanic', 'b']);
    const q = fake.calls('GET /api/2.0/mlflow/registered-models/search').map((r) => r.query);
    assert.deepEqual(q.map((x) => x.get('page_token')), [null, 'p2']);
    assert.equal(q[0]!.get('filter'), "name LIKE 't%'");
    assert.equal(q[0]!.get('max_results'), '1');
  });

  it('sends versions as strings and DELETE bodies as JSON', async () => {
    await client.registry.deleteAlias('titanic', 'champion');
    assert.deepEqual(fake.calls('DELETE /api/2.0/mlflow/registered-models/alias').at(-1)!.body, { name: 'titanic', alias: 'champion' });
    await client.registry.getVersion('titanic', 3);
    assert.equal(fake.calls('GET /api/2.0/mlflow/model-versions/get').at(-1)!.query.get('version'), '3');
    await client.registry.updateVersion('titanic', 3, { description: 'better' });
    assert.deepEqual(fake.calls('PATCH /api/2.0/mlflow/model-versions/update').at(-1)!.body, { name: 'titanic', version: '3', description: 'better' });
  });

  it('surfaces a protected-alias refusal as a PitwallApiError', async () => {
    await assert.rejects(client.registry.setAlias('titanic', 'champion', '3'), (e: unknown) => e instanceof PitwallApiError && e.status === 409 && e.errorCode === 'RESOURCE_CONFLICT');
  });

  it('creates a version and decodes its manifest and card', async () => {
    const v = await client.registry.createVersion({ name: 'titanic', source: 'mlflow-artifacts:/models/titanic/abc', runId: 'r1' });
    assert.deepEqual(fake.calls('POST /api/2.0/mlflow/model-versions/create').at(-1)!.body, { name: 'titanic', source: 'mlflow-artifacts:/models/titanic/abc', run_id: 'r1' });
    assert.equal(v.manifest?.flavor, 'onnx');
    assert.deepEqual(v.manifest?.signature?.inputs[0], { name: 'pclass', dtype: 'int64', shape: [null, 1] });
    assert.deepEqual(v.card, { intendedUse: 'demo', evaluationScores: [{ metric: 'auc', value: 0.9 }], knownFailureModes: [], limitations: '' });
    assert.deepEqual(v.aliases, ['champion']);
    assert.equal(v.storageLocation, 'mlflow-artifacts:/models/titanic/abc');
  });

  it('returns [] when a version search answers without the repeated field', async () => {
    assert.deepEqual(await client.registry.searchVersions({ filter: "name = 'x'" }), { versions: [] });
  });

  it('resolves references, gets the download URI', async () => {
    const v = await client.registry.resolve('models:/titanic@champion');
    assert.equal(fake.calls('GET /api/v1/models/resolve').at(-1)!.query.get('uri'), 'models:/titanic@champion');
    assert.equal(v.version, '3');
    assert.equal(await client.registry.getDownloadUri('titanic', '3'), 'mlflow-artifacts:/models/titanic/abc');
  });

  it('escapes the model name in /api/v1 paths and maps card fields to snake_case', async () => {
    await client.registry.updateCard('my model', 3, { intendedUse: 'triage', knownFailureModes: ['children'] });
    assert.deepEqual(fake.calls('PATCH /api/v1/models/my%20model/versions/3/card').at(-1)!.body, { intended_use: 'triage', known_failure_modes: ['children'] });
  });

  it('approves, lists approvals, sets the policy', async () => {
    const a = await client.registry.approve('titanic', '3', { approver: 'ana', decision: 'rejected' });
    assert.deepEqual(a, { id: 'a1', name: 'titanic', version: '3', approver: 'ana', comment: '', decision: 'rejected', createdAt: 5 });
    assert.deepEqual(await client.registry.listApprovals('titanic'), []);
    const m = await client.registry.setProtectedAliases('titanic', ['champion']);
    assert.deepEqual(fake.calls('PUT /api/v1/models/titanic/policy').at(-1)!.body, { protected_aliases: ['champion'] });
    assert.equal(m.name, 'titanic');
  });

  it('asks for lineage by run id and decodes the graph', async () => {
    const g = await client.registry.lineage({ runId: 'r1', depth: 2 });
    const q = fake.calls('GET /api/v1/lineage').at(-1)!.query;
    assert.equal(q.get('run_id'), 'r1');
    assert.equal(q.get('depth'), '2');
    assert.equal(q.has('model'), false);
    assert.equal(g.nodes[0]!.label, 'calm-owl');
    assert.equal(g.edges[0]!.relation, 'registered_as');
  });

  it('decodes a logged model', async () => {
    const m = await client.registry.getLoggedModel('m-1');
    assert.equal(m.status, 'LOGGED_MODEL_READY');
    assert.equal(m.creationTimestamp, 7);
    assert.ok(Number.isNaN(m.metrics[0]!.value));
    assert.equal(m.metrics[0]!.modelId, 'm-1');
  });
});
