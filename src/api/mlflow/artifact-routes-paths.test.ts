import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ArtifactApp, type RawAnswer, rawRequest } from '../testing/artifact-routes-harness.js';

const A = '/api/2.0/mlflow-artifacts';

/** Artifact paths as they appear in request URLs, raw: each must be refused with 400 INVALID_PARAMETER_VALUE on `path`. */
const URL_ATTACKS = [
  '..%2f..%2fetc%2fpasswd',
  '..%2fsentinel.txt',
  '%2e%2e/sentinel.txt',
  '%2E%2E%2Fsentinel.txt',
  '%252e%252e/sentinel.txt',
  '%252e%252e%252fsentinel.txt',
  '../sentinel.txt',
  'a/../../sentinel.txt',
  'legit.txt%2f..%2f..%2fsentinel.txt',
  '..%5csentinel.txt',
  '..\\sentinel.txt',
  '%5c..%5csentinel.txt',
  '%2fetc%2fpasswd',
  '%2F..%2Fsentinel.txt',
  'C:%5cWindows%5cwin.ini',
  'C:/x',
  'a%3Fb',
  'a%23b',
  'a#b',
  '..#/sentinel.txt',
  'a%00b',
  '..%00/sentinel.txt',
  'a%0ab',
  './legit.txt',
  'a//b',
];

/** `?path=` values for the listing, raw. */
const LIST_ATTACKS = ['..', '../..', '%2e%2e', '%2E%2E%2F%2E%2E', '%252e%252e', '/etc', '%2Fetc', 'a%5cb', 'a%00b', '..%2f..', 'a%23b', 'a%3Fb'];

/** Every file under `dir`: relative path, size, mtime and SHA-256, so any write, touch or creation shows. */
function fingerprint(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(dir, rel))) {
    const r = path.join(rel, name);
    const st = statSync(path.join(dir, r));
    if (st.isDirectory()) out.push(`${r}/`, ...fingerprint(dir, r));
    else out.push(`${r} ${st.size} ${st.mtimeMs} ${createHash('sha256').update(readFileSync(path.join(dir, r))).digest('hex')}`);
  }
  return out.sort();
}

function assertRefused(a: RawAnswer, what: string): void {
  assert.equal(a.status, 400, `${what} → ${a.status} ${a.body.slice(0, 300)}`);
  assert.equal(a.json?.error_code, 'INVALID_PARAMETER_VALUE', `${what}: ${a.body.slice(0, 300)}`);
  assert.equal(a.json?.field, 'path', `${what}: ${a.body.slice(0, 300)}`);
  assert.ok(!a.body.includes('SENTINEL') && !a.body.includes('root:'), `${what} leaked content`);
}

describe('artifact proxy: path attacks over HTTP (raw request targets)', () => {
  let h: ArtifactApp;
  let origin: string;
  let before_: string[];

  before(async () => {
    h = await ArtifactApp.start();
    origin = await h.listen();
    writeFileSync(path.join(h.base, 'sentinel.txt'), 'SENTINEL: must never be read or written through the API');
    mkdirSync(path.join(h.base, 'secret'));
    writeFileSync(path.join(h.base, 'secret', 'inner.txt'), 'SENTINEL inner');
    assert.equal((await rawRequest(origin, 'PUT', `${A}/artifacts/legit.txt`, 'legit')).status, 200);
    mkdirSync(path.join(h.root, 'a'));
    before_ = fingerprint(h.base);
  });
  after(async () => h.close());

  it('a normal request on the same server works (the attacks below fail for their paths, not for the setup)', async () => {
    const ok = await rawRequest(origin, 'GET', `${A}/artifacts/legit.txt`);
    assert.equal(ok.status, 200);
    assert.equal(ok.body, 'legit');
  });

  it('GET, PUT and DELETE of every attack path are 400 INVALID_PARAMETER_VALUE on `path`', async () => {
    for (const p of URL_ATTACKS) {
      for (const prefix of [A, '/ajax-api/2.0/mlflow-artifacts']) {
        assertRefused(await rawRequest(origin, 'GET', `${prefix}/artifacts/${p}`), `GET ${p}`);
        assertRefused(await rawRequest(origin, 'PUT', `${prefix}/artifacts/${p}`, 'PWNED'), `PUT ${p}`);
        assertRefused(await rawRequest(origin, 'DELETE', `${prefix}/artifacts/${p}`), `DELETE ${p}`);
      }
    }
  });

  it('listing with an attack ?path= is refused the same way', async () => {
    for (const p of LIST_ATTACKS) assertRefused(await rawRequest(origin, 'GET', `${A}/artifacts?path=${p}`), `list ${p}`);
  });

  it('multipart calls refuse attack paths in the URL and in the body, and upload-part URLs are checked too', async () => {
    const json = (o: unknown) => JSON.stringify(o);
    for (const p of URL_ATTACKS) {
      assertRefused(await rawRequest(origin, 'POST', `${A}/mpu/create/${p}`, json({ path: 'f.bin', num_parts: 1 })), `create ${p}`);
      assertRefused(await rawRequest(origin, 'POST', `${A}/mpu/complete/${p}`, json({ path: 'f.bin', upload_id: 'x', parts: [{ part_number: 1, etag: 'e' }] })), `complete ${p}`);
      assertRefused(await rawRequest(origin, 'POST', `${A}/mpu/abort/${p}`, json({ path: 'f.bin', upload_id: 'x' })), `abort ${p}`);
      assertRefused(await rawRequest(origin, 'PUT', `${A}/mpu/upload-part/${p}?upload_id=0123456789abcdef0123456789abcdef&part_number=1`, 'PWNED'), `part ${p}`);
    }
    for (const file of ['..', '%2e%2e', 'a/%252e%252e', 'x\u0000y', 'a#b', 'a?b', '/']) {
      assertRefused(await rawRequest(origin, 'POST', `${A}/mpu/create/a`, json({ path: file, num_parts: 1 })), `create body ${JSON.stringify(file)}`);
    }
  });

  it('a NUL byte or a raw control character in the request line never reaches a route', async () => {
    for (const target of [`${A}/artifacts/a\u0000b`, `${A}/artifacts/..\u0000/sentinel.txt`]) {
      const a = await rawRequest(origin, 'GET', target);
      assert.equal(a.status, 400, a.body);
      assert.ok(!a.body.includes('SENTINEL'));
    }
  });

  it('nothing inside or outside the root was created, changed or touched', () => {
    assert.deepEqual(fingerprint(h.base), before_);
    assert.equal(readFileSync(path.join(h.base, 'sentinel.txt'), 'utf8'), 'SENTINEL: must never be read or written through the API');
  });
});
