import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, beforeEach, describe, it } from 'node:test';
import { MAX_METRICS_PER_BATCH } from './active-run.js';
import { PitwallClient } from './client.js';
import { PitwallApiError } from './errors.js';
import { RUN_TAG, startRun } from './run.js';
import { SYSTEM_METRIC } from './system-metrics.js';
import { type FakeResponse, type FakeServer, type RecordedRequest, startFakeServer } from './testing/fake-server.js';

interface Batch {
  run_id: string;
  metrics?: Array<{ key: string; value: number | string; timestamp: number; step: number }>;
  params?: Array<{ key: string; value: string }>;
  tags?: Array<{ key: string; value: string }>;
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'pitwall-run-test-'));

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args], { cwd, encoding: 'utf8' }).trim();
}

async function until(cond: () => boolean, what: string, ms = 3000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('startRun', () => {
  let fake: FakeServer;
  let client: PitwallClient;
  let experiments: Map<string, string>;
  let failBatches: boolean;
  /** Answers for the next log-batch requests, one each, before the default. */
  let batchAnswers: FakeResponse[];
  /** Arrival time of every log-batch request. */
  let batchTimes: number[];
  let runCounter = 0;

  const batches = (): Batch[] => fake.calls('POST /api/2.0/mlflow/runs/log-batch').map((r) => r.body as Batch);
  const createdTags = (req: RecordedRequest): Record<string, string> =>
    Object.fromEntries(((req.body as { tags: Array<{ key: string; value: string }> }).tags ?? []).map((t) => [t.key, t.value]));

  before(async () => {
    fake = await startFakeServer({
      'GET /api/2.0/mlflow/experiments/get-by-name': (req) => {
        const id = experiments.get(req.query.get('experiment_name') ?? '');
        return id === undefined
          ? { status: 404, json: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'no such experiment' } }
          : { json: { experiment: { experiment_id: id, name: req.query.get('experiment_name') } } };
      },
      'POST /api/2.0/mlflow/experiments/create': (req) => {
        const id = String(experiments.size + 10);
        experiments.set((req.body as { name: string }).name, id);
        return { json: { experiment_id: id } };
      },
      'POST /api/2.0/mlflow/runs/create': (req) => {
        const b = req.body as { experiment_id: string; run_name?: string };
        const id = `run${++runCounter}`;
        return { json: { run: { info: { run_id: id, run_uuid: id, experiment_id: b.experiment_id, run_name: b.run_name ?? 'x', status: 'RUNNING', start_time: 1 }, data: {} } } };
      },
      'POST /api/2.0/mlflow/runs/log-batch': () => {
        batchTimes.push(Date.now());
        return batchAnswers.shift() ?? (failBatches ? { status: 400, json: { error_code: 'INVALID_PARAMETER_VALUE', message: 'bad batch' } } : { json: {} });
      },
      'POST /api/2.0/mlflow/runs/update': (req) => ({ json: { run_info: { run_id: (req.body as { run_id: string }).run_id, status: 'FINISHED' } } }),
    });
    client = new PitwallClient({ baseUrl: fake.url });
  });

  beforeEach(() => {
    fake.requests.length = 0;
    experiments = new Map([['Default', '0']]);
    failBatches = false;
    batchAnswers = [];
    batchTimes = [];
  });

  after(async () => {
    await fake.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('records git commit, branch, redacted origin, and a dirty flag that follows the work tree', async () => {
    const repo = path.join(tmp, 'repo');
    execFileSync('mkdir', ['-p', repo]);
    git(repo, 'init', '-q', '-b', 'feature/x');
    writeFileSync(path.join(repo, 'train.py'), 'print(1)\n');
    git(repo, 'add', 'train.py');
    git(repo, 'commit', '-q', '-m', 'first');
    git(repo, 'remote', 'add', 'origin', 'https://alice:s3cret@example.com/acme/models.git');
    const head = git(repo, 'rev-parse', 'HEAD');

    const clean = await startRun(client, { experimentName: 'exp', cwd: repo });
    await clean.end();
    const t1 = createdTags(fake.calls('POST /api/2.0/mlflow/runs/create').at(-1)!);
    assert.equal(t1[RUN_TAG.gitCommit], head);
    assert.equal(t1[RUN_TAG.gitBranch], 'feature/x');
    assert.equal(t1[RUN_TAG.gitRepoUrl], 'https://example.com/acme/models.git');
    assert.equal(t1[RUN_TAG.gitDirty], 'false');

    writeFileSync(path.join(repo, 'train.py'), 'print(2)\n');
    writeFileSync(path.join(repo, 'untracked.log'), 'x'); // untracked files alone don't make the tree dirty
    const dirty = await startRun(client, { experimentName: 'exp', cwd: repo });
    await dirty.end();
    const t2 = createdTags(fake.calls('POST /api/2.0/mlflow/runs/create').at(-1)!);
    assert.equal(t2[RUN_TAG.gitDirty], 'true');
    assert.equal(t2[RUN_TAG.gitCommit], head);
  });

  it('creates a missing experiment once, then reuses it', async () => {
    await (await startRun(client, { experimentName: 'fresh', cwd: tmp })).end();
    await (await startRun(client, { experimentName: 'fresh', cwd: tmp })).end();
    assert.equal(fake.calls('POST /api/2.0/mlflow/experiments/create').length, 1);
    const ids = fake.calls('POST /api/2.0/mlflow/runs/create').map((r) => (r.body as { experiment_id: string }).experiment_id);
    assert.deepEqual(ids, [experiments.get('fresh'), experiments.get('fresh')]);
  });

  it('records source, command, host, user and seed; leaves git tags out outside a repository', async () => {
    const r = await startRun(client, { experimentId: '5', runName: 'seeded', seed: 1234, params: { lr: 0.01, deep: true }, tags: { team: 'nlp' }, cwd: tmp });
    await r.end();
    assert.equal(fake.calls('GET /api/2.0/mlflow/experiments/get-by-name').length, 0, 'an explicit id needs no look-up');
    const create = fake.calls('POST /api/2.0/mlflow/runs/create')[0]!;
    const body = create.body as { experiment_id: string; run_name: string };
    assert.equal(body.experiment_id, '5');
    assert.equal(body.run_name, 'seeded');
    const tags = createdTags(create);
    assert.equal(tags[RUN_TAG.sourceType], 'LOCAL');
    assert.equal(tags[RUN_TAG.sourceName], process.argv[1]);
    assert.ok(tags[RUN_TAG.command]!.includes(path.basename(process.argv[1]!)));
    assert.equal(tags[RUN_TAG.host], os.hostname());
    assert.equal(tags[RUN_TAG.seed], '1234');
    assert.equal(tags.team, 'nlp');
    assert.equal(tags[RUN_TAG.gitCommit], undefined);
    assert.equal(tags[RUN_TAG.gitDirty], undefined);
    const params = batches().flatMap((b) => b.params ?? []);
    assert.deepEqual(
      params.sort((a, b) => a.key.localeCompare(b.key)),
      [
        { key: 'deep', value: 'true' },
        { key: 'lr', value: '0.01' },
        { key: 'seed', value: '1234' },
      ],
    );
  });

  it('splits buffered metrics into log-batch requests of at most 1000, in logging order, then ends the run', async () => {
    const r = await startRun(client, { experimentId: '1', cwd: tmp, flushIntervalMs: 60_000 });
    for (let s = 0; s < 2500; s++) r.logMetric('loss', 1 / (s + 1), s);
    r.logMetric('bad', NaN, 2500);
    await r.end();
    const metricBatches = batches().filter((b) => b.metrics);
    assert.deepEqual(metricBatches.map((b) => b.metrics!.length), [MAX_METRICS_PER_BATCH, MAX_METRICS_PER_BATCH, 501]);
    const steps = metricBatches.flatMap((b) => b.metrics!.map((m) => m.step));
    assert.deepEqual(steps, Array.from({ length: 2501 }, (_, i) => i));
    assert.equal(metricBatches[2]!.metrics!.at(-1)!.value, 'NaN');
    const update = fake.calls('POST /api/2.0/mlflow/runs/update');
    assert.equal(update.length, 1);
    const u = update[0]!.body as { run_id: string; status: string; end_time: number };
    assert.equal(u.status, 'FINISHED');
    assert.ok(u.end_time > 0);
    assert.ok(fake.requests.indexOf(update[0]!) > fake.requests.indexOf(fake.calls('POST /api/2.0/mlflow/runs/log-batch').at(-1)!), 'ended after the last batch');
  });

  it('sends buffered metrics on its own after the flush interval', async () => {
    const r = await startRun(client, { experimentId: '1', cwd: tmp, flushIntervalMs: 30 });
    r.logMetrics({ loss: 0.5, acc: 0.9 }, 7);
    assert.equal(batches().filter((b) => b.metrics).length, 0, 'not sent synchronously');
    await until(() => batches().some((b) => b.metrics), 'a timed flush');
    assert.deepEqual(
      batches().flatMap((b) => b.metrics ?? []).map((m) => [m.key, m.value, m.step]),
      [
        ['loss', 0.5, 7],
        ['acc', 0.9, 7],
      ],
    );
    await r.end('KILLED');
    assert.equal((fake.calls('POST /api/2.0/mlflow/runs/update')[0]!.body as { status: string }).status, 'KILLED');
  });

  it('reports a rejected batch from the next flush(), once', async () => {
    const r = await startRun(client, { experimentId: '1', cwd: tmp, flushIntervalMs: 60_000 });
    failBatches = true;
    r.logMetric('loss', 1);
    await assert.rejects(r.flush(), (e: unknown) => e instanceof PitwallApiError && e.errorCode === 'INVALID_PARAMETER_VALUE');
    failBatches = false;
    await r.flush();
    assert.equal(r.pending, 0);
    await r.end();
  });

  it('refuses a bad key or value where it is logged, so the rest of the batch still reaches the server', async () => {
    const r = await startRun(client, { experimentId: '1', cwd: tmp, flushIntervalMs: 60_000, systemMetrics: false });
    r.logMetric('ok', 1, 0);
    assert.throws(() => r.logMetric('a*b', 2, 0), /Invalid metric name "a\*b"/);
    assert.throws(() => r.logMetric('val/../loss', 2, 0), /normalised relative path/);
    assert.throws(() => r.logMetric('loss', 2, 0.5), /step must be a safe integer/);
    assert.throws(() => r.logMetrics({ fine: 1, 'bad//key': 2 }, 1), /Invalid metric name "bad\/\/key"/);
    assert.equal(r.pending, 1, 'logMetrics buffers nothing when one of its keys is bad');
    r.logMetric('précision/top-1', 0.5, 1);
    await r.flush();
    assert.deepEqual(batches().flatMap((b) => b.metrics ?? []).map((m) => [m.key, m.value, m.step]), [
      ['ok', 1, 0],
      ['précision/top-1', 0.5, 1],
    ]);
    await assert.rejects(r.logParams({ lr: 1, 'lr!': 2 }), /Invalid param name "lr!"/);
    await assert.rejects(r.setTags({ team: 'nlp', '/abs': 'x' }), /Invalid tag name "\/abs"/);
    assert.deepEqual(batches().filter((b) => b.params || b.tags), [], 'nothing of a refused call is sent');
    await r.end();
  });

  it('checks param and tag keys before creating the run', async () => {
    await assert.rejects(startRun(client, { experimentId: '1', cwd: tmp, params: { 'learning rate?': 1 } }), /Invalid param name/);
    await assert.rejects(startRun(client, { experimentId: '1', cwd: tmp, tags: { '.': 'x' } }), /Invalid tag name/);
    assert.equal(fake.calls('POST /api/2.0/mlflow/runs/create').length, 0);
  });

  it('keeps a batch answered 503 or 429 buffered and resends it on the next flush, after a short backoff', async () => {
    const r = await startRun(client, { experimentId: '1', cwd: tmp, flushIntervalMs: 60_000, systemMetrics: false });
    batchAnswers.push(
      { status: 503, json: { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'restarting' } },
      { status: 429, json: { error_code: 'REQUEST_LIMIT_EXCEEDED', message: 'slow down' } },
    );
    r.logMetric('loss', 1, 0);
    await assert.rejects(r.flush(), (e: unknown) => e instanceof PitwallApiError && e.status === 503);
    assert.equal(r.pending, 1, 'kept after a 503');
    r.logMetric('loss', 0.5, 1);
    await assert.rejects(r.flush(), (e: unknown) => e instanceof PitwallApiError && e.status === 429);
    assert.equal(r.pending, 2, 'kept after a 429');
    await r.flush();
    assert.equal(r.pending, 0);
    const attempts = batches().filter((b) => b.metrics);
    assert.equal(attempts.length, 3);
    assert.deepEqual(attempts[2]!.metrics!.map((m) => [m.key, m.value, m.step]), [
      ['loss', 1, 0],
      ['loss', 0.5, 1],
    ]);
    assert.ok(batchTimes[1]! - batchTimes[0]! >= 200, `retried ${batchTimes[1]! - batchTimes[0]!} ms after a failure`);
    assert.ok(batchTimes[2]! - batchTimes[1]! >= batchTimes[1]! - batchTimes[0]!, 'the backoff grows');
    await r.end();
  });

  it('retries a 5xx on its own and reports nothing once the batch got through', async () => {
    const r = await startRun(client, { experimentId: '1', cwd: tmp, flushIntervalMs: 20, systemMetrics: false });
    batchAnswers.push({ status: 500, text: 'Internal Server Error' });
    r.logMetric('loss', 1, 0);
    await until(() => batchTimes.length >= 2 && r.pending === 0, 'a timed retry', 5000);
    await r.flush();
    await r.end();
    assert.deepEqual(batches().filter((b) => b.metrics).map((b) => b.metrics!.map((m) => m.key)), [['loss'], ['loss']]);
  });

  it('listens for SIGINT and SIGTERM only while a run is open', async () => {
    const count = (): number[] => [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
    const before = count();
    const a = await startRun(client, { experimentId: '1', cwd: tmp, systemMetrics: false });
    const b = await startRun(client, { experimentId: '1', cwd: tmp, systemMetrics: false });
    assert.deepEqual(count(), [before[0]! + 1, before[1]! + 1]);
    await a.end();
    assert.deepEqual(count(), [before[0]! + 1, before[1]! + 1], 'b is still open');
    await b.end();
    assert.deepEqual(count(), before);
  });

  it('on SIGTERM sends what is buffered, ends the run KILLED, then dies of the signal', async () => {
    const script = path.join(tmp, 'killed.mts');
    const runTs = path.join(path.dirname(fileURLToPath(import.meta.url)), 'index.ts');
    writeFileSync(
      script,
      `import { PitwallClient, startRun } from ${JSON.stringify(runTs)};
const run = await startRun(new PitwallClient({ baseUrl: ${JSON.stringify(fake.url)} }), { experimentId: '1', cwd: ${JSON.stringify(tmp)}, flushIntervalMs: 60_000, systemMetrics: false });
run.logMetric('epoch', 3, 3);
setInterval(() => {}, 1000);
console.log('training');
`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('training') && resolve());
      void exited.then(() => reject(new Error(`child exited early: ${stderr}`)));
    });
    child.kill('SIGTERM');
    const timeout = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const { code, signal } = await exited;
    clearTimeout(timeout);
    assert.deepEqual({ code, signal }, { code: null, signal: 'SIGTERM' }, stderr);
    assert.deepEqual(batches().flatMap((b) => b.metrics ?? []).map((m) => [m.key, m.value, m.step]), [['epoch', 3, 3]]);
    const updates = fake.calls('POST /api/2.0/mlflow/runs/update');
    assert.equal(updates.length, 1);
    assert.equal((updates[0]!.body as { status: string }).status, 'KILLED');
    assert.ok(fake.requests.indexOf(updates[0]!) > fake.requests.indexOf(fake.calls('POST /api/2.0/mlflow/runs/log-batch').at(-1)!), 'ended after the last batch');
  });

  it('end() is idempotent and the run refuses metrics afterwards', async () => {
    const r = await startRun(client, { experimentId: '1', cwd: tmp });
    await Promise.all([r.end(), r.end()]);
    await r.end();
    assert.equal(fake.calls('POST /api/2.0/mlflow/runs/update').length, 1);
    assert.throws(() => r.logMetric('late', 1), /has ended/);
  });

  it('samples system metrics with increasing steps and stops on end()', async () => {
    const smi = path.join(tmp, 'nvidia-smi');
    writeFileSync(smi, '#!/bin/sh\necho "37, 1024, 8192"\necho "[N/A], 2048, 16384"\n');
    chmodSync(smi, 0o755);
    const r = await startRun(client, { experimentId: '1', cwd: tmp, flushIntervalMs: 10, systemMetrics: { intervalMs: 40, nvidiaSmi: smi } });
    const systemMetrics = () => batches().flatMap((b) => b.metrics ?? []).filter((m) => m.key.startsWith('system/'));
    await until(() => new Set(systemMetrics().map((m) => m.step)).size >= 3, 'three samples');
    await r.end();
    const after = systemMetrics().length;
    const ms = systemMetrics();
    const cpu = ms.filter((m) => m.key === SYSTEM_METRIC.cpuUtilization);
    assert.deepEqual(cpu.slice(0, 3).map((m) => m.step), [0, 1, 2]);
    for (const m of cpu) assert.ok(typeof m.value === 'number' && m.value >= 0 && m.value <= 100);
    const keys = new Set(ms.map((m) => m.key));
    for (const k of [
      SYSTEM_METRIC.memoryUsedMb,
      SYSTEM_METRIC.memoryUsedPercent,
      'system/gpu_0_utilization_percentage',
      'system/gpu_0_memory_usage_megabytes',
      'system/gpu_0_memory_usage_percentage',
      'system/gpu_1_memory_usage_megabytes',
    ]) {
      assert.ok(keys.has(k), `missing ${k}`);
    }
    assert.ok(!keys.has('system/gpu_1_utilization_percentage'), '[N/A] is skipped');
    assert.equal(ms.find((m) => m.key === 'system/gpu_0_memory_usage_percentage')!.value, 12.5);
    await new Promise((res) => setTimeout(res, 150));
    assert.equal(systemMetrics().length, after, 'no samples after end()');
  });

  it('sends metrics a script forgot to flush before Node exits', async () => {
    const script = path.join(tmp, 'forgetful.mts');
    const runTs = path.join(path.dirname(fileURLToPath(import.meta.url)), 'index.ts');
    writeFileSync(
      script,
      `import { PitwallClient, startRun } from ${JSON.stringify(runTs)};
const run = await startRun(new PitwallClient({ baseUrl: ${JSON.stringify(fake.url)} }), { experimentId: '1', cwd: ${JSON.stringify(tmp)}, flushIntervalMs: 60_000 });
run.logMetric('last_words', 42, 9);
`,
    );
    await new Promise<void>((resolve, reject) =>
      execFile(process.execPath, ['--import', 'tsx', script], { timeout: 20_000 }, (err, _out, stderr) => (err ? reject(new Error(stderr || String(err))) : resolve())),
    );
    const sent = batches().flatMap((b) => b.metrics ?? []);
    assert.deepEqual(sent.map((m) => [m.key, m.value, m.step]), [['last_words', 42, 9]]);
  });
});
