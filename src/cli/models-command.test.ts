import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { fakeArtifactProxy } from '../sdk/testing/fake-artifact-proxy.js';
import { type FakeServer, type RecordedRequest, startFakeServer } from '../sdk/testing/fake-server.js';
import type { CliIo } from './io.js';
import { run } from './main.js';

const RUN = 'aaaa1111bbbb2222cccc3333dddd4444';
const MANIFEST = {
  flavor: 'onnx',
  modelFile: 'm.onnx',
  files: [{ path: 'm.onnx', size: 2_000_000, sha256: 'ab' }],
  onnx: { irVersion: 8, opsets: [{ domain: 'ai.onnx', version: 15 }], producerName: 'skl2onnx', batchDimension: 'dynamic' },
  signature: {
    inputs: [
      { name: 'pclass', dtype: 'int64', shape: [null, 1] },
      { name: 'sex', dtype: 'string', shape: [null, 1] },
    ],
    outputs: [{ name: 'output_label', dtype: 'int64', shape: [null] }],
  },
};

function recorder(url: string): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (s) => stdout.push(s), err: (s) => stderr.push(s), env: { PITWALL_TRACKING_URI: url } };
}

describe('pitwall models and artifacts (in process, against a fake server)', () => {
  let fake: FakeServer;
  let tmp: string;
  let modelExists: boolean;
  const proxy = fakeArtifactProxy();
  const version = (req: RecordedRequest, extra: object = {}) => {
    const b = (req.body ?? {}) as { name?: string; source?: string; run_id?: string };
    return { name: b.name ?? 'titanic', version: '1', creation_timestamp: 1, last_updated_timestamp: 1, current_stage: 'None', source: b.source ?? 'mlflow-artifacts:/x', storage_location: b.source ?? 'mlflow-artifacts:/x', run_id: b.run_id ?? '', status: 'READY', manifest: MANIFEST, card: { intended_use: 'triage demo', evaluation_scores: [], known_failure_modes: [], limitations: '' }, ...extra };
  };

  before(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'pitwall-cli-models-'));
    fake = await startFakeServer({
      ...proxy.routes,
      'GET /api/2.0/mlflow/registered-models/get': () =>
        modelExists
          ? { json: { registered_model: { name: 'titanic', creation_timestamp: 1, last_updated_timestamp: 1, aliases: [{ alias: 'champion', version: '1' }], protected_aliases: ['champion'] } } }
          : { status: 404, json: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Registered Model with name=titanic not found' } },
      'POST /api/2.0/mlflow/registered-models/create': () => ((modelExists = true), { json: { registered_model: { name: 'titanic' } } }),
      'POST /api/2.0/mlflow/model-versions/create': (req) => ({ json: { model_version: version(req) } }),
      'GET /api/2.0/mlflow/model-versions/search': (req) => ({ json: { model_versions: [version(req, { version: '2' }), version(req, { aliases: ['champion'] })] } }),
      'GET /api/v1/models/resolve': (req) => ({ json: { model_version: version(req, { aliases: ['champion'] }) } }),
      'GET /api/v1/models/titanic/approvals': { json: { approvals: [{ id: 'a', name: 'titanic', version: '1', approver: 'ana', decision: 'approved', created_at: 1 }] } },
      'GET /api/v1/models/titanic/versions/1/approvals': { json: { approvals: [] } },
      'POST /api/v1/models/titanic/versions/1/approvals': (req) => ({ status: 201, json: { approval: { id: 'b', name: 'titanic', version: '1', ...(req.body as object), created_at: 2 } } }),
      'GET /api/v1/lineage': { json: { root: 'model_version:titanic/1', nodes: [{ key: 'run:r', type: 'run', id: 'r', label: 'calm-owl' }, { key: 'model_version:titanic/1', type: 'model_version', id: 'titanic/1', label: 'titanic v1' }], edges: [{ from: 'run:r', to: 'model_version:titanic/1', relation: 'registered_as' }] } },
      'POST /api/2.0/mlflow/registered-models/alias': { status: 409, json: { error_code: 'RESOURCE_CONFLICT', message: "Alias 'champion' of model 'titanic' is protected: version 2 must be approved first" } },
      'GET /api/2.0/mlflow/runs/get': (req) =>
        req.query.get('run_id') === RUN
          ? { json: { run: { info: { run_id: RUN, experiment_id: '4', artifact_uri: `mlflow-artifacts:/4/${RUN}/artifacts` }, data: {} } } }
          : { status: 404, json: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Run not found' } },
      'POST /api/2.0/mlflow/experiments/search': { json: { experiments: [{ experiment_id: '4' }] } },
      'POST /api/2.0/mlflow/runs/search': { json: { runs: [{ info: { run_id: RUN, experiment_id: '4', artifact_uri: `mlflow-artifacts:/4/${RUN}/artifacts` }, data: {} }] } },
      'GET /api/2.0/mlflow/artifacts/list': { json: { root_uri: `mlflow-artifacts:/4/${RUN}/artifacts`, files: [{ path: 'model/m.onnx', is_dir: false, file_size: 6 }, { path: 'model/sub', is_dir: true }] } },
    });
    writeFileSync(path.join(tmp, 'm.onnx'), 'onnx!!');
  });

  beforeEach(() => {
    modelExists = false;
  });

  after(async () => {
    await fake.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('models register uploads to models/<name>/<id>/, creates the model, then the version, and prints the signature', async () => {
    const io = recorder(fake.url);
    assert.equal(await run(['models', 'register', path.join(tmp, 'm.onnx'), '--name', 'titanic'], io), 0, io.stderr.join('\n'));
    const put = fake.requests.filter((r) => r.method === 'PUT').at(-1)!;
    const m = /^\/api\/2\.0\/mlflow-artifacts\/artifacts\/models\/titanic\/([0-9a-f]{32})\/m\.onnx$/.exec(put.path);
    assert.ok(m, put.path);
    assert.equal(put.raw.toString(), 'onnx!!');
    const order = fake.requests.map((r) => `${r.method} ${r.path.replace(/artifacts\/models\/.*/, 'artifacts/…')}`);
    assert.deepEqual(order.slice(-4), [
      'GET /api/2.0/mlflow/registered-models/get',
      'PUT /api/2.0/mlflow-artifacts/artifacts/…',
      'POST /api/2.0/mlflow/registered-models/create',
      'POST /api/2.0/mlflow/model-versions/create',
    ]);
    assert.deepEqual(fake.calls('POST /api/2.0/mlflow/model-versions/create').at(-1)!.body, { name: 'titanic', source: `mlflow-artifacts:/models/titanic/${m[1]}` });
    const text = io.stdout.join('\n');
    assert.match(text, /^Registered titanic version 1\./);
    assert.match(text, /flavor\s+onnx/);
    assert.match(text, /inputs \(2\)\n\s+NAME\s+DTYPE\s+SHAPE\n\s+pclass\s+int64\s+\[\?, 1\]\n\s+sex\s+string\s+\[\?, 1\]/);
    assert.match(text, /outputs \(1\)\n.*\n\s+output_label\s+int64\s+\[\?\]/);
  });

  it('models register --run stores under the run\'s model/ and links the version to the run (prefix accepted)', async () => {
    const io = recorder(fake.url);
    assert.equal(await run(['models', 'register', path.join(tmp, 'm.onnx'), '-n', 'titanic', '--run', 'aaaa1111', '--json'], io), 0, io.stderr.join('\n'));
    assert.ok(proxy.files.has(`4/${RUN}/artifacts/model/m.onnx`));
    assert.deepEqual(fake.calls('POST /api/2.0/mlflow/model-versions/create').at(-1)!.body, { name: 'titanic', source: `mlflow-artifacts:/4/${RUN}/artifacts/model`, run_id: RUN });
    const out = JSON.parse(io.stdout.join('\n'));
    assert.equal(out.model_version.runId, RUN);
    assert.deepEqual(out.uploaded, { files: 1, bytes: 6 });
  });

  it('models register of a missing file fails before talking to the server', async () => {
    const io = recorder(fake.url);
    const before = fake.requests.length;
    const missing = path.join(tmp, 'nope.onnx');
    assert.equal(await run(['models', 'register', missing, '-n', 'titanic'], io), 1);
    assert.deepEqual(io.stderr, [`pitwall: ${missing}: no such file or directory`]);
    assert.equal(fake.requests.length, before);
  });

  it('a refused protected alias exits 1 with the server\'s reason', async () => {
    const io = recorder(fake.url);
    assert.equal(await run(['models', 'alias', 'titanic', 'champion', '2'], io), 1);
    assert.match(io.stderr[0]!, /^pitwall: RESOURCE_CONFLICT: Alias 'champion' of model 'titanic' is protected/);
  });

  it('models show NAME lists versions with aliases and approval; NAME@ALIAS shows one version in full', async () => {
    modelExists = true;
    const io = recorder(fake.url);
    assert.equal(await run(['models', 'show', 'titanic'], io), 0, io.stderr.join('\n'));
    const text = io.stdout.join('\n');
    assert.match(text, /aliases\s+champion → 1/);
    assert.match(text, /protected\s+champion/);
    assert.match(text, /VERSION\s+ALIASES\s+STAGE\s+STATUS\s+APPROVAL\s+FLAVOR/);
    assert.match(text, /\n\s+1\s+champion\s+None\s+READY\s+approved\s+onnx/);
    assert.equal(new URLSearchParams(fake.calls('GET /api/2.0/mlflow/model-versions/search').at(-1)!.query).get('filter'), "name = 'titanic'");

    const v = recorder(fake.url);
    assert.equal(await run(['models', 'show', 'titanic@champion'], v), 0, v.stderr.join('\n'));
    const vt = v.stdout.join('\n');
    for (const re of [/^Model version titanic\/1/, /storage\s+mlflow-artifacts:\//, /onnx\s+IR 8, opsets ai\.onnx 15/, /pclass\s+int64\s+\[\?, 1\]/, /intended use\s+triage demo/, /Approvals \(0\)/, /run calm-owl\s+registered_as\s+model version titanic v1/]) {
      assert.match(vt, re);
    }
  });

  it('models approve resolves an alias and records the OS user unless --approver is given', async () => {
    const io = recorder(fake.url);
    assert.equal(await run(['models', 'approve', 'titanic@champion', '--comment', 'looks fine'], io), 0, io.stderr.join('\n'));
    assert.deepEqual(fake.calls('POST /api/v1/models/titanic/versions/1/approvals').at(-1)!.body, { approver: os.userInfo().username, comment: 'looks fine', decision: 'approved' });
    assert.match(io.stdout[0]!, /^Approved titanic version 1 \(by /);
    const rej = recorder(fake.url);
    assert.equal(await run(['models', 'approve', 'titanic/1', '--reject', '--approver', 'bo'], rej), 0);
    assert.deepEqual(rej.stdout, ['Rejected titanic version 1 (by bo).']);
  });

  it('artifacts put, ls and get round-trip a file through a run', async () => {
    const put = recorder(fake.url);
    assert.equal(await run(['artifacts', 'put', path.join(tmp, 'm.onnx'), `${RUN}/model`], put), 0, put.stderr.join('\n'));
    assert.deepEqual(put.stdout, [`Uploaded 1 file (6 B) to run ${RUN} under model/.`]);

    const ls = recorder(fake.url);
    assert.equal(await run(['artifacts', 'ls', 'aaaa1111/model'], ls), 0, ls.stderr.join('\n'));
    assert.match(ls.stdout.join('\n'), /^PATH\s+SIZE\nmodel\/sub\/\s*\nmodel\/m\.onnx\s+6 B$/);

    const dest = path.join(tmp, 'back.onnx');
    const get = recorder(fake.url);
    assert.equal(await run(['artifacts', 'get', `${RUN}/model/m.onnx`, dest], get), 0, get.stderr.join('\n'));
    assert.equal(readFileSync(dest, 'utf8'), 'onnx!!');
    assert.deepEqual(get.stdout, [`Downloaded 1 file (6 B) to ${dest}.`]);
  });

  it('an unknown run exits 1 with the server\'s error', async () => {
    const io = recorder(fake.url);
    assert.equal(await run(['artifacts', 'ls', 'ffffffffffffffffffffffffffffffff'], io), 1);
    assert.deepEqual(io.stderr, ['pitwall: RESOURCE_DOES_NOT_EXIST: Run not found']);
  });
});
