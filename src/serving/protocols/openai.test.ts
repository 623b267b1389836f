import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../core/errors/index.js';
import { DEFAULT_SAMPLING, type GenerationResult } from '../llm/llm-engine.js';
import {
  SSE_DONE,
  StreamFormat,
  chatResponse,
  completionResponse,
  embeddingsResponse,
  modelList,
  newEnvelope,
  openAiError,
  parseChatRequest,
  parseCompletionRequest,
  parseEmbeddingsRequest,
} from './openai.js';

const completion = (extra: Record<string, unknown> = {}) => parseCompletionRequest({ model: 'stories', prompt: 'Once upon a time', ...extra });
const chat = (extra: Record<string, unknown> = {}) => parseChatRequest({ model: 'stories', messages: [{ role: 'user', content: 'Hi' }], ...extra });

function refusal(fn: () => unknown, param: string, message: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof AppError, `expected an AppError, got ${String(e)}`);
    assert.equal(e.code, 'INVALID_PARAMETER_VALUE');
    assert.equal(e.field, param);
    assert.match(e.message, message);
    const a = openAiError(e);
    assert.equal(a.status, 400);
    assert.deepEqual(a.body, { error: { message: e.message, type: 'invalid_request_error', param, code: null } });
    return true;
  });
}

const RESULT: GenerationResult = {
  text: ', there was a little girl',
  finishReason: 'length',
  usage: { promptTokens: 5, completionTokens: 6, cachedTokens: 1 },
  timings: { queueMs: 0.5, promptMs: 8, predictedMs: 3 },
};
const USAGE = { prompt_tokens: 5, completion_tokens: 6, total_tokens: 11, prompt_tokens_details: { cached_tokens: 1 } };
const ENV = { id: 'chatcmpl-abc', created: 1795799100, model: 'stories' };

/** The JSON objects of an SSE text, checking the framing; `[DONE]` is returned as the string. */
function events(sse: string): unknown[] {
  assert.ok(sse.endsWith('\n\n'), 'every event ends with a blank line');
  return sse
    .slice(0, -2)
    .split('\n\n')
    .map((e) => {
      assert.match(e, /^data: /);
      const data = e.slice(6);
      return data === '[DONE]' ? data : JSON.parse(data);
    });
}

describe('OpenAI protocol: parsing completions', () => {
  it('reads a minimal request with OpenAI and llama.cpp defaults', () => {
    const c = completion();
    assert.deepEqual(c, { model: 'stories', stream: false, includeUsage: false, prompt: { kind: 'text', text: 'Once upon a time' }, params: { ...DEFAULT_SAMPLING, maxTokens: undefined, seed: undefined } });
    assert.equal(c.params.temperature, 1);
    assert.equal(c.params.topP, 1);
  });

  it('reads every sampling parameter, and null as absent', () => {
    const c = completion({
      max_tokens: 16,
      temperature: 0,
      top_p: 0.9,
      top_k: 40,
      min_p: 0.05,
      seed: 42,
      stop: ['park', '.'],
      presence_penalty: -1.5,
      frequency_penalty: 2,
      repeat_penalty: 1.1,
      ignore_eos: true,
      stream: true,
      stream_options: { include_usage: true },
      response_format: { type: 'json_object' },
      user: 'u-1',
      n: 1,
      best_of: 1,
      echo: false,
      suffix: null,
      logprobs: null,
      logit_bias: {},
      some_future_field: { x: 1 },
    });
    assert.deepEqual(c.params, {
      maxTokens: 16,
      temperature: 0,
      topP: 0.9,
      topK: 40,
      minP: 0.05,
      seed: 42,
      stop: ['park', '.'],
      presencePenalty: -1.5,
      frequencyPenalty: 2,
      repeatPenalty: 1.1,
      ignoreEos: true,
      responseFormat: { type: 'json_object' },
    });
    assert.deepEqual([c.stream, c.includeUsage], [true, true]);
    const nulls = completion({ temperature: null, top_p: null, max_tokens: null, stop: null, seed: null, stream: null });
    assert.deepEqual(nulls.params, completion().params);
  });

  it('reads the prompt as text, token ids, or an array of one of those', () => {
    assert.deepEqual(completion({ prompt: ['Hello'] }).prompt, { kind: 'text', text: 'Hello' });
    assert.deepEqual(completion({ prompt: [1, 2, 3] }).prompt, { kind: 'tokens', tokens: [1, 2, 3] });
    assert.deepEqual(completion({ prompt: [[1, 2]] }).prompt, { kind: 'tokens', tokens: [1, 2] });
    assert.deepEqual(completion({ prompt: '' }).prompt, { kind: 'text', text: '' });
  });

  it('refuses bad prompts, naming the parameter', () => {
    refusal(() => parseCompletionRequest({ model: 'stories' }), 'prompt', /'prompt' is required/);
    refusal(() => completion({ prompt: ['a', 'b'] }), 'prompt', /only one prompt per request/);
    refusal(() => completion({ prompt: [[1], [2]] }), 'prompt', /only one prompt per request/);
    refusal(() => completion({ prompt: [] }), 'prompt', /empty/);
    refusal(() => completion({ prompt: 42 }), 'prompt', /must be a string/);
    refusal(() => completion({ prompt: [1, -2] }), 'prompt[1]', /non-negative integers/);
    refusal(() => completion({ prompt: [[1, 2.5]] }), 'prompt[0][1]', /non-negative integers/);
    refusal(() => completion({ prompt: [{}] }), 'prompt[0]', /string or a non-empty array/);
  });

  it('refuses a missing or odd model and a body that is not an object', () => {
    refusal(() => parseCompletionRequest({ prompt: 'x' }), 'model', /'model' is required/);
    refusal(() => parseCompletionRequest({ model: 3, prompt: 'x' }), 'model', /deployment name/);
    refusal(() => parseCompletionRequest({ model: '', prompt: 'x' }), 'model', /deployment name/);
    refusal(() => parseCompletionRequest([1]), 'body', /JSON object/);
  });

  it('refuses out-of-range and mistyped sampling parameters', () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ temperature: 2.5 }, 'temperature', /from 0 to 2/],
      [{ temperature: -0.1 }, 'temperature', /from 0 to 2/],
      [{ temperature: '0.5' }, 'temperature', /number/],
      [{ top_p: 0 }, 'top_p', /above 0 and at most 1/],
      [{ top_p: 1.5 }, 'top_p', /above 0 and at most 1/],
      [{ top_k: -2 }, 'top_k', /integer at least -1/],
      [{ top_k: 1.5 }, 'top_k', /integer/],
      [{ min_p: 2 }, 'min_p', /from 0 to 1/],
      [{ seed: 1.5 }, 'seed', /integer/],
      [{ seed: 'x' }, 'seed', /integer/],
      [{ max_tokens: 0 }, 'max_tokens', /integer at least 1/],
      [{ max_tokens: 2.5 }, 'max_tokens', /integer/],
      [{ presence_penalty: 3 }, 'presence_penalty', /from -2 to 2/],
      [{ frequency_penalty: -2.5 }, 'frequency_penalty', /from -2 to 2/],
      [{ repeat_penalty: 0 }, 'repeat_penalty', /above 0/],
      [{ ignore_eos: 'yes' }, 'ignore_eos', /boolean/],
      [{ stream: 1 }, 'stream', /boolean/],
      [{ stop: 3 }, 'stop', /string or an array of up to 4/],
      [{ stop: ['a', 'b', 'c', 'd', 'e'] }, 'stop', /at most 4/],
      [{ stop: ['a', 3] }, 'stop[1]', /must be a string/],
      [{ stream_options: { include_usage: true } }, 'stream_options', /only allowed when 'stream' is true/],
      [{ stream: true, stream_options: { include_usage: 'yes' } }, 'stream_options.include_usage', /boolean/],
      [{ stream: true, stream_options: 'x' }, 'stream_options', /object/],
      [{ response_format: 'json' }, 'response_format', /object/],
      [{ response_format: { type: 'xml' } }, 'response_format.type', /'text', 'json_object' or 'json_schema'/],
      [{ response_format: { type: 'json_schema' } }, 'response_format.json_schema', /object/],
      [{ response_format: { type: 'json_schema', json_schema: { name: 'x', schema: [] } } }, 'response_format.json_schema.schema', /JSON Schema object/],
      [{ response_format: { type: 'json_schema', json_schema: { name: 1, schema: {} } } }, 'response_format.json_schema.name', /string/],
      [{ response_format: { type: 'json_schema', json_schema: { schema: {}, strict: 'yes' } } }, 'response_format.json_schema.strict', /boolean/],
    ];
    for (const [extra, param, message] of cases) refusal(() => completion(extra), param, message);
  });

  it('refuses what it does not support, naming the parameter', () => {
    refusal(() => completion({ n: 2 }), 'n', /only one choice/);
    refusal(() => completion({ n: 0 }), 'n', /integer from 1/);
    refusal(() => completion({ best_of: 3 }), 'best_of', /not supported/);
    refusal(() => completion({ echo: true }), 'echo', /not supported/);
    refusal(() => completion({ suffix: 'end' }), 'suffix', /not supported/);
    refusal(() => completion({ logprobs: 2 }), 'logprobs', /not supported/);
    refusal(() => completion({ logit_bias: { '50256': -100 } }), 'logit_bias', /not supported/);
  });

  it('keeps top_k -1 (vLLM) and 0 as off, and drops empty stop strings', () => {
    assert.equal(completion({ top_k: -1 }).params.topK, 0);
    assert.equal(completion({ top_k: 0 }).params.topK, 0);
    assert.deepEqual(completion({ stop: 'park' }).params.stop, ['park']);
    assert.deepEqual(completion({ stop: ['', 'x'] }).params.stop, ['x']);
  });

  it('reads response_format json_schema, and one without a schema as json_object', () => {
    const schema = { type: 'object', properties: { a: { type: 'integer' } } };
    assert.deepEqual(completion({ response_format: { type: 'json_schema', json_schema: { name: 'A', schema, strict: true } } }).params.responseFormat, { type: 'json_schema', schema, name: 'A' });
    assert.deepEqual(completion({ response_format: { type: 'json_schema', json_schema: { name: 'A' } } }).params.responseFormat, { type: 'json_object' });
    assert.deepEqual(completion({ response_format: { type: 'text' } }).params.responseFormat, { type: 'text' });
  });
});

describe('OpenAI protocol: parsing chat completions', () => {
  it('reads messages of every role, text parts joined, and assistant turns without content', () => {
    const c = chat({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'developer', content: 'Stories only.' },
        { role: 'user', content: [{ type: 'text', text: 'Tell me' }, { type: 'text', text: 'a story' }], name: 'ann' },
        { role: 'assistant', content: null, tool_calls: [] },
        { role: 'tool', content: 'ok', tool_call_id: 't1' },
      ],
    });
    assert.deepEqual(c.prompt, {
      kind: 'chat',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'developer', content: 'Stories only.' },
        { role: 'user', content: 'Tell me\na story' },
        { role: 'assistant', content: '' },
        { role: 'tool', content: 'ok' },
      ],
    });
  });

  it('prefers max_completion_tokens to max_tokens, and accepts the tool parameters that ask for nothing', () => {
    assert.equal(chat({ max_tokens: 10, max_completion_tokens: 20 }).params.maxTokens, 20);
    assert.equal(chat({ max_tokens: 10 }).params.maxTokens, 10);
    const c = chat({ tools: [], tool_choice: 'none', parallel_tool_calls: false, logprobs: false, user: 'x' });
    assert.deepEqual(c.params, chat().params);
  });

  it('refuses bad messages, naming the message', () => {
    refusal(() => parseChatRequest({ model: 'stories' }), 'messages', /'messages' is required/);
    refusal(() => chat({ messages: [] }), 'messages', /at least one/);
    refusal(() => chat({ messages: 'hi' }), 'messages', /array/);
    refusal(() => chat({ messages: ['hi'] }), 'messages[0]', /object/);
    refusal(() => chat({ messages: [{ role: 'user', content: 'a' }, { role: 'robot', content: 'b' }] }), 'messages[1].role', /system, developer, user, assistant, tool/);
    refusal(() => chat({ messages: [{ role: 'user' }] }), 'messages[0].content', /string or an array of text parts/);
    refusal(() => chat({ messages: [{ role: 'user', content: 3 }] }), 'messages[0].content', /string or an array/);
    refusal(
      () => chat({ messages: [{ role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'image_url', image_url: { url: 'x' } }] }] }),
      'messages[0].content',
      /content\[1\]' is of type "image_url": only text parts/,
    );
    refusal(() => chat({ messages: [{ role: 'user', content: [{ type: 'text' }] }] }), 'messages[0].content', /only text parts/);
  });

  it('refuses tools, logprobs and n > 1', () => {
    refusal(() => chat({ tools: [{ type: 'function', function: { name: 'f' } }] }), 'tools', /tool calling is not available/);
    refusal(() => chat({ tool_choice: 'required' }), 'tool_choice', /not available/);
    refusal(() => chat({ functions: [{ name: 'f' }] }), 'functions', /not available/);
    refusal(() => chat({ function_call: 'auto' }), 'function_call', /not available/);
    refusal(() => chat({ logprobs: true }), 'logprobs', /not supported/);
    refusal(() => chat({ top_logprobs: 2 }), 'top_logprobs', /not supported/);
    refusal(() => chat({ n: 3 }), 'n', /only one choice/);
    refusal(() => chat({ max_completion_tokens: -1 }), 'max_completion_tokens', /at least 1/);
  });
});

describe('OpenAI protocol: embeddings', () => {
  it('reads every input form and the encoding', () => {
    const e = (input: unknown, extra: Record<string, unknown> = {}) => parseEmbeddingsRequest({ model: 'm', input, ...extra });
    assert.deepEqual(e('hi'), { model: 'm', inputs: ['hi'], encoding: 'float' });
    assert.deepEqual(e(['a', 'b']).inputs, ['a', 'b']);
    assert.deepEqual(e([1, 2]).inputs, [[1, 2]]);
    assert.deepEqual(e([[1], [2, 3]]).inputs, [[1], [2, 3]]);
    assert.equal(e('x', { encoding_format: 'base64', user: 'u' }).encoding, 'base64');
  });

  it('refuses bad input, dimensions and unknown encodings', () => {
    const e = (input: unknown, extra: Record<string, unknown> = {}) => () => parseEmbeddingsRequest({ model: 'm', input, ...extra });
    refusal(e(undefined), 'input', /'input' is required/);
    refusal(e([]), 'input', /must be a string/);
    refusal(e(''), 'input', /empty string/);
    refusal(e(['a', '']), 'input[1]', /empty string/);
    refusal(e(['a', 3]), 'input[1]', /string or a non-empty array/);
    refusal(e([[1], [-1]]), 'input[1][0]', /non-negative integers/);
    refusal(e(Array(2049).fill('a')), 'input', /at most 2048/);
    refusal(e('x', { dimensions: 8 }), 'dimensions', /not supported/);
    refusal(e('x', { encoding_format: 'int8' }), 'encoding_format', /'float' or 'base64'/);
  });

  it('builds the list, with base64 as little-endian float32', () => {
    const r = { embeddings: [[0.5, -1], [0.25, 2]], promptTokens: 7 };
    assert.deepEqual(embeddingsResponse('m', r, 'float'), {
      object: 'list',
      data: [
        { object: 'embedding', index: 0, embedding: [0.5, -1] },
        { object: 'embedding', index: 1, embedding: [0.25, 2] },
      ],
      model: 'm',
      usage: { prompt_tokens: 7, total_tokens: 7 },
    });
    const b64 = embeddingsResponse('m', r, 'base64').data[0]!.embedding as string;
    const bytes = Buffer.from(b64, 'base64');
    assert.deepEqual([bytes.readFloatLE(0), bytes.readFloatLE(4)], [0.5, -1]);
  });
});

describe('OpenAI protocol: responses', () => {
  it('makes ids prefixed by endpoint and creation times in seconds', () => {
    const c = newEnvelope('completion', 'stories');
    assert.match(c.id, /^cmpl-[0-9a-f]{32}$/);
    assert.match(newEnvelope('chat', 'stories').id, /^chatcmpl-[0-9a-f]{32}$/);
    assert.notEqual(newEnvelope('chat', 'x').id, newEnvelope('chat', 'x').id);
    assert.ok(Math.abs(c.created - Date.now() / 1000) < 5);
    assert.equal(c.model, 'stories');
  });

  it('builds text_completion and chat.completion objects', () => {
    const timings = completionResponse(ENV, RESULT).timings;
    assert.deepEqual(completionResponse(ENV, RESULT), {
      id: 'chatcmpl-abc',
      object: 'text_completion',
      created: 1795799100,
      model: 'stories',
      choices: [{ text: ', there was a little girl', index: 0, logprobs: null, finish_reason: 'length' }],
      usage: USAGE,
      timings,
    });
    assert.deepEqual(chatResponse(ENV, { ...RESULT, finishReason: 'stop' }), {
      id: 'chatcmpl-abc',
      object: 'chat.completion',
      created: 1795799100,
      model: 'stories',
      choices: [{ index: 0, message: { role: 'assistant', content: ', there was a little girl' }, logprobs: null, finish_reason: 'stop' }],
      usage: USAGE,
      timings,
    });
    assert.deepEqual(timings, {
      queue_ms: 0.5,
      cache_n: 1,
      prompt_n: 4,
      prompt_ms: 8,
      prompt_per_token_ms: 2,
      prompt_per_second: 500,
      predicted_n: 6,
      predicted_ms: 3,
      predicted_per_token_ms: 0.5,
      predicted_per_second: 2000,
    });
  });

  it('streams chat as OpenAI does: role chunk, content deltas, finish chunk, [DONE]', () => {
    const f = new StreamFormat('chat', ENV, false);
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) => ({ id: 'chatcmpl-abc', object: 'chat.completion.chunk', created: 1795799100, model: 'stories', choices, ...extra });
    const sse = f.start() + f.text(', there') + f.text(' "was"\n') + f.finish(RESULT);
    const ev = events(sse);
    assert.deepEqual(ev.slice(0, 3), [
      chunk([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]),
      chunk([{ index: 0, delta: { content: ', there' }, logprobs: null, finish_reason: null }]),
      chunk([{ index: 0, delta: { content: ' "was"\n' }, logprobs: null, finish_reason: null }]),
    ]);
    const last = ev[3] as Record<string, unknown>;
    assert.deepEqual({ ...last, timings: undefined }, chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: 'length' }], { timings: undefined }));
    assert.equal((last.timings as { predicted_n: number }).predicted_n, 6);
    assert.equal(ev[4], '[DONE]');
    assert.equal(ev.length, 5);
    assert.ok(sse.endsWith(SSE_DONE));
  });

  it('adds "usage": null to every chunk and a usage chunk with no choices when include_usage', () => {
    const ev = events(new StreamFormat('chat', ENV, true).start() + new StreamFormat('chat', ENV, true).text('a') + new StreamFormat('chat', ENV, true).finish(RESULT));
    assert.equal(ev.length, 5);
    for (const e of ev.slice(0, 3)) assert.equal((e as { usage: unknown }).usage, null);
    assert.deepEqual(ev[3], { id: 'chatcmpl-abc', object: 'chat.completion.chunk', created: 1795799100, model: 'stories', choices: [], usage: USAGE });
    assert.equal(ev[4], '[DONE]');
  });

  it('streams completions as text chunks and a last chunk with empty text', () => {
    const f = new StreamFormat('completion', ENV, false);
    assert.equal(f.start(), '');
    const ev = events(f.text('\u00e9\u2028') + f.finish({ ...RESULT, finishReason: 'stop' }));
    const chunk = (choices: unknown[]) => ({ id: 'chatcmpl-abc', object: 'text_completion', created: 1795799100, model: 'stories', choices });
    assert.deepEqual(ev[0], chunk([{ index: 0, text: '\u00e9\u2028', logprobs: null, finish_reason: null }]));
    assert.deepEqual({ ...(ev[1] as object), timings: undefined }, { ...chunk([{ index: 0, text: '', logprobs: null, finish_reason: 'stop' }]), timings: undefined });
    assert.equal(ev[2], '[DONE]');
    const withUsage = events(new StreamFormat('completion', ENV, true).text('x') + new StreamFormat('completion', ENV, true).finish(RESULT));
    assert.equal((withUsage[0] as { usage: unknown }).usage, null);
    assert.deepEqual((withUsage[2] as { choices: unknown[]; usage: unknown }).choices, []);
    assert.deepEqual((withUsage[2] as { usage: unknown }).usage, USAGE);
  });

  it('lists models with their LLM facts', () => {
    const info = { architecture: 'llama', contextSize: 512, trainContextSize: 2048, slots: 4, threads: 2, chatTemplate: 'chatml', vocabularySize: 512 };
    assert.deepEqual(modelList([{ name: 'stories', createdAt: 1_700_000_000_500, kind: 'gguf', info }, { name: 'proxy', createdAt: 1_700_000_001_000, kind: 'upstream' }]), {
      object: 'list',
      data: [
        {
          id: 'stories',
          object: 'model',
          created: 1_700_000_000,
          owned_by: 'pitwall',
          meta: { kind: 'gguf', architecture: 'llama', n_ctx: 512, n_ctx_train: 2048, n_vocab: 512, slots: 4, threads: 2, chat_template: 'chatml' },
        },
        { id: 'proxy', object: 'model', created: 1_700_000_001, owned_by: 'pitwall', meta: { kind: 'upstream' } },
      ],
    });
  });
});

describe('OpenAI protocol: errors', () => {
  const shape = (e: AppError) => openAiError(e);
  it('maps each error code to OpenAI status, type and code', () => {
    assert.deepEqual(shape(new AppError('RESOURCE_DOES_NOT_EXIST', "No deployment named 'x'", { field: 'name' })), {
      status: 404,
      body: { error: { message: "No deployment named 'x'", type: 'invalid_request_error', param: null, code: 'model_not_found' } },
    });
    assert.deepEqual(shape(new AppError('REQUEST_LIMIT_EXCEEDED', 'Queue full')), {
      status: 429,
      body: { error: { message: 'Queue full', type: 'rate_limit_error', param: null, code: 'rate_limit_exceeded' } },
      retryAfter: '1',
    });
    assert.deepEqual(shape(new AppError('TEMPORARILY_UNAVAILABLE', 'Draining')), {
      status: 503,
      body: { error: { message: 'Draining', type: 'server_error', param: null, code: 'service_unavailable' } },
      retryAfter: '2',
    });
    assert.deepEqual(shape(new AppError('DEADLINE_EXCEEDED', 'Too slow')), { status: 504, body: { error: { message: 'Too slow', type: 'server_error', param: null, code: 'timeout' } } });
    assert.deepEqual(shape(new AppError('MALFORMED_REQUEST', 'Bad JSON', { field: 'body' })), { status: 400, body: { error: { message: 'Bad JSON', type: 'invalid_request_error', param: 'body', code: null } } });
    assert.deepEqual(shape(new AppError('BAD_REQUEST', 'Nope')), { status: 400, body: { error: { message: 'Nope', type: 'invalid_request_error', param: null, code: null } } });
    assert.equal(shape(new AppError('PAYLOAD_TOO_LARGE', 'Big')).status, 413);
    assert.equal(shape(new AppError('ENDPOINT_NOT_FOUND', 'Invalid URL')).body.error.type, 'invalid_request_error');
  });

  it('keeps the message of a prompt that does not fit, and hides the message of internal errors', () => {
    const long = new AppError('INVALID_PARAMETER_VALUE', 'request (2102 tokens) exceeds the available context size (512 tokens)', { field: 'prompt' });
    assert.deepEqual(shape(long).body.error, { message: long.message, type: 'invalid_request_error', param: 'prompt', code: null });
    const internal = shape(new AppError('INTERNAL_ERROR', 'segfault at 0xdeadbeef'));
    assert.equal(internal.status, 500);
    assert.equal(internal.body.error.type, 'server_error');
    assert.doesNotMatch(internal.body.error.message, /deadbeef/);
  });
});
