import assert from 'node:assert/strict';
import dc from 'node:diagnostics_channel';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { AppError } from '../../core/errors/index.js';
import { type UpstreamConfig, UpstreamKey } from './upstream-config.js';
import { type ForwardResult, UpstreamEngine } from './upstream-engine.js';

type Body = Record<string, unknown>;
type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: Body, nthOnSocket: number) => void | Promise<void>;

/** A fake upstream: `/health`, `/v1/models`, and POSTs answered by `handler`; it records what it was sent. */
interface Fake {
  url: string;
  handler: Handler;
  health: number;
  posts: { path: string; body: Body; authorization: string | undefined }[];
  authorizations: (string | undefined)[];
  connections: number;
  /** POSTs whose connection closed before their answer was finished. */
  cutOff: number;
  close(): Promise<void>;
}

const tick = () => new Promise<void>((r) => setImmediate(r));
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function waitFor(cond: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(5);
  }
}

const closers: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of closers.reverse()) await c();
});

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function fakeUpstream(handler: Handler = llamaLike): Promise<Fake> {
  const perSocket = new WeakMap<Socket, number>();
  const server = http.createServer(async (req, res) => {
    fake.authorizations.push(req.headers.authorization);
    if (req.method === 'GET' && req.url === '/health') {
      res.writeHead(fake.health, { 'content-type': 'application/json' }).end(JSON.stringify({ status: fake.health === 200 ? 'ok' : 'error' }));
      return;
    }
    if (req.method === 'GET' && req.url === '/v1/models') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [{ id: 'stories260K.gguf', object: 'model', owned_by: 'llamacpp' }] }));
      return;
    }
    const nth = (perSocket.get(req.socket) ?? 0) + 1;
    perSocket.set(req.socket, nth);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Body;
    fake.posts.push({ path: req.url ?? '', body, authorization: req.headers.authorization });
    res.once('close', () => {
      if (!res.writableFinished) fake.cutOff++;
    });
    await fake.handler(req, res, body, nth);
  });
  server.on('connection', () => fake.connections++);
  const fake: Fake = {
    url: await listen(server),
    handler,
    health: 200,
    posts: [],
    authorizations: [],
    connections: 0,
    cutOff: 0,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  closers.push(async () => {
    if (server.listening) await fake.close();
  });
  return fake;
}

const usage = (completion: number, prompt = 5, cached = 0) => ({ completion_tokens: completion, prompt_tokens: prompt, total_tokens: prompt + completion, prompt_tokens_details: { cached_tokens: cached } });
const WORDS = [',', ' there', ' was', ' a'];

/** Answers as llama.cpp's server does (REFERENCE.md §4), including closing the connection after every stream. */
const llamaLike: Handler = async (req, res, body) => {
  const chat = req.url === '/v1/chat/completions';
  const n = typeof body.max_tokens === 'number' ? body.max_tokens : WORDS.length;
  const words = Array.from({ length: n }, (_, i) => WORDS[i % WORDS.length]!);
  if (req.url === '/v1/embeddings') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.6, 0.8] }], usage: { prompt_tokens: 3, total_tokens: 3 } }));
    return;
  }
  if (body.stream !== true) {
    const choice = chat ? { finish_reason: 'length', index: 0, message: { role: 'assistant', content: words.join('') } } : { text: words.join(''), index: 0, logprobs: null, finish_reason: 'length' };
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', server: 'llama.cpp', 'access-control-allow-origin': '' });
    res.end(JSON.stringify({ choices: [choice], model: body.model, object: chat ? 'chat.completion' : 'text_completion', usage: usage(n, 5, 2), id: 'chatcmpl-1' }));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', server: 'llama.cpp', 'x-accel-buffering': 'no', 'keep-alive': 'timeout=5, max=100' });
  const send = (o: unknown) => res.write(`data: ${JSON.stringify(o)}\n\n`);
  if (chat) send({ choices: [{ finish_reason: null, index: 0, delta: { role: 'assistant', content: null } }], object: 'chat.completion.chunk' });
  for (const w of words) {
    await tick();
    send(chat ? { choices: [{ finish_reason: null, index: 0, delta: { content: w } }], object: 'chat.completion.chunk' } : { choices: [{ text: w, index: 0, logprobs: null, finish_reason: null }], object: 'text_completion' });
  }
  if (chat) {
    send({ choices: [{ finish_reason: 'length', index: 0, delta: {} }], object: 'chat.completion.chunk' });
    if ((body.stream_options as { include_usage?: boolean } | undefined)?.include_usage) send({ choices: [], object: 'chat.completion.chunk', usage: usage(n, 49, 48) });
  } else {
    send({ choices: [{ text: '', index: 0, logprobs: null, finish_reason: 'length' }], object: 'text_completion', usage: usage(n, 5, 4) });
  }
  res.end('data: [DONE]\n\n');
  // The keep-alive it announced is not kept: the connection closes right after the stream.
  res.once('finish', () => setTimeout(() => req.socket.destroy(), 1));
};

/** A front server that hands each request to `engine.forward`, as the OpenAI routes do. */
async function front(engine: UpstreamEngine): Promise<{ url: string; brokenContract: number; last?: ForwardResult }> {
  const state: { url: string; brokenContract: number; last?: ForwardResult } = { url: '', brokenContract: 0 };
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Body;
    const ac = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) ac.abort();
    });
    const t = req.headers['x-timeout-ms'];
    try {
      state.last = await engine.forward({ path: req.url ?? '', body, stream: body.stream === true, timeoutMs: t ? Number(t) : undefined, signal: ac.signal, reply: res });
    } catch (e) {
      if (res.headersSent) {
        state.brokenContract++;
        res.destroy();
        return;
      }
      const err = e as AppError;
      res.writeHead(err.httpStatus, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: err.message, code: err.code } }));
    }
  });
  state.url = await listen(server);
  closers.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });
  return state;
}

function config(fake: Fake, extra: Partial<UpstreamConfig> = {}): UpstreamConfig {
  return { url: fake.url, maxConcurrency: 64, maxQueue: 256, healthPath: '/health', healthIntervalMs: 5000, ...extra };
}

async function connect(fake: Fake, extra: Partial<UpstreamConfig> = {}, logs: string[] = []): Promise<UpstreamEngine> {
  const engine = await UpstreamEngine.connect('llama', config(fake, extra), { log: (level, m) => logs.push(`${level}: ${m}`) });
  closers.push(() => engine.unload());
  return engine;
}

async function post(base: string, path: string, body: Body, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; text: string }> {
  const r = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: r.status, headers: r.headers, text: await r.text() };
}

/** The `data:` payloads of an event stream. */
const events = (text: string) => text.split('\n\n').filter((e) => e.startsWith('data: ')).map((e) => e.slice(6));

describe('UpstreamEngine', () => {
  it('passes requests through with the upstream model name, relaying status, body and event streams', async () => {
    const fake = await fakeUpstream();
    const engine = await connect(fake);
    assert.equal(engine.model, 'stories260K.gguf');
    const f = await front(engine);
    const r = await post(f.url, '/v1/completions', { model: 'my-deployment', prompt: 'Once upon a time', max_tokens: 4 });
    assert.equal(r.status, 200);
    assert.equal(JSON.parse(r.text).choices[0].text, ', there was a');
    assert.equal(fake.posts[0]!.body.model, 'stories260K.gguf');
    assert.equal(fake.posts[0]!.body.prompt, 'Once upon a time');
    assert.match(r.headers.get('content-type')!, /application\/json/);
    assert.equal(r.headers.get('server'), null);
    assert.equal(r.headers.get('access-control-allow-origin'), null);

    const s = await post(f.url, '/v1/chat/completions', { model: 'my-deployment', messages: [{ role: 'user', content: 'hi' }], stream: true, max_tokens: 3 });
    assert.equal(s.status, 200);
    assert.equal(s.headers.get('content-type'), 'text/event-stream');
    const ev = events(s.text);
    assert.equal(ev.at(-1), '[DONE]');
    assert.equal(ev.slice(1, 4).map((e) => JSON.parse(e).choices[0].delta.content).join(''), ', there was');

    const e = await post(f.url, '/v1/embeddings', { model: 'my-deployment', input: 'hi' });
    assert.deepEqual(JSON.parse(e.text).data[0].embedding, [0.6, 0.8]);
    assert.equal(f.brokenContract, 0);
  });

  it('uses the configured model name without asking the upstream', async () => {
    const fake = await fakeUpstream();
    const engine = await connect(fake, { model: 'Qwen/Qwen2.5-0.5B' });
    assert.equal(engine.model, 'Qwen/Qwen2.5-0.5B');
    const f = await front(engine);
    await post(f.url, '/v1/completions', { model: 'x', prompt: 'a' });
    assert.equal(fake.posts[0]!.body.model, 'Qwen/Qwen2.5-0.5B');
  });

  it('relays an upstream error status and body as is', async () => {
    const body = JSON.stringify({ error: { code: 400, message: 'request (2102 tokens) exceeds the available context size (512 tokens), try increasing it', type: 'exceed_context_size_error', n_prompt_tokens: 2102, n_ctx: 512 } });
    const fake = await fakeUpstream((_req, res) => void res.writeHead(400, { 'content-type': 'application/json' }).end(body));
    const engine = await connect(fake);
    const f = await front(engine);
    for (const stream of [false, true]) {
      const r = await post(f.url, '/v1/completions', { model: 'x', prompt: 'long', stream });
      assert.equal(r.status, 400);
      assert.equal(r.text, body);
    }
    assert.equal(engine.meter.finished.error, 2);
  });

  it('answers a 503 of its own when the upstream refuses the configured key, without relaying its 401 body (which may echo the key)', async () => {
    const echo = JSON.stringify({ error: { message: 'Incorrect API key provided: sk-…CRET', type: 'invalid_request_error', code: 'invalid_api_key' } });
    const fake = await fakeUpstream((req, res) => {
      if (req.url === '/health') return void res.writeHead(200).end('ok');
      res.writeHead(401, { 'content-type': 'application/json' }).end(echo);
    });
    const logs: string[] = [];
    const engine = await connect(fake, { apiKey: new UpstreamKey('sk-SECRET'), model: 'm' }, logs);
    const f = await front(engine);
    const r = await post(f.url, '/v1/completions', { model: 'x', prompt: 'a' });
    assert.equal(r.status, 503);
    assert.match(r.text, /refused the gateway's credentials \(HTTP 401\)/);
    assert.doesNotMatch(r.text, /CRET/);
    assert.ok(logs.some((l) => /check serving\.upstreams\.llama\.api_key/.test(l)), logs.join('\n'));
  });

  it('caps every request at the upstream’s timeout_ms', async () => {
    const fake = await fakeUpstream((req, res) => {
      if (req.url === '/health') return void res.writeHead(200).end('ok');
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'), 2000).unref();
    });
    const engine = await connect(fake, { model: 'm', timeoutMs: 100 });
    const f = await front(engine);
    const t0 = Date.now();
    const r = await post(f.url, '/v1/completions', { model: 'x', prompt: 'a' }, { 'x-timeout-ms': '60000' });
    assert.equal(r.status, 504);
    assert.ok(Date.now() - t0 < 1500);
  });

  it('survives a llama.cpp-like server that closes the connection after every stream (≥ 40 mixed requests at concurrency 1, 4, 16)', async () => {
    const fake = await fakeUpstream();
    // The fake does reproduce the problem: a pooled keep-alive client fails on it.
    const pooled = new http.Agent({ keepAlive: true, maxSockets: 1 });
    let pooledFailures = 0;
    for (let i = 0; i < 20; i++) {
      await new Promise<void>((resolve) => {
        const req = http.request(`${fake.url}/v1/completions`, { method: 'POST', agent: pooled, headers: { 'content-type': 'application/json' } }, (res) => {
          res.resume();
          // A reset can also cut an answer that had begun: the response closes incomplete (no 'end', no request error).
          res.on('error', () => undefined);
          res.on('close', () => {
            if (!res.complete) pooledFailures++;
            resolve();
          });
        });
        req.on('error', () => {
          pooledFailures++;
          resolve();
        });
        req.end(JSON.stringify({ prompt: 'x', stream: i % 2 === 0, max_tokens: 2 }));
      });
    }
    pooled.destroy();
    assert.ok(pooledFailures > 0, 'the fake should break a naive keep-alive pool');

    const engine = await connect(fake, { maxConcurrency: 16 });
    const f = await front(engine);
    const posts = fake.posts.length;
    const connections = fake.connections;
    let failures = 0;
    let total = 0;
    for (const concurrency of [1, 4, 16]) {
      let next = 0;
      const worker = async () => {
        while (next < 48) {
          const i = next++;
          const stream = i % 2 === 0;
          const path = i % 3 === 0 ? '/v1/chat/completions' : '/v1/completions';
          const body = path === '/v1/completions' ? { model: 'd', prompt: 'x', stream, max_tokens: 4 } : { model: 'd', messages: [{ role: 'user', content: 'x' }], stream, max_tokens: 4 };
          const r = await post(f.url, path, body);
          total++;
          const ok = r.status === 200 && (stream ? events(r.text).at(-1) === '[DONE]' : JSON.parse(r.text).usage.completion_tokens === 4);
          if (!ok) failures++;
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
    }
    assert.equal(total, 144);
    assert.equal(failures, 0);
    assert.equal(fake.posts.length - posts, 144, 'no request needed a retry here');
    // Streams get a connection each; the non-streamed requests share pooled ones.
    assert.ok(fake.connections - connections < 72 + 72 / 2, `${fake.connections - connections} connections`);
    assert.equal(engine.meter.finished.length, 144);
    assert.equal(f.brokenContract, 0);
  });

  it('retries once a request whose reused keep-alive socket was reset before any byte came back', async () => {
    const fake = await fakeUpstream((req, res, body, nth) => {
      if (nth === 2) {
        req.socket.destroy();
        return;
      }
      void llamaLike(req, res, body, nth);
    });
    const logs: string[] = [];
    const engine = await connect(fake, {}, logs);
    const f = await front(engine);
    assert.equal((await post(f.url, '/v1/completions', { model: 'd', prompt: 'a' })).status, 200);
    const r = await post(f.url, '/v1/completions', { model: 'd', prompt: 'b' });
    assert.equal(r.status, 200);
    assert.equal(JSON.parse(r.text).choices[0].text, ', there was a');
    assert.deepEqual(
      fake.posts.map((p) => p.body.prompt),
      ['a', 'b', 'b'],
    );
    assert.ok(logs.some((l) => /retrying \/v1\/completions after ECONNRESET/.test(l)), logs.join('\n'));
  });

  it('does not retry a reset on a fresh connection: 503', async () => {
    const fake = await fakeUpstream((req) => void req.socket.destroy());
    const engine = await connect(fake);
    const f = await front(engine);
    const r = await post(f.url, '/v1/completions', { model: 'd', prompt: 'a', stream: true });
    assert.equal(r.status, 503);
    assert.equal(JSON.parse(r.text).error.message, 'Upstream llama is unreachable: ECONNRESET');
    assert.equal(fake.posts.length, 1);
  });

  it('does not retry once bytes were relayed: the client sees the stream cut, then an error event', async () => {
    const fake = await fakeUpstream(async (req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ choices: [{ text: 'Once', index: 0, finish_reason: null }] })}\n\n`);
      await sleep(20);
      res.write(`data: ${JSON.stringify({ choices: [{ text: ' upon', index: 0, finish_reason: null }] })}\n\n`);
      await sleep(20);
      req.socket.destroy();
    });
    const engine = await connect(fake);
    const f = await front(engine);
    const r = await post(f.url, '/v1/completions', { model: 'd', prompt: 'a', stream: true });
    assert.equal(r.status, 200);
    const ev = events(r.text);
    assert.deepEqual(
      ev.slice(0, 2).map((e) => JSON.parse(e).choices[0].text),
      ['Once', ' upon'],
    );
    assert.equal(ev.length, 3);
    assert.match(JSON.parse(ev[2]!).error.message, /Upstream llama closed the stream: ECONNRESET/);
    assert.equal(fake.posts.length, 1);
    assert.equal(engine.meter.finished.error, 1);
    assert.equal(engine.meter.generationTokens, 2);
    assert.equal(f.brokenContract, 0);
    assert.deepEqual([f.last?.completionTokens, f.last?.failedStatus], [2, 503], 'the prediction log counts the cut stream as a 503');
  });

  it('answers 503 when the upstream refuses connections, after one retry', async () => {
    const fake = await fakeUpstream();
    const logs: string[] = [];
    const engine = await connect(fake, { healthIntervalMs: 60_000 }, logs);
    const f = await front(engine);
    assert.equal((await post(f.url, '/v1/completions', { model: 'd', prompt: 'a' })).status, 200);
    await fake.close();
    const target = new URL(fake.url);
    let attempts = 0;
    const onStart = (m: unknown) => {
      const req = (m as { request: http.ClientRequest }).request;
      if (req.host === target.hostname && req.path === '/v1/completions') attempts++;
    };
    dc.subscribe('http.client.request.start', onStart);
    try {
      for (const stream of [false, true]) {
        attempts = 0;
        const r = await post(f.url, '/v1/completions', { model: 'd', prompt: 'a', stream });
        assert.equal(r.status, 503);
        assert.equal(JSON.parse(r.text).error.message, 'Upstream llama is unreachable: ECONNREFUSED');
        assert.equal(attempts, 2);
      }
    } finally {
      dc.unsubscribe('http.client.request.start', onStart);
    }
    // A transport failure brings the health check forward: out of rotation at once, not after 60 s.
    await waitFor(() => !engine.available);
    assert.ok(logs.some((l) => /warn: Upstream llama is unreachable: ECONNREFUSED; out of rotation/.test(l)), logs.join('\n'));
  });

  it('refuses to load an upstream that cannot be reached or is not healthy', async () => {
    const fake = await fakeUpstream();
    fake.health = 503;
    await assert.rejects(UpstreamEngine.connect('llama', config(fake)), (e: unknown) => {
      assert.ok(e instanceof AppError);
      assert.equal(e.code, 'TEMPORARILY_UNAVAILABLE');
      assert.equal(e.message, 'Upstream llama is not healthy: GET /health answered 503');
      return true;
    });
    await fake.close();
    await assert.rejects(UpstreamEngine.connect('llama', config(fake)), { message: 'Upstream llama is unreachable: ECONNREFUSED' });
  });

  it('answers 504 at the deadline when nothing was relayed, and ends a stream that had started', async () => {
    const fake = await fakeUpstream(async (_req, res, body) => {
      if (body.stream !== true) return; // never answers
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ choices: [{ text: 'Once', index: 0, finish_reason: null }] })}\n\n`);
    });
    const engine = await connect(fake);
    const f = await front(engine);
    const started = Date.now();
    const r = await post(f.url, '/v1/completions', { model: 'd', prompt: 'a' }, { 'x-timeout-ms': '100' });
    assert.equal(r.status, 504);
    assert.equal(JSON.parse(r.text).error.message, 'The request took longer than its 100 ms deadline');
    assert.ok(Date.now() - started < 1000);
    await waitFor(() => fake.cutOff === 1);

    const s = await post(f.url, '/v1/completions', { model: 'd', prompt: 'a', stream: true }, { 'x-timeout-ms': '150' });
    assert.equal(s.status, 200);
    const ev = events(s.text);
    assert.equal(JSON.parse(ev[0]!).choices[0].text, 'Once');
    assert.deepEqual(JSON.parse(ev[1]!).error, { message: 'The request took longer than its 150 ms deadline', type: 'server_error', code: 504 });
    await waitFor(() => fake.cutOff === 2);
    assert.equal(f.last?.failedStatus, 504);
    assert.equal(engine.meter.finished.error, 2);
    assert.equal(engine.meter.snapshot().slotsInUse, 0);
  });

  it('aborts the upstream request when the client goes away mid-stream', async () => {
    const fake = await fakeUpstream(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (let i = 0; i < 200 && !res.destroyed; i++) {
        res.write(`data: ${JSON.stringify({ choices: [{ text: 'x', index: 0, finish_reason: null }] })}\n\n`);
        await sleep(10);
      }
      res.end();
    });
    const engine = await connect(fake);
    const f = await front(engine);
    const ac = new AbortController();
    const r = await fetch(`${f.url}/v1/completions`, { method: 'POST', body: JSON.stringify({ model: 'd', prompt: 'a', stream: true }), signal: ac.signal });
    const reader = r.body!.getReader();
    await reader.read();
    ac.abort();
    await waitFor(() => fake.cutOff === 1);
    await waitFor(() => engine.meter.finished.abort === 1);
    assert.equal(engine.meter.snapshot().slotsInUse, 0);
  });

  it('takes a failing upstream out of rotation and puts it back when it recovers', async () => {
    const fake = await fakeUpstream();
    const logs: string[] = [];
    const engine = await connect(fake, { healthIntervalMs: 100, apiKey: new UpstreamKey('sk-health-SECRET') }, logs);
    assert.equal(engine.available, true);
    fake.health = 500;
    let t = Date.now();
    await waitFor(() => !engine.available, 2000);
    // Within the interval, plus the check itself (slack for a loaded test machine).
    assert.ok(Date.now() - t <= 500, `unavailable after ${Date.now() - t} ms`);
    fake.health = 200;
    t = Date.now();
    await waitFor(() => engine.available, 2000);
    assert.ok(Date.now() - t <= 500, `available after ${Date.now() - t} ms`);
    assert.deepEqual(logs, ['warn: Upstream llama is not healthy: GET /health answered 500; out of rotation', 'info: Upstream llama is available again']);
    assert.equal(fake.authorizations.at(-1), 'Bearer sk-health-SECRET');
  });

  it('sends the configured key as Bearer, never the client’s, and never shows it', async () => {
    const fake = await fakeUpstream();
    const key = 'sk-upstream-SECRET-42';
    const logs: string[] = [];
    const engine = await connect(fake, { apiKey: new UpstreamKey(key), healthIntervalMs: 60_000 }, logs);
    const f = await front(engine);
    assert.equal((await post(f.url, '/v1/completions', { model: 'd', prompt: 'a' }, { authorization: 'Bearer client-token' })).status, 200);
    assert.equal((await post(f.url, '/v1/completions', { model: 'd', prompt: 'a', stream: true }, { authorization: 'Bearer client-token' })).status, 200);
    assert.ok(fake.authorizations.length >= 4);
    assert.ok(fake.authorizations.every((a) => a === `Bearer ${key}`), fake.authorizations.join(', '));
    await fake.close();
    const r = await post(f.url, '/v1/completions', { model: 'd', prompt: 'a' }, { authorization: 'Bearer client-token' });
    assert.equal(r.status, 503);
    let loadError = '';
    await UpstreamEngine.connect('llama', config(fake, { apiKey: new UpstreamKey(key) })).catch((e: Error) => (loadError = `${e.message} ${inspect(e)}`));
    await waitFor(() => !engine.available);
    const shown = [r.text, loadError, ...logs, JSON.stringify(engine.info), inspect(engine.info), inspect(config(fake, { apiKey: new UpstreamKey(key) }), { depth: 9 })].join('\n');
    assert.match(loadError, /unreachable: ECONNREFUSED/);
    assert.doesNotMatch(shown, /SECRET/);
  });

  it('refuses with 429 beyond max_concurrency in flight and max_queue waiting', async () => {
    const held: (() => void)[] = [];
    const fake = await fakeUpstream((req, res, body, nth) => {
      held.push(() => void llamaLike(req, res, body, nth));
    });
    const engine = await connect(fake, { maxConcurrency: 1, maxQueue: 1 });
    const f = await front(engine);
    const a = post(f.url, '/v1/completions', { model: 'd', prompt: 'a' });
    await waitFor(() => held.length === 1);
    const b = post(f.url, '/v1/completions', { model: 'd', prompt: 'b' });
    await waitFor(() => engine.meter.snapshot().queued === 1);
    assert.equal(engine.full, true);
    const c = await post(f.url, '/v1/completions', { model: 'd', prompt: 'c' });
    assert.equal(c.status, 429);
    assert.equal(JSON.parse(c.text).error.code, 'REQUEST_LIMIT_EXCEEDED');
    assert.equal(engine.meter.rejected, 1);
    held.shift()!();
    assert.equal((await a).status, 200);
    await waitFor(() => held.length === 1);
    assert.equal(engine.full, false);
    held.shift()!();
    assert.equal((await b).status, 200);
    assert.deepEqual(
      fake.posts.map((p) => p.body.prompt),
      ['a', 'b'],
    );
    assert.ok(engine.meter.snapshot().queueSeconds.mean! > 0);
  });

  it('meters tokens from JSON usage, from a stream’s usage chunk, and by counting content chunks otherwise', async () => {
    const fake = await fakeUpstream();
    const engine = await connect(fake);
    const f = await front(engine);
    const m = engine.meter;
    await post(f.url, '/v1/completions', { model: 'd', prompt: 'a', max_tokens: 16 });
    assert.deepEqual([m.promptTokens, m.generationTokens, m.cachedPromptTokens, m.finished.length, m.ttft.count], [5, 16, 2, 1, 0]);
    // llama.cpp's completion stream: usage in the final chunk.
    await post(f.url, '/v1/completions', { model: 'd', prompt: 'a', max_tokens: 6, stream: true });
    assert.deepEqual([m.promptTokens, m.generationTokens, m.cachedPromptTokens, m.finished.length, m.ttft.count, m.tpot.count], [10, 22, 6, 2, 1, 1]);
    // Its chat stream has no usage: the 3 content chunks count (not the role-only first one).
    await post(f.url, '/v1/chat/completions', { model: 'd', messages: [{ role: 'user', content: 'a' }], max_tokens: 3, stream: true });
    assert.deepEqual([m.promptTokens, m.generationTokens, m.cachedPromptTokens, m.finished.length, m.ttft.count], [10, 25, 6, 3, 2]);
    // With include_usage, the usage chunk wins.
    await post(f.url, '/v1/chat/completions', { model: 'd', messages: [{ role: 'user', content: 'a' }], max_tokens: 3, stream: true, stream_options: { include_usage: true } });
    assert.deepEqual([m.promptTokens, m.generationTokens, m.cachedPromptTokens, m.finished.length, m.ttft.count], [59, 28, 54, 4, 3]);
    await post(f.url, '/v1/embeddings', { model: 'd', input: 'a' });
    assert.deepEqual([m.promptTokens, m.generationTokens, m.finished.stop], [62, 28, 1]);
    assert.equal(m.requests, 5);
    assert.ok(m.ttft.sum > 0 && m.e2e.count === 5);
  });

  it('refuses paths other than the OpenAI ones, and requests once unloaded', async () => {
    const fake = await fakeUpstream();
    const engine = await UpstreamEngine.connect('llama', config(fake));
    const f = await front(engine);
    const r = await post(f.url, '/v1/../admin', { model: 'd' });
    assert.equal(r.status, 400);
    assert.equal(fake.posts.length, 0);
    await engine.unload();
    assert.ok(engine.failure);
    const u = await post(f.url, '/v1/completions', { model: 'd', prompt: 'a' });
    assert.equal(u.status, 503);
  });
});
