import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { ApiHarness, type Answer } from './testing/api-harness.js';
import { STORIES_FILE, STORIES_LILY as ONCE } from '../serving/llm/testing/stories.js';
import { TITANIC_FILE } from '../serving/testing/titanic.js';

/** Asserts an error answer in OpenAI's shape. */
function assertOpenAiError(a: Answer, status: number, type: string, param: string | null, code: string | null = null, message?: RegExp): void {
  assert.equal(a.status, status, a.body.slice(0, 500));
  assert.match(a.contentType, /application\/json/);
  assert.deepEqual(Object.keys(a.json), ['error']);
  assert.deepEqual(Object.keys(a.json.error).sort(), ['code', 'message', 'param', 'type']);
  assert.equal(a.json.error.type, type, a.body);
  assert.equal(a.json.error.param, param, a.body);
  assert.equal(a.json.error.code, code, a.body);
  assert.ok(a.json.error.message.length > 0);
  if (message) assert.match(a.json.error.message, message);
}

describe('OpenAI-compatible routes', () => {
  let h: ApiHarness;
  let client: OpenAI;
  let baseURL: string;
  const api = (method: string, url: string, body?: unknown, headers?: Record<string, string>) => h.request(method, url, body, headers);

  const register = async (model: string, file: string): Promise<void> => {
    const dir = `models-under-test/${model}/${Date.now()}`;
    const res = await h.app.inject({ method: 'PUT', url: `/api/2.0/mlflow-artifacts/artifacts/${dir}/${path.basename(file)}`, payload: readFileSync(file), headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(res.statusCode, 200, res.body);
    await h.post('/registered-models/create', { name: model });
    await h.ok('/model-versions/create', { name: model, source: `mlflow-artifacts:/${dir}` });
  };

  const status = async (name: string): Promise<Answer> => {
    const st = await api('GET', `/api/v1/deployments/${name}/status`);
    assert.equal(st.status, 200, st.body);
    return st;
  };

  const deploy = async (name: string, model: string, config: Record<string, number> = {}): Promise<void> => {
    const created = await api('POST', '/api/v1/deployments', { name, model: `models:/${model}/1`, config });
    assert.equal(created.status, 200, created.body);
    for (let i = 0; i < 400; i++) {
      const st = await status(name);
      const failed = st.json.status.targets.find((t: { state: string }) => t.state === 'failed');
      assert.equal(failed, undefined, `deployment ${name} failed: ${JSON.stringify(failed)}`);
      if (st.json.status.ready) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`deployment ${name} never became ready`);
  };

  const llmStatus = async (name: string) => (await status(name)).json.status.targets[0].llm as { slots_in_use: number; queued: number; finished: Record<string, number>; rejected: number };

  before(async () => {
    h = await ApiHarness.start();
    await register('stories', STORIES_FILE);
    await register('titanic', TITANIC_FILE);
    await deploy('stories', 'stories');
    await deploy('titanic', 'titanic');
    await deploy('stories-1', 'stories', { parallel: 1, max_queue: 1 });
    baseURL = `${await h.app.listen({ host: '127.0.0.1', port: 0 })}/v1`;
    client = new OpenAI({ baseURL, apiKey: 'not-checked', maxRetries: 0, timeout: 30_000 });
  });
  after(() => h.close());

  describe('errors in OpenAI shape', () => {
    it('answers malformed JSON 400, a missing or non-text model 400, an unknown model 404 model_not_found', async () => {
      assertOpenAiError(await api('POST', '/v1/chat/completions', '{"model": "stories", "messages": ['), 400, 'invalid_request_error', 'body', null, /Malformed JSON/);
      assertOpenAiError(await api('POST', '/v1/chat/completions', { messages: [{ role: 'user', content: 'Hi' }] }), 400, 'invalid_request_error', 'model', null, /'model' is required/);
      assertOpenAiError(await api('POST', '/v1/completions', { model: 'nope', prompt: 'x' }), 404, 'invalid_request_error', null, 'model_not_found', /nope/);
      assertOpenAiError(await api('POST', '/v1/embeddings', { model: 'nope', input: 'x' }), 404, 'invalid_request_error', null, 'model_not_found');
      const onnx = await api('POST', '/v1/chat/completions', { model: 'titanic', messages: [{ role: 'user', content: 'Hi' }] });
      assertOpenAiError(onnx, 400, 'invalid_request_error', 'model', null, /not a text-generation model.*\/v2\/models\/titanic\/infer/);
    });

    it('answers bad parameters 400 naming the param', async () => {
      const chat = (extra: Record<string, unknown>) => api('POST', '/v1/chat/completions', { model: 'stories', messages: [{ role: 'user', content: 'Hi' }], ...extra });
      assertOpenAiError(await chat({ temperature: 3 }), 400, 'invalid_request_error', 'temperature');
      assertOpenAiError(await chat({ n: 2 }), 400, 'invalid_request_error', 'n', null, /only one choice/);
      assertOpenAiError(await chat({ tools: [{ type: 'function', function: { name: 'f' } }] }), 400, 'invalid_request_error', 'tools');
      assertOpenAiError(await chat({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'x' } }] }] }), 400, 'invalid_request_error', 'messages[0].content');
      assertOpenAiError(await api('POST', '/v1/completions', { model: 'stories', prompt: ['a', 'b'] }), 400, 'invalid_request_error', 'prompt', null, /one prompt/);
      assertOpenAiError(await api('POST', '/v1/embeddings', { model: 'stories', input: 'x', dimensions: 8 }), 400, 'invalid_request_error', 'dimensions');
      assertOpenAiError(await api('POST', '/v1/completions', { model: 'stories', prompt: 'x' }, { 'x-pitwall-timeout-ms': 'soon' }), 400, 'invalid_request_error', 'x-pitwall-timeout-ms');
    });

    it('keeps the engine message for a prompt longer than the context, streamed or not', async () => {
      const long = Array<number>(5000).fill(100);
      const plain = await api('POST', '/v1/completions', { model: 'stories', prompt: long, max_tokens: 4 });
      assertOpenAiError(plain, 400, 'invalid_request_error', 'prompt', null, /5000 tokens, more than fit in the context/);
      const streamed = await api('POST', '/v1/completions', { model: 'stories', prompt: long, max_tokens: 4, stream: true });
      assert.equal(streamed.status, 400, streamed.body);
      assert.match(streamed.json.error.message, /context/);
    });

    it('answers unknown /v1 routes 404 and bodies over the limit 413 in OpenAI shape', async () => {
      assertOpenAiError(await api('POST', '/v1/nothing-here', {}), 404, 'invalid_request_error', 'path', null, /Invalid URL \(POST \/v1\/nothing-here\)/);
      assertOpenAiError(await api('GET', '/v1/chat/completions'), 404, 'invalid_request_error', 'path');
      const big = await api('POST', '/v1/completions', `{"model":"stories","prompt":"${'a'.repeat(33 * 1024 * 1024)}"}`);
      assertOpenAiError(big, 413, 'invalid_request_error', null, 'request_too_large');
      // Outside /v1 the rest of the API keeps its own shape.
      assert.equal((await api('GET', '/api/v1/nothing-here')).json.error_code, 'ENDPOINT_NOT_FOUND');
    });
  });

  describe('the wire', () => {
    it('streams SSE with its headers, one data line per chunk, and [DONE]', async () => {
      const res = await h.app.inject({ method: 'POST', url: '/v1/chat/completions', payload: { model: 'stories', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 3, temperature: 0, stream: true } });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['content-type'], 'text/event-stream');
      assert.equal(res.headers['cache-control'], 'no-cache');
      assert.equal(res.headers['x-accel-buffering'], 'no');
      assert.ok(res.body.endsWith('\n\ndata: [DONE]\n\n'), res.body.slice(-200));
      const events = res.body.slice(0, -2).split('\n\n');
      assert.ok(events.every((e) => e.startsWith('data: ') && !e.slice(6).includes('\n')), res.body);
      const chunks = events.slice(0, -1).map((e) => JSON.parse(e.slice(6)));
      assert.deepEqual(chunks[0].choices[0].delta, { role: 'assistant', content: '' });
      assert.equal(chunks.at(-1).choices[0].finish_reason, 'length');
      assert.deepEqual(chunks.at(-1).choices[0].delta, {});
      assert.ok(chunks.every((c) => c.usage === undefined), 'no usage without stream_options');
    });

    it('answers a non-streamed completion as one JSON object with usage and timings', async () => {
      const a = await api('POST', '/v1/completions', { model: 'stories', prompt: 'Once upon a time', max_tokens: 4, temperature: 0 });
      assert.equal(a.status, 200, a.body);
      assert.match(a.contentType, /application\/json/);
      assert.deepEqual(Object.keys(a.json), ['id', 'object', 'created', 'model', 'choices', 'usage', 'timings']);
      assert.deepEqual(a.json.usage, { prompt_tokens: 5, completion_tokens: 4, total_tokens: 9, prompt_tokens_details: { cached_tokens: a.json.usage.prompt_tokens_details.cached_tokens } });
      assert.equal(a.json.timings.predicted_n, 4);
    });
  });

  describe('through the official openai client', () => {
    it('lists text-generation deployments only', async () => {
      const models: OpenAI.Model[] = [];
      for await (const m of client.models.list()) models.push(m);
      assert.deepEqual(
        models.map((m) => [m.id, m.object, m.owned_by]),
        [
          ['stories', 'model', 'pitwall'],
          ['stories-1', 'model', 'pitwall'],
        ],
      );
      const one = await client.models.retrieve('stories');
      assert.equal(one.id, 'stories');
      assert.ok(Math.abs(one.created - Date.now() / 1000) < 600);
      assert.equal((one as unknown as { meta: { n_vocab: number } }).meta.n_vocab, 512);
      await assert.rejects(client.models.retrieve('titanic'), OpenAI.NotFoundError);
    });

    it('completes "Once upon a time" as llama.cpp does at temperature 0', async () => {
      const r = await client.completions.create({ model: 'stories', prompt: 'Once upon a time', max_tokens: 16, temperature: 0 });
      assert.equal(r.object, 'text_completion');
      assert.equal(r.model, 'stories');
      assert.match(r.id, /^cmpl-/);
      assert.equal(r.choices.length, 1);
      assert.ok(ONCE.startsWith(r.choices[0]!.text), JSON.stringify(r.choices[0]!.text));
      assert.ok(r.choices[0]!.text.startsWith(', there was a little girl named Lily.'), r.choices[0]!.text);
      assert.equal(r.choices[0]!.finish_reason, 'length');
      assert.equal(r.usage?.completion_tokens, 16);
      assert.equal(r.usage?.prompt_tokens, 5, 'BOS and four tokens, as llama.cpp counts them');
      assert.equal(r.usage?.total_tokens, 21);
    });

    it('stops at a stop string, leaving it out', async () => {
      const r = await client.completions.create({ model: 'stories', prompt: 'Once upon a time', max_tokens: 64, temperature: 0, stop: ['park'] });
      assert.equal(r.choices[0]!.text, ', there was a little girl named Lily. She loved to play outside in the ');
      assert.equal(r.choices[0]!.finish_reason, 'stop');
    });

    it('chats', async () => {
      const r = await client.chat.completions.create({ model: 'stories', messages: [{ role: 'user', content: 'Tell me a story' }], max_completion_tokens: 12, temperature: 0 });
      assert.equal(r.object, 'chat.completion');
      assert.match(r.id, /^chatcmpl-/);
      assert.equal(r.choices[0]!.message.role, 'assistant');
      assert.equal(typeof r.choices[0]!.message.content, 'string');
      assert.ok(r.choices[0]!.message.content!.length > 0);
      assert.equal(r.choices[0]!.finish_reason, 'length');
      assert.equal(r.usage?.completion_tokens, 12);
      assert.ok(r.usage!.prompt_tokens > 4);
    });

    it('streams a chat with include_usage: the same text as unstreamed, then the usage', async () => {
      const params = { model: 'stories', messages: [{ role: 'user' as const, content: 'Once upon a time' }], max_tokens: 20, temperature: 0 };
      const whole = await client.chat.completions.create(params);
      const stream = await client.chat.completions.create({ ...params, stream: true, stream_options: { include_usage: true } });
      const chunks: OpenAI.ChatCompletionChunk[] = [];
      for await (const c of stream) chunks.push(c);
      assert.deepEqual(chunks[0]!.choices[0]!.delta, { role: 'assistant', content: '' });
      const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
      assert.equal(text, whole.choices[0]!.message.content);
      const finish = chunks.findIndex((c) => c.choices[0]?.finish_reason);
      assert.equal(chunks[finish]!.choices[0]!.finish_reason, 'length');
      assert.equal(finish, chunks.length - 2, 'the usage chunk comes last');
      const last = chunks.at(-1)!;
      assert.deepEqual(last.choices, []);
      const tokens = (u: OpenAI.CompletionUsage | null | undefined) => [u?.prompt_tokens, u?.completion_tokens, u?.total_tokens];
      assert.deepEqual(tokens(last.usage), tokens(whole.usage));
      assert.ok(chunks.slice(0, -1).every((c) => c.usage === null));
      assert.ok(chunks.every((c) => c.id === chunks[0]!.id && c.object === 'chat.completion.chunk' && c.model === 'stories'));
    });

    it('streams a completion token by token', async () => {
      const stream = await client.completions.create({ model: 'stories', prompt: 'Once upon a time', max_tokens: 16, temperature: 0, stream: true });
      const texts: string[] = [];
      let finish: string | null = null;
      for await (const c of stream) {
        texts.push(c.choices[0]!.text);
        finish = c.choices[0]!.finish_reason ?? finish;
      }
      assert.ok(texts.length >= 10, `one chunk per token or so, got ${texts.length}`);
      assert.ok(ONCE.startsWith(texts.join('')), texts.join(''));
      assert.equal(finish, 'length');
    });

    it('frees the slot when a client abandons a stream', async () => {
      const before = (await llmStatus('stories')).finished.abort ?? 0;
      const stream = await client.completions.create({ model: 'stories', prompt: 'Once upon a time', max_tokens: 1500, temperature: 0.8, ignore_eos: true, stream: true } as OpenAI.CompletionCreateParamsStreaming);
      let n = 0;
      for await (const _ of stream) if (++n === 3) break; // `break` aborts the request
      let st = await llmStatus('stories');
      for (let i = 0; i < 200 && (st.slots_in_use !== 0 || (st.finished.abort ?? 0) === before); i++) {
        await new Promise((r) => setTimeout(r, 25));
        st = await llmStatus('stories');
      }
      assert.equal(st.slots_in_use, 0);
      assert.equal(st.finished.abort, before + 1, JSON.stringify(st));
    });

    it('refuses with 429 and Retry-After when the queue is full, streamed or not', async () => {
      const body = { model: 'stories-1', prompt: 'Once upon a time', max_tokens: 120, ignore_eos: true };
      const plain = () => client.completions.create(body as OpenAI.CompletionCreateParamsNonStreaming);
      const streamed = async () => {
        for await (const _ of await client.completions.create({ ...body, stream: true } as OpenAI.CompletionCreateParamsStreaming));
      };
      const all = Promise.allSettled([plain(), streamed(), plain(), streamed()]);
      // While the generation queue is full, embeddings (their own queue) are still answered.
      for (let i = 0; i < 100 && (await llmStatus('stories-1')).queued < 1; i++) await new Promise((r) => setTimeout(r, 5));
      assert.equal((await llmStatus('stories-1')).queued, 1);
      const emb = await client.embeddings.create({ model: 'stories-1', input: 'Lily', encoding_format: 'float' });
      assert.equal(emb.data[0]!.embedding.length, 64);
      const settled = await all;
      const refused = settled.filter((s) => s.status === 'rejected').map((s) => (s as PromiseRejectedResult).reason as unknown);
      assert.ok(refused.length >= 2, `parallel 1 and max_queue 1 take at most two of four: ${JSON.stringify(settled.map((s) => s.status))}`);
      assert.ok(settled.some((s) => s.status === 'fulfilled'));
      for (const e of refused) {
        assert.ok(e instanceof OpenAI.RateLimitError, String(e));
        assert.equal(e.status, 429);
        assert.equal(e.headers.get('retry-after'), '1');
        assert.equal((e.error as { type: string }).type, 'rate_limit_error');
      }
      const st = await llmStatus('stories-1');
      assert.equal(st.slots_in_use, 0);
    });

    it('ends a stream that fails midway with an error event', async () => {
      const stream = await client.completions.create(
        { model: 'stories', prompt: 'Once upon a time', max_tokens: 1500, ignore_eos: true, stream: true } as OpenAI.CompletionCreateParamsStreaming,
        { headers: { 'x-pitwall-timeout-ms': '300' } },
      );
      let n = 0;
      const e = await (async () => {
        for await (const _ of stream) n++;
      })().catch((x: unknown) => x);
      assert.ok(n > 0, 'tokens came before the deadline');
      assert.ok(e instanceof OpenAI.APIError, String(e));
      assert.match(e.message, /300 ms/);
      assert.equal((e.error as { type: string }).type, 'server_error');
    });

    it('answers an unknown model with NotFoundError model_not_found', async () => {
      const e = await client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'Hi' }] }).catch((x: unknown) => x);
      assert.ok(e instanceof OpenAI.NotFoundError, String(e));
      assert.equal(e.code, 'model_not_found');
      const s = await client.completions.create({ model: 'no-such-model', prompt: 'x', stream: true }).catch((x: unknown) => x);
      assert.ok(s instanceof OpenAI.NotFoundError, String(s));
    });

    it('embeds strings, as floats and as base64 (the client’s default)', async () => {
      const b64 = await client.embeddings.create({ model: 'stories', input: ['Once upon a time', 'a little girl'] });
      assert.equal(b64.object, 'list');
      assert.equal(b64.data.length, 2);
      assert.deepEqual(b64.data.map((d) => d.index), [0, 1]);
      const floats = await client.embeddings.create({ model: 'stories', input: ['Once upon a time', 'a little girl'], encoding_format: 'float' });
      for (const [i, d] of floats.data.entries()) {
        assert.equal(d.embedding.length, 64);
        const norm = Math.hypot(...d.embedding);
        assert.ok(Math.abs(norm - 1) < 1e-4, `L2-normalized, got ${norm}`);
        b64.data[i]!.embedding.forEach((x, k) => assert.ok(Math.abs(x - d.embedding[k]!) < 1e-6));
      }
      assert.ok(floats.usage.prompt_tokens > 0);
      assert.equal(floats.usage.total_tokens, floats.usage.prompt_tokens);
    });
  });
});
