import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { PitwallClient } from './client.js';
import { DeploymentNotReadyError, describeTarget } from './deployments-client.js';
import { PitwallApiError } from './errors.js';
import { type FakeServer, startFakeServer } from './testing/fake-server.js';

const WIRE = {
  name: 'titanic',
  description: 'triage',
  targets: [{ model: 'titanic', alias: 'champion', weight: 1 }],
  config: { max_batch_size: 64, max_queue_delay_ms: 5, max_queue: 256, timeout_ms: 10000, intra_op_threads: 2, inter_op_threads: 1, parallel: 4, context_size: 0, threads: 0, kv_cache_mb: 1024, log_sample_rate: 0.5, cost_per_request: 0.001, cost_per_1k_input_tokens: 0, cost_per_1k_output_tokens: 0, cost_per_compute_second: 0 },
  created_at: 1700000000000,
  updated_at: 1700000000500,
  revision: 2,
};

const target = (extra: object) => ({ model: 'titanic', alias: 'champion', weight: 1, ...extra });
const READY_TARGET = target({
  state: 'ready',
  served_version: '3',
  loaded_at: 1700000001000,
  memory_bytes: 4096,
  batching: 'dynamic',
  in_flight: 0,
  queue: { batches: 4, requests: 9, rejected: 0, expired: 1, cancelled: 0, queued: 2, inFlight: true, capacity: 256 },
});

describe('client.deployments', () => {
  let fake: FakeServer;
  let client: PitwallClient;
  let statuses: object[];

  before(async () => {
    fake = await startFakeServer({
      'POST /api/v1/deployments': { json: { deployment: WIRE } },
      'GET /api/v1/deployments': (req) =>
        req.query.get('page_token') ? { json: { deployments: [{ ...WIRE, name: 'b' }] } } : { json: { deployments: [WIRE], next_page_token: 'p2' } },
      'GET /api/v1/deployments/titanic': { json: { deployment: WIRE } },
      'PATCH /api/v1/deployments/titanic': { json: { deployment: { ...WIRE, revision: 3 } } },
      'DELETE /api/v1/deployments/titanic': { json: {} },
      'GET /api/v1/deployments/ghost/status': { status: 404, json: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Deployment ghost not found' } },
      'GET /api/v1/deployments/titanic/status': () => ({ json: { status: statuses.length > 1 ? statuses.shift() : statuses[0] } }),
      'GET /v2/models/titanic': { json: { name: 'titanic', versions: ['3'], platform: 'onnxruntime_onnx', inputs: [{ name: 'pclass', datatype: 'INT64', shape: [-1, 1] }], outputs: [] } },
      'POST /v2/models/titanic/infer': (req) => ({ json: { model_name: 'titanic', model_version: '3', outputs: [{ name: 'label', datatype: 'INT64', shape: [1], data: [0] }], echo: req.headers['x-pitwall-timeout-ms'] ?? null } }),
      'POST /deployments/titanic/invocations': { json: { predictions: { label: [1] } } },
      'POST /deployments/busy/invocations': { status: 429, json: { error_code: 'REQUEST_LIMIT_EXCEEDED', message: 'queue full (256 waiting)' } },
      'POST /v2/models/slow/infer': { status: 504, json: { error: 'Deadline of 5 ms exceeded' } },
    });
    client = new PitwallClient({ baseUrl: fake.url });
  });
  beforeEach(() => {
    fake.requests.length = 0;
  });
  after(() => fake.close());

  it('creates with a models:/ URI and camelCase config, sending snake_case and decoding the record', async () => {
    const d = await client.deployments.create({ name: 'titanic', model: 'models:/titanic@champion', config: { maxBatchSize: 64, intraOpThreads: 2 } });
    assert.deepEqual(fake.requests[0]!.body, { name: 'titanic', model: 'models:/titanic@champion', config: { max_batch_size: 64, intra_op_threads: 2 } });
    assert.deepEqual(d, {
      name: 'titanic',
      description: 'triage',
      targets: [{ model: 'titanic', alias: 'champion', weight: 1 }],
      config: { maxBatchSize: 64, maxQueueDelayMs: 5, maxQueue: 256, timeoutMs: 10000, intraOpThreads: 2, interOpThreads: 1, parallel: 4, contextSize: 0, threads: 0, kvCacheMb: 1024, logSampleRate: 0.5, costPerRequest: 0.001, costPer1kInputTokens: 0, costPer1kOutputTokens: 0, costPerComputeSecond: 0 },
      createdAt: 1700000000000,
      updatedAt: 1700000000500,
      revision: 2,
    });
    await client.deployments.create({ name: 'ab', targets: [{ model: 'titanic', version: 3, weight: 9 }, { model: 'titanic', alias: 'challenger' }] });
    assert.deepEqual((fake.requests[1]!.body as { targets: unknown }).targets, [{ model: 'titanic', version: '3', weight: 9 }, { model: 'titanic', alias: 'challenger' }]);
  });

  it('gets, updates with PATCH, deletes, and pages through the list', async () => {
    assert.equal((await client.deployments.get('titanic')).revision, 2);
    const u = await client.deployments.update('titanic', { model: { model: 'titanic', version: 4 }, config: { timeoutMs: 500 }, revision: 2 });
    assert.equal(u.revision, 3);
    assert.deepEqual(fake.calls('PATCH /api/v1/deployments/titanic')[0]!.body, { model: { model: 'titanic', version: '4' }, config: { timeout_ms: 500 }, revision: 2 });
    await client.deployments.delete('titanic');
    assert.equal(fake.calls('DELETE /api/v1/deployments/titanic').length, 1);
    const page = await client.deployments.list({ maxResults: 1 });
    assert.equal(page.nextPageToken, 'p2');
    assert.equal(fake.calls('GET /api/v1/deployments')[0]!.query.get('max_results'), '1');
    const all = [];
    for await (const d of client.deployments.iterate()) all.push(d.name);
    assert.deepEqual(all, ['titanic', 'b']);
  });

  it('decodes a status, queue statistics included', async () => {
    statuses = [{ name: 'titanic', ready: true, revision: 2, draining: false, targets: [READY_TARGET] }];
    const s = await client.deployments.status('titanic');
    assert.deepEqual(s.targets[0], {
      model: 'titanic',
      alias: 'champion',
      weight: 1,
      state: 'ready',
      servedVersion: '3',
      loadedAt: 1700000001000,
      memoryBytes: 4096,
      batching: 'dynamic',
      inFlight: 0,
      queue: { batches: 4, requests: 9, rejected: 0, expired: 1, cancelled: 0, queued: 2, batchRunning: true, capacity: 256 },
    });
  });

  it('sends the LLM config fields in snake_case, and upstream targets as {upstream, weight}', async () => {
    await client.deployments.create({ name: 'stories', model: 'models:/stories@prod', config: { parallel: 8, contextSize: 512, threads: 2, kvCacheMb: 256 } });
    assert.deepEqual(fake.requests[0]!.body, { name: 'stories', model: 'models:/stories@prod', config: { parallel: 8, context_size: 512, threads: 2, kv_cache_mb: 256 } });
    await client.deployments.update('titanic', { targets: [{ upstream: 'vllm', weight: 1 }, { model: 'stories', alias: 'prod', weight: 3 }] });
    assert.deepEqual(fake.calls('PATCH /api/v1/deployments/titanic')[0]!.body, { targets: [{ upstream: 'vllm', weight: 1 }, { model: 'stories', alias: 'prod', weight: 3 }] });
  });

  it('decodes an LLM target (continuous batching) and an upstream target, slots, tokens and latencies camelCase', async () => {
    const llm = {
      architecture: 'llama',
      context_size: 512,
      train_context_size: 2048,
      chat_template: 'chatml',
      threads: 2,
      slots: 4,
      slots_in_use: 1,
      queued: 0,
      queue_capacity: 256,
      requests: 5,
      rejected: 1,
      finished: { stop: 2, length: 2, abort: 0, error: 0 },
      prompt_tokens: 40,
      generation_tokens: 64,
      cached_prompt_tokens: 12,
      time_to_first_token_seconds: { p50: 0.01, p95: 0.02, mean: 0.012 },
      time_per_output_token_seconds: { p50: 0.002, p95: 0.004, mean: 0.0025 },
      queue_time_seconds: {},
      e2e_latency_seconds: { p50: 0.2, p95: 0.3, mean: 0.21 },
    };
    const upstream = { model: '', upstream: 'vllm', weight: 1, state: 'ready', available: false, batching: 'upstream', in_flight: 0, llm: { slots: 16, slots_in_use: 0, queued: 0, queue_capacity: 64, requests: 0, rejected: 0, finished: { stop: 0, length: 0, abort: 0, error: 0 }, prompt_tokens: 0, generation_tokens: 0, cached_prompt_tokens: 0, time_to_first_token_seconds: {}, time_per_output_token_seconds: {}, queue_time_seconds: {}, e2e_latency_seconds: {} } };
    statuses = [{ name: 'titanic', ready: true, revision: 2, draining: false, targets: [{ model: 'stories', version: '1', weight: 3, state: 'ready', served_version: '1', batching: 'continuous', in_flight: 1, llm }, upstream] }];
    const [gguf, up] = (await client.deployments.status('titanic')).targets;
    assert.deepEqual(gguf, {
      model: 'stories',
      version: '1',
      weight: 3,
      state: 'ready',
      servedVersion: '1',
      batching: 'continuous',
      inFlight: 1,
      llm: {
        architecture: 'llama',
        contextSize: 512,
        trainContextSize: 2048,
        chatTemplate: 'chatml',
        threads: 2,
        slots: 4,
        slotsInUse: 1,
        queued: 0,
        queueCapacity: 256,
        requests: 5,
        rejected: 1,
        finished: { stop: 2, length: 2, abort: 0, error: 0 },
        promptTokens: 40,
        generationTokens: 64,
        cachedPromptTokens: 12,
        timeToFirstTokenSeconds: { p50: 0.01, p95: 0.02, mean: 0.012 },
        timePerOutputTokenSeconds: { p50: 0.002, p95: 0.004, mean: 0.0025 },
        queueTimeSeconds: {},
        e2eLatencySeconds: { p50: 0.2, p95: 0.3, mean: 0.21 },
      },
    });
    assert.equal(up!.upstream, 'vllm');
    assert.equal(up!.model, '');
    assert.equal(up!.available, false);
    assert.equal(up!.batching, 'upstream');
    assert.equal(up!.llm!.slots, 16);
    assert.equal(up!.llm!.architecture, undefined, 'facts an upstream does not report stay absent');
    assert.equal(describeTarget(up!), 'upstream:vllm');
    assert.equal(describeTarget(gguf!), 'stories/1');
  });

  it('waitReady polls until the revision asked for is ready, reporting every status', async () => {
    statuses = [
      { name: 'titanic', ready: true, revision: 1, draining: false, targets: [READY_TARGET] },
      { name: 'titanic', ready: false, revision: 2, draining: false, targets: [target({ state: 'loading' })] },
      { name: 'titanic', ready: true, revision: 2, draining: false, targets: [READY_TARGET] },
    ];
    const seen: string[] = [];
    const s = await client.deployments.waitReady('titanic', { revision: 2, pollMs: 5, onProgress: (x) => seen.push(`${x.revision}:${x.targets[0]!.state}`) });
    assert.equal(s.targets[0]!.servedVersion, '3');
    assert.deepEqual(seen, ['1:ready', '2:loading', '2:ready']);
  });

  it('waitReady fails with the load error, and when a new version fails while the old one serves', async () => {
    statuses = [{ name: 'titanic', ready: false, revision: 1, draining: false, targets: [target({ state: 'failed', error: 'no ONNX model in the files' })] }];
    await assert.rejects(
      client.deployments.waitReady('titanic', { pollMs: 5 }),
      (e: unknown) => e instanceof DeploymentNotReadyError && e.reason === 'failed' && e.message === "Deployment 'titanic' could not load titanic@champion: no ONNX model in the files" && e.status?.revision === 1,
    );
    statuses = [{ name: 'titanic', ready: true, revision: 2, draining: false, targets: [{ ...READY_TARGET, error: 'warm-up failed' }] }];
    await assert.rejects(client.deployments.waitReady('titanic', { revision: 2, pollMs: 5 }), /could not load titanic@champion: warm-up failed/);
  });

  it('waitReady times out while loading, and passes on API errors', async () => {
    statuses = [{ name: 'titanic', ready: false, revision: 1, draining: false, targets: [target({ state: 'loading' })] }];
    const t0 = Date.now();
    await assert.rejects(client.deployments.waitReady('titanic', { timeoutMs: 60, pollMs: 10 }), (e: unknown) => e instanceof DeploymentNotReadyError && e.reason === 'timeout' && /still loading titanic@champion/.test(e.message));
    assert.ok(Date.now() - t0 < 2000);
    await assert.rejects(client.deployments.waitReady('ghost'), (e: unknown) => e instanceof PitwallApiError && e.errorCode === 'RESOURCE_DOES_NOT_EXIST');
  });

  it('infers (V2) with a per-request deadline header, invokes (MLflow), reads metadata', async () => {
    const req = { inputs: [{ name: 'pclass', datatype: 'INT64' as const, shape: [1, 1], data: [3] }] };
    const r = await client.deployments.infer('titanic', req, { timeoutMs: 250 });
    assert.deepEqual(fake.calls('POST /v2/models/titanic/infer')[0]!.body, req);
    assert.equal((r as unknown as { echo: string }).echo, '250');
    assert.deepEqual(r.outputs[0]!.data, [0]);
    await client.deployments.infer('titanic', req);
    assert.equal(fake.calls('POST /v2/models/titanic/infer')[1]!.headers['x-pitwall-timeout-ms'], undefined);
    const body = { dataframe_split: { columns: ['pclass'], data: [[3]] } };
    assert.deepEqual(await client.deployments.invoke('titanic', body), { predictions: { label: [1] } });
    assert.deepEqual(fake.calls('POST /deployments/titanic/invocations')[0]!.body, body);
    assert.deepEqual((await client.deployments.metadata('titanic')).inputs, [{ name: 'pclass', datatype: 'INT64', shape: [-1, 1] }]);
  });

  it('surfaces inference errors of both shapes as PitwallApiError', async () => {
    await assert.rejects(client.deployments.invoke('busy', { instances: [[1]] }), (e: unknown) => e instanceof PitwallApiError && e.status === 429 && e.errorCode === 'REQUEST_LIMIT_EXCEEDED');
    await assert.rejects(client.deployments.infer('slow', { inputs: [] }, { timeoutMs: 5 }), (e: unknown) => e instanceof PitwallApiError && e.status === 504 && e.message === 'Deadline of 5 ms exceeded');
  });
});
