import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { artifactStoreConformance } from './conformance/artifact-store-conformance.js';
import { getText, rejectsWith } from './conformance/helpers.js';
import { createArtifactStore } from './create-artifact-store.js';
import { parseS3Uri, S3ArtifactStore } from './s3-artifact-store.js';
import { MOTO_CREDENTIALS, startMotoServer } from './testing/moto-server.js';

// A real S3 server (moto) for the whole file; in CI a failure to start fails the file instead of skipping it.
const moto = await startMotoServer();
after(async () => moto.server?.stop());

const BUCKET = 'pitwall-test';
if (moto.server) await moto.server.createBucket(BUCKET);
let n = 0;

const open = async (prefix = `runs/t${++n}`): Promise<S3ArtifactStore> =>
  S3ArtifactStore.fromUri(`s3://${BUCKET}/${prefix}`, { endpointUrl: moto.server!.endpoint, credentials: MOTO_CREDENTIALS, region: 'us-east-1', pageSize: 50 });

// Every test gets its own prefix in one bucket: a store must never see, list or delete beyond its prefix.
artifactStoreConformance('S3ArtifactStore (moto)', () => open(), { skip: moto.skip });

describe('S3ArtifactStore (S3-only behaviour)', { skip: moto.skip ?? false }, () => {
  it('keeps to its prefix: a sibling prefix that shares the name’s start is neither listed nor deleted', async () => {
    const a = await open('shared/a');
    const ab = await open('shared/ab');
    try {
      await ab.put('keep.txt', Buffer.from('keep'));
      await a.put('x.txt', Buffer.from('x'));
      assert.deepEqual(await a.list(''), [{ path: 'x.txt', isDir: false, fileSize: 1 }]);
      await a.delete('');
      assert.deepEqual(await a.list(''), []);
      assert.equal(await getText(ab, 'keep.txt'), 'keep');
    } finally {
      await a.close();
      await ab.close();
    }
  });

  it('works without a prefix (the bucket root) and names its root URI', async () => {
    const root = await open('');
    try {
      assert.equal(root.rootUri, `s3://${BUCKET}`);
      await root.put('top-level.txt', Buffer.from('t'));
      assert.ok((await root.list('')).some((e) => e.path === 'top-level.txt'));
      await root.delete('top-level.txt');
      assert.equal(await root.stat('top-level.txt'), null);
    } finally {
      await root.close();
    }
  });

  it('a part of unknown length is spooled and uploaded with its length', async () => {
    const s = await open();
    try {
      const { uploadId } = await s.createMultipartUpload('spooled.bin');
      async function* unknownLength() {
        yield Buffer.from('abc');
        yield Buffer.from('def');
      }
      const { etag } = await s.uploadPart('spooled.bin', uploadId, 1, unknownLength());
      await s.completeMultipartUpload('spooled.bin', uploadId, [{ partNumber: 1, etag }]);
      assert.equal(await getText(s, 'spooled.bin'), 'abcdef');
    } finally {
      await s.close();
    }
  });

  it('createArtifactStore opens s3:// URIs with the configured endpoint', async () => {
    const s = await createArtifactStore({ uri: `s3://${BUCKET}/via-config`, s3: { endpointUrl: moto.server!.endpoint, region: 'us-east-1' } }, { s3: { credentials: MOTO_CREDENTIALS } });
    try {
      assert.equal(s.rootUri, `s3://${BUCKET}/via-config`);
      await s.put('f', Buffer.from('f'));
      assert.equal(await getText(s, 'f'), 'f');
    } finally {
      await s.close();
    }
  });

  it('an unreachable endpoint is a 503, not a crash', async () => {
    const dead = S3ArtifactStore.fromUri(`s3://${BUCKET}/x`, { endpointUrl: 'http://127.0.0.1:9', credentials: MOTO_CREDENTIALS });
    try {
      await rejectsWith(dead.stat('a.txt'), 'TEMPORARILY_UNAVAILABLE');
    } finally {
      await dead.close();
    }
  });
});

describe('parseS3Uri', () => {
  it('splits bucket and prefix and refuses malformed URIs with a 400 on artifacts.uri', () => {
    assert.deepEqual(parseS3Uri('s3://bucket'), { bucket: 'bucket', prefix: '' });
    assert.deepEqual(parseS3Uri('s3://bucket/'), { bucket: 'bucket', prefix: '' });
    assert.deepEqual(parseS3Uri('s3://my.bucket-1/mlflow/artifacts/'), { bucket: 'my.bucket-1', prefix: 'mlflow/artifacts' });
    for (const bad of ['s3://', 's3:///x', 's3://b/x', 's3://bucket/../x', 's3://bucket//x', 's3://bucket/%2e%2e', 'https://bucket/x', 's3://bu cket/x']) {
      assert.throws(() => parseS3Uri(bad), (e: { code?: string; field?: string }) => e.code === 'INVALID_PARAMETER_VALUE' && e.field === 'artifacts.uri', bad);
    }
  });
});
