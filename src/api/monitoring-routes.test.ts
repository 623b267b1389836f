import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { parseExposition, total } from '../monitoring/testing/scrape.js';
import { parseCsvTable } from '../serving/protocols/csv-table.js';
import { STORIES_FILE } from '../serving/llm/testing/stories.js';
import { PASSENGERS, TITANIC_FILE, titanicV2 } from '../serving/testing/titanic.js';
import { ApiHarness, assertError } from './testing/api-harness.js';

describe('prediction log, feedback and labels', () => {
  let h: ApiHarness;
  const infer = async (name: string, payload: unknown, headers: Record<string, string> = {}) => {
    const r = await h.app.inject({ method: 'POST', url: `/v2/models/${name}/infer`, payload: payload as object, headers: { 'content-type': 'application/json', ...headers } });
    return { status: r.statusCode, id: String(r.headers['x-pitwall-prediction-id']), json: JSON.parse(r.body) };
  };
  const list = async (query: string) => {
    const r = await h.request('GET', `/api/v1/predictions${query}`);
    assert.equal(r.status, 200, r.body);
    return r.json as { predictions: any[]; next_page_token?: string }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const metrics = async () => parseExposition((await h.app.inject({ method: 'GET', url: '/metrics' })).body);

  before(async () => {
    h = await ApiHarness.start({}, { maxPayloadBytes: 400 });
    await h.registerFile('titanic', TITANIC_FILE);
    await h.registerFile('stories', STORIES_FILE);
    await h.deploy({ name: 'titanic', model: 'models:/titanic/1', config: { cost_per_request: 0.5 } });
    await h.deploy({ name: 'quiet', model: 'models:/titanic/1', config: { log_sample_rate: 0 } });
    await h.deploy({ name: 'stories', model: 'models:/stories/1', config: { parallel: 2, context_size: 256, threads: 1 } });
  });
  after(() => h.close());

  it('logs every request with its id, version, inputs, outputs, latency, status, cost and entity key; queries filter and page', async () => {
    const ok = [];
    for (let i = 0; i < 5; i++) ok.push(await infer('titanic', titanicV2([PASSENGERS[i % PASSENGERS.length]!]), { 'x-pitwall-entity-key': `passenger-${i}` }));
    const bad = await infer('titanic', { inputs: [{ name: 'nope', datatype: 'FP32', shape: [1], data: [1] }] });
    assert.equal(bad.status, 400);
    const got = await h.request('GET', `/api/v1/predictions/${ok[0]!.id}`);
    assert.equal(got.status, 200, got.body);
    const p = got.json.prediction;
    assert.deepEqual([p.id, p.deployment, p.model, p.version, p.endpoint, p.status, p.entity_key, p.cost_usd, p.truncated], [ok[0]!.id, 'titanic', 'titanic', '1', '/v2/models/:name/infer', 200, 'passenger-0', 0.5, false]);
    assert.deepEqual(p.inputs, titanicV2([PASSENGERS[0]!]));
    assert.deepEqual(p.outputs, ok[0]!.json.outputs);
    assert.ok(p.latency_ms > 0 && p.time <= Date.now());

    const all = await list('?deployment=titanic');
    assert.deepEqual(all.predictions.map((x) => x.id), [bad.id, ...ok.map((x) => x.id).reverse()]);
    assert.deepEqual((await list('?deployment=titanic&status=error')).predictions.map((x) => [x.id, x.status]), [[bad.id, 400]]);
    assert.deepEqual((await list('?entity_key=passenger-3')).predictions.map((x) => x.id), [ok[3]!.id]);
    const first = await list('?deployment=titanic&max_results=4');
    assert.equal(first.predictions.length, 4);
    const second = await list(`?deployment=titanic&max_results=4&page_token=${first.next_page_token}`);
    assert.deepEqual([...first.predictions, ...second.predictions].map((x) => x.id), all.predictions.map((x) => x.id));
    assert.equal(second.next_page_token, undefined);
    assert.equal((await list(`?deployment=titanic&from=${new Date(Date.now() + 60_000).toISOString()}`)).predictions.length, 0);
    assertError(await h.request('GET', '/api/v1/predictions?status=teapot'), 400, 'INVALID_PARAMETER_VALUE', 'status');
    assertError(await h.request('GET', '/api/v1/predictions?from=yesterday'), 400, 'INVALID_PARAMETER_VALUE', 'from');
    assertError(await h.request('GET', '/api/v1/predictions?page_token=zzz'), 400, 'INVALID_PARAMETER_VALUE', 'page_token');
    assertError(await h.request('GET', '/api/v1/predictions/0190a000-0000-7000-8000-000000000000'), 404, 'RESOURCE_DOES_NOT_EXIST', 'prediction_id');
  });

  it('stores a JSON body as sent, and a body with bare NaN tokens as valid JSON', async () => {
    const body = titanicV2([PASSENGERS[1]!]);
    const pretty = await infer('titanic', JSON.stringify(body).replaceAll(',', ', '));
    assert.equal(pretty.status, 200);
    assert.deepEqual((await h.request('GET', `/api/v1/predictions/${pretty.id}`)).json.prediction.inputs, body);
    const lenient = await infer('titanic', `${JSON.stringify(body).slice(0, -1)},"parameters":{"note":NaN}}`);
    assert.equal(lenient.status, 200);
    const p = (await h.request('GET', `/api/v1/predictions/${lenient.id}`)).json.prediction;
    assert.deepEqual(p.inputs, { ...body, parameters: { note: 'NaN' } });
  });

  it('cuts payloads over the limit and says so', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => PASSENGERS[i % PASSENGERS.length]!);
    const r = await infer('titanic', titanicV2(rows));
    assert.equal(r.status, 200);
    const p = (await h.request('GET', `/api/v1/predictions/${r.id}`)).json.prediction;
    assert.equal(p.truncated, true);
    assert.equal(typeof p.inputs, 'string');
    assert.equal(p.inputs.length, 400);
    assert.ok(JSON.stringify(titanicV2(rows)).startsWith(p.inputs));
  });

  it('samples by the deployment’s log_sample_rate: metrics count every request, the log none at rate 0', async () => {
    const before = total(await metrics(), 'pitwall_prediction_log_sampled_out_total');
    for (let i = 0; i < 3; i++) assert.equal((await infer('quiet', titanicV2())).status, 200);
    assert.equal((await list('?deployment=quiet')).predictions.length, 0);
    const m = await metrics();
    assert.equal(total(m, 'pitwall_prediction_log_sampled_out_total') - before, 3);
    assert.equal(total(m, 'pitwall_requests_total', { deployment: 'quiet', code: '200' }), 3);
    assert.ok(total(m, 'pitwall_prediction_log_written_total') >= 7);
  });

  it('logs LLM requests, streamed or not, with the text and tokens', async () => {
    const r = await h.app.inject({ method: 'POST', url: '/v1/completions', payload: { model: 'stories', prompt: 'Once upon a time', max_tokens: 12, temperature: 0, stream: true }, headers: { 'content-type': 'application/json' } });
    assert.equal(r.statusCode, 200);
    const id = String(r.headers['x-pitwall-prediction-id']);
    const p = (await h.request('GET', `/api/v1/predictions/${id}`)).json.prediction;
    assert.deepEqual([p.deployment, p.model, p.version, p.endpoint, p.prompt_tokens, p.completion_tokens], ['stories', 'stories', '1', '/v1/completions', 5, 12]);
    assert.equal(p.inputs.prompt, 'Once upon a time');
    assert.equal(p.outputs.finish_reason, 'length');
    assert.ok(p.outputs.text.startsWith(', there was a little girl'), p.outputs.text);
  });

  it('logs a stream cut short with what it used: a client that left (499), a deadline mid-stream (504)', async () => {
    const base = await h.app.listen({ host: '127.0.0.1', port: 0 });
    // Reads the stream until `until` says stop (then hangs up), or to its end.
    const stream = (headers: Record<string, string>, until: (text: string) => boolean) =>
      new Promise<{ id: string; status: number; text: string }>((resolve, reject) => {
        const body = JSON.stringify({ model: 'stories', prompt: 'Once upon a time', max_tokens: 240, temperature: 0, ignore_eos: true, stream: true });
        const req = http.request(`${base}/v1/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
          let text = '';
          const done = () => resolve({ id: String(res.headers['x-pitwall-prediction-id']), status: res.statusCode!, text });
          res.setEncoding('utf8');
          res.on('data', (c: string) => {
            text += c;
            if (until(text)) {
              req.destroy();
              done();
            }
          });
          res.on('end', done);
        });
        req.on('error', reject);
        req.end(body);
      });
    const logged = async (id: string) => {
      for (let i = 0; i < 100; i++) {
        const r = await h.request('GET', `/api/v1/predictions/${id}`);
        if (r.status === 200) return r.json.prediction;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`prediction ${id} was not logged`);
    };

    // Tokens are charged whatever the outcome; the per-request price only for an answer.
    const priced = await h.request('PATCH', '/api/v1/deployments/stories', { config: { cost_per_request: 5, cost_per_1k_input_tokens: 2, cost_per_1k_output_tokens: 1 } });
    assert.equal(priced.status, 200, priced.body);
    for (let i = 0; i < 100 && (await h.request('GET', '/api/v1/deployments/stories/status')).json.status.revision < priced.json.deployment.revision; i++) await new Promise((r) => setTimeout(r, 20));

    const left = await stream({}, (t) => t.split('data: ').length > 4);
    const gone = await logged(left.id);
    assert.equal(gone.status, 499);
    assert.equal(gone.prompt_tokens, 5);
    assert.ok(gone.completion_tokens >= 3 && gone.completion_tokens < 240, String(gone.completion_tokens));
    assert.ok(gone.outputs.text.startsWith(', there was'), gone.outputs.text);
    assert.ok(Math.abs(gone.cost_usd - (5 * 2 + gone.completion_tokens) / 1000) < 1e-12, String(gone.cost_usd));

    const late = await stream({ 'x-pitwall-timeout-ms': '40' }, () => false);
    const cut = await logged(late.id);
    assert.equal(cut.status, 504);
    if (late.status === 200) {
      assert.match(late.text, /"error"/);
      assert.ok(cut.completion_tokens > 0 && cut.completion_tokens < 240, String(cut.completion_tokens));
    }
    const m = await metrics();
    assert.ok(total(m, 'pitwall_request_errors_total', { deployment: 'stories', class: 'cancelled' }) >= 1);
    assert.ok(total(m, 'pitwall_request_errors_total', { deployment: 'stories', class: 'timeout' }) >= 1);
  });

  it('takes feedback on a prediction: thumbs, score, comment; refuses bad feedback naming the field', async () => {
    const r = await infer('titanic', titanicV2());
    const fb = await h.request('POST', '/api/v1/feedback', { prediction_id: r.id, thumbs: 'down', comment: 'wrong for first class' });
    assert.equal(fb.status, 200, fb.body);
    assert.equal((await h.request('POST', '/api/v1/feedback', { prediction_id: r.id, score: 0.2 })).status, 200);
    const p = (await h.request('GET', `/api/v1/predictions/${r.id}`)).json.prediction;
    assert.deepEqual(p.feedback.map((f: { thumbs: string | null; score: number | null; comment: string | null }) => [f.thumbs, f.score, f.comment]), [['down', null, 'wrong for first class'], [null, 0.2, null]]);
    assertError(await h.request('POST', '/api/v1/feedback', { prediction_id: r.id, thumbs: 'sideways' }), 400, 'INVALID_PARAMETER_VALUE', 'thumbs');
    assertError(await h.request('POST', '/api/v1/feedback', { prediction_id: r.id }), 400, 'INVALID_PARAMETER_VALUE', 'thumbs');
    assertError(await h.request('POST', '/api/v1/feedback', { prediction_id: r.id, score: 'high' }), 400, 'INVALID_PARAMETER_VALUE', 'score');
    assertError(await h.request('POST', '/api/v1/feedback', { prediction_id: 'nope', thumbs: 'up' }), 400, 'INVALID_PARAMETER_VALUE', 'prediction_id');
    assertError(await h.request('POST', '/api/v1/feedback', { prediction_id: '0190a000-0000-7000-8000-000000000000', thumbs: 'up' }), 404, 'RESOURCE_DOES_NOT_EXIST', 'prediction_id');
  });

  it('joins labels that arrive later, by id or by entity key, singly or in bulk as JSON, CSV and JSON lines', async () => {
    const a = await infer('titanic', titanicV2([PASSENGERS[0]!]), { 'x-pitwall-entity-key': 'cust-a' });
    const b = await infer('titanic', titanicV2([PASSENGERS[1]!]), { 'x-pitwall-entity-key': 'cust-b' });
    const c = await infer('titanic', titanicV2([PASSENGERS[2]!]), { 'x-pitwall-entity-key': 'cust-c' });
    const one = await h.request('POST', '/api/v1/labels', { prediction_id: a.id, label: 1 });
    assert.deepEqual(one.json, { accepted: 1, unscored: 0, unmatched: [] });
    assertError(await h.request('POST', '/api/v1/labels', { entity_key: 'nobody', label: 1 }), 404, 'RESOURCE_DOES_NOT_EXIST', 'entity_key');
    assertError(await h.request('POST', '/api/v1/labels', { prediction_id: a.id }), 400, 'INVALID_PARAMETER_VALUE', 'label');
    assertError(await h.request('POST', '/api/v1/labels', { prediction_id: a.id, entity_key: 'cust-a', label: 1 }), 400, 'INVALID_PARAMETER_VALUE', 'prediction_id');
    const bulk = await h.request('POST', '/api/v1/labels', { labels: [{ entity_key: 'cust-b', label: 0 }, { entity_key: 'ghost', label: 1 }] });
    assert.deepEqual([bulk.json.accepted, bulk.json.unmatched.map((u: { index: number }) => u.index)], [1, [1]]);
    const csv = await h.app.inject({ method: 'POST', url: '/api/v1/labels', payload: `prediction_id,label\n${c.id},1\n${a.id},0\n`, headers: { 'content-type': 'text/csv' } });
    assert.deepEqual(JSON.parse(csv.body), { accepted: 2, unscored: 0, unmatched: [] });
    const jsonl = await h.app.inject({ method: 'POST', url: '/api/v1/labels', payload: `{"entity_key": "cust-c", "label": "survived"}\n\n{"prediction_id": "${b.id}", "label": 1}\n`, headers: { 'content-type': 'application/x-ndjson' } });
    assert.deepEqual(JSON.parse(jsonl.body), { accepted: 2, unscored: 0, unmatched: [] });
    // A label that does not fit the prediction (two values for one row) is stored but scores nothing, and says so.
    assert.deepEqual((await h.request('POST', '/api/v1/labels', { prediction_id: a.id, label: [0, 1] })).json, { accepted: 1, unscored: 1, unmatched: [] });
    assert.equal((await h.request('POST', '/api/v1/labels', { prediction_id: a.id, label: 0 })).json.unscored, 0);
    const badLine = await h.app.inject({ method: 'POST', url: '/api/v1/labels', payload: `\n{"prediction_id": "${b.id}"}\n`, headers: { 'content-type': 'application/x-ndjson' } });
    assert.equal(JSON.parse(badLine.body).field, 'line[2].label');
    const labels = Object.fromEntries((await list('?deployment=titanic&max_results=1000')).predictions.filter((p) => p.label !== undefined).map((p) => [p.id, p.label]));
    assert.deepEqual(labels, { [a.id]: 0, [b.id]: 1, [c.id]: 'survived' });
    const badCsv = await h.app.inject({ method: 'POST', url: '/api/v1/labels', payload: `prediction_id,label\n${c.id}\n`, headers: { 'content-type': 'text/csv' } });
    assert.equal(badCsv.statusCode, 400);
    assert.equal(JSON.parse(badCsv.body).field, 'row[0].label');
  });

  it('exports as CSV and JSON lines with labels', async () => {
    const csv = await h.app.inject({ method: 'GET', url: '/api/v1/predictions/export?deployment=titanic&format=csv' });
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /text\/csv/);
    const table = parseCsvTable(csv.body);
    const listed = (await list('?deployment=titanic&max_results=1000')).predictions;
    assert.equal(table.rows.length, listed.length);
    assert.deepEqual(table.columns.slice(0, 3), ['id', 'time', 'deployment']);
    assert.deepEqual(table.rows.map((r) => r[0]), listed.map((p) => p.id));
    const inputs = table.columns.indexOf('inputs');
    assert.deepEqual(JSON.parse(table.rows.find((r) => r[0] === listed.at(-1).id)![inputs]!), listed.at(-1).inputs);
    const jsonl = await h.app.inject({ method: 'GET', url: '/api/v1/predictions/export?deployment=titanic&format=jsonl&status=ok' });
    const lines = jsonl.body.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => l.id), listed.filter((p) => p.status === 200).map((p) => p.id));
    assert.ok(lines.some((l) => l.label !== undefined));
    assertError(await h.request('GET', '/api/v1/predictions/export?format=xml'), 400, 'INVALID_PARAMETER_VALUE', 'format');
  });
});
