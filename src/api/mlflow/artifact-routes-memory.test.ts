import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { after, before, describe, it } from 'node:test';
import { generatedBody, hashStream, MiB } from '../../artifacts/conformance/helpers.js';
import { ArtifactApp } from '../testing/artifact-routes-harness.js';

const SIZE = 512 * MiB;
const LIMIT = 150 * 1000 * 1000;

/** Runs `fn` while sampling the process's RSS every 50 ms; returns the peak growth over the RSS before it started. */
async function rssGrowth<T>(fn: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, growth: peak - base };
  } finally {
    clearInterval(timer);
  }
}

describe('artifact proxy memory: a 512 MiB upload and download through a listening server', () => {
  let h: ArtifactApp;
  let origin: string;
  before(async () => {
    h = await ArtifactApp.start();
    origin = await h.listen();
  });
  after(async () => h.close());

  it('streams both ways with RSS growth far below the body size', async (t) => {
    const url = `${origin}/api/2.0/mlflow-artifacts/artifacts/mem/big.bin`;
    const gen = generatedBody(SIZE);
    const up = await rssGrowth(async () => {
      const req = http.request(url, { method: 'PUT', headers: { 'content-type': 'application/octet-stream', 'content-length': String(SIZE) } });
      const answered = new Promise<http.IncomingMessage>((resolve, reject) => {
        req.on('response', resolve);
        req.on('error', reject);
      });
      await pipeline(Readable.from(gen.body), req);
      const res = await answered;
      let body = '';
      for await (const c of res) body += c;
      return { status: res.statusCode, body };
    });
    assert.equal(up.result.status, 200, up.result.body);
    assert.equal(gen.produced(), SIZE);
    assert.equal(statSync(path.join(h.root, 'mem', 'big.bin')).size, SIZE);

    const down = await rssGrowth(async () => {
      const res = await new Promise<http.IncomingMessage>((resolve, reject) => http.get(url, resolve).on('error', reject));
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-length'], String(SIZE));
      return hashStream(res);
    });
    assert.equal(down.result.bytes, SIZE);
    assert.equal(down.result.sha256, gen.digest(), 'the downloaded bytes are the uploaded bytes');

    const mb = (n: number) => `${(n / 1e6).toFixed(0)} MB`;
    assert.ok(up.growth < LIMIT, `upload grew RSS by ${mb(up.growth)}`);
    assert.ok(down.growth < LIMIT, `download grew RSS by ${mb(down.growth)}`);
    t.diagnostic(`512 MiB through the proxy: RSS growth upload ${mb(up.growth)}, download ${mb(down.growth)}`);
  });
});
