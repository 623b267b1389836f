import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { STAGING_DIR } from '../../artifacts/index.js';
import { type Answer, ApiHarness, assertError } from '../testing/api-harness.js';
import { ArtifactApp } from '../testing/artifact-routes-harness.js';

const A = '/api/2.0/mlflow-artifacts';

describe('MLflow artifact proxy routes', () => {
  let h: ArtifactApp;
  before(async () => {
    h = await ArtifactApp.start({ bodyLimit: 1024 * 1024 });
  });
  after(async () => h.close());

  async function req(method: string, url: string, payload?: string | Buffer, headers: Record<string, string> = {}): Promise<Answer & { headers: Record<string, unknown>; raw: Buffer }> {
    const res = await h.app.inject({ method: method as 'GET', url, ...(payload === undefined ? {} : { payload }), headers });
    let json: unknown;
    try {
      json = JSON.parse(res.body);
    } catch {
      json = undefined;
    }
    return { status: res.statusCode, body: res.body, json, contentType: String(res.headers['content-type'] ?? ''), headers: res.headers, raw: res.rawPayload };
  }
  const put = (p: string, body: string | Buffer, headers: Record<string, string> = {}) => req('PUT', `${A}/artifacts/${p}`, body, headers);

  it('PUT stores the raw body (whatever its content type) and answers {}; GET returns the same bytes', async () => {
    const up = await put('1/run/artifacts/params.json', '{"lr": NaN, not json', { 'content-type': 'application/json' });
    assert.equal(up.status, 200, up.body);
    assert.deepEqual(up.json, {});
    assert.match(up.contentType, /application\/json/u);
    const down = await req('GET', `${A}/artifacts/1/run/artifacts/params.json`);
    assert.equal(down.status, 200);
    assert.equal(down.body, '{"lr": NaN, not json');
    assert.equal(readFileSync(path.join(h.root, '1', 'run', 'artifacts', 'params.json'), 'utf8'), '{"lr": NaN, not json');
  });

  it('PUT bodies are streamed past the JSON bodyLimit (1 MiB here), and binary bytes survive', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 5);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
    const up = await put('big/weights.bin', big, { 'content-type': 'application/octet-stream' });
    assert.equal(up.status, 200, up.body);
    const down = await req('GET', `${A}/artifacts/big/weights.bin`);
    assert.equal(down.status, 200);
    assert.ok(down.raw.equals(big));
    assert.equal(down.headers['content-length'], String(big.length));
    const tooBig = await req('POST', '/api/2.0/mlflow/echo', JSON.stringify({ x: 'y'.repeat(2 * 1024 * 1024) }), { 'content-type': 'application/json' });
    assertError(tooBig, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('the rest of the app keeps its JSON parsing (the raw parser is confined to the upload routes)', async () => {
    const echo = await req('POST', '/api/2.0/mlflow/echo', '{"a": 1}', { 'content-type': 'text/plain' });
    assert.deepEqual(echo.json, { got: { a: 1 } });
    assertError(await req('POST', `${A}/mpu/create/x`, '{broken', { 'content-type': 'application/json' }), 400, 'MALFORMED_REQUEST', 'body');
  });

  it('PUT with no body stores an empty file', async () => {
    assert.equal((await req('PUT', `${A}/artifacts/empty.txt`)).status, 200);
    const down = await req('GET', `${A}/artifacts/empty.txt`);
    assert.equal(down.status, 200);
    assert.equal(down.body, '');
    assert.equal(down.headers['content-length'], '0');
  });

  it('GET sends Content-Length, MLflow’s content types, an attachment disposition and nosniff', async () => {
    const cases: [string, string][] = [
      ['m/notes.txt', 'text/plain'],
      ['m/conf.yaml', 'text/plain'],
      ['m/table.csv', 'text/plain'],
      ['m/meta.json', 'text/plain'],
      ['m/MLmodel', 'text/plain'],
      ['m/plot.png', 'image/png'],
      ['m/model.pkl', 'application/octet-stream'],
      ['m/noext', 'application/octet-stream'],
    ];
    for (const [p, type] of cases) {
      assert.equal((await put(p, 'abc')).status, 200);
      const down = await req('GET', `${A}/artifacts/${p}`);
      assert.equal(down.status, 200);
      assert.equal(down.headers['content-type'], type, p);
      assert.equal(down.headers['content-length'], '3');
      assert.equal(down.headers['content-disposition'], `attachment; filename="${path.basename(p)}"`);
      assert.equal(down.headers['x-content-type-options'], 'nosniff');
    }
    assert.equal((await put(encodeURIComponent('模型 "v1".txt'), 'u')).status, 200);
    const uni = await req('GET', `${A}/artifacts/${encodeURIComponent('模型 "v1".txt')}`);
    assert.equal(uni.body, 'u');
    assert.equal(uni.headers['content-disposition'], `attachment; filename="__ _v1_.txt"; filename*=UTF-8''${encodeURIComponent('模型 "v1".txt')}`);
    const head = await req('HEAD', `${A}/artifacts/m/notes.txt`);
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-length'], '3');
    assert.equal(head.body, '');
  });

  it('GET of a missing file is a 404 RESOURCE_DOES_NOT_EXIST; of a directory a 400', async () => {
    assertError(await req('GET', `${A}/artifacts/no/such/file.txt`), 404, 'RESOURCE_DOES_NOT_EXIST', 'path');
    await put('dir/a.txt', 'a');
    assertError(await req('GET', `${A}/artifacts/dir`), 400, 'INVALID_PARAMETER_VALUE', 'path');
    assertError(await req('GET', `${A}/artifacts/`), 400, 'INVALID_PARAMETER_VALUE', 'path');
    assert.equal((await req('HEAD', `${A}/artifacts/no/such`)).status, 404, 'HEAD answers the status without a body');
  });

  it('GET artifacts?path= lists direct children exactly as MLflow: base names, is_dir, file_size for files; {} when empty', async () => {
    await put('list/run/artifacts/model/MLmodel', 'flavors');
    await put('list/run/artifacts/metrics.csv', '12345');
    await put('list/run/artifacts/a b.txt', '');
    const ls = await req('GET', `${A}/artifacts?path=${encodeURIComponent('list/run/artifacts')}`);
    assert.equal(ls.status, 200);
    assert.match(ls.contentType, /application\/json/u);
    assert.deepEqual(ls.json, {
      files: [
        { path: 'a b.txt', is_dir: false, file_size: 0 },
        { path: 'metrics.csv', is_dir: false, file_size: 5 },
        { path: 'model', is_dir: true },
      ],
    });
    assert.deepEqual((await req('GET', `${A}/artifacts?path=list/run/artifacts/model`)).json, { files: [{ path: 'MLmodel', is_dir: false, file_size: 7 }] });
    assert.deepEqual((await req('GET', `${A}/artifacts?path=list/nothing/here`)).json, {});
    assert.deepEqual((await req('GET', `${A}/artifacts?path=list/run/artifacts/metrics.csv`)).json, {});
    const root = await req('GET', `${A}/artifacts`);
    assert.ok(root.json.files.some((f: { path: string; is_dir: boolean }) => f.path === 'list' && f.is_dir));
    assertError(await req('GET', `${A}/artifacts?path=a&path=b`), 400, 'INVALID_PARAMETER_VALUE', 'path');
  });

  it('DELETE removes a file or a directory and answers {}; the root cannot be deleted', async () => {
    await put('del/x/1.txt', '1');
    await put('del/x/2.txt', '2');
    await put('del/keep.txt', 'k');
    const del = await req('DELETE', `${A}/artifacts/del/x`);
    assert.equal(del.status, 200);
    assert.deepEqual(del.json, {});
    assertError(await req('GET', `${A}/artifacts/del/x/1.txt`), 404, 'RESOURCE_DOES_NOT_EXIST');
    assert.deepEqual((await req('GET', `${A}/artifacts?path=del`)).json, { files: [{ path: 'keep.txt', is_dir: false, file_size: 1 }] });
    assert.equal((await req('DELETE', `${A}/artifacts/del/never`)).status, 200);
    assertError(await req('DELETE', `${A}/artifacts/`), 400, 'INVALID_PARAMETER_VALUE', 'path');
    assert.equal((await req('GET', `${A}/artifacts/del/keep.txt`)).body, 'k');
  });

  it('serves the same routes under /ajax-api/2.0/mlflow-artifacts', async () => {
    assert.equal((await req('PUT', '/ajax-api/2.0/mlflow-artifacts/artifacts/ajax/f.txt', 'ajax')).status, 200);
    assert.equal((await req('GET', `${A}/artifacts/ajax/f.txt`)).body, 'ajax');
    assert.deepEqual((await req('GET', '/ajax-api/2.0/mlflow-artifacts/artifacts?path=ajax')).json, { files: [{ path: 'f.txt', is_dir: false, file_size: 4 }] });
  });

  describe('multipart uploads (MLflow client protocol, part URLs served here)', () => {
    let origin: string;
    before(async () => {
      origin = await h.listen();
    });

    const post = async (url: string, body: unknown) => {
      const res = await fetch(`${origin}${url}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const text = await res.text();
      return { status: res.status, body: text, json: JSON.parse(text), contentType: res.headers.get('content-type') ?? '' };
    };

    it('create → PUT each credential URL (ETag header) → complete writes <dir>/<basename of path>', async () => {
      const parts = [Buffer.alloc(70_000, 'a'), Buffer.alloc(70_000, 'b'), Buffer.from('tail')];
      const created = await post(`${A}/mpu/create/7/run1/artifacts/model`, { path: '/home/me/tmp/model.safetensors', num_parts: 3 });
      assert.equal(created.status, 200, created.body);
      const { upload_id: uploadId, credentials } = created.json as { upload_id: string; credentials: { url: string; part_number: number; headers: Record<string, string> }[] };
      assert.equal(typeof uploadId, 'string');
      assert.deepEqual(credentials.map((c) => c.part_number), [1, 2, 3]);
      for (const c of credentials) {
        const u = new URL(c.url);
        assert.equal(u.origin, origin, 'part URLs point back at this server');
        assert.equal(u.pathname, `${A}/mpu/upload-part/7/run1/artifacts/model/model.safetensors`);
        assert.equal(u.searchParams.get('upload_id'), uploadId);
        assert.deepEqual(c.headers, {});
      }
      const uploaded = [];
      for (const c of [...credentials].reverse()) {
        const res = await fetch(c.url, { method: 'PUT', body: parts[c.part_number - 1]!, headers: c.headers });
        assert.equal(res.status, 200, await res.text());
        const etag = res.headers.get('etag');
        assert.match(etag ?? '', /^"[0-9a-f]{32}"$/u);
        uploaded.push({ part_number: c.part_number, etag, url: c.url });
      }
      const done = await post(`${A}/mpu/complete/7/run1/artifacts/model`, { path: '/home/me/tmp/model.safetensors', upload_id: uploadId, parts: uploaded });
      assert.equal(done.status, 200, done.body);
      assert.deepEqual(done.json, {});
      const down = await fetch(`${origin}${A}/artifacts/7/run1/artifacts/model/model.safetensors`);
      assert.ok(Buffer.from(await down.arrayBuffer()).equals(Buffer.concat(parts)));
    });

    it('a client that disconnects mid-upload leaves nothing behind: no file, no temp file, the old version intact', async () => {
      await put('cut/model.bin', 'old version');
      const { port } = new URL(origin);
      await new Promise<void>((resolve, reject) => {
        const sock = net.connect(Number(port), '127.0.0.1', () => {
          sock.write(`PUT ${A}/artifacts/cut/model.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1048576\r\n\r\n`);
          sock.write(Buffer.alloc(100_000, 1), () => setTimeout(() => sock.destroy(), 50));
        });
        sock.on('close', () => resolve());
        sock.on('error', reject);
      });
      const staging = path.join(h.root, STAGING_DIR);
      for (let i = 0; i < 100 && readdirSync(staging).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(readdirSync(staging), []);
      assert.equal((await req('GET', `${A}/artifacts/cut/model.bin`)).body, 'old version');
    });

    it('abort answers {} and discards the upload; a Windows client path keeps only its base name', async () => {
      const created = await post(`${A}/mpu/create/w`, { path: 'C:\\Users\\me\\big.bin', num_parts: 1 });
      assert.equal(created.status, 200, created.body);
      assert.equal(new URL(created.json.credentials[0].url).pathname, `${A}/mpu/upload-part/w/big.bin`);
      const aborted = await post(`${A}/mpu/abort/w`, { path: 'C:\\Users\\me\\big.bin', upload_id: created.json.upload_id });
      assert.deepEqual(aborted.json, {});
      const late = await fetch(created.json.credentials[0].url, { method: 'PUT', body: 'x' });
      assert.equal(late.status, 404);
      assert.equal(((await late.json()) as { field: string }).field, 'upload_id');
    });

    it('bad requests are 400s naming the field; an unknown upload is a 404 on upload_id', async () => {
      const e = async (url: string, body: unknown, status: number, code: string, field: string) => assertError(await post(url, body), status, code, field);
      await e(`${A}/mpu/create/d`, { num_parts: 2 }, 400, 'INVALID_PARAMETER_VALUE', 'path');
      await e(`${A}/mpu/create/d`, { path: 'f.bin', num_parts: 0 }, 400, 'INVALID_PARAMETER_VALUE', 'num_parts');
      await e(`${A}/mpu/create/d`, { path: 'f.bin', num_parts: 'many' }, 400, 'INVALID_PARAMETER_VALUE', 'num_parts');
      await e(`${A}/mpu/create/d`, { path: '..', num_parts: 1 }, 400, 'INVALID_PARAMETER_VALUE', 'path');
      await e(`${A}/mpu/complete/d`, { path: 'f.bin', upload_id: '0123456789abcdef0123456789abcdef' }, 400, 'INVALID_PARAMETER_VALUE', 'parts');
      await e(`${A}/mpu/complete/d`, { path: 'f.bin', upload_id: '0123456789abcdef0123456789abcdef', parts: [{ part_number: 1, etag: '"x"' }] }, 404, 'RESOURCE_DOES_NOT_EXIST', 'upload_id');
      await e(`${A}/mpu/complete/d`, { path: 'f.bin', parts: [] }, 400, 'INVALID_PARAMETER_VALUE', 'upload_id');
      await e(`${A}/mpu/abort/d`, { path: 'f.bin' }, 400, 'INVALID_PARAMETER_VALUE', 'upload_id');
      const created = await post(`${A}/mpu/create/d`, { path: 'f.bin' });
      assert.equal(created.json.credentials.length, 1, 'num_parts defaults to 1');
      const part = (q: string) => fetch(`${origin}${A}/mpu/upload-part/d/f.bin${q}`, { method: 'PUT', body: 'x' }).then(async (r) => ({ status: r.status, json: (await r.json()) as { error_code: string; field: string } }));
      assert.deepEqual((await part(`?part_number=1`)).json.field, 'upload_id');
      assert.deepEqual((await part(`?upload_id=${created.json.upload_id}&part_number=0`)).json.field, 'part_number');
      assert.deepEqual((await part(`?upload_id=${created.json.upload_id}`)).json.field, 'part_number');
      const ok = await part(`?upload_id=${created.json.upload_id}&part_number=1`);
      assert.equal(ok.status, 200);
    });
  });
});

describe('artifact proxy in the whole app (createApp via ApiHarness)', () => {
  let h: ApiHarness;
  before(async () => {
    h = await ApiHarness.start();
  });
  after(async () => h.close());

  it('streams an upload larger than the app’s 32 MB bodyLimit, lists and downloads it; JSON routes still parse JSON', async () => {
    const big = Buffer.alloc(40 * 1024 * 1024, 3);
    const up = await h.app.inject({ method: 'PUT', url: `${A}/artifacts/0/r/artifacts/big.bin`, payload: big, headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(up.statusCode, 200, up.body);
    assert.deepEqual((await h.get('/artifacts', { path: '0/r/artifacts' }, '/api/2.0/mlflow-artifacts')).json, { files: [{ path: 'big.bin', is_dir: false, file_size: big.length }] });
    const down = await h.app.inject({ method: 'GET', url: `${A}/artifacts/0/r/artifacts/big.bin` });
    assert.equal(down.statusCode, 200);
    assert.ok(down.rawPayload.equals(big));
    assert.equal(readFileSync(path.join(h.dataDir, 'artifacts', '0', 'r', 'artifacts', 'big.bin')).length, big.length);
    const created = await h.post('/mpu/create/0/r/artifacts', { path: 'm.bin', num_parts: 2 }, '/api/2.0/mlflow-artifacts');
    assert.equal(created.status, 200, created.body);
    assert.equal(created.json.credentials.length, 2);
    assertError(await h.post('/experiments/create', '{"name": ', '/api/2.0/mlflow'), 400, 'MALFORMED_REQUEST');
  });
});
