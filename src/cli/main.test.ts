import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { type FakeServer, startFakeServer } from '../sdk/testing/fake-server.js';
import type { CliIo } from './io.js';
import { run } from './main.js';

const T0 = new Date(2024, 4, 6, 10, 0, 0).getTime();
const RUN_A = 'aaaa1111bbbb2222cccc3333dddd4444';
const RUN_B = 'bbbb9999000011112222333344445555';

function wireRun(id: string, name: string, lr: string, loss: number | string, extra: object = {}): unknown {
  return {
    info: {
      run_id: id,
      run_uuid: id,
      run_name: name,
      experiment_id: '4',
      user_id: 'ana',
      status: 'FINISHED',
      start_time: T0,
      end_time: T0 + 125_000,
      artifact_uri: `mlflow-artifacts:/4/${id}/artifacts`,
      lifecycle_stage: 'active',
    },
    data: {
      metrics: [
        { key: 'loss', value: loss, timestamp: T0 + 1000, step: 99 },
        { key: 'system/cpu_utilization_percentage', value: 40, timestamp: T0, step: 3 },
      ],
      params: [
        { key: 'lr', value: lr },
        { key: 'epochs', value: '10' },
      ],
      tags: [{ key: 'mlflow.user', value: 'ana' }],
    },
    ...extra,
  };
}

const EXPERIMENT = { experiment_id: '4', name: 'bert-finetune', artifact_location: 'mlflow-artifacts:/4', lifecycle_stage: 'active', creation_time: T0, last_update_time: T0 };

function recorder(url: string, env: NodeJS.ProcessEnv = {}): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (s) => stdout.push(s), err: (s) => stderr.push(s), env: { PITWALL_TRACKING_URI: url, ...env }, now: () => T0 + 10_000 };
}

describe('pitwall CLI (in process, against a fake server)', () => {
  let fake: FakeServer;

  before(async () => {
    const runs = [
      wireRun(RUN_A, 'calm-owl', '0.01', 0.25, {
        inputs: {
          dataset_inputs: [
            {
              tags: [{ key: 'mlflow.data.context', value: 'training' }],
              dataset: { name: 'squad', digest: 'd1g3st', source_type: 'http', source: '{"url":"https://example.com/squad"}' },
            },
          ],
        },
      }),
      wireRun(RUN_B, 'bright-fox', '0.02', 'NaN'),
    ];
    fake = await startFakeServer({
      'POST /api/2.0/mlflow/experiments/search': {
        json: { experiments: [EXPERIMENT, { ...EXPERIMENT, experiment_id: '0', name: 'Default', artifact_location: 'mlflow-artifacts:/0' }] },
      },
      'POST /api/2.0/mlflow/experiments/create': { json: { experiment_id: '12' } },
      'GET /api/2.0/mlflow/experiments/get': (req) =>
        req.query.get('experiment_id') === '4'
          ? { json: { experiment: EXPERIMENT } }
          : { status: 404, json: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'No Experiment with id=99 exists' } },
      'GET /api/2.0/mlflow/experiments/get-by-name': (req) =>
        req.query.get('experiment_name') === 'bert-finetune'
          ? { json: { experiment: EXPERIMENT } }
          : { status: 404, json: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'not found' } },
      'POST /api/2.0/mlflow/runs/search': (req) => {
        const b = req.body as { filter?: string; max_results: number };
        if (b.filter?.startsWith('attributes.run_id LIKE')) {
          const prefix = /'([0-9a-f]+)%'/.exec(b.filter)![1]!;
          return { json: { runs: runs.filter((r) => (r as { info: { run_id: string } }).info.run_id.startsWith(prefix)) } };
        }
        return { json: { runs: runs.slice(0, b.max_results) } };
      },
      'GET /api/2.0/mlflow/runs/get': (req) => {
        const r = runs.find((x) => (x as { info: { run_id: string } }).info.run_id === req.query.get('run_id'));
        return r ? { json: { run: r } } : { status: 404, json: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Run with id=${req.query.get('run_id')} not found` } };
      },
    });
  });

  after(() => fake.close());

  it('experiments list prints an aligned table, --json the wire objects', async () => {
    const io = recorder(fake.url);
    assert.equal(await run(['experiments', 'list'], io), 0);
    const lines = io.stdout.join('\n').split('\n');
    assert.match(lines[0]!, /^ID\s+NAME\s+CREATED\s+ARTIFACT LOCATION$/);
    assert.match(lines[1]!, /^4\s+bert-finetune\s+2024-05-06 10:00:00\s+mlflow-artifacts:\/4$/);
    assert.equal(lines[1]!.indexOf('bert-finetune'), lines[2]!.indexOf('Default'));

    const json = recorder(fake.url);
    assert.equal(await run(['experiments', 'list', '--json', '--view', 'all'], json), 0);
    assert.deepEqual(JSON.parse(json.stdout.join('\n')).experiments.map((e: { name: string }) => e.name), ['bert-finetune', 'Default']);
    assert.equal((fake.calls('POST /api/2.0/mlflow/experiments/search').at(-1)!.body as { view_type: string }).view_type, 'ALL');
  });

  it('experiments create prints the new id', async () => {
    const io = recorder(fake.url);
    assert.equal(await run(['experiments', 'create', 'new-one', '--json'], io), 0);
    assert.deepEqual(JSON.parse(io.stdout.join('')), { experiment_id: '12', name: 'new-one' });
  });

  it('runs list resolves an experiment by name and shows short ids, status, duration, metrics and params', async () => {
    const io = recorder(fake.url);
    assert.equal(await run(['runs', 'list', '--experiment', 'bert-finetune', '--order-by', 'metrics.loss ASC'], io), 0);
    const body = fake.calls('POST /api/2.0/mlflow/runs/search').at(-1)!.body as Record<string, unknown>;
    assert.deepEqual(body, { experiment_ids: ['4'], run_view_type: 'ACTIVE_ONLY', order_by: ['metrics.loss ASC'], max_results: 51 });
    const [header, first, second] = io.stdout.join('\n').split('\n');
    assert.match(header!, /^RUN ID\s+NAME\s+STATUS\s+START\s+DURATION\s+metrics\.loss\s+params\.lr\s+params\.epochs$/);
    assert.match(first!, /^aaaa1111\s+calm-owl\s+FINISHED\s+2024-05-06 10:00:00\s+2m 05s\s+0\.25\s+0\.01\s+10$/);
    assert.match(second!, /^bbbb9999\s+bright-fox .*\sNaN\s+0\.02\s+10$/);
    assert.doesNotMatch(header!, /system\//, 'system metrics are not columns');
  });

  it('runs list says when --max cut the list short', async () => {
    const io = recorder(fake.url);
    assert.equal(await run(['runs', 'list', '-e', '4', '--max', '1'], io), 0);
    assert.equal(io.stdout.join('\n').split('\n').length, 3);
    assert.match(io.stdout.at(-1)!, /showing the first 1 runs; use --max/);
  });

  it('runs show accepts the 8-character prefix and prints every section', async () => {
    const io = recorder(fake.url);
    assert.equal(await run(['runs', 'show', 'aaaa1111'], io), 0, io.stderr.join('\n'));
    const text = io.stdout.join('\n');
    for (const re of [
      new RegExp(`run id\\s+${RUN_A}`),
      /experiment\s+bert-finetune \(4\)/,
      /duration\s+2m 05s/,
      /Params \(2\)\n\s+KEY\s+VALUE\n\s+epochs\s+10\n\s+lr\s+0\.01/,
      /Metrics \(2, latest values\)/,
      /loss\s+0\.25\s+99/,
      /Tags \(1\)\n\s+KEY\s+VALUE\n\s+mlflow\.user\s+ana/,
      /Datasets \(1\)\n.*NAME\s+DIGEST\s+CONTEXT.*\n\s+squad\s+d1g3st\s+training\s+http/,
    ]) {
      assert.match(text, re);
    }
  });

  it('runs show --json prints the run with MLflow encodings', async () => {
    const io = recorder(fake.url);
    assert.equal(await run(['runs', 'show', RUN_B, '--json'], io), 0);
    const parsed = JSON.parse(io.stdout.join('\n'));
    assert.equal(parsed.run.info.run_id, RUN_B);
    assert.equal(parsed.run.data.metrics[0].value, 'NaN');
  });

  it('runs compare lines up params and metrics and marks differing params', async () => {
    const io = recorder(fake.url);
    assert.equal(await run(['runs', 'compare', RUN_A, RUN_B], io), 0);
    const lines = io.stdout.join('\n').split('\n');
    assert.match(lines[0]!, /^\s+aaaa1111\s+bbbb9999$/);
    assert.ok(lines.some((l) => /^\*\s+lr\s+0\.01\s+0\.02$/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /^\s+epochs\s+10\s+10$/.test(l)));
    assert.ok(lines.some((l) => /^\s+loss\s+0\.25\s+NaN$/.test(l)));
    assert.equal(lines.at(-1), '* 1 param differs.');

    const json = recorder(fake.url);
    assert.equal(await run(['runs', 'compare', RUN_A, RUN_B, '--json'], json), 0);
    const c = JSON.parse(json.stdout.join('\n'));
    assert.deepEqual(c.params.find((p: { key: string }) => p.key === 'lr'), { key: 'lr', values: ['0.01', '0.02'], differs: true });
  });

  it('an unknown run exits 1 with the server error code and no stack', async () => {
    const io = recorder(fake.url);
    assert.equal(await run(['runs', 'show', 'ffffffffffffffffffffffffffffffff'], io), 1);
    assert.deepEqual(io.stderr, ['pitwall: RESOURCE_DOES_NOT_EXIST: Run with id=ffffffffffffffffffffffffffffffff not found']);
    assert.deepEqual(io.stdout, []);
  });

  it('an unknown experiment name exits 1', async () => {
    const io = recorder(fake.url);
    assert.equal(await run(['runs', 'list', '-e', 'nope'], io), 1);
    assert.match(io.stderr[0]!, /^pitwall: RESOURCE_DOES_NOT_EXIST: no experiment with id or name 'nope'$/);
  });

  it('an unreachable server exits 1 naming the URL', async () => {
    const io = recorder('http://127.0.0.1:9');
    assert.equal(await run(['experiments', 'list'], io), 1);
    assert.match(io.stderr[0]!, /^pitwall: cannot reach Pitwall at http:\/\/127\.0\.0\.1:9 — is `pitwall server` running\?/);
  });

  it('takes --tracking-uri and --json before the command', async () => {
    const io = recorder('http://127.0.0.1:9');
    assert.equal(await run(['--tracking-uri', fake.url, '--json', 'experiments', 'list'], io), 0, io.stderr.join('\n'));
    assert.deepEqual(JSON.parse(io.stdout.join('\n')).experiments.map((e: { name: string }) => e.name), ['bert-finetune', 'Default']);
  });

  it('usage errors exit 2 with a hint; --version prints package.json version', async () => {
    const io = recorder(fake.url);
    assert.equal(await run(['runs', 'list', '--max', 'lots', '-e', '1'], io), 2);
    assert.deepEqual(io.stderr, ["pitwall: --max must be an integer from 1 to 50000, got 'lots'", "Run 'pitwall runs list --help' for usage."]);
    const v = recorder(fake.url);
    assert.equal(await run(['--version'], v), 0);
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    assert.deepEqual(v.stdout, [`pitwall ${pkg.version}`]);
  });
});

describe('environment', () => {
  it('src/cli and src/sdk read no environment variable directly (only src/config does)', () => {
    for (const dir of ['../cli/', '../sdk/']) {
      const url = new URL(dir, import.meta.url);
      for (const file of readdirSync(url, { recursive: true, encoding: 'utf8' })) {
        if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
        const code = readFileSync(new URL(file, url), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
        assert.doesNotMatch(code, /process\.env|\benv\.[A-Z][A-Z0-9_]*\b|\benv\[/, `${dir}${file}`);
      }
    }
  });
});
