import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { STORIES_FILE, STORIES_LILY } from '../../src/serving/llm/testing/stories.js';
import { type PitwallProcess, api, startPitwall } from './pitwall-process.js';

const GGUF = readFileSync(STORIES_FILE);

async function call(method: string, url: string, body?: unknown): Promise<{ status: number; json: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await fetch(url, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

async function deploy(base: string, name: string, model: string): Promise<void> {
  const c = await call('POST', `${base}/api/v1/deployments`, { name, model, config: { parallel: 4, context_size: 512, threads: 1 } });
  assert.equal(c.status, 200, JSON.stringify(c.json));
  for (let i = 0; i < 600; i++) {
    const st = await call('GET', `${base}/api/v1/deployments/${name}/status`);
    if (st.json.status.ready) return;
    assert.notEqual(st.json.status.targets[0].state, 'failed', JSON.stringify(st.json));
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`${name} never became ready`);
}

const llmStatus = async (base: string, name: string) => (await call('GET', `${base}/api/v1/deployments/${name}/status`)).json.status.targets[0];

/**
 * Two real `pitwall server` processes: `engine` serves stories260K in-process; `gateway` has `engine` configured as
 * an upstream (`serving.upstreams`, from the environment) and a deployment whose target is that upstream. The
 * official `openai` client talks to the gateway, which relays requests and streams and meters them.
 */
describe('an upstream that is another Pitwall serving the same GGUF', () => {
  const dirs: string[] = [];
  let engine: PitwallProcess;
  let gateway: PitwallProcess;
  let client: OpenAI;

  before(async () => {
    for (let i = 0; i < 2; i++) dirs.push(mkdtempSync(path.join(os.tmpdir(), 'pitwall-llm-')));
    engine = await startPitwall(dirs[0]!);
    const put = await fetch(`${engine.url}/api/2.0/mlflow-artifacts/artifacts/models/stories/stories260K.gguf`, { method: 'PUT', body: GGUF, headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(put.status, 200);
    assert.equal((await api(engine.url, 'POST', 'registered-models/create', { name: 'stories' })).status, 200);
    assert.equal((await api(engine.url, 'POST', 'model-versions/create', { name: 'stories', source: 'mlflow-artifacts:/models/stories' })).status, 200);
    await deploy(engine.url, 'stories', 'models:/stories/1');
    const upstreams = { engine: { url: engine.url, model: 'stories', api_key: 'sk-test-secret-1234', health_interval_ms: 200 } };
    gateway = await startPitwall(dirs[1]!, [], { PITWALL_SERVING_UPSTREAMS: JSON.stringify(upstreams) });
    await deploy(gateway.url, 'chat', 'upstream:engine');
    client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'unused', maxRetries: 0 });
  });
  after(async () => {
    await gateway?.stop();
    await engine?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('relays a completion: the same text the engine writes, with its usage', async () => {
    const r = await client.completions.create({ model: 'chat', prompt: 'Once upon a time', max_tokens: 32, temperature: 0 });
    assert.ok(r.choices[0]!.text.startsWith(STORIES_LILY), r.choices[0]!.text);
    assert.equal(r.choices[0]!.finish_reason, 'length');
    assert.equal(r.usage?.completion_tokens, 32);
    assert.equal(r.usage?.prompt_tokens, 5);
  });

  it('relays a chat stream chunk by chunk, with usage when asked', async () => {
    const stream = await client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'Tell me a story' }], max_tokens: 16, temperature: 0, stream: true, stream_options: { include_usage: true } });
    let text = '';
    let chunks = 0;
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const c of stream) {
      chunks++;
      text += c.choices[0]?.delta.content ?? '';
      if (c.usage) usage = c.usage;
    }
    assert.equal(text, '"Here?" Annabyed.\n');
    assert.ok(chunks > 5);
    assert.equal(usage?.completion_tokens, 16);
  });

  it('streams many requests at once over the relay without a connection error', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        client.completions
          .create({ model: 'chat', prompt: 'Once upon a time', max_tokens: 8, temperature: 0.8, seed: i, stream: true })
          .then(async (s) => {
            let n = 0;
            for await (const c of s) if (c.choices[0]?.text) n++;
            return n;
          }),
      ),
    );
    assert.ok(results.every((n) => n > 0), JSON.stringify(results));
  });

  it('meters relayed requests on the gateway, and the key never shows in status', async () => {
    const t = await llmStatus(gateway.url, 'chat');
    assert.equal(t.upstream, 'engine');
    assert.equal(t.available, true);
    assert.equal(t.batching, 'upstream');
    assert.ok(t.llm.requests >= 14, JSON.stringify(t.llm));
    assert.ok(t.llm.generation_tokens >= 40, JSON.stringify(t.llm));
    assert.ok(t.llm.time_to_first_token_seconds.p50 > 0);
    const all = JSON.stringify(await call('GET', `${gateway.url}/api/v1/deployments/chat/status`)) + JSON.stringify(await call('GET', `${gateway.url}/api/v1/deployments/chat`));
    assert.equal(all.includes('sk-test-secret'), false);
  });

  it('takes a failing upstream out of rotation: 503 in OpenAI shape, not ready', async () => {
    await engine.stop();
    for (let i = 0; i < 100 && (await llmStatus(gateway.url, 'chat')).available !== false; i++) await new Promise((r) => setTimeout(r, 50));
    const t = await llmStatus(gateway.url, 'chat');
    assert.equal(t.available, false);
    const res = await call('POST', `${gateway.url}/v1/completions`, { model: 'chat', prompt: 'Once', max_tokens: 4 });
    assert.equal(res.status, 503);
    assert.equal(typeof res.json.error.message, 'string');
    assert.equal(JSON.stringify(res.json).includes('sk-test-secret'), false);
    assert.equal((await call('GET', `${gateway.url}/api/v1/deployments/chat/status`)).json.status.ready, false);
  });
});
