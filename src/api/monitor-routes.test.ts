import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { csvRecords } from '../core/csv-records.js';
import { type Passenger, TITANIC_FILE, titanicV2 } from '../serving/testing/titanic.js';
import { ApiHarness, assertError } from './testing/api-harness.js';

const TITANIC_CSV = path.resolve(import.meta.dirname, '../../../shared/data/titanic-sample/small_titanic.csv');

/** The sample's passengers with every field the model needs. */
function passengers(): Passenger[] {
  const [header, ...rows] = csvRecords(readFileSync(TITANIC_CSV, 'utf8')).map((r) => r.fields);
  const at = (name: string) => header!.indexOf(name);
  return rows
    .filter((r) => r[at('age')] !== '' && r[at('embarked')] !== '' && r[at('fare')] !== '')
    .map((r) => [Number(r[at('pclass')]), r[at('sex')]!, Number(r[at('age')]), Number(r[at('fare')]), r[at('embarked')]!]);
}

describe('drift monitors API', () => {
  let h: ApiHarness;
  let hook: http.Server;
  let hookUrl = '';
  const received: { path: string; body: any }[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  const v1 = (method: string, url: string, body?: unknown) => h.request(method, `/api/v1${url}`, body);
  const people = passengers();

  const infer = async (rows: Passenger[]) => {
    for (const r of rows) {
      const res = await h.app.inject({ method: 'POST', url: '/v2/models/titanic/infer', payload: titanicV2([r]), headers: { 'content-type': 'application/json' } });
      assert.equal(res.statusCode, 200, res.body);
    }
    // Reading the log writes its buffer out (it is otherwise written every 200 ms).
    assert.equal((await v1('GET', '/predictions?max_results=1')).status, 200);
  };

  /** Runs a check through the jobs queue and answers the stored check. */
  const check = async (name: string) => {
    const queued = await v1('POST', `/monitors/${name}/run`);
    assert.equal(queued.status, 200, queued.body);
    for (let i = 0; i < 400; i++) {
      const job = await v1('GET', `/jobs/${queued.json.job_id}`);
      if (job.json.job.state === 'completed') {
        const run = await v1('GET', `/monitors/${name}/runs/${job.json.job.output.run_id}`);
        assert.equal(run.status, 200, run.body);
        return run.json.run;
      }
      assert.notEqual(job.json.job.state, 'failed', JSON.stringify(job.json.job));
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('the check never finished');
  };

  before(async () => {
    hook = http.createServer((req, res) => {
      let text = '';
      req.on('data', (c) => (text += c));
      req.on('end', () => {
        received.push({ path: req.url!, body: JSON.parse(text) });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`;
    h = await ApiHarness.start();
    await h.registerFile('titanic', TITANIC_FILE);
    await h.deploy({ name: 'titanic', model: 'models:/titanic/1' });
  });
  after(async () => {
    await h.close();
    hook.close();
  });

  it('checks live traffic against an uploaded reference: drift alerts once, recovery alerts once, every check is kept', async () => {
    const created = await v1('POST', '/monitors', {
      name: 'titanic-features',
      deployment: 'titanic',
      schedule: '*/10 * * * *',
      window_minutes: 30,
      options: { columns: ['pclass', 'sex', 'age', 'fare', 'embarked'] },
      webhooks: [
        { url: `${hookUrl}/json`, format: 'json' },
        { url: `${hookUrl}/slack`, format: 'slack' },
      ],
    });
    assert.equal(created.status, 200, created.body);
    assert.equal(created.json.monitor.state, 'unknown');
    assert.equal(created.json.monitor.reference, null);
    // Where the hooks go, not their paths (a Slack webhook's path is its secret).
    assert.deepEqual(created.json.monitor.webhooks, [
      { url: `${hookUrl}/…`, format: 'json' },
      { url: `${hookUrl}/…`, format: 'slack' },
    ]);
    // The schedule is on the jobs queue, keyed by the monitor's name.
    const schedules = await v1('GET', '/jobs/schedules');
    assert.ok(schedules.json.schedules.some((s: { name: string; key: string; cron: string }) => s.name === 'pitwall.drift-monitor' && s.key === 'titanic-features' && s.cron === '*/10 * * * *'), schedules.body);

    // No reference yet: the check is stored as an error that says what to do.
    const noRef = await check('titanic-features');
    assert.equal(noRef.status, 'error');
    assert.match(noRef.error, /no reference yet/);

    const upload = await h.app.inject({ method: 'PUT', url: '/api/v1/monitors/titanic-features/reference', payload: readFileSync(TITANIC_CSV), headers: { 'content-type': 'text/csv' } });
    assert.equal(upload.statusCode, 200, upload.body);
    assert.deepEqual(JSON.parse(upload.body).monitor.reference.rows, 38);

    // Traffic unlike the reference (first-class passengers of both sexes): older, richer, all men.
    await infer(people.map(([, , age, fare, emb]) => [1, 'male', age + 35, fare * 6 + 300, emb] as Passenger));
    const drifted = await check('titanic-features');
    assert.equal(drifted.status, 'drifted', JSON.stringify(drifted));
    assert.equal(drifted.current_rows, people.length);
    assert.ok(drifted.drifted >= 3);
    assert.equal(drifted.alert, 'drift');
    assert.equal(drifted.alert_error, null);
    const age = drifted.report.columns.find((c: { column: string }) => c.column === 'age');
    assert.equal(age.test, 'ks');
    assert.equal(age.drifted, true);
    assert.equal(received.length, 2);
    const json = received.find((r) => r.path === '/json')!.body;
    assert.equal(json.kind, 'drift');
    assert.equal(json.monitor, 'titanic-features');
    assert.ok(json.columns.some((c: { column: string }) => c.column === 'age'));
    const slack = received.find((r) => r.path === '/slack')!.body;
    assert.match(slack.text, /Drift detected by monitor titanic-features on deployment titanic/);
    assert.equal(slack.blocks[0].type, 'section');
    assert.equal((await v1('GET', '/monitors/titanic-features')).json.monitor.state, 'drifted');

    // Still drifting: stored, not announced again.
    const again = await check('titanic-features');
    assert.equal(again.status, 'drifted');
    assert.equal(again.alert, null);
    assert.equal(received.length, 2);

    // The reference now matches the traffic: recovery, announced once.
    const shifted = ['pclass,sex,age,fare,embarked', ...people.map(([, , age, fare, emb]) => `1,male,${age + 35},${fare * 6 + 300},${emb}`)].join('\n');
    const put = await h.app.inject({ method: 'PUT', url: '/api/v1/monitors/titanic-features/reference', payload: shifted, headers: { 'content-type': 'text/csv' } });
    assert.equal(put.statusCode, 200, put.body);
    const ok = await check('titanic-features');
    assert.equal(ok.status, 'ok', JSON.stringify(ok.report?.columns?.map((c: { column: string; score: number }) => [c.column, c.score])));
    assert.equal(ok.alert, 'recovery');
    assert.equal(received.length, 4);
    assert.equal(received.at(-1)!.body.kind ?? 'slack', received.at(-1)!.path === '/json' ? 'recovery' : 'slack');

    const runs = await v1('GET', '/monitors/titanic-features/runs');
    assert.deepEqual(runs.json.runs.map((r: { status: string }) => r.status), ['ok', 'drifted', 'drifted', 'error']);
    assert.equal(runs.json.runs[0].report, undefined, 'reports only when asked');
    const withReports = await v1('GET', '/monitors/titanic-features/runs?reports=true&max_results=1');
    assert.equal(withReports.json.runs.length, 1);
    assert.ok(Array.isArray(withReports.json.runs[0].report.columns));
    assertError(await v1('GET', '/monitors/titanic-features/runs?reports=true&max_results=500'), 400, 'INVALID_PARAMETER_VALUE', 'max_results');
  });

  it('a past window of the prediction log can be the reference', async () => {
    const from = Date.now() - 1;
    await infer(people);
    const to = Date.now() + 1;
    const m = await v1('POST', '/monitors', { name: 'from-window', deployment: 'titanic', reference: { type: 'window', from, to }, window_minutes: 30, options: { columns: ['age', 'fare'] } });
    assert.equal(m.status, 200, m.body);
    assert.deepEqual(m.json.monitor.reference, { type: 'window', deployment: 'titanic', from, to });
    const run = await check('from-window');
    assert.equal(run.reference_rows, people.length);
    assert.ok(['ok', 'drifted'].includes(run.status), JSON.stringify(run));
  });

  it('a dataset logged as an artifact of a tracking run can be the reference', async () => {
    const exp = await h.createExperiment('titanic-training');
    const runId = await h.createRun(exp);
    const run = await h.okGet('/runs/get', { run_id: runId });
    const base = String(run.run.info.artifact_uri).replace(/^mlflow-artifacts:\//, '');
    const put = await h.app.inject({ method: 'PUT', url: `/api/2.0/mlflow-artifacts/artifacts/${base}/data/train.csv`, payload: readFileSync(TITANIC_CSV), headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(put.statusCode, 200, put.body);
    const m = await v1('POST', '/monitors', { name: 'from-run', deployment: 'titanic', reference: { type: 'run_artifact', run_id: runId, path: 'data/train.csv' }, options: { columns: ['age', 'fare'] } });
    assert.equal(m.status, 200, m.body);
    assert.deepEqual(m.json.monitor.reference, { type: 'run_artifact', run_id: runId, path: 'data/train.csv' });
    const checked = await check('from-run');
    assert.equal(checked.reference_rows, 38);
    assert.ok(['ok', 'drifted'].includes(checked.status), JSON.stringify(checked));
    const missing = await v1('PATCH', '/monitors/from-run', { reference: { type: 'run_artifact', run_id: runId, path: 'data/nope.csv' } });
    assert.equal(missing.status, 200);
    const failed = await check('from-run');
    assert.equal(failed.status, 'error');
    assert.match(failed.error, /nope\.csv/);
    assertError(await v1('PATCH', '/monitors/from-run', { reference: { type: 'run_artifact', run_id: runId, path: '../../etc/passwd' } }), 400, 'INVALID_PARAMETER_VALUE', 'reference.path');
    assert.equal((await v1('DELETE', '/monitors/from-run')).status, 200);
  });

  it('a dataset monitor reads the file the newest run of an experiment logged, not a deployment', async () => {
    const exp = await h.createExperiment('nightly-batch');
    const log = async (csv: string | Buffer) => {
      const runId = await h.createRun(exp);
      const base = String((await h.okGet('/runs/get', { run_id: runId })).run.info.artifact_uri).replace(/^mlflow-artifacts:\//, '');
      const put = await h.app.inject({ method: 'PUT', url: `/api/2.0/mlflow-artifacts/artifacts/${base}/scored/batch.csv`, payload: csv, headers: { 'content-type': 'application/octet-stream' } });
      assert.equal(put.statusCode, 200, put.body);
      return runId;
    };
    await log(readFileSync(TITANIC_CSV));
    await new Promise((r) => setTimeout(r, 5));
    const newest = await log(['pclass,sex,age,fare,embarked', ...people.map(([, , age, fare, emb]) => `1,male,${age + 35},${fare * 6 + 300},${emb}`)].join('\n'));
    const m = await v1('POST', '/monitors', { name: 'nightly', current: { type: 'latest_run_artifact', experiment_id: exp, path: 'scored/batch.csv' }, options: { columns: ['sex', 'age', 'fare'] } });
    assert.equal(m.status, 200, m.body);
    assert.equal(m.json.monitor.deployment, '');
    assert.deepEqual(m.json.monitor.current, { type: 'latest_run_artifact', experiment_id: exp, path: 'scored/batch.csv' });
    const upload = await h.app.inject({ method: 'PUT', url: '/api/v1/monitors/nightly/reference', payload: readFileSync(TITANIC_CSV), headers: { 'content-type': 'text/csv' } });
    assert.equal(upload.statusCode, 200, upload.body);
    const checked = await check('nightly');
    assert.equal(checked.status, 'drifted', JSON.stringify(checked));
    assert.deepEqual(checked.report.source, { run_id: newest, path: 'scored/batch.csv' });
    assert.equal(checked.current_rows, people.length);
    assertError(await v1('POST', '/monitors', { name: 'n2', current: { type: 'latest_run_artifact', experiment_id: '999999', path: 'a.csv' } }), 404, 'RESOURCE_DOES_NOT_EXIST', 'current.experiment_id');
    assertError(await v1('POST', '/monitors', { name: 'n2', current: { type: 'latest_run_artifact', experiment_id: exp, path: '/etc/passwd' } }), 400, 'INVALID_PARAMETER_VALUE', 'current.path');
    assertError(await v1('POST', '/monitors', { name: 'n2', current: { type: 'latest_run_artifact', experiment_id: exp, path: 'a.csv' }, reference: { type: 'window', from: 1, to: 2 } }), 400, 'INVALID_PARAMETER_VALUE', 'reference.deployment');
    assertError(await v1('POST', '/monitors', { name: 'n2', type: 'llm_quality', current: { type: 'latest_run_artifact', experiment_id: exp, path: 'a.csv' } }), 400, 'INVALID_PARAMETER_VALUE', 'current');
    assert.equal((await v1('DELETE', '/monitors/nightly')).status, 200);
  });

  it('bad monitors get a 400 naming the field; unknown names a 404; deleting removes the schedule', async () => {
    assertError(await v1('POST', '/monitors', { name: 'x', deployment: 'nope' }), 404, 'RESOURCE_DOES_NOT_EXIST', 'deployment');
    assertError(await v1('POST', '/monitors', { name: 'x' }), 400, 'INVALID_PARAMETER_VALUE', 'deployment');
    assertError(await v1('POST', '/monitors', { name: 'bad name!', deployment: 'titanic' }), 400, 'INVALID_PARAMETER_VALUE', 'name');
    assertError(await v1('POST', '/monitors', { name: 'x', deployment: 'titanic', schedule: 'every hour' }), 400, 'INVALID_PARAMETER_VALUE', 'schedule');
    assertError(await v1('POST', '/monitors', { name: 'x', deployment: 'titanic', webhooks: [{ url: 'file:///etc/passwd' }] }), 400, 'INVALID_PARAMETER_VALUE', 'webhooks[0].url');
    assertError(await v1('POST', '/monitors', { name: 'x', deployment: 'titanic', options: { correction: 'sometimes' } }), 400, 'INVALID_PARAMETER_VALUE', 'options.correction');
    assertError(await v1('POST', '/monitors', { name: 'x', deployment: 'titanic', options: { tests: { all: 'bogus' } } }), 400, 'INVALID_PARAMETER_VALUE', 'options.tests.all');
    assertError(await v1('POST', '/monitors', { name: 'x', deployment: 'titanic', options: { thresholds: { all: -1 } } }), 400, 'INVALID_PARAMETER_VALUE', 'options.thresholds.all');
    assertError(await v1('POST', '/monitors', { name: 'x', deployment: 'titanic', options: { tests: { numeric: 'ks' } } }), 400, 'INVALID_PARAMETER_VALUE', 'options.tests.numeric');
    assertError(await v1('POST', '/monitors', { name: 'x', deployment: 'titanic', timezone: 'Mars/Olympus' }), 400, 'INVALID_PARAMETER_VALUE', 'timezone');
    assertError(await v1('POST', '/monitors', { name: 'x', deployment: 'titanic', webhooks: [{ url: 'https://user:s3cret@hooks.example.com/T0/B0/X' }] }), 400, 'INVALID_PARAMETER_VALUE', 'webhooks[0].url');
    assertError(await v1('POST', '/monitors', { name: 'x', deployment: 'titanic', reference: { type: 'window', from: 5, to: 1 } }), 400, 'INVALID_PARAMETER_VALUE', 'reference.to');
    assertError(await v1('POST', '/monitors', { name: 'x', deployment: 'titanic', window_minutes: 0 }), 400, 'INVALID_PARAMETER_VALUE', 'window_minutes');
    assertError(await v1('POST', '/monitors', { name: 'from-window', deployment: 'titanic' }), 400, 'RESOURCE_ALREADY_EXISTS', 'name');
    assertError(await v1('GET', '/monitors/nope'), 404, 'RESOURCE_DOES_NOT_EXIST', 'name');
    assertError(await v1('GET', '/monitors/from-window/runs/nope'), 404, 'RESOURCE_DOES_NOT_EXIST', 'run_id');
    const badCsv = await h.app.inject({ method: 'PUT', url: '/api/v1/monitors/from-window/reference', payload: 'a,b\n1,2,3\n', headers: { 'content-type': 'text/csv' } });
    assert.equal(badCsv.statusCode, 400, badCsv.body);
    assert.equal(JSON.parse(badCsv.body).field, 'body');
    assert.equal((await v1('GET', '/monitors/from-window')).json.monitor.reference.type, 'window', 'a refused upload changes nothing');

    const disabled = await v1('PATCH', '/monitors/from-window', { enabled: false });
    assert.equal(disabled.json.monitor.enabled, false);
    const keys = async () => (await v1('GET', '/jobs/schedules')).json.schedules.filter((s: { name: string }) => s.name === 'pitwall.drift-monitor').map((s: { key: string }) => s.key);
    assert.deepEqual(await keys(), ['titanic-features']);
    assert.equal((await v1('DELETE', '/monitors/titanic-features')).status, 200);
    assert.deepEqual(await keys(), []);
    assertError(await v1('GET', '/monitors/titanic-features/runs'), 404, 'RESOURCE_DOES_NOT_EXIST', 'name');
  });
});
