import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { parseExposition, total } from '../monitoring/testing/scrape.js';
import { STORIES_FILE } from '../serving/llm/testing/stories.js';
import { TITANIC_FILE, titanicV2 } from '../serving/testing/titanic.js';
import { ApiHarness } from './testing/api-harness.js';

const UUID7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** `promtool check metrics` (Debian's prometheus package, installed by .ci/run): exit status and what it said. */
function promtool(text: string): { status: number | null; out: string } {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (r.error) throw new Error(`promtool is needed (apt-get install prometheus): ${r.error.message}`);
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('/metrics', () => {
  let h: ApiHarness;
  const scrape = async () => {
    const r = await h.app.inject({ method: 'GET', url: '/metrics' });
    assert.equal(r.statusCode, 200);
    assert.match(String(r.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    return { text: r.body, samples: parseExposition(r.body) };
  };
  const infer = (name: string, payload: unknown, headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'POST', url: `/v2/models/${name}/infer`, payload: payload as object, headers: { 'content-type': 'application/json', ...headers } });

  before(async () => {
    h = await ApiHarness.start();
    await h.registerFile('titanic', TITANIC_FILE);
    await h.registerFile('stories', STORIES_FILE);
    await h.deploy({ name: 'titanic', model: 'models:/titanic/1', config: { cost_per_request: 0.002 } });
    await h.deploy({ name: 'stories', model: 'models:/stories/1', config: { parallel: 1, max_queue: 1, context_size: 512, threads: 1, cost_per_1k_input_tokens: 0.5, cost_per_1k_output_tokens: 1.5 } });
    await h.deploy({ name: 'tales', model: 'models:/stories/1', config: { parallel: 1, max_queue: 1, context_size: 512, threads: 1 } });
  });
  after(() => h.close());

  it('counts tensor requests by deployment, version and code, with duration, batch sizes, cost, and a prediction id on every answer', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await infer('titanic', titanicV2());
      assert.equal(r.statusCode, 200, r.body);
      ids.push(String(r.headers['x-pitwall-prediction-id']));
    }
    const bad = await infer('titanic', { inputs: [{ name: 'nope', datatype: 'FP32', shape: [1], data: [1] }] });
    assert.equal(bad.statusCode, 400);
    ids.push(String(bad.headers['x-pitwall-prediction-id']));
    const scored = await h.app.inject({ method: 'POST', url: '/deployments/titanic/invocations', payload: { dataframe_records: [{ pclass: 1, sex: 'female', age: 29, fare: 211.3, embarked: 'S' }] } });
    assert.equal(scored.statusCode, 200, scored.body);
    for (const id of ids) assert.match(id, UUID7);
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual([...ids].sort(), ids, 'ids sort by arrival');
    // A deployment that does not exist is a 404 and no series: names in metrics stay bounded.
    assert.equal((await infer('nope', titanicV2())).statusCode, 404);

    const { text, samples } = await scrape();
    const titanic = { deployment: 'titanic', model: 'titanic', version: '1' };
    assert.equal(total(samples, 'pitwall_requests_total', { ...titanic, code: '200' }), 4);
    assert.equal(total(samples, 'pitwall_requests_total', { ...titanic, code: '400' }), 1);
    assert.equal(total(samples, 'pitwall_request_errors_total', { ...titanic, class: 'client' }), 1);
    assert.equal(total(samples, 'pitwall_request_duration_seconds_count', titanic), 5);
    assert.equal(total(samples, 'pitwall_request_duration_seconds_bucket', { ...titanic, le: '+Inf' }), 5);
    // Four answered requests are charged; the 400 is not.
    assert.ok(Math.abs(total(samples, 'pitwall_cost_usd_total', titanic) - 0.008) < 1e-12);
    // Three requests of 3 rows and one of 1 row ran; each batch holds 1-4 rows.
    assert.equal(total(samples, 'pitwall_batch_size_sum', titanic), 10);
    assert.ok(total(samples, 'pitwall_batch_size_bucket', { ...titanic, le: '4' }) >= 1);
    assert.ok(total(samples, 'pitwall_model_memory_bytes', titanic) > 0);
    assert.ok(total(samples, 'pitwall_model_load_seconds', titanic) > 0);
    assert.equal(total(samples, 'pitwall_queue_depth', titanic), 0);
    assert.equal(samples.filter((s) => s.labels.deployment === 'nope').length, 0);
    assert.ok(total(samples, 'process_resident_memory_bytes') > 0);
    const check = promtool(text);
    assert.equal(check.status, 0, check.out);
  });

  it('counts LLM tokens, time to first token and cost per 1,000 tokens; 429s are rejections', async () => {
    const r = await h.request('POST', '/v1/completions', { model: 'stories', prompt: 'Once upon a time', max_tokens: 20, temperature: 0 });
    assert.equal(r.status, 200, r.body);
    assert.deepEqual([r.json.usage.prompt_tokens, r.json.usage.completion_tokens], [5, 20]);
    const body = { model: 'stories', prompt: 'Once upon a time', max_tokens: 200, ignore_eos: true };
    const answers = await Promise.all([0, 1, 2, 3].map(() => h.request('POST', '/v1/completions', body)));
    const refused = answers.filter((a) => a.status === 429).length;
    assert.ok(refused >= 2, `parallel 1 and max_queue 1 take at most two of four: ${answers.map((a) => a.status).join(',')}`);

    const { text, samples } = await scrape();
    const stories = { deployment: 'stories', model: 'stories', version: '1' };
    const served = answers.filter((a) => a.status === 200);
    assert.equal(total(samples, 'pitwall_prompt_tokens_total', stories), 5 * (1 + served.length));
    assert.equal(total(samples, 'pitwall_generation_tokens_total', stories), 20 + 200 * served.length);
    assert.equal(total(samples, 'pitwall_time_to_first_token_seconds_count', stories), 1 + served.length);
    assert.equal(total(samples, 'pitwall_time_per_output_token_seconds_count', stories), 1 + served.length);
    assert.equal(total(samples, 'pitwall_llm_slots', stories), 1);
    // A second deployment of the same file and settings shares the engine: its engine gauges say so.
    const engineOf = (deployment: string) => samples.filter((s) => s.name === 'pitwall_model_memory_bytes' && s.labels.deployment === deployment).map((s) => [s.labels.engine, s.value]);
    assert.deepEqual(engineOf('tales'), engineOf('stories'));
    assert.match(String(engineOf('stories')[0]?.[0]), /^[0-9a-f]{12}$/);
    assert.notDeepEqual(engineOf('titanic')[0]?.[0], engineOf('stories')[0]?.[0]);
    assert.equal(total(samples, 'pitwall_request_rejections_total', { deployment: 'stories', code: '429' }), refused);
    assert.equal(total(samples, 'pitwall_requests_total', { deployment: 'stories', code: '200' }), 1 + served.length);
    const cost = (5 * (1 + served.length) * 0.5 + (20 + 200 * served.length) * 1.5) / 1000;
    assert.ok(Math.abs(total(samples, 'pitwall_cost_usd_total', { deployment: 'stories' }) - cost) < 1e-9, `cost ${total(samples, 'pitwall_cost_usd_total', { deployment: 'stories' })} vs ${cost}`);
    const check = promtool(text);
    assert.equal(check.status, 0, check.out);
  });

  it('rejects bad cost and sampling settings naming the field', async () => {
    const r = await h.request('PATCH', '/api/v1/deployments/titanic', { config: { log_sample_rate: 1.5 } });
    assert.equal(r.status, 400, r.body);
    assert.equal(r.json.field, 'config.log_sample_rate');
    const c = await h.request('PATCH', '/api/v1/deployments/titanic', { config: { cost_per_request: -1 } });
    assert.equal(c.json.field, 'config.cost_per_request');
    const loadedAt = (await h.request('GET', '/api/v1/deployments/titanic/status')).json.status.targets[0].loaded_at;
    const ok = await h.request('PATCH', '/api/v1/deployments/titanic', { config: { log_sample_rate: 0.25, cost_per_compute_second: 0.0001 } });
    assert.equal(ok.status, 200, ok.body);
    assert.equal(ok.json.deployment.config.log_sample_rate, 0.25);
    // Monitoring settings reload nothing: the loaded version stays, and the new cost model applies at once.
    for (let i = 0; i < 100 && (await h.request('GET', '/api/v1/deployments/titanic/status')).json.status.revision < ok.json.deployment.revision; i++) await new Promise((r) => setTimeout(r, 20));
    const st = await h.request('GET', '/api/v1/deployments/titanic/status');
    assert.equal(st.json.status.targets[0].loaded_at, loadedAt);
    const before = total((await scrape()).samples, 'pitwall_cost_usd_total', { deployment: 'titanic' });
    assert.equal((await infer('titanic', titanicV2())).statusCode, 200);
    const added = total((await scrape()).samples, 'pitwall_cost_usd_total', { deployment: 'titanic' }) - before;
    assert.ok(added > 0.002 && added < 0.003, `per request 0.002 plus a fraction of a second at 0.0001/s: ${added}`);
  });
});
