import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { AppError } from '../../core/errors/index.js';
import { parseUpstreams, parseUpstreamsJson } from './upstream-config.js';

const F = 'serving.upstreams';

function refused(fn: () => unknown, field: string, message: RegExp): AppError {
  let caught: unknown;
  assert.throws(fn, (e: unknown) => {
    caught = e;
    assert.ok(e instanceof AppError);
    assert.equal(e.code, 'INVALID_PARAMETER_VALUE');
    assert.equal(e.field, field);
    assert.match(e.message, message);
    return true;
  });
  return caught as AppError;
}

describe('parseUpstreams', () => {
  it('fills the defaults and normalises the base URL', () => {
    const u = parseUpstreams({ llama: { url: 'http://127.0.0.1:8080/' }, vllm: { url: 'https://gpu.internal/serving/vllm/' } }, F);
    assert.deepEqual(u.llama, { url: 'http://127.0.0.1:8080', maxConcurrency: 64, maxQueue: 256, healthPath: '/health', healthIntervalMs: 5000 });
    assert.equal(u.vllm!.url, 'https://gpu.internal/serving/vllm');
  });

  it('reads every setting', () => {
    const u = parseUpstreams(
      { tgi: { url: 'http://tgi:80', model: 'tgi', max_concurrency: 8, max_queue: 0, timeout_ms: 60000, health_path: '/ready', health_interval_ms: 1000 } },
      F,
    );
    assert.deepEqual(u.tgi, { url: 'http://tgi', model: 'tgi', maxConcurrency: 8, maxQueue: 0, timeoutMs: 60000, healthPath: '/ready', healthIntervalMs: 1000 });
  });

  it('takes the key from api_key or from the variable api_key_env names, and never shows it', () => {
    const u = parseUpstreams({ a: { url: 'http://a', api_key: 'sk-inline-1' }, b: { url: 'http://b', api_key_env: 'B_KEY' } }, F, { B_KEY: 'sk-from-env-2' });
    assert.equal(u.a!.apiKey!.reveal(), 'sk-inline-1');
    assert.equal(u.b!.apiKey!.reveal(), 'sk-from-env-2');
    const shown = [JSON.stringify(u), inspect(u, { depth: 10, showHidden: true }), `${u.a!.apiKey}`, String(u.b!.apiKey)].join('\n');
    assert.doesNotMatch(shown, /sk-inline-1|sk-from-env-2/);
    assert.match(JSON.stringify(u.a), /"apiKey":"\[redacted\]"/);
  });

  it('accepts no upstreams at all', () => {
    assert.deepEqual(parseUpstreams(undefined, F), {});
    assert.deepEqual(parseUpstreams({}, F), {});
  });

  it('refuses bad URLs, naming the field and never echoing the URL', () => {
    refused(() => parseUpstreams({ vllm: {} }, F), `${F}.vllm.url`, /required parameter 'serving.upstreams.vllm.url'/);
    refused(() => parseUpstreams({ vllm: { url: 'vllm:8000' } }, F), `${F}.vllm.url`, /must use http or https/);
    refused(() => parseUpstreams({ vllm: { url: 'not a url' } }, F), `${F}.vllm.url`, /absolute http/);
    refused(() => parseUpstreams({ vllm: { url: 'file:///etc/passwd' } }, F), `${F}.vllm.url`, /http or https, not file/);
    const e = refused(() => parseUpstreams({ vllm: { url: 'http://user:hunter2@vllm:8000' } }, F), `${F}.vllm.url`, /must not hold credentials/);
    assert.doesNotMatch(e.message, /hunter2/);
    refused(() => parseUpstreams({ vllm: { url: 'http://vllm:8000/?key=x' } }, F), `${F}.vllm.url`, /query or fragment/);
    refused(() => parseUpstreams({ vllm: { url: 'http://vllm:8000/v1' } }, F), `${F}.vllm.url`, /without \/v1/);
  });

  it('refuses unknown keys, bad numbers and bad names', () => {
    refused(() => parseUpstreams({ vllm: { url: 'http://v', maxConcurrency: 4 } }, F), `${F}.vllm.maxConcurrency`, /Unknown key 'maxConcurrency'/);
    refused(() => parseUpstreams({ vllm: { url: 'http://v', max_concurrency: 0 } }, F), `${F}.vllm.max_concurrency`, /integer 1-4096, got 0/);
    refused(() => parseUpstreams({ vllm: { url: 'http://v', max_queue: 1.5 } }, F), `${F}.vllm.max_queue`, /integer 0-100000/);
    refused(() => parseUpstreams({ vllm: { url: 'http://v', timeout_ms: '10' } }, F), `${F}.vllm.timeout_ms`, /integer/);
    refused(() => parseUpstreams({ vllm: { url: 'http://v', health_path: 'health' } }, F), `${F}.vllm.health_path`, /starting with '\/'/);
    refused(() => parseUpstreams({ vllm: { url: 'http://v', model: '' } }, F), `${F}.vllm.model`, /non-empty string/);
    refused(() => parseUpstreams({ 'bad name': { url: 'http://v' } }, F), F, /Invalid upstream name 'bad name'/);
    refused(() => parseUpstreams([{ url: 'http://v' }], F), F, /must be an object/);
    refused(() => parseUpstreams({ vllm: 'http://v' }, F), `${F}.vllm`, /must be an object/);
  });

  it('refuses bad keys without quoting them', () => {
    const e1 = refused(() => parseUpstreams({ v: { url: 'http://v', api_key: 'sk-abc\r\nX-Evil: 1' } }, F), `${F}.v.api_key`, /control characters/);
    assert.doesNotMatch(e1.message, /sk-abc/);
    refused(() => parseUpstreams({ v: { url: 'http://v', api_key: 'k', api_key_env: 'K' } }, F, { K: 'k' }), `${F}.v.api_key`, /not both/);
    refused(() => parseUpstreams({ v: { url: 'http://v', api_key_env: 'MISSING_KEY' } }, F, {}), `${F}.v.api_key_env`, /MISSING_KEY, which is not set/);
    refused(() => parseUpstreams({ v: { url: 'http://v', api_key_env: 'not-a-name' } }, F), `${F}.v.api_key_env`, /must name an environment variable/);
  });

  it('reads the same JSON from the environment variable', () => {
    const u = parseUpstreamsJson('{"llama":{"url":"http://127.0.0.1:8080","api_key_env":"LLAMA_KEY"}}', 'PITWALL_SERVING_UPSTREAMS', { LLAMA_KEY: 'sk-x' });
    assert.equal(u.llama!.apiKey!.reveal(), 'sk-x');
    refused(() => parseUpstreamsJson('{"llama":', 'PITWALL_SERVING_UPSTREAMS'), 'PITWALL_SERVING_UPSTREAMS', /must hold JSON/);
    refused(() => parseUpstreamsJson('{"llama":{"url":"ftp://x"}}', 'PITWALL_SERVING_UPSTREAMS'), 'PITWALL_SERVING_UPSTREAMS.llama.url', /http or https/);
  });
});
