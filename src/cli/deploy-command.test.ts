import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startServer } from '../server.js';
import { STORIES_FILE } from '../serving/llm/testing/stories.js';
import { parseDeploymentConfig } from '../serving/deployment-service.js';
import { type FakeServer, startFakeServer } from '../sdk/testing/fake-server.js';
import { parseCommand } from './args.js';
import { engineConfig, SERVE_DEFAULT_PORT, SERVING_FLAGS } from './deploy-args.js';
import { curlCommand, exampleInferRequest, exampleScoringBody, formatSeconds } from './deploy-command.js';
import { UsageError } from './errors.js';
import { HELP } from './help.js';
import type { CliIo } from './io.js';
import { run } from './main.js';
import { deploymentNameFor, serveCommand } from './serve-command.js';

const TITANIC_INPUTS = [
  { name: 'pclass', datatype: 'INT64', shape: [-1, 1] },
  { name: 'sex', datatype: 'BYTES', shape: [-1, 1] },
  { name: 'age', datatype: 'FP32', shape: [-1, 1] },
];

const WIRE = {
  name: 'titanic',
  description: '',
  targets: [{ model: 'titanic', alias: 'champion', weight: 1 }],
  config: { max_batch_size: 32, max_queue_delay_ms: 5, max_queue: 256, timeout_ms: 10000, intra_op_threads: 1, inter_op_threads: 1 },
  created_at: 1700000000000,
  updated_at: 1700000000000,
  revision: 1,
};
const LOADING = { model: 'titanic', alias: 'champion', weight: 1, state: 'loading' };
const READY = { ...LOADING, state: 'ready', served_version: '3', memory_bytes: 1790, batching: 'dynamic', in_flight: 0, queue: { batches: 0, requests: 7, rejected: 0, expired: 0, cancelled: 0, queued: 0, inFlight: false, capacity: 256 } };
const status = (revision: number, ...targets: object[]) => ({ status: { name: 'titanic', ready: targets.every((t) => (t as { state: string }).state === 'ready'), revision, draining: false, targets } });

// An LLM deployment: stories260K served in-process (continuous batching).
const LLM_WIRE = {
  ...WIRE,
  name: 'stories',
  targets: [{ model: 'stories', alias: 'prod', weight: 1 }],
  config: { ...WIRE.config, timeout_ms: 300000, parallel: 8, context_size: 512, threads: 2, kv_cache_mb: 1024 },
};
const LLM_STATS = {
  architecture: 'llama',
  context_size: 512,
  train_context_size: 512,
  chat_template: 'chatml',
  threads: 2,
  slots: 8,
  slots_in_use: 3,
  queued: 1,
  queue_capacity: 256,
  requests: 12,
  rejected: 2,
  finished: { stop: 5, length: 3, abort: 1, error: 0 },
  prompt_tokens: 480,
  generation_tokens: 1234,
  cached_prompt_tokens: 96,
  time_to_first_token_seconds: { p50: 0.0123, p95: 0.0456, mean: 0.02 },
  time_per_output_token_seconds: { p50: 0.00031, p95: 0.0009, mean: 0.0004 },
  queue_time_seconds: { p50: 0.002, p95: 0.01, mean: 0.003 },
  e2e_latency_seconds: { p50: 0.4, p95: 1.2, mean: 0.5 },
};
const LLM_READY = { model: 'stories', alias: 'prod', weight: 1, state: 'ready', served_version: '1', memory_bytes: 9_500_000, batching: 'continuous', in_flight: 3, llm: LLM_STATS };
const llmStatus = (...targets: object[]) => ({ status: { name: 'stories', ready: true, revision: 1, draining: false, targets } });
/** A registry answer for `GET /api/v1/models/resolve`, as much of it as the CLI reads. */
const resolved = (name: string, flavor: string) => ({ json: { model_version: { name, version: '1', manifest: { flavor, files: [] } } } });

function recorder(url: string, progress?: { tty: boolean }): CliIo & { stdout: string[]; stderr: string[]; drawn: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const drawn: string[] = [];
  return {
    stdout,
    stderr,
    drawn,
    out: (s) => stdout.push(s),
    err: (s) => stderr.push(s),
    env: { PITWALL_TRACKING_URI: url },
    ...(progress ? { progress: { tty: progress.tty, write: (s: string) => drawn.push(s), columns: 120 } } : {}),
  };
}

describe('pitwall deploy / deployments / serve: parsing', () => {
  it('deploy NAME MODEL_URI with serving flags, waiting by default', () => {
    assert.deepEqual(parseCommand(['deploy', 'titanic', 'models:/titanic@champion', '--max-batch-size', '64', '--threads', '4', '--timeout-ms', '2000']), {
      kind: 'deploy',
      name: 'titanic',
      modelUri: 'models:/titanic@champion',
      // Which engine's threads `--threads` sets is decided once the model is known (engineConfig).
      config: { maxBatchSize: 64, threads: 4, timeoutMs: 2000 },
      wait: true,
      waitSeconds: 300,
      json: false,
    });
    const c = parseCommand(['--tracking-uri', 'http://h:1', 'deploy', 'ab', 'titanic/3', '--no-wait', '--wait-seconds', '5', '--json', '--description', 'A/B']);
    assert.deepEqual(c, { kind: 'deploy', name: 'ab', modelUri: 'titanic/3', config: {}, wait: false, waitSeconds: 5, description: 'A/B', json: true, trackingUri: 'http://h:1' });
  });

  it('the LLM flags: --parallel, --context-size, --threads (0: half the cores), --kv-cache-mb', () => {
    const c = parseCommand(['deploy', 'stories', 'models:/stories@prod', '--parallel', '8', '--context-size', '0', '--threads', '0', '--kv-cache-mb', '256']);
    assert.deepEqual((c as { config: object }).config, { parallel: 8, contextSize: 0, threads: 0, kvCacheMb: 256 });
    const serve = parseCommand(['serve', 'models:/stories/1', '--parallel', '2', '--context-size', '1024']);
    assert.deepEqual((serve as { config: object }).config, { parallel: 2, contextSize: 1024 });
  });

  it('--threads is llama.cpp threads for a GGUF model and onnxruntime intra-op threads for an ONNX one', () => {
    assert.deepEqual(engineConfig({ threads: 0, parallel: 2 }, 'gguf', 'deploy'), { threads: 0, parallel: 2 });
    assert.deepEqual(engineConfig({ threads: 4, maxQueue: 9 }, 'onnx', 'deploy'), { intraOpThreads: 4, maxQueue: 9 });
    assert.deepEqual(engineConfig({ maxQueue: 9 }, 'onnx', 'deploy'), { maxQueue: 9 });
    for (const bad of [0, 65]) {
      assert.throws(
        () => engineConfig({ threads: bad }, 'onnx', 'deploy'),
        (e: unknown) => e instanceof UsageError && e.topic === 'deploy' && e.message === `--threads must be an integer from 1 to 64 for an ONNX model (onnxruntime intra-op threads), got '${bad}'`,
      );
    }
  });

  it('a deployment may be called list or show: management lives under `deployments`', () => {
    assert.equal((parseCommand(['deploy', 'list', 'models:/titanic@champion']) as { name: string }).name, 'list');
    assert.deepEqual(parseCommand(['deployments', 'list', '--max', '5']), { kind: 'deployments list', max: 5, json: false });
    assert.deepEqual(parseCommand(['deployments', 'show', 'list', '--json']), { kind: 'deployments show', name: 'list', json: true });
    assert.deepEqual(parseCommand(['deployments', 'delete', 'titanic']), { kind: 'deployments delete', name: 'titanic', json: false });
    assert.deepEqual(parseCommand(['deployments']), { kind: 'help', topic: 'deployments' });
  });

  it('serve MODEL_URI listens on 5001 unless told, without jobs, with the serving flags', () => {
    assert.deepEqual(parseCommand(['serve', 'models:/titanic@champion']), { kind: 'serve', modelUri: 'models:/titanic@champion', config: {}, flags: { server: { port: SERVE_DEFAULT_PORT } } });
    assert.deepEqual(parseCommand(['serve', 'models:/titanic/2', '--port', '0', '--host', '127.0.0.1', '--data-dir', '/d', '--name', 't2', '--max-queue', '10', '--max-queue-delay-ms', '0']), {
      kind: 'serve',
      modelUri: 'models:/titanic/2',
      name: 't2',
      config: { maxQueue: 10, maxQueueDelayMs: 0 },
      flags: { server: { host: '127.0.0.1', port: 0 }, dataDir: '/d' },
    });
  });

  it('refuses bad usage with exit code 2 and a hint', async () => {
    const cases: [string[], RegExp][] = [
      [['deploy'], /^pitwall: missing NAME and MODEL_URI$/],
      [['deploy', 'titanic'], /^pitwall: missing MODEL_URI$/],
      [['deploy', 'list'], /^pitwall: missing MODEL_URI \(to manage deployments: pitwall deployments list …\)$/],
      [['deploy', 'show', 'titanic'], /names no model version: use models:\/NAME@ALIAS or models:\/NAME\/VERSION \(to manage deployments: pitwall deployments show …\)$/],
      [['deploy', 'titanic', 'models:/titanic'], /'models:\/titanic' names no model version/],
      [['deploy', 'titanic', 'models:/titanic@'], /names no model version/],
      [['deploy', 'my deployment', 'titanic@champion'], /NAME 'my deployment' must be 1-128 letters/],
      [['deploy', 't', 'titanic@champion', '--max-batch-size', '0'], /--max-batch-size must be an integer from 1 to 4096, got '0'/],
      [['deploy', 't', 'titanic@champion', '--threads', 'many'], /--threads must be an integer/],
      [['deploy', 't', 'titanic@champion', '--port', '1'], /Unknown option '--port'/],
      [['deploy', 't', 'titanic@champion', 'extra'], /unexpected argument 'extra'/],
      [['deployments', 'show'], /missing NAME/],
      [['deployments', 'frob'], /unknown command 'deployments frob'/],
      [['serve'], /missing MODEL_URI/],
      [['serve', 'titanic'], /names no model version/],
      [['serve', 'titanic@champion', '--port', '70000'], /--port must be an integer from 0 to 65535/],
      [['serve', 'titanic@champion', '--name', '.x'], /--name '.x' must be/],
    ];
    for (const [argv, message] of cases) {
      const io = recorder('http://127.0.0.1:9');
      assert.equal(await run(argv, io), 2, argv.join(' '));
      assert.match(io.stderr[0]!, message, argv.join(' '));
      assert.match(io.stderr[1]!, /^Run 'pitwall (deploy|deployments|deployments \w+|serve) --help' for usage\.$/, argv.join(' '));
    }
  });

  it('the serving flags accept exactly the ranges the server accepts', () => {
    const wire = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    for (const f of SERVING_FLAGS) {
      for (const ok of [f.min, f.max]) assert.equal(parseDeploymentConfig({ [wire(f.key)]: ok })[f.key], ok, `${f.flag} ${ok}`);
      for (const bad of [f.min - 1, f.max + 1]) assert.throws(() => parseDeploymentConfig({ [wire(f.key)]: bad }), /must be an integer/, `${f.flag} ${bad}`);
      assert.throws(() => parseCommand(['deploy', 't', 'm@a', `--${f.flag}`, String(f.max + 1)]), /must be an integer/);
    }
  });

  it('has help for every command, and lists them in the overview', () => {
    for (const topic of ['deploy', 'deployments', 'deployments list', 'deployments show', 'deployments delete', 'serve']) assert.match(HELP[topic]!, new RegExp(`^Usage: pitwall ${topic}`));
    assert.match(HELP['']!, /\n {2}deploy {17}serve a model version/);
    assert.match(HELP['']!, /\n {2}serve {18}serve one model version on its own port/);
    assert.deepEqual(parseCommand(['serve', '--help']), { kind: 'help', topic: 'serve' });
  });
});

describe('curl examples built from a signature', () => {
  it('V2: one row of zeros, empty strings and false, with the batch dimension set to 1', () => {
    assert.deepEqual(exampleInferRequest([...TITANIC_INPUTS, { name: 'flag', datatype: 'BOOL', shape: [-1] }]).inputs, [
      { name: 'pclass', datatype: 'INT64', shape: [1, 1], data: [0] },
      { name: 'sex', datatype: 'BYTES', shape: [1, 1], data: [''] },
      { name: 'age', datatype: 'FP32', shape: [1, 1], data: [0] },
      { name: 'flag', datatype: 'BOOL', shape: [1], data: [false] },
    ]);
    assert.deepEqual(exampleInferRequest([{ name: 'Input3', datatype: 'FP32', shape: [1, 1, 2, 3] }]).inputs[0]!.data, [0, 0, 0, 0, 0, 0]);
  });

  it('MLflow: dataframe_split for one-column inputs, nested tensors otherwise', () => {
    assert.deepEqual(exampleScoringBody(TITANIC_INPUTS), { dataframe_split: { columns: ['pclass', 'sex', 'age'], data: [[0, '', 0]] } });
    assert.deepEqual(exampleScoringBody([{ name: 'Input3', datatype: 'FP32', shape: [1, 1, 2, 3] }]), { inputs: { Input3: [[[[0, 0, 0], [0, 0, 0]]]] } });
    assert.deepEqual(exampleScoringBody([{ name: 'x', datatype: 'FP32', shape: [-1, 4] }]), { inputs: { x: [[0, 0, 0, 0]] } });
  });

  it('latencies in ms below a second, three significant digits', () => {
    assert.deepEqual([0.00031, 0.0123, 0.2345, 1.2345, 42, undefined].map(formatSeconds), ['0.31 ms', '12.3 ms', '235 ms', '1.23 s', '42 s', '-']);
  });

  it('quotes for a POSIX shell, single quotes in names included', () => {
    assert.equal(
      curlCommand('http://127.0.0.1:5000/invocations', { inputs: { "it's": [0] } }),
      `curl -s -X POST http://127.0.0.1:5000/invocations -H 'content-type: application/json' -d '{"inputs":{"it'\\''s":[0]}}'`,
    );
  });

  it('serve names the deployment after the model, within the deployment name rules', () => {
    assert.equal(deploymentNameFor('titanic'), 'titanic');
    assert.equal(deploymentNameFor('Fraud Model (v2)'), 'Fraud-Model-v2-');
    assert.equal(deploymentNameFor('__private'), 'private');
    assert.equal(deploymentNameFor('модель'), 'model');
    assert.equal(deploymentNameFor('x'.repeat(300)).length, 128);
  });
});

describe('pitwall deploy / deployments (in process, against a fake server)', () => {
  let fake: FakeServer;
  let exists: boolean;
  let statuses: object[];
  let llmTargets: object[];

  before(async () => {
    fake = await startFakeServer({
      'POST /api/v1/deployments': (req) =>
        exists
          ? { status: 400, json: { error_code: 'RESOURCE_ALREADY_EXISTS', message: 'Deployment (name=titanic) already exists.', field: 'name' } }
          : { json: { deployment: (req.body as { name: string }).name === 'stories' ? LLM_WIRE : WIRE } },
      'GET /api/v1/models/resolve': (req) => (req.query.get('uri')!.includes('stories') ? resolved('stories', 'gguf') : resolved('titanic', 'onnx')),
      'GET /api/v1/deployments/stories/status': () => ({ json: llmStatus(...llmTargets) }),
      'GET /api/v1/deployments/stories': { json: { deployment: LLM_WIRE } },
      'PATCH /api/v1/deployments/titanic': { json: { deployment: { ...WIRE, targets: [{ model: 'titanic', version: '3', weight: 1 }], revision: 4 } } },
      'GET /api/v1/deployments/titanic/status': () => ({ json: statuses.length > 1 ? statuses.shift() : statuses[0] }),
      'GET /api/v1/deployments/titanic': { json: { deployment: WIRE } },
      'GET /api/v1/deployments': { json: { deployments: [WIRE] } },
      'DELETE /api/v1/deployments/titanic': { json: {} },
      'GET /v2/models/titanic': { json: { name: 'titanic', versions: ['3'], platform: 'onnxruntime_onnx', inputs: TITANIC_INPUTS, outputs: [] } },
    });
  });
  beforeEach(() => {
    exists = false;
    statuses = [status(1, READY)];
    llmTargets = [LLM_READY];
    fake.requests.length = 0;
  });
  after(() => fake.close());

  it('creates, waits until ready showing each state on a terminal, then prints endpoints and curl examples', async () => {
    statuses = [status(1, LOADING), status(1, READY)];
    const io = recorder(fake.url, { tty: true });
    assert.equal(await run(['deploy', 'titanic', 'models:/titanic@champion'], io), 0, io.stderr.join('\n'));
    assert.deepEqual(fake.calls('POST /api/v1/deployments')[0]!.body, { name: 'titanic', model: 'models:/titanic@champion' });
    const out = io.stdout.join('\n');
    assert.match(out, /^Created deployment titanic → titanic@champion\.\nDeployment titanic is ready: titanic@champion → version 3 \(dynamic batching, 1\.79 kB\)\.\n/);
    assert.ok(out.includes(`  POST ${fake.url}/v2/models/titanic/infer  (KServe V2 / Open Inference Protocol)\n  POST ${fake.url}/deployments/titanic/invocations  (MLflow scoring)`), out);
    assert.ok(
      out.includes(`curl -s -X POST ${fake.url}/deployments/titanic/invocations -H 'content-type: application/json' -d '{"dataframe_split":{"columns":["pclass","sex","age"],"data":[[0,"",0]]}}'`),
      out,
    );
    assert.ok(out.includes(`curl -s -X POST ${fake.url}/v2/models/titanic/infer -H 'content-type: application/json' -d '{"inputs":[{"name":"pclass"`), out);
    const drawn = io.drawn.join('');
    assert.match(drawn, /titanic: titanic@champion loading/);
    assert.match(drawn, /\r\u001b\[K$/, 'the spinner line is erased at the end');
    assert.equal(fake.calls('GET /api/v1/deployments/titanic/status').length, 2);
  });

  it('switches an existing deployment, sending only the flags given, and waits for the new revision', async () => {
    exists = true;
    statuses = [status(3, READY), status(4, READY)];
    const io = recorder(fake.url, { tty: false });
    assert.equal(await run(['deploy', 'titanic', 'models:/titanic/3', '--max-queue', '9'], io), 0, io.stderr.join('\n'));
    assert.deepEqual(fake.calls('PATCH /api/v1/deployments/titanic')[0]!.body, { model: 'models:/titanic/3', config: { max_queue: 9 } });
    assert.match(io.stdout[0]!, /^Updated deployment titanic → titanic\/3 \(revision 4\)\.$/);
    assert.equal(fake.calls('GET /api/v1/deployments/titanic/status').length, 2, 'the status of revision 3 is not taken for the new one');
    assert.deepEqual(io.drawn, [], 'no progress lines off a terminal for a short wait');
  });

  it('a model that fails to load: the server error on stderr, exit code 1', async () => {
    statuses = [status(1, { ...LOADING, state: 'failed', error: "The warm-up inference of model 'titanic' version 3 failed: bad input" })];
    const io = recorder(fake.url);
    assert.equal(await run(['deploy', 'titanic', 'models:/titanic@champion'], io), 1);
    assert.deepEqual(io.stderr, ["pitwall: Deployment 'titanic' could not load titanic@champion: The warm-up inference of model 'titanic' version 3 failed: bad input"]);
  });

  it('--wait-seconds gives up with exit code 1 while it is still loading', async () => {
    statuses = [status(1, LOADING)];
    const io = recorder(fake.url);
    assert.equal(await run(['deploy', 'titanic', 'models:/titanic@champion', '--wait-seconds', '1'], io), 1);
    assert.match(io.stderr[0]!, /^pitwall: Deployment 'titanic' was not ready after 1 s \(still loading titanic@champion\); it keeps loading on the server: see pitwall deployments show titanic$/);
  });

  it('--no-wait returns at once; --json prints the deployment, status and endpoints', async () => {
    let io = recorder(fake.url);
    assert.equal(await run(['deploy', 'titanic', 'models:/titanic@champion', '--no-wait'], io), 0);
    assert.equal(fake.calls('GET /api/v1/deployments/titanic/status').length, 0);
    assert.match(io.stdout[0]!, /Loading in the background: see pitwall deployments show titanic/);

    io = recorder(fake.url);
    assert.equal(await run(['deploy', 'titanic', 'models:/titanic@champion', '--json'], io), 0);
    const j = JSON.parse(io.stdout.join('\n'));
    assert.equal(j.created, true);
    assert.equal(j.deployment.config.maxBatchSize, 32);
    assert.equal(j.status.targets[0].servedVersion, '3');
    assert.deepEqual(j.endpoints, { infer: `${fake.url}/v2/models/titanic/infer`, invocations: `${fake.url}/deployments/titanic/invocations` });
  });

  it('lists, shows and deletes', async () => {
    let io = recorder(fake.url);
    assert.equal(await run(['deployments', 'list'], io), 0);
    assert.match(io.stdout.join('\n'), /^NAME\s+STATE\s+TARGETS\s+REVISION\s+UPDATED\s+DESCRIPTION\ntitanic\s+ready\s+titanic@champion\s+1\s+\S+ \S+$/);

    io = recorder(fake.url);
    assert.equal(await run(['deployments', 'show', 'titanic'], io), 0);
    const shown = io.stdout.join('\n');
    assert.match(shown, /^Deployment titanic\nready\s+yes\nrevision\s+1\n/);
    assert.match(shown, /config\s+max batch 32, queue delay 5 ms, queue 256, timeout 10000 ms, threads 1\/1/);
    assert.match(shown, /TARGET\s+WEIGHT\s+STATE\s+VERSION\s+BATCHING\s+MEMORY\s+IN FLIGHT\s+QUEUED\s+REQUESTS\s+ERROR\n\s+titanic@champion\s+1\s+ready\s+3\s+dynamic\s+1\.79 kB\s+0\s+0\/256\s+7\n/);

    statuses = [status(1, { ...LOADING, state: 'failed', error: 'no such file' })];
    io = recorder(fake.url);
    assert.equal(await run(['deployments', 'show', 'titanic', '--json'], io), 0);
    assert.equal(JSON.parse(io.stdout.join('\n')).status.targets[0].error, 'no such file');

    io = recorder(fake.url);
    assert.equal(await run(['deployments', 'delete', 'titanic'], io), 0);
    assert.equal(io.stdout[0], 'Deleted deployment titanic.');
    assert.equal(fake.calls('DELETE /api/v1/deployments/titanic').length, 1);
  });

  it('an LLM: once ready, the OpenAI-compatible endpoints with a chat and a streamed completion to try, and the client hint', async () => {
    const io = recorder(fake.url);
    assert.equal(await run(['deploy', 'stories', 'models:/stories@prod', '--parallel', '8', '--threads', '2', '--context-size', '512'], io), 0, io.stderr.join('\n'));
    assert.equal(fake.calls('GET /api/v1/models/resolve')[0]!.query.get('uri'), 'models:/stories@prod');
    assert.deepEqual(fake.calls('POST /api/v1/deployments')[0]!.body, { name: 'stories', model: 'models:/stories@prod', config: { parallel: 8, context_size: 512, threads: 2 } });
    const out = io.stdout.join('\n');
    assert.match(out, /\nDeployment stories is ready: stories@prod → version 1 \(continuous batching, 8 sequences × 512 tokens, 9\.50 MB\)\.\n/);
    const u = fake.url;
    assert.ok(out.includes(`Endpoints (OpenAI-compatible, "model": "stories"):\n  POST ${u}/v1/chat/completions\n  POST ${u}/v1/completions\n  GET  ${u}/v1/models\n`), out);
    assert.ok(
      out.includes(`  curl -s -X POST ${u}/v1/chat/completions -H 'content-type: application/json' -d '{"model":"stories","messages":[{"role":"user","content":"Tell me a story"}],"max_tokens":64}'\n`),
      out,
    );
    assert.ok(out.includes(`  curl -sN -X POST ${u}/v1/completions -H 'content-type: application/json' -d '{"model":"stories","prompt":"Once upon a time","max_tokens":64,"stream":true}'\n`), out);
    assert.ok(out.includes(`OpenAI(base_url="${u}/v1", api_key="none") in Python, new OpenAI({ baseURL: "${u}/v1", apiKey: "none" }) in JS.`), out);
    assert.doesNotMatch(out, /\/v2\/models|invocations|KServe/, 'no tensor protocol for a text generator');
    assert.equal(fake.calls('GET /v2/models/stories').length, 0, 'no V2 metadata asked for');

    const json = recorder(fake.url);
    assert.equal(await run(['deploy', 'stories', 'models:/stories@prod', '--json'], json), 0);
    const j = JSON.parse(json.stdout.join('\n'));
    assert.deepEqual(j.endpoints, { chatCompletions: `${u}/v1/chat/completions`, completions: `${u}/v1/completions`, models: `${u}/v1/models`, baseUrl: `${u}/v1` });
    assert.equal(j.status.targets[0].llm.generationTokens, 1234);
    assert.equal(j.deployment.config.parallel, 8);
  });

  it('--threads becomes intra-op threads for an ONNX model, and one onnxruntime cannot take is refused before anything is written', async () => {
    let io = recorder(fake.url);
    assert.equal(await run(['deploy', 'titanic', 'models:/titanic@champion', '--threads', '4'], io), 0, io.stderr.join('\n'));
    assert.deepEqual(fake.calls('POST /api/v1/deployments')[0]!.body, { name: 'titanic', model: 'models:/titanic@champion', config: { intra_op_threads: 4 } });
    io = recorder(fake.url);
    assert.equal(await run(['deploy', 'titanic', 'models:/titanic@champion', '--threads', '0'], io), 2);
    assert.match(io.stderr[0]!, /--threads must be an integer from 1 to 64 for an ONNX model/);
    assert.equal(fake.calls('POST /api/v1/deployments').length, 1, 'the refused one sent nothing');
    assert.equal(fake.calls('GET /api/v1/models/resolve').length, 2);
  });

  it('--no-wait on an LLM prints the OpenAI endpoints (the model is looked up, not its status)', async () => {
    const io = recorder(fake.url);
    assert.equal(await run(['deploy', 'stories', 'models:/stories@prod', '--no-wait'], io), 0, io.stderr.join('\n'));
    const out = io.stdout.join('\n');
    assert.ok(out.includes(`POST ${fake.url}/v1/chat/completions`), out);
    assert.doesNotMatch(out, /\/v2\/models/);
    assert.equal(fake.calls('GET /api/v1/deployments/stories/status').length, 0);
  });

  it('deploy NAME upstream:UPSTREAM sends the upstream target as is, without a registry lookup', async () => {
    assert.equal((parseCommand(['deploy', 'chat', 'upstream:vllm-a']) as { modelUri: string }).modelUri, 'upstream:vllm-a');
    const io = recorder(fake.url);
    assert.equal(await run(['deploy', 'stories', 'upstream:vllm-a', '--no-wait'], io), 0, io.stderr.join('\n'));
    const created = fake.calls('POST /api/v1/deployments')[0]!;
    assert.equal((created.body as { model: string }).model, 'upstream:vllm-a');
    assert.equal(fake.calls('GET /api/v1/models/resolve').length, 0);
    assert.ok(io.stdout.join('\n').includes(`POST ${fake.url}/v1/chat/completions`));
  });

  it('shows an LLM deployment: its config, slots, queue, tokens, latencies and model facts, and an upstream target', async () => {
    llmTargets = [
      LLM_READY,
      {
        model: '',
        upstream: 'vllm',
        weight: 1,
        state: 'ready',
        available: false,
        batching: 'upstream',
        in_flight: 0,
        llm: { ...LLM_STATS, architecture: undefined, context_size: undefined, train_context_size: undefined, chat_template: undefined, threads: undefined, slots: 16, slots_in_use: 0, requests: 4 },
      },
    ];
    const io = recorder(fake.url);
    assert.equal(await run(['deployments', 'show', 'stories'], io), 0, io.stderr.join('\n'));
    const shown = io.stdout.join('\n');
    assert.match(shown, /\nconfig\s+parallel 8, context per sequence 512 tokens, threads 2, KV cache 1024 MiB, queue 256, timeout 300000 ms\n/);
    assert.match(shown, /\n\s+stories@prod\s+1\s+ready\s+1\s+continuous\s+9\.50 MB\s+3\s+1\/256\s+12\s*\n/);
    assert.match(shown, /\n\s+upstream:vllm\s+1\s+ready\s+upstream\s+0\s+1\/256\s+4\s*\n/);
    const block = shown.slice(shown.indexOf('LLM stories@prod'));
    assert.ok(
      block.startsWith(
        [
          'LLM stories@prod (continuous batching)',
          '  slots     3/8 in use, 1/256 queued',
          '  requests  12 (2 refused with 429); finished: 5 stop, 3 length, 1 abort, 0 error',
          '  tokens    480 prompt (96 cached), 1234 generated',
          '  latency   time to first token p50 12.3 ms, p95 45.6 ms; per output token p50 0.31 ms; queue p50 2 ms',
          '  model     llama, 512 tokens per sequence (trained with 512), chat template chatml, 2 threads',
          '',
          'LLM upstream:vllm (upstream server)',
          '  upstream  vllm, NOT available (failing health checks; out of rotation)',
        ].join('\n'),
      ),
      block,
    );
    assert.doesNotMatch(block.slice(block.indexOf('LLM upstream:vllm')), /\n {2}model /, 'facts an upstream does not report are left out');
    assert.ok(shown.includes(`Endpoints (OpenAI-compatible, "model": "stories"):\n  POST ${fake.url}/v1/chat/completions`), shown);
  });
});

describe('pitwall serve: a GGUF model (in process, on a temp data dir)', () => {
  let dataDir: string;

  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'pitwall-serve-llm-'));
    const server = await startServer({ dataDir, server: { port: 0 }, log: { level: 'error' } }, { handleSignals: false, quiet: true });
    try {
      const io = recorder(server.url);
      assert.equal(await run(['models', 'register', STORIES_FILE, '--name', 'stories'], io), 0, io.stderr.join('\n'));
    } finally {
      await server.close();
    }
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints the OpenAI-compatible endpoints and a chat completion to try, which answers', async () => {
    const cmd = parseCommand(['serve', 'models:/stories/1', '--port', '0', '--data-dir', dataDir, '--parallel', '2', '--context-size', '256', '--threads', '1']);
    assert.equal(cmd.kind, 'serve');
    const io = recorder('http://127.0.0.1:9');
    const server = await serveCommand(cmd as Parameters<typeof serveCommand>[0], io, { handleSignals: false });
    try {
      const u = server.url;
      assert.deepEqual(io.stdout, [
        `Serving models:/stories/1 (version 1) as 'stories'; listening on ${u}`,
        [
          'Ready (llama, 2 sequences × 256 tokens, chat template chatml). Try it:',
          `  curl -s -X POST ${u}/v1/chat/completions -H 'content-type: application/json' -d '{"model":"stories","messages":[{"role":"user","content":"Tell me a story"}],"max_tokens":64}'`,
          `OpenAI-compatible, "model": "stories": POST ${u}/v1/chat/completions, POST ${u}/v1/completions, GET ${u}/v1/models;`,
          `openai clients: base_url="${u}/v1". GET ${u}/ping is 200 when ready. Ctrl-C or SIGTERM stops it.`,
        ].join('\n'),
      ]);
      const st = await server.serving.status('stories');
      assert.equal((st.targets[0]!.llm as { threads: number }).threads, 1, '--threads is llama.cpp threads for a GGUF model');
      const res = await fetch(`${u}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'stories', messages: [{ role: 'user', content: 'Tell me a story' }], max_tokens: 8 }) });
      const body = (await res.json()) as { choices: { message: { content: string } }[] };
      assert.equal(res.status, 200, JSON.stringify(body));
      assert.ok(body.choices[0]!.message.content.length > 0);
    } finally {
      await server.close();
    }
  });
});
