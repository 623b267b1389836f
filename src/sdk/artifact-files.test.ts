import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { joinArtifactPath, storePathOf } from './artifact-client.js';
import { downloadPath, uploadPath } from './artifact-files.js';
import { PitwallClient } from './client.js';
import { PitwallApiError, PitwallPathError } from './errors.js';
import { fakeArtifactProxy } from './testing/fake-artifact-proxy.js';
import { type FakeServer, startFakeServer } from './testing/fake-server.js';

describe('client.artifacts and the Node file helpers', () => {
  let fake: FakeServer;
  let client: PitwallClient;
  let tmp: string;
  const proxy = fakeArtifactProxy();

  before(async () => {
    fake = await startFakeServer({
      ...proxy.routes,
      'GET /api/2.0/mlflow/artifacts/list': { json: { root_uri: 'mlflow-artifacts:/1/r1/artifacts', files: [{ path: 'model', is_dir: true }, { path: 'm.txt', is_dir: false, file_size: 3 }] } },
      'GET /api/2.0/mlflow/runs/get': { json: { run: { info: { run_id: 'r1', artifact_uri: 'mlflow-artifacts:/1/r1/artifacts' }, data: {} } } },
    });
    client = new PitwallClient({ baseUrl: fake.url });
    tmp = mkdtempSync(path.join(os.tmpdir(), 'pitwall-sdk-art-'));
  });

  after(async () => {
    await fake.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('parses mlflow-artifacts URIs and refuses other schemes', () => {
    assert.equal(storePathOf('mlflow-artifacts:/1/abc/artifacts'), '1/abc/artifacts');
    assert.equal(storePathOf('mlflow-artifacts://host:5000/1/abc/artifacts/'), '1/abc/artifacts');
    assert.throws(() => storePathOf('s3://bucket/x'), /not an mlflow-artifacts: URI/);
  });

  it('uploads bytes, downloads them as a stream with their size, lists and deletes', async () => {
    await client.artifacts.upload('a/b c/ü.txt', new TextEncoder().encode('hello'));
    const put = fake.requests.filter((r) => r.method === 'PUT').at(-1)!;
    assert.equal(put.path, '/api/2.0/mlflow-artifacts/artifacts/a/b%20c/%C3%BC.txt', 'each segment percent-encoded');
    const dl = await client.artifacts.download('a/b c/ü.txt');
    assert.equal(dl.size, 5);
    assert.equal(await new Response(dl.body).text(), 'hello');
    assert.deepEqual(await client.artifacts.list('a'), [{ path: 'a/b c', name: 'b c', isDir: true }]);
    assert.deepEqual(await client.artifacts.list('a/b c'), [{ path: 'a/b c/ü.txt', name: 'ü.txt', isDir: false, fileSize: 5 }]);
    await client.artifacts.delete('a');
    assert.deepEqual(await client.artifacts.list('a'), []);
    await assert.rejects(client.artifacts.download('a/b c/ü.txt'), (e: unknown) => e instanceof PitwallApiError && e.errorCode === 'RESOURCE_DOES_NOT_EXIST');
  });

  it('streams a ReadableStream body (no Content-Length) and reports progress', async () => {
    const chunks = [new Uint8Array(1000).fill(1), new Uint8Array(500).fill(2)];
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        const next = chunks.shift();
        if (next) c.enqueue(next);
        else c.close();
      },
    });
    const seen: Array<[number, number | undefined]> = [];
    await client.artifacts.upload('s/stream.bin', body, { size: 1500, onProgress: (d, t) => seen.push([d, t]) });
    const put = fake.requests.filter((r) => r.method === 'PUT').at(-1)!;
    assert.equal(put.headers['transfer-encoding'], 'chunked');
    assert.equal(proxy.files.get('s/stream.bin')!.length, 1500);
    assert.deepEqual(seen.at(-1), [1500, 1500]);
  });

  it('lists run artifacts relative to the run root, and finds a run\'s store path', async () => {
    const l = await client.artifacts.listRun('r1', 'x');
    assert.equal(fake.calls('GET /api/2.0/mlflow/artifacts/list').at(-1)!.query.get('path'), 'x');
    assert.equal(l.rootUri, 'mlflow-artifacts:/1/r1/artifacts');
    assert.deepEqual(l.files, [{ path: 'model', name: 'model', isDir: true }, { path: 'm.txt', name: 'm.txt', isDir: false, fileSize: 3 }]);
    assert.equal(await client.artifacts.runPath('r1', 'model/'), '1/r1/artifacts/model');
  });

  it('round-trips a directory tree byte for byte, with progress up to the total', async () => {
    const src = path.join(tmp, 'src');
    mkdirSync(path.join(src, 'sub', 'deeper'), { recursive: true });
    const big = Buffer.alloc(3 * 1024 * 1024 + 7);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) % 251;
    writeFileSync(path.join(src, 'big.bin'), big);
    writeFileSync(path.join(src, 'sub', 'a.txt'), 'alpha');
    writeFileSync(path.join(src, 'sub', 'deeper', 'empty'), '');
    const total = big.length + 5;

    const up: number[] = [];
    const res = await uploadPath(client.artifacts, src, '1/r1/artifacts/model', { onProgress: (d, t) => (assert.equal(t, total), up.push(d)) });
    assert.deepEqual(res.files, ['1/r1/artifacts/model/big.bin', '1/r1/artifacts/model/sub/a.txt', '1/r1/artifacts/model/sub/deeper/empty']);
    assert.equal(res.bytes, total);
    assert.equal(up.at(-1), total);
    assert.ok(up.every((d, i) => i === 0 || d >= up[i - 1]!), 'progress never goes back');

    const dest = path.join(tmp, 'dest');
    const down: number[] = [];
    const got = await downloadPath(client.artifacts, '1/r1/artifacts/model', dest, { onProgress: (d) => down.push(d) });
    assert.equal(got.isDir, true);
    assert.equal(got.bytes, total);
    assert.equal(down.at(-1), total);
    assert.ok(readFileSync(path.join(dest, 'big.bin')).equals(big));
    assert.equal(readFileSync(path.join(dest, 'sub', 'a.txt'), 'utf8'), 'alpha');
    assert.equal(readFileSync(path.join(dest, 'sub', 'deeper', 'empty'), 'utf8'), '');
  });

  it('uploads a single file under its own name and downloads it into an existing directory', async () => {
    const file = path.join(tmp, 'one.txt');
    writeFileSync(file, 'single');
    const res = await uploadPath(client.artifacts, file, 'x/y');
    assert.deepEqual(res, { files: ['x/y/one.txt'], bytes: 6, isDir: false });
    const into = path.join(tmp, 'into');
    mkdirSync(into);
    const got = await downloadPath(client.artifacts, 'x/y/one.txt', into);
    assert.deepEqual(got, { files: [path.join(into, 'one.txt')], bytes: 6, isDir: false });
    const renamed = await downloadPath(client.artifacts, 'x/y/one.txt', path.join(tmp, 'renamed.txt'));
    assert.equal(readFileSync(renamed.files[0]!, 'utf8'), 'single');
  });

  it('names a missing local file clearly', async () => {
    await assert.rejects(uploadPath(client.artifacts, path.join(tmp, 'nope.onnx'), 'x'), /nope\.onnx: no such file or directory/);
  });

  it('refuses paths with .. before a request can be normalised elsewhere', () => {
    assert.throws(() => joinArtifactPath('1/r1/artifacts', '../../elsewhere'), PitwallPathError);
    assert.throws(() => joinArtifactPath('a\\..\\b'), PitwallPathError);
    assert.equal(joinArtifactPath('a/', './b', ''), 'a/b');
  });

  it('never writes outside the destination, whatever names a server lists', async () => {
    const evil = await startFakeServer({
      'GET /api/2.0/mlflow-artifacts/artifacts': (req) =>
        req.query.get('path') === 'd' ? { json: { files: [{ path: '../../../escaped.txt', is_dir: false, file_size: 4 }] } } : { json: {} },
      'GET /api/2.0/mlflow-artifacts/artifacts/*': { bytes: Buffer.from('evil') },
    });
    try {
      const c = new PitwallClient({ baseUrl: evil.url });
      const dest = path.join(tmp, 'evil', 'a', 'b');
      await assert.rejects(downloadPath(c.artifacts, 'd', dest), PitwallPathError);
      assert.throws(() => readFileSync(path.join(tmp, 'escaped.txt')), /ENOENT/);
      assert.throws(() => readFileSync(path.join(tmp, 'evil', 'escaped.txt')), /ENOENT/);
    } finally {
      await evil.close();
    }
  });

});
