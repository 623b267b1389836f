import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiHarness, assertError } from '../testing/api-harness.js';

const T0 = 1_700_000_000_000;

/** Requests real MLflow servers accept or refuse, and what hand-written scripts send. */
describe('MLflow tracking routes: compatibility details', () => {
  let h: ApiHarness;
  let runId: string;
  let exp: string;
  before(async () => {
    h = await ApiHarness.start();
    exp = await h.createExperiment('compat');
    runId = await h.createRun(exp);
  });
  after(() => h.close());

  it("accepts keys in any script, as Python's Unicode \\w does", async () => {
    for (const key of ['精度', 'température', 'точность_2', 'a/b c:d.e-f']) {
      await h.ok('/runs/log-metric', { run_id: runId, key, value: 1, timestamp: T0 });
    }
    const { run } = await h.okGet('/runs/get', { run_id: runId });
    assert.deepEqual(new Set(run.data.metrics.map((m: { key: string }) => m.key)), new Set(['精度', 'température', 'точность_2', 'a/b c:d.e-f']));
  });

  it("refuses keys that don't name a unique relative path ('.', '..', '../x', 'a//b', '/a', 'a/')", async () => {
    for (const key of ['.', '..', '../x', 'a//b', '/a', 'a/', 'a/./b']) {
      assertError(await h.post('/runs/log-metric', { run_id: runId, key, value: 1, timestamp: T0 }), 400, 'INVALID_PARAMETER_VALUE', 'key');
      assertError(await h.post('/runs/log-parameter', { run_id: runId, key, value: '1' }), 400, 'INVALID_PARAMETER_VALUE', 'key');
    }
  });

  it('takes integer experiment ids, as MLflow stringifies them', async () => {
    const { run } = await h.ok('/runs/create', { experiment_id: Number(exp), start_time: T0 });
    assert.equal(run.info.experiment_id, exp);
    const { experiment } = await h.okGet('/experiments/get', { experiment_id: exp });
    assert.equal((await h.ok('/experiments/set-experiment-tag', { experiment_id: Number(exp), key: 'k', value: 'v' })) !== undefined, true);
    assert.equal(experiment.name, 'compat');
    const search = await h.ok('/runs/search', { experiment_ids: [Number(exp)] });
    assert.ok(search.runs.some((r: { info: { run_id: string } }) => r.info.run_id === run.info.run_id));
  });

  it('refuses a batch naming a param twice, even with the same value (MLflow _validate_param_keys_unique)', async () => {
    const res = await h.post('/runs/log-batch', { run_id: runId, params: [{ key: 'dup', value: '1' }, { key: 'dup', value: '1' }] });
    assertError(res, 400, 'INVALID_PARAMETER_VALUE', 'params');
    assert.match(res.json.message, /Duplicate parameter keys have been submitted: \['dup'\]/);
  });

  it('refuses experiment tag values over 5,000 characters instead of truncating them, and bad tag keys', async () => {
    assertError(await h.post('/experiments/set-experiment-tag', { experiment_id: exp, key: 'long', value: 'x'.repeat(5001) }), 400, 'INVALID_PARAMETER_VALUE', 'value');
    await h.ok('/experiments/set-experiment-tag', { experiment_id: exp, key: 'long', value: 'x'.repeat(5000) });
    assertError(await h.post('/experiments/create', { name: 'bad-tags', tags: [{ key: 'a*b', value: 'v' }] }), 400, 'INVALID_PARAMETER_VALUE', 'tags[0].key');
    assertError(await h.post('/experiments/create', { name: 'bad-tags', tags: [{ key: 'ok', value: 'y'.repeat(5001) }] }), 400, 'INVALID_PARAMETER_VALUE', 'tags[0].value');
    assertError(await h.get('/experiments/get-by-name', { experiment_name: 'bad-tags' }), 404, 'RESOURCE_DOES_NOT_EXIST');
  });

  it('answers get-history without max_results with the whole history (> 25,000 values), as MLflow does', async () => {
    const id = await h.createRun(exp);
    for (let b = 0; b < 26; b++) {
      await h.ok('/runs/log-batch', { run_id: id, metrics: Array.from({ length: 1000 }, (_, i) => ({ key: 'long', value: i, timestamp: T0, step: b * 1000 + i })) });
    }
    const all = await h.okGet('/metrics/get-history', { run_id: id, metric_key: 'long' });
    assert.equal(all.metrics.length, 26_000);
    assert.equal('next_page_token' in all, false);
    const page = await h.okGet('/metrics/get-history', { run_id: id, metric_key: 'long', max_results: 25_000 });
    assert.equal(page.metrics.length, 25_000);
    const rest = await h.okGet('/metrics/get-history', { run_id: id, metric_key: 'long', max_results: 25_000, page_token: page.next_page_token });
    assert.equal(rest.metrics.length, 1_000);
  });
});

describe('errors before routing', () => {
  it('answers headers over the limit with 431 in the error shape, and a broken request line with 400', async () => {
    const { startServer } = await import('../../server.js');
    const os = await import('node:os');
    const path = await import('node:path');
    const fs = await import('node:fs');
    const net = await import('node:net');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pitwall-client-error-'));
    const server = await startServer({ dataDir: dir, server: { port: 0 }, log: { level: 'error' } }, { handleSignals: false, quiet: true });
    try {
      const res = await fetch(`${server.url}/api/2.0/mlflow/experiments/get-by-name?experiment_name=${'x'.repeat(20_000)}`);
      assert.equal(res.status, 431);
      assert.deepEqual(Object.keys(await res.json()), ['error_code', 'message', 'field']);
      const raw = await new Promise<string>((resolve, reject) => {
        const port = Number(new URL(server.url).port);
        const sock = net.connect(port, '127.0.0.1', () => sock.write('GARBAGE\r\n\r\n'));
        let out = '';
        sock.on('data', (d) => (out += d.toString()));
        sock.on('end', () => resolve(out));
        sock.on('error', reject);
      });
      assert.match(raw, /^HTTP\/1\.1 400 /);
      assert.match(raw, /"error_code":"MALFORMED_REQUEST"/);
    } finally {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
