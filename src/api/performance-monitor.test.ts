import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { csvRecords } from '../core/csv-records.js';
import { type Passenger, TITANIC_FILE, titanicV2 } from '../serving/testing/titanic.js';
import { ApiHarness, assertError } from './testing/api-harness.js';

const TITANIC_CSV = path.resolve(import.meta.dirname, '../../../shared/data/titanic-sample/small_titanic.csv');

/** The sample's passengers with every field the model needs, and whether each survived. */
function passengers(): { p: Passenger; survived: number }[] {
  const [header, ...rows] = csvRecords(readFileSync(TITANIC_CSV, 'utf8')).map((r) => r.fields);
  const at = (name: string) => header!.indexOf(name);
  return rows
    .filter((r) => r[at('age')] !== '' && r[at('embarked')] !== '' && r[at('fare')] !== '')
    .map((r) => ({ p: [Number(r[at('pclass')]), r[at('sex')]!, Number(r[at('age')]), Number(r[at('fare')]), r[at('embarked')]!] as Passenger, survived: Number(r[at('survived')]) }));
}

describe('performance monitors: realized metrics against NannyML bands, CBPE before labels arrive', () => {
  let h: ApiHarness;
  const v1 = (method: string, url: string, body?: unknown) => h.request(method, `/api/v1${url}`, body);
  const people = passengers();

  /** Serves each passenger; labels each with whether they survived when `label`; answers the prediction ids. */
  const serve = async (deployment: string, rows: Passenger[], labels?: number[]) => {
    const ids: string[] = [];
    for (const r of rows) {
      const res = await h.app.inject({ method: 'POST', url: `/v2/models/${deployment}/infer`, payload: titanicV2([r]), headers: { 'content-type': 'application/json' } });
      assert.equal(res.statusCode, 200, res.body);
      ids.push(String(res.headers['x-pitwall-prediction-id']));
    }
    assert.equal((await v1('GET', '/predictions?max_results=1')).status, 200);
    if (labels) {
      const r = await v1('POST', '/labels', { labels: ids.map((id, i) => ({ prediction_id: id, label: labels[i] })) });
      assert.equal(r.status, 200, r.body);
    }
    return ids;
  };

  const check = async (name: string) => {
    const queued = await v1('POST', `/monitors/${name}/run`);
    assert.equal(queued.status, 200, queued.body);
    for (let i = 0; i < 400; i++) {
      const job = await v1('GET', `/jobs/${queued.json.job_id}`);
      if (job.json.job.state === 'completed') return (await v1('GET', `/monitors/${name}/runs/${job.json.job.output.run_id}`)).json.run;
      assert.notEqual(job.json.job.state, 'failed', JSON.stringify(job.json.job));
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('the check never finished');
  };

  let refFrom = 0;
  let refTo = 0;
  before(async () => {
    h = await ApiHarness.start();
    await h.registerFile('titanic', TITANIC_FILE);
    // The reference is the validation deployment's labelled traffic; production traffic goes to the others.
    for (const name of ['validation', 'titanic', 'titanic-b']) await h.deploy({ name, model: 'models:/titanic/1' });
    refFrom = Date.now() - 1;
    await serve(
      'validation',
      [...people, ...people].map((x) => x.p),
      [...people, ...people].map((x) => x.survived),
    );
    refTo = Date.now() + 1;
  });
  after(() => h.close());

  it('labelled traffic whose answers go wrong falls below the band; without labels CBPE estimates each chunk', async () => {
    const m = await v1('POST', '/monitors', {
      name: 'titanic-accuracy',
      type: 'performance',
      deployment: 'titanic',
      reference: { type: 'window', deployment: 'validation', from: refFrom, to: refTo },
      window_minutes: 30,
      performance: { metric: 'accuracy', chunk_size: 12 },
    });
    assert.equal(m.status, 200, m.body);
    assert.deepEqual(m.json.monitor.performance, { metric: 'accuracy', chunk_size: 12, chunk_minutes: null, positive_label: 1, positive_index: 1, estimate: true });

    // The same people, labelled with the opposite of their fate: the model is now mostly wrong.
    await serve(
      'titanic',
      people.map((x) => x.p),
      people.map((x) => 1 - x.survived),
    );
    const bad = await check('titanic-accuracy');
    assert.equal(bad.status, 'drifted', JSON.stringify(bad.report ?? bad.error));
    assert.equal(bad.alert, null, 'no webhooks: nothing sent');
    const r = bad.report;
    assert.equal(r.type, 'performance');
    assert.equal(r.reference.rows, people.length * 2);
    assert.equal(r.reference.chunks.length, Math.floor((people.length * 2) / 12));
    assert.ok(r.reference.band.lower > 0.4, JSON.stringify(r.reference.band));
    assert.equal(r.current.labelled, people.length);
    assert.ok(r.chunks.length >= 2);
    for (const c of r.chunks) {
      assert.equal(c.basis, 'realized');
      assert.ok(c.realized < r.reference.band.lower, JSON.stringify(c));
      assert.equal(c.alert, true);
      // CBPE's estimate sits beside the realized value: the model's own confidence cannot know the labels flipped.
      assert.ok(c.estimated > c.realized, JSON.stringify(c));
    }

    // Traffic with no labels yet: every chunk is judged on CBPE's estimate, which stays in the band.
    const m2 = await v1('POST', '/monitors', { name: 'titanic-estimated', type: 'performance', deployment: 'titanic-b', reference: { type: 'window', deployment: 'validation', from: refFrom, to: refTo }, performance: { metric: 'accuracy', chunk_size: 12 } });
    assert.equal(m2.status, 200, m2.body);
    await serve(
      'titanic-b',
      people.map((x) => x.p),
    );
    const est = await check('titanic-estimated');
    assert.equal(est.status, 'ok', JSON.stringify(est.report ?? est.error));
    assert.equal(est.report.current.labelled, 0);
    for (const c of est.report.chunks) {
      assert.equal(c.basis, 'estimated');
      assert.equal(c.realized, null);
      assert.ok(c.estimated >= est.report.reference.band.lower && c.estimated <= 1, JSON.stringify(c));
      assert.ok(c.lowerConfidence <= c.estimated && c.estimated <= c.upperConfidence);
    }
  });

  it('performance settings and references are checked', async () => {
    assertError(await v1('POST', '/monitors', { name: 'p2', type: 'performance', deployment: 'titanic', performance: { metric: 'auc' } }), 400, 'INVALID_PARAMETER_VALUE', 'performance.metric');
    assertError(await v1('POST', '/monitors', { name: 'p2', type: 'performance', deployment: 'titanic', performance: { chunk_size: 2 } }), 400, 'INVALID_PARAMETER_VALUE', 'performance.chunk_size');
    const tiny = await v1('POST', '/monitors', { name: 'p3', type: 'performance', deployment: 'titanic', reference: { type: 'window', from: refFrom, to: refFrom + 1 }, performance: { chunk_size: 12 } });
    assert.equal(tiny.status, 200, tiny.body);
    const run = await check('p3');
    assert.equal(run.status, 'error');
    assert.match(run.error, /the reference has 0 labelled rows; at least 2 chunks of 12/);
  });
});
