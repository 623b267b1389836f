import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { STORIES_FILE } from '../serving/llm/testing/stories.js';
import { ApiHarness, assertError } from './testing/api-harness.js';

describe('LLM quality monitors: feedback rates, an LLM judge, the human review queue', () => {
  let h: ApiHarness;
  const v1 = (method: string, url: string, body?: unknown) => h.request(method, `/api/v1${url}`, body);
  const ids: string[] = [];

  const check = async (name: string) => {
    const queued = await v1('POST', `/monitors/${name}/run`);
    assert.equal(queued.status, 200, queued.body);
    for (let i = 0; i < 2000; i++) {
      const job = await v1('GET', `/jobs/${queued.json.job_id}`);
      if (job.json.job.state === 'completed') return (await v1('GET', `/monitors/${name}/runs/${job.json.job.output.run_id}`)).json.run;
      assert.notEqual(job.json.job.state, 'failed', JSON.stringify(job.json.job));
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('the check never finished');
  };

  before(async () => {
    h = await ApiHarness.start();
    await h.registerFile('stories', STORIES_FILE);
    await h.deploy({ name: 'stories', model: 'models:/stories/1', config: { parallel: 2, context_size: 512, threads: 1 } });
    for (let i = 0; i < 12; i++) {
      const r = await h.app.inject({
        method: 'POST',
        url: '/v1/chat/completions',
        payload: { model: 'stories', messages: [{ role: 'user', content: `Tell me story number ${i} about a cat.` }], max_tokens: 24, seed: i },
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(r.statusCode, 200, r.body);
      ids.push(String(r.headers['x-pitwall-prediction-id']));
    }
    // Ten of twelve answers get a thumbs down.
    for (const [i, id] of ids.entries()) assert.equal((await v1('POST', '/feedback', { prediction_id: id, thumbs: i < 10 ? 'down' : 'up' })).status, 200);
  });
  after(() => h.close());

  it('flags a thumbs-down rate above its threshold with confidence, has the judge grade answers, and queues answers for people', async () => {
    const created = await v1('POST', '/monitors', {
      name: 'stories-quality',
      type: 'llm_quality',
      deployment: 'stories',
      window_minutes: 60,
      quality: { judge: { deployment: 'stories', sample_size: 12 }, review_sample_size: 4, min_count: 10 },
    });
    assert.equal(created.status, 200, created.body);
    assert.equal(created.json.monitor.type, 'llm_quality');
    assert.equal(created.json.monitor.quality.judge.deployment, 'stories');
    assert.match(created.json.monitor.quality.judge.rubric, /correct, relevant/);

    const run = await check('stories-quality');
    assert.equal(run.status, 'drifted', JSON.stringify(run));
    const r = run.report;
    assert.equal(r.type, 'llm_quality');
    assert.equal(r.predictions, 12);
    assert.equal(r.gradable, 12);
    assert.deepEqual([r.feedback.up, r.feedback.down], [2, 10]);
    const down = r.signals.find((s: { name: string }) => s.name === 'thumbs_down_rate');
    assert.equal(down.status, 'tested');
    assert.ok(Math.abs(down.rate - 10 / 12) < 1e-12);
    assert.ok(down.interval.low > 0.2 && down.interval.high < 1, JSON.stringify(down.interval));
    assert.equal(down.degraded, true);
    // The judge (the same GGUF, its answer held to the JSON schema by a grammar) graded every answer once.
    assert.deepEqual(r.judge.errors, []);
    assert.equal(r.judge.judgedNow, 12);
    assert.equal(r.judge.graded, 12);
    assert.ok(r.judge.meanScore >= 1 && r.judge.meanScore <= 5);
    assert.equal(r.human.queuedNow, 4);
    assert.equal(r.human.pending, 4);
    // The judge's calls went through the chat route: logged like any request to that deployment.
    const logged = await v1('GET', '/predictions?deployment=stories&max_results=100');
    assert.equal(logged.json.predictions.length, 24);

    const pending = await v1('GET', '/reviews?monitor=stories-quality&source=human&state=pending');
    assert.equal(pending.json.reviews.length, 4);
    const first = pending.json.reviews[0];
    assert.match(first.prompt, /^Tell me story number \d+ about a cat\.$/);
    assert.equal(typeof first.answer, 'string');
    for (const [i, rv] of pending.json.reviews.entries()) {
      const graded = await v1('POST', `/reviews/${rv.id}`, i === 3 ? { skip: true } : { score: [2, 4, 5][i], comment: 'ok', reviewer: 'ana' });
      assert.equal(graded.status, 200, graded.body);
    }
    assertError(await v1('POST', `/reviews/${first.id}`, { score: 7 }), 400, 'INVALID_PARAMETER_VALUE', 'score');
    assertError(await v1('POST', '/reviews/nope', { score: 3 }), 404, 'RESOURCE_DOES_NOT_EXIST', 'review_id');
    const judged = (await v1('GET', '/reviews?monitor=stories-quality&source=judge&max_results=1')).json.reviews[0];
    assertError(await v1('POST', `/reviews/${judged.id}`, { score: 3 }), 400, 'INVALID_PARAMETER_VALUE', 'review_id');

    // Next check: every answer is judged already; four more answers are queued for people; three human grades, each
    // beside the judge's for the same answer.
    const again = await check('stories-quality');
    assert.equal(again.report.judge.judgedNow, 0);
    assert.equal(again.report.human.queuedNow, 4);
    assert.equal(again.report.human.pending, 4);
    assert.equal(again.report.human.graded, 3);
    assert.equal(again.report.signals.find((s: { name: string }) => s.name === 'human_pass_rate').status, 'insufficient_data');
    const a = again.report.agreement;
    assert.ok(a.pairs === 3 || typeof a.error === 'string', JSON.stringify(a));
    assert.equal(again.alert, null, 'still degraded: not announced twice');
  });

  it('quality settings are checked', async () => {
    assertError(await v1('POST', '/monitors', { name: 'q2', type: 'llm_quality', deployment: 'stories', quality: { judge: { sample_size: 3 } } }), 400, 'INVALID_PARAMETER_VALUE', 'quality.judge.deployment');
    assertError(await v1('POST', '/monitors', { name: 'q2', type: 'llm_quality', deployment: 'stories', quality: { min_pass_rate: 2 } }), 400, 'INVALID_PARAMETER_VALUE', 'quality.min_pass_rate');
    assertError(await v1('POST', '/monitors', { name: 'q2', type: 'quality', deployment: 'stories' }), 400, 'INVALID_PARAMETER_VALUE', 'type');
    assertError(await v1('POST', '/monitors', { name: 'q2', deployment: 'stories', quality: { pass_score: 3 } }), 400, 'INVALID_PARAMETER_VALUE', 'quality');
    assertError(await v1('GET', '/reviews?state=waiting'), 400, 'INVALID_PARAMETER_VALUE', 'state');
  });
});
