import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BIN, type CliResult, type PitwallProcess, pitwall, REPO, spawnListening, startPitwall } from './pitwall-process.js';

/** The shared model zoo sits beside the repository (`<repo>/../shared`). */
const TITANIC = path.resolve(REPO, '..', 'shared', 'models', 'sklearn-titanic', 'pipeline_titanic_nozipmap.onnx');
const PASSENGER = { pclass: 3, sex: 'male', age: 22, fare: 7.25, embarked: 'S' };
const COLUMNS = Object.keys(PASSENGER);

async function post(url: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** The JSON body of each `curl … -d '<json>'` line the CLI printed. */
function curlBodies(stdout: string): { url: string; body: unknown }[] {
  return [...stdout.matchAll(/^ {2}curl -s -X POST (\S+) -H 'content-type: application\/json' -d '(.*)'$/gm)].map((m) => ({ url: m[1]!, body: JSON.parse(m[2]!.replace(/'\\''/g, "'")) }));
}

describe('pitwall deploy / deployments / serve against a real server', () => {
  let dataDir: string;
  let server: PitwallProcess;
  let cli: (args: string[]) => Promise<CliResult>;

  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'pitwall-cli-serving-'));
    server = await startPitwall(dataDir);
    cli = (args) => pitwall(args, { PITWALL_TRACKING_URI: server.url });
    for (const args of [
      ['models', 'register', TITANIC, '--name', 'titanic'],
      ['models', 'alias', 'titanic', 'champion', '1'],
    ]) {
      const r = await cli(args);
      assert.equal(r.code, 0, r.stderr);
    }
  });

  after(async () => {
    const code = await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    assert.equal(code, 0, `server exit code after SIGTERM; output:\n${server?.output()}`);
  });

  it('deploy waits until the model is ready, then prints endpoints and curl examples that work', async () => {
    const r = await cli(['deploy', 'titanic', 'models:/titanic@champion']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Created deployment titanic → titanic@champion\.\nDeployment titanic is ready: titanic@champion → version 1 \(dynamic batching, [\d.]+ kB\)\.\n/);
    assert.ok(r.stdout.includes(`POST ${server.url}/v2/models/titanic/infer`), r.stdout);
    assert.ok(r.stdout.includes(`POST ${server.url}/deployments/titanic/invocations`), r.stdout);
    assert.equal(r.stderr, '', 'no spinner when stderr is not a terminal');
    const examples = curlBodies(r.stdout);
    assert.deepEqual(examples.map((e) => e.url), [`${server.url}/v2/models/titanic/infer`, `${server.url}/deployments/titanic/invocations`]);
    for (const e of examples) {
      const res = await post(e.url, e.body);
      assert.equal(res.status, 200, `${e.url}: ${JSON.stringify(res.json)}`);
    }
  });

  it('answers KServe V2 inference and MLflow scoring with the same prediction', async () => {
    const v2 = await post(`${server.url}/v2/models/titanic/infer`, {
      inputs: COLUMNS.map((name) => {
        const value = PASSENGER[name as keyof typeof PASSENGER];
        return { name, datatype: typeof value === 'string' ? 'BYTES' : name === 'pclass' ? 'INT64' : 'FP32', shape: [1, 1], data: [value] };
      }),
    });
    assert.equal(v2.status, 200, JSON.stringify(v2.json));
    assert.equal(v2.json.model_name, 'titanic');
    assert.equal(v2.json.model_version, '1');
    const outputs = v2.json.outputs as { name: string; data: number[] }[];
    const label = outputs.find((o) => o.name === 'label')!.data[0];
    assert.ok(label === 0 || label === 1);
    const probabilities = outputs.find((o) => o.name === 'probabilities')!.data;
    assert.equal(probabilities.length, 2);
    assert.ok(Math.abs(probabilities[0]! + probabilities[1]! - 1) < 1e-5);

    const mlflow = await post(`${server.url}/deployments/titanic/invocations`, { dataframe_split: { columns: COLUMNS, data: [Object.values(PASSENGER)] } });
    assert.equal(mlflow.status, 200, JSON.stringify(mlflow.json));
    assert.deepEqual((mlflow.json.predictions as { label: number[] }).label, [label]);
  });

  it('lists and shows deployments as JSON', async () => {
    const list = await cli(['deployments', 'list', '--json']);
    assert.equal(list.code, 0, list.stderr);
    const [d] = JSON.parse(list.stdout).deployments;
    assert.deepEqual(d.targets, [{ model: 'titanic', alias: 'champion', weight: 1 }]);
    assert.equal(d.config.maxBatchSize, 32);
    assert.equal(d.revision, 1);

    const show = await cli(['deployments', 'show', 'titanic', '--json']);
    assert.equal(show.code, 0, show.stderr);
    const { deployment, status } = JSON.parse(show.stdout);
    assert.equal(deployment.name, 'titanic');
    assert.equal(status.ready, true);
    assert.equal(status.targets[0].state, 'ready');
    assert.equal(status.targets[0].servedVersion, '1');
    assert.ok(status.targets[0].queue.requests >= 3, 'the requests above went through its batcher');

    const table = await cli(['deployments', 'list']);
    assert.match(table.stdout, /^NAME\s+STATE\s+TARGETS\s+REVISION\s+UPDATED\s+DESCRIPTION\ntitanic\s+ready\s+titanic@champion\s+1\s/);
  });

  it('deploy on an existing name switches it to the new version and config', async () => {
    const reg = await cli(['models', 'register', TITANIC, '--name', 'titanic']);
    assert.equal(reg.code, 0, reg.stderr);
    const r = await cli(['deploy', 'titanic', 'models:/titanic/2', '--max-batch-size', '8', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.created, false);
    assert.equal(j.deployment.revision, 2);
    assert.equal(j.deployment.config.maxBatchSize, 8);
    assert.equal(j.status.revision, 2);
    assert.equal(j.status.targets[0].servedVersion, '2');
    const v2 = await fetch(`${server.url}/v2/models/titanic`);
    assert.deepEqual(((await v2.json()) as { versions: string[] }).versions, ['2']);
  });

  it('deploy of a model that does not exist fails with the server error', async () => {
    const r = await cli(['deploy', 'ghost', 'models:/titnaic@champion']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^pitwall: RESOURCE_DOES_NOT_EXIST: .*titnaic/);
  });

  it('pitwall serve answers MLflow scoring on /invocations beside the server, and exits 0 on SIGTERM', async () => {
    const { url, child, output } = await spawnListening([BIN, 'serve', 'models:/titanic@champion', '--port', '0', '--data-dir', dataDir]);
    try {
      assert.match(output(), /^Serving models:\/titanic@champion \(version 1\) as 'titanic'; listening on http:\/\/127\.0\.0\.1:\d+\n/);
      for (let i = 0; i < 200 && (await fetch(`${url}/ping`)).status !== 200; i++) await new Promise((r) => setTimeout(r, 50));
      assert.equal((await fetch(`${url}/ping`)).status, 200);
      const res = await post(`${url}/invocations`, { dataframe_split: { columns: COLUMNS, data: [[3, 'male', 22, 7.25, 'S']] } });
      assert.equal(res.status, 200, JSON.stringify(res.json));
      const predictions = res.json.predictions as { label: number[]; probabilities: number[][] };
      assert.equal(predictions.label.length, 1);
      assert.equal(predictions.probabilities[0]!.length, 2);
      // The curl example it printed once ready works as printed.
      for (let i = 0; i < 100 && !output().includes('Ready. Try it:'); i++) await new Promise((r) => setTimeout(r, 50));
      const [example] = curlBodies(output());
      assert.equal(example?.url, `${url}/invocations`);
      assert.equal((await post(example.url, example.body)).status, 200);
      // It serves only its model.
      assert.equal((await post(`${url}/v2/models/other/infer`, { inputs: [] })).status, 404);
    } finally {
      child.kill('SIGTERM');
      const code = await new Promise<number | null>((r) => (child.exitCode !== null ? r(child.exitCode) : child.once('exit', (c) => r(c))));
      assert.equal(code, 0, output());
    }
  });

  it('pitwall serve with a wrong model name fails at once with one line and exit code 1', async () => {
    const r = await pitwall(['serve', 'models:/titnaic@champion', '--port', '0', '--data-dir', dataDir]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^pitwall: cannot serve models:\/titnaic@champion: Registered Model with name=titnaic not found\n$/);
  });

  it('deployments delete removes it', async () => {
    const del = await cli(['deployments', 'delete', 'titanic']);
    assert.equal(del.code, 0, del.stderr);
    assert.equal(del.stdout, 'Deleted deployment titanic.\n');
    const show = await cli(['deployments', 'show', 'titanic']);
    assert.equal(show.code, 1);
    assert.match(show.stderr, /^pitwall: RESOURCE_DOES_NOT_EXIST: /);
    assert.equal((await post(`${server.url}/v2/models/titanic/infer`, { inputs: [] })).status, 404);
  });
});
