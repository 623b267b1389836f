import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PitwallClient } from '../../src/sdk/index.js';
import { type CliResult, type PitwallProcess, pitwall, REPO, startPitwall } from './pitwall-process.js';

/** The shared model zoo sits beside the repository (`<repo>/../shared`). */
const TITANIC = path.resolve(REPO, '..', 'shared', 'models', 'sklearn-titanic', 'pipeline_titanic_nozipmap.onnx');
const MNIST = path.resolve(REPO, '..', 'shared', 'models', 'mnist', 'mnist-8.onnx');

type Result = CliResult;

describe('pitwall models / artifacts against a real server', () => {
  let dataDir: string;
  let work: string;
  let server: PitwallProcess;
  let client: PitwallClient;
  let cli: (args: string[], cwd?: string) => Promise<Result>;
  let runId: string;

  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'pitwall-cli-registry-'));
    work = mkdtempSync(path.join(os.tmpdir(), 'pitwall-cli-registry-work-'));
    server = await startPitwall(dataDir);
    client = new PitwallClient({ baseUrl: server.url });
    cli = (args, cwd) => pitwall(args, { PITWALL_TRACKING_URI: server.url }, cwd);
    const exp = await client.createExperiment('registry-e2e');
    runId = (await client.createRun({ experimentId: exp, runName: 'train-titanic' })).info.run_id;
  });

  after(async () => {
    const code = await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
    assert.equal(code, 0, `server exit code after SIGTERM; output:\n${server?.output()}`);
  });

  it('registers the Titanic ONNX pipeline and prints its signature', async () => {
    const r = await cli(['models', 'register', TITANIC, '--name', 'titanic', '--description', 'first cut']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Registered titanic version 1\./);
    assert.match(r.stdout, /source\s+mlflow-artifacts:\/models\/titanic\/[0-9a-f]{32}\n/);
    assert.match(r.stdout, /flavor\s+onnx/);
    assert.match(r.stdout, /inputs \(5\)\n\s+NAME\s+DTYPE\s+SHAPE\n\s+pclass\s+int64\s+\[\?, 1\]\n\s+sex\s+string\s+\[\?, 1\]\n\s+age\s+float32\s+\[\?, 1\]\n\s+fare\s+float32\s+\[\?, 1\]\n\s+embarked\s+string\s+\[\?, 1\]/);
    assert.match(r.stdout, /outputs \(2\)\n.*\n\s+label\s+int64\s+\[\?\]\n\s+probabilities\s+float32\s+\[\?, 2\]/);
    assert.equal(r.stderr, '', 'no progress bar when stderr is not a terminal');
  });

  it('registers a second version from a run, linked to it, with an alias', async () => {
    const r = await cli(['models', 'register', TITANIC, '-n', 'titanic', '--run', runId, '--alias', 'staging', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const v = JSON.parse(r.stdout).model_version;
    assert.equal(v.version, '2');
    assert.equal(v.runId, runId);
    assert.deepEqual(v.aliases, ['staging']);
    assert.match(v.source, new RegExp(`^mlflow-artifacts:/\\d+/${runId}/artifacts/model$`));
    const ls = await cli(['artifacts', 'ls', `${runId}/model`]);
    assert.equal(ls.code, 0, ls.stderr);
    assert.match(ls.stdout, /model\/pipeline_titanic_nozipmap\.onnx\s+1\.79 kB/);
    // A second registration from the same run must not add files to the first one's directory.
    const again = await cli(['models', 'register', MNIST, '-n', 'mnist-from-run', '--run', runId, '--json']);
    assert.equal(again.code, 0, again.stderr);
    const m = JSON.parse(again.stdout).model_version;
    assert.match(m.source, new RegExp(`^mlflow-artifacts:/\\d+/${runId}/artifacts/model-[0-9a-f]{8}$`));
    assert.equal(m.manifest.flavor, 'onnx');
    const after = await cli(['artifacts', 'ls', `${runId}/model`]);
    assert.doesNotMatch(after.stdout, /mnist/);
  });

  it('lists models and shows the model and a version', async () => {
    const list = await cli(['models', 'list']);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^NAME\s+LATEST\s+ALIASES\s+UPDATED\s+DESCRIPTION\nmnist-from-run\s+1\s+\S.*\ntitanic\s+2\s+staging→2/);

    const show = await cli(['models', 'show', 'titanic']);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, /Versions \(2\)\n\s+VERSION\s+ALIASES\s+STAGE\s+STATUS\s+APPROVAL\s+FLAVOR/);
    assert.match(show.stdout, /\n\s+2\s+staging\s+None\s+READY\s+onnx/);

    const v = await cli(['models', 'show', 'titanic@staging']);
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stdout, /^Model version titanic\/2\n/);
    assert.match(v.stdout, new RegExp(`run\\s+${runId}`));
    assert.match(v.stdout, /storage\s+mlflow-artifacts:\//);
    assert.match(v.stdout, /pclass\s+int64\s+\[\?, 1\]/);
    assert.match(v.stdout, /Lineage\n.*FROM\s+RELATION\s+TO\n\s+run train-titanic\s+registered_as\s+model version titanic v2/);
  });

  it('protects champion: the alias needs an approval, then moves', async () => {
    const p = await cli(['models', 'protect', 'titanic', 'champion']);
    assert.equal(p.code, 0, p.stderr);
    const refused = await cli(['models', 'alias', 'titanic', 'champion', '1']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^pitwall: RESOURCE_CONFLICT: Alias 'champion' of model 'titanic' is protected: version 1 must be approved first/);

    const ok = await cli(['models', 'approve', 'titanic/1', '--comment', 'AUC 0.84 on holdout', '--approver', 'ana']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout, 'Approved titanic version 1 (by ana).\n');
    const set = await cli(['models', 'alias', 'titanic', 'champion', '1']);
    assert.equal(set.code, 0, set.stderr);
    assert.equal((await cli(['models', 'alias', 'titanic', 'champion'])).stdout, 'titanic@champion → version 1\n');

    const shown = await cli(['models', 'show', 'titanic/1']);
    assert.match(shown.stdout, /Approvals \(1\)\n\s+DECISION\s+BY\s+WHEN\s+COMMENT\n\s+approved\s+ana\s+\S+ \S+\s+AUC 0\.84 on holdout/);
    assert.match((await cli(['models', 'show', 'titanic'])).stdout, /\n\s+1\s+champion\s+None\s+READY\s+approved\s+onnx/);
  });

  it('round-trips files through a run with artifacts put/get, byte for byte', async () => {
    const src = path.join(work, 'outputs');
    mkdirSync(path.join(src, 'plots'), { recursive: true });
    const blob = randomBytes(3 * 1024 * 1024 + 11);
    writeFileSync(path.join(src, 'weights.bin'), blob);
    writeFileSync(path.join(src, 'plots', 'loss.csv'), 'step,loss\n0,1.0\n');

    const put = await cli(['artifacts', 'put', src, `${runId}/outputs`]);
    assert.equal(put.code, 0, put.stderr);
    assert.match(put.stdout, new RegExp(`^Uploaded 2 files \\(3\\.15 MB\\) to run ${runId} under outputs/\\.\\n$`));

    const dir = await cli(['artifacts', 'get', `${runId}/outputs`, path.join(work, 'back')]);
    assert.equal(dir.code, 0, dir.stderr);
    assert.ok(readFileSync(path.join(work, 'back', 'weights.bin')).equals(blob));
    assert.equal(readFileSync(path.join(work, 'back', 'plots', 'loss.csv'), 'utf8'), 'step,loss\n0,1.0\n');

    const one = await cli(['artifacts', 'get', `${runId.slice(0, 8)}/outputs/weights.bin`], work);
    assert.equal(one.code, 0, one.stderr);
    assert.ok(readFileSync(path.join(work, 'weights.bin')).equals(blob));

    const model = await cli(['artifacts', 'get', 'models:/titanic@champion', path.join(work, 'champion')]);
    assert.equal(model.code, 0, model.stderr);
    assert.ok(readFileSync(path.join(work, 'champion', 'pipeline_titanic_nozipmap.onnx')).equals(readFileSync(TITANIC)));
  });

  it('fails clearly: missing file, unknown model, bad usage', async () => {
    const missing = await cli(['models', 'register', path.join(work, 'nope.onnx'), '-n', 'titanic']);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, `pitwall: ${path.join(work, 'nope.onnx')}: no such file or directory\n`);

    const unknown = await cli(['models', 'show', 'ghost/1']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /^pitwall: RESOURCE_DOES_NOT_EXIST: /);

    const usage = await cli(['models', 'register', TITANIC]);
    assert.equal(usage.code, 2);
    assert.equal(usage.stderr, "pitwall: missing --name NAME (the registered model to add a version to)\nRun 'pitwall models register --help' for usage.\n");
  });
});
