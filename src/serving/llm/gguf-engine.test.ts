import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../../core/errors/index.js';
import { GgufEngine, type GgufEngineOptions } from './gguf-engine.js';
import { DEFAULT_SAMPLING, type GenerationRequest, type SamplingParams } from './llm-engine.js';
import { STORIES_FILE, STORIES_LILY } from './testing/stories.js';

const OPTS: GgufEngineOptions = { parallel: 2, contextSize: 512, threads: 1, kvCacheMb: 256, maxQueue: 4, timeoutMs: 30_000 };

function req(text: string, params: Partial<SamplingParams>, signal = new AbortController().signal): GenerationRequest {
  return { prompt: { kind: 'text', text }, params: { ...DEFAULT_SAMPLING, temperature: 0, ...params }, signal };
}

const codeOf = (e: unknown) => (e instanceof AppError ? e.code : String(e));

describe('GgufEngine (stories260K, a trained 260K-parameter Llama)', () => {
  let engine: GgufEngine;
  before(async () => {
    engine = await GgufEngine.load(STORIES_FILE, OPTS);
  });
  after(async () => engine.unload());

  test('reads what the model is: architecture, contexts, vocabulary, template fallback', () => {
    assert.deepEqual(engine.info, { architecture: 'llama', contextSize: 512, trainContextSize: 2048, slots: 2, threads: 1, chatTemplate: 'chatml', vocabularySize: 512 });
    assert.ok(engine.memoryBytes > 1_000_000);
  });

  test('greedy completion is the text llama2.c and llama.cpp produce, streamed in pieces that add up', async () => {
    const pieces: string[] = [];
    const r = await engine.generate(req('Once upon a time', { maxTokens: 40 }), (t) => pieces.push(t));
    assert.ok(r.text.startsWith(STORIES_LILY), r.text);
    assert.equal(pieces.join(''), r.text);
    assert.ok(pieces.length > 20);
    assert.equal(r.finishReason, 'length');
    assert.deepEqual({ p: r.usage.promptTokens, c: r.usage.completionTokens }, { p: 5, c: 40 }); // BOS + 4 tokens
  });

  test('a stop string ends the text before it (finish_reason stop), and the streamed text never shows it', async () => {
    const pieces: string[] = [];
    const r = await engine.generate(req('Once upon a time', { maxTokens: 100, stop: ['park'] }), (t) => pieces.push(t));
    assert.equal(r.text, ', there was a little girl named Lily. She loved to play outside in the ');
    assert.equal(r.finishReason, 'stop');
    assert.equal(pieces.join(''), r.text);
  });

  test('a repeated prompt reuses the cached prefix of a slot', async () => {
    const prompt = 'Once upon a time, there was a little dog named Max. Max liked to run.';
    await engine.generate(req(prompt, { maxTokens: 4 }));
    const r = await engine.generate(req(prompt, { maxTokens: 4 }));
    assert.equal(r.usage.cachedTokens, r.usage.promptTokens - 1);
    const shared = await engine.generate(req(`${prompt} One day`, { maxTokens: 4 }));
    assert.ok(shared.usage.cachedTokens >= r.usage.promptTokens - 1, `cached ${shared.usage.cachedTokens}`);
  });

  test('chat messages go through the chat template (ChatML here, as llama-server falls back to)', async () => {
    const r = await engine.generate({ prompt: { kind: 'chat', messages: [{ role: 'user', content: 'Tell me a story' }] }, params: { ...DEFAULT_SAMPLING, temperature: 0, maxTokens: 16 }, signal: new AbortController().signal });
    // What llama.cpp's server answers for the same request (REFERENCE.md §4).
    assert.equal(r.text, '"Here?" Annabyed.\n');
  });

  test('seeded sampling repeats; penalties change the text', async () => {
    const a = await engine.generate(req('Once upon a time', { temperature: 0.9, seed: 7, maxTokens: 30 }));
    const b = await engine.generate(req('Once upon a time', { temperature: 0.9, seed: 7, maxTokens: 30 }));
    assert.equal(a.text, b.text);
    const plain = await engine.generate(req('Once upon a time', { maxTokens: 60 }));
    const penalized = await engine.generate(req('Once upon a time', { maxTokens: 60, frequencyPenalty: 2, presencePenalty: 2 }));
    assert.notEqual(penalized.text, plain.text);
  });

  test('a JSON schema response format yields JSON that parses and matches the schema', async () => {
    const schema = { type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer' } }, required: ['name', 'age'] };
    const r = await engine.generate(req('Once upon a time', { responseFormat: { type: 'json_schema', schema } }));
    // It ends where the JSON ends (the grammar's trigger), not at the end of the sequence after a run of newlines.
    assert.equal(r.finishReason, 'stop');
    assert.equal(r.text, r.text.trimEnd());
    assert.ok(r.usage.completionTokens < 200, `${r.usage.completionTokens} tokens`);
    const v = JSON.parse(r.text) as { name: unknown; age: unknown };
    assert.equal(typeof v.name, 'string');
    assert.ok(Number.isInteger(v.age));
  });

  test('bad prompts are 400s naming the field: too long for the sequence, unknown token ids, empty', async () => {
    await assert.rejects(engine.generate(req('the dog ran. '.repeat(200), {})), (e) => codeOf(e) === 'INVALID_PARAMETER_VALUE' && (e as AppError).field === 'prompt');
    await assert.rejects(engine.generate({ prompt: { kind: 'tokens', tokens: [1, 9999] }, params: DEFAULT_SAMPLING, signal: new AbortController().signal }), /prompt\[1\]/);
    await assert.rejects(engine.generate({ prompt: { kind: 'tokens', tokens: [] }, params: DEFAULT_SAMPLING, signal: new AbortController().signal }), /empty/);
  });

  test('a request joins the running batch: it finishes while a long one is still generating', async () => {
    let longTokens = 0;
    let longDone = false;
    let joined: (() => void) | undefined;
    const started = new Promise<void>((r) => (joined = r));
    const long = engine
      .generate(req('Once upon a time', { maxTokens: 450, ignoreEos: true }), () => {
        if (++longTokens === 20) joined!();
      })
      .then((r) => {
        longDone = true;
        return r;
      });
    await started;
    const short = await engine.generate(req('The cat', { maxTokens: 5 }));
    assert.equal(short.usage.completionTokens, 5);
    assert.equal(longDone, false, 'the short request waited for the long one');
    const r = await long;
    assert.equal(r.usage.completionTokens, 450);
  });

  test('ignore_eos makes end-of-generation tokens impossible, as llama.cpp does: the answer runs to max_tokens', async () => {
    // "The end." is where stories end: without ignore_eos the model stops soon after it.
    const free = await engine.generate(req('Once upon a time', { maxTokens: 300, temperature: 0.9, seed: 3 }));
    const forced = await engine.generate(req('Once upon a time', { maxTokens: 300, temperature: 0.9, seed: 3, ignoreEos: true }));
    assert.equal(forced.usage.completionTokens, 300);
    assert.equal(forced.finishReason, 'length');
    assert.ok(free.usage.completionTokens <= 300);
  });

  test('deployments sharing the engine count their own requests; the engine counts all of them', async () => {
    const [a, b] = [engine.newMeter(), engine.newMeter()];
    const before = engine.meter.snapshot().requests;
    await engine.generate({ ...req('Once upon a time', { maxTokens: 3 }), meter: a });
    await engine.generate({ ...req('Once upon a time', { maxTokens: 4 }), meter: b });
    await engine.generate({ ...req('Once upon a time', { maxTokens: 4 }), meter: b });
    assert.deepEqual([a.snapshot().requests, a.snapshot().generationTokens, b.snapshot().requests, b.snapshot().generationTokens], [1, 3, 2, 8]);
    assert.equal(engine.meter.snapshot().requests - before, 3);
    assert.equal(a.snapshot().slots, 2, 'slots are the engine’s');
  });

  test('embeddings: one unit vector per input, the same for the same text', async () => {
    const r = await engine.embed(['Lily saw a ball', 'The dog ran', 'Lily saw a ball'], { signal: new AbortController().signal });
    assert.equal(r.embeddings.length, 3);
    assert.equal(r.embeddings[0]!.length, 64);
    const norm = Math.sqrt(r.embeddings[0]!.reduce((n, x) => n + x * x, 0));
    assert.ok(Math.abs(norm - 1) < 1e-5);
    assert.deepEqual(r.embeddings[0], r.embeddings[2]);
    assert.notDeepEqual(r.embeddings[0], r.embeddings[1]);
    assert.ok(r.promptTokens > 6);
  });

  test('embeddings: an input that fills the context is a 400; one queued past its deadline is a 504 at once', async () => {
    const signal = new AbortController().signal;
    await assert.rejects(engine.embed([Array.from({ length: 512 }, () => 100)], { signal }), (e) => (e as AppError).field === 'input');
    // A long request holds the embedding context; the one behind it has a 30 ms deadline.
    const long = Array.from({ length: 60 }, () => Array.from({ length: 500 }, (_, i) => 100 + (i % 300)));
    let longDone = false;
    const running = engine.embed(long, { signal }).then((r) => ((longDone = true), r));
    await assert.rejects(engine.embed(['The dog ran'], { signal, timeoutMs: 30 }), (e) => codeOf(e) === 'DEADLINE_EXCEEDED');
    assert.equal(longDone, false, 'the queued request was answered before the one ahead of it finished');
    assert.equal((await running).embeddings.length, 60);
    const gone = new AbortController();
    gone.abort();
    await assert.rejects(engine.embed(['The dog ran'], { signal: gone.signal }), (e) => codeOf(e) === 'BAD_REQUEST');
  });
});

describe('GgufEngine slots and queue', () => {
  let engine: GgufEngine;
  before(async () => {
    engine = await GgufEngine.load(STORIES_FILE, { ...OPTS, parallel: 1, maxQueue: 1, timeoutMs: 30_000 });
  });
  after(async () => engine.unload());

  const long = (signal?: AbortSignal, onText?: () => void) => engine.generate(req('Once upon a time', { maxTokens: 500, ignoreEos: true }, signal), onText);

  test('a cancelled generation stops at once and frees its slot', async () => {
    const ac = new AbortController();
    let n = 0;
    const p = long(ac.signal, () => {
      if (++n === 10) ac.abort();
    });
    await assert.rejects(p);
    const snap = engine.meter.snapshot();
    assert.equal(snap.slotsInUse, 0);
    assert.equal(snap.finished.abort, 1);
    assert.ok(snap.generationTokens < 40, `kept generating after the abort: ${snap.generationTokens} tokens`);
    const next = await engine.generate(req('The cat', { maxTokens: 3 }));
    assert.equal(next.usage.completionTokens, 3);
  });

  test('beyond the slots a bounded queue waits; past it a 429 at once; a queued request can be cancelled', async () => {
    const running = new AbortController();
    let first: () => void = () => undefined;
    const generating = new Promise<void>((r) => (first = r));
    const a = long(running.signal, () => first());
    await generating;
    const queued = new AbortController();
    const b = long(queued.signal);
    assert.equal(engine.isFull(), true);
    await assert.rejects(long(), (e) => codeOf(e) === 'REQUEST_LIMIT_EXCEEDED');
    assert.equal(engine.meter.snapshot().rejected, 1);
    assert.equal(engine.meter.snapshot().queued, 1);
    queued.abort();
    await assert.rejects(b);
    assert.equal(engine.meter.snapshot().queued, 0);
    running.abort();
    await assert.rejects(a);
    assert.equal(engine.meter.snapshot().slotsInUse, 0);
  });

  test('the deadline answers 504 and frees the slot', async () => {
    await assert.rejects(engine.generate({ ...req('Once upon a time', { maxTokens: 500, ignoreEos: true }), timeoutMs: 30 }), (e) => codeOf(e) === 'DEADLINE_EXCEEDED');
    assert.equal(engine.meter.snapshot().slotsInUse, 0);
  });

  test('a request cancelled while it waits for a slot never runs; a queue bound given per request applies', async () => {
    const running = new AbortController();
    let first: () => void = () => undefined;
    const generating = new Promise<void>((r) => (first = r));
    const a = long(running.signal, () => first());
    await generating;
    // This deployment allows no waiting at all.
    await assert.rejects(engine.generate({ ...req('Once upon a time', { maxTokens: 5 }), maxQueue: 0 }), (e) => codeOf(e) === 'REQUEST_LIMIT_EXCEEDED');
    const before = engine.meter.snapshot();
    const gone = new AbortController();
    const b = long(gone.signal);
    gone.abort();
    await assert.rejects(b, (e) => codeOf(e) === 'BAD_REQUEST');
    running.abort();
    await assert.rejects(a);
    const after = engine.meter.snapshot();
    assert.equal(after.generationTokens - before.generationTokens < 100, true);
    assert.equal(after.slotsInUse, 0);
  });

  test('unloading answers running and queued requests with a 503', async () => {
    const e2 = await GgufEngine.load(STORIES_FILE, { ...OPTS, parallel: 1, maxQueue: 2 });
    let first: () => void = () => undefined;
    const generating = new Promise<void>((r) => (first = r));
    const running = e2.generate(req('Once upon a time', { maxTokens: 500, ignoreEos: true }), () => first());
    await generating;
    const queued = e2.generate(req('Once upon a time', { maxTokens: 5 }));
    const answers = Promise.all([running, queued].map((p) => assert.rejects(p, (e) => codeOf(e) === 'TEMPORARILY_UNAVAILABLE')));
    await e2.unload();
    await answers;
    assert.ok(e2.failure);
  });

  test('unloading answers running and queued embeddings with a 503', async () => {
    const e2 = await GgufEngine.load(STORIES_FILE, { ...OPTS, parallel: 1 });
    const signal = new AbortController().signal;
    const long = Array.from({ length: 60 }, () => Array.from({ length: 500 }, (_, i) => 100 + (i % 300)));
    const answers = [e2.embed(long, { signal }), e2.embed(['The dog ran'], { signal })].map((p) => assert.rejects(p, (e) => codeOf(e) === 'TEMPORARILY_UNAVAILABLE'));
    await new Promise((r) => setTimeout(r, 20));
    await e2.unload();
    await Promise.all(answers);
  });

  test('refuses a KV cache over its budget, naming the setting', async () => {
    await assert.rejects(GgufEngine.load(STORIES_FILE, { ...OPTS, parallel: 64, contextSize: 2048, kvCacheMb: 1 }), (e) => (e as AppError).field === 'config.kv_cache_mb');
    await assert.rejects(GgufEngine.load(STORIES_FILE, { ...OPTS, contextSize: 4096 }), (e) => (e as AppError).field === 'config.context_size');
  });
});
