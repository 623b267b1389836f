import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { parseCommand } from '../cli/args.js';
import { loadConfig } from '../config/index.js';
import { getText, rejectsWith } from './conformance/helpers.js';
import { createArtifactStore } from './create-artifact-store.js';
import { LocalArtifactStore } from './local-artifact-store.js';
import { S3ArtifactStore } from './s3-artifact-store.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'pitwall-create-store-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('createArtifactStore', () => {
  it('opens a plain directory path (creating it) or a file:// URI as a LocalArtifactStore', async () => {
    const dir = path.join(scratch, 'plain', 'artifacts');
    const a = await createArtifactStore(dir);
    assert.ok(a instanceof LocalArtifactStore);
    assert.ok(statSync(dir).isDirectory());
    await a.put('x.txt', Buffer.from('x'));
    const b = await createArtifactStore(pathToFileURL(dir).href);
    assert.equal(b.rootUri, a.rootUri);
    assert.equal(await getText(b, 'x.txt'), 'x');
    const c = await createArtifactStore({ uri: dir, s3: {} });
    assert.equal(c.rootUri, a.rootUri);
  });

  it('opens s3:// URIs as an S3ArtifactStore (no request is made until used)', async () => {
    const s = await createArtifactStore('s3://my-bucket/mlflow/artifacts', { s3: { endpointUrl: 'http://127.0.0.1:9' } });
    assert.ok(s instanceof S3ArtifactStore);
    assert.equal(s.rootUri, 's3://my-bucket/mlflow/artifacts');
    await s.close();
  });

  it('refuses other schemes and malformed URIs with a 400 on artifacts.uri', async () => {
    for (const bad of ['gs://bucket/x', 'http://example.com/a', 'ftp://x', 'file://remote-host/dir', 's3://', 's3://b/../x', '', '   ']) {
      await rejectsWith(createArtifactStore(bad), 'INVALID_PARAMETER_VALUE', 'artifacts.uri', bad);
    }
  });
});

describe('config: artifacts.uri', () => {
  const dataDir = path.join(scratch, 'data');

  it('defaults to <dataDir>/artifacts, absolute', () => {
    assert.equal(loadConfig({ dataDir }, {}).artifacts.uri, path.join(dataDir, 'artifacts'));
    assert.deepEqual(loadConfig({ dataDir }, {}).artifacts.s3, {});
  });

  it('takes the config file < PITWALL_ARTIFACTS_URI < --artifacts, and resolves relative directories', () => {
    const file = path.join(scratch, 'config.json');
    writeFileSync(file, JSON.stringify({ artifacts: { uri: 's3://from-file/p' } }));
    assert.equal(loadConfig({ configFile: file, dataDir }, {}).artifacts.uri, 's3://from-file/p');
    assert.equal(loadConfig({ configFile: file, dataDir }, { PITWALL_ARTIFACTS_URI: 's3://from-env/p' }).artifacts.uri, 's3://from-env/p');
    assert.equal(loadConfig({ configFile: file, dataDir, artifacts: { uri: 'file:///srv/artifacts' } }, { PITWALL_ARTIFACTS_URI: 's3://from-env/p' }).artifacts.uri, 'file:///srv/artifacts');
    assert.equal(loadConfig({ artifacts: { uri: 'rel/dir' } }, {}).artifacts.uri, path.resolve('rel/dir'));
  });

  it('refuses unknown keys under artifacts', () => {
    const file = path.join(scratch, 'bad-config.json');
    writeFileSync(file, JSON.stringify({ artifacts: { uri: '/x', bucket: 'b' } }));
    assert.throws(() => loadConfig({ configFile: file }, {}), (e: { field?: string }) => e.field === 'artifacts.bucket');
  });

  it('reads the S3 endpoint and region MLflow users already export, MLflow’s own variable first', () => {
    const s3 = (env: NodeJS.ProcessEnv) => loadConfig({ dataDir }, env).artifacts.s3;
    assert.deepEqual(s3({ MLFLOW_S3_ENDPOINT_URL: 'http://minio:9000', AWS_ENDPOINT_URL: 'http://other', AWS_DEFAULT_REGION: 'eu-west-1' }), {
      endpointUrl: 'http://minio:9000',
      region: 'eu-west-1',
    });
    assert.deepEqual(s3({ AWS_ENDPOINT_URL_S3: 'http://s3-only', AWS_ENDPOINT_URL: 'http://generic', AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'x' }), {
      endpointUrl: 'http://s3-only',
      region: 'us-west-2',
    });
    assert.deepEqual(s3({ AWS_ENDPOINT_URL: 'http://generic' }), { endpointUrl: 'http://generic' });
  });

  it('pitwall server --artifacts URI reaches the config', () => {
    const cmd = parseCommand(['server', '--artifacts', 's3://bucket/prefix']);
    assert.deepEqual(cmd, { kind: 'server', flags: { artifacts: { uri: 's3://bucket/prefix' } } });
    assert.equal(loadConfig(cmd.kind === 'server' ? cmd.flags : {}, {}).artifacts.uri, 's3://bucket/prefix');
  });
});
