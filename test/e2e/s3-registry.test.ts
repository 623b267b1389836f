import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { S3ArtifactStore } from '../../src/artifacts/s3-artifact-store.js';
import { MOTO_CREDENTIALS, startMotoServer } from '../../src/artifacts/testing/moto-server.js';
import { type PitwallProcess, REPO, api, startPitwall } from './pitwall-process.js';

const TITANIC = readFileSync(path.resolve(REPO, '..', 'shared', 'models', 'sklearn-titanic', 'pipeline_titanic_nozipmap.onnx'));
const BUCKET = 'pitwall-e2e';

// A real S3 server (moto); in CI a failure to start fails this file instead of skipping it.
const moto = await startMotoServer();

describe('pitwall server on an S3 artifact store (moto)', { skip: moto.skip ?? false }, () => {
  let server: PitwallProcess;
  let dataDir: string;
  before(async () => {
    await moto.server!.createBucket(BUCKET);
    // The server reads S3 settings as MLflow does: endpoint from MLFLOW_S3_ENDPOINT_URL, credentials from the AWS chain.
    Object.assign(process.env, {
      MLFLOW_S3_ENDPOINT_URL: moto.server!.endpoint,
      AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
      AWS_REGION: 'us-east-1',
    });
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'pitwall-s3-e2e-'));
    server = await startPitwall(dataDir, ['--artifacts', `s3://${BUCKET}/pitwall`]);
  });
  after(async () => {
    await server?.stop();
    await moto.server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores run artifacts in the bucket, registers a model from them with its ONNX signature, and serves it back', async () => {
    const exp = (await api<{ experiment_id: string }>(server.url, 'POST', 'experiments/create', { name: 's3' })).json.experiment_id;
    const run = (await api<{ run: { info: { run_id: string } } }>(server.url, 'POST', 'runs/create', { experiment_id: exp })).json.run.info.run_id;
    const file = `${server.url}/api/2.0/mlflow-artifacts/artifacts/${exp}/${run}/artifacts/model/model.onnx`;
    const put = await fetch(file, { method: 'PUT', body: TITANIC });
    assert.equal(put.status, 200, await put.text());

    await api(server.url, 'POST', 'registered-models/create', { name: 'titanic-s3' });
    const created = await api<{ model_version: { version: string; storage_location: string; manifest: { flavor: string; signature: { inputs: { name: string; dtype: string }[] } } } }>(
      server.url,
      'POST',
      'model-versions/create',
      { name: 'titanic-s3', source: `runs:/${run}/model` },
    );
    assert.equal(created.status, 200, JSON.stringify(created.json));
    const v = created.json.model_version;
    assert.equal(v.manifest.flavor, 'onnx');
    assert.deepEqual(v.manifest.signature.inputs.map((i) => `${i.name}:${i.dtype}`), ['pclass:int64', 'sex:string', 'age:float32', 'fare:float32', 'embarked:string']);

    const back = Buffer.from(await (await fetch(file)).arrayBuffer());
    assert.deepEqual(back, TITANIC);
    const listed = await api<{ files: { path: string; file_size: number }[] }>(server.url, 'GET', `artifacts/list?run_id=${run}&path=model`);
    assert.deepEqual(listed.json.files, [{ path: 'model/model.onnx', is_dir: false, file_size: TITANIC.length }]);

    // The bytes are in the bucket under the configured prefix, and nowhere in the data directory.
    const direct = await S3ArtifactStore.fromUri(`s3://${BUCKET}/pitwall`, { endpointUrl: moto.server!.endpoint, credentials: MOTO_CREDENTIALS, region: 'us-east-1' });
    try {
      assert.equal((await direct.stat(`${exp}/${run}/artifacts/model/model.onnx`))?.size, TITANIC.length);
    } finally {
      await direct.close();
    }
    assert.equal(existsSync(path.join(dataDir, 'artifacts')), false);
  });
});
