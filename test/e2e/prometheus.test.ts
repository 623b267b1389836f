import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TITANIC_FILE, titanicV2 } from '../../src/serving/testing/titanic.js';
import { type PitwallProcess, api, freePort, startPitwall } from './pitwall-process.js';

async function call(method: string, url: string, body?: unknown): Promise<{ status: number; json: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await fetch(url, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

/**
 * A real Prometheus server (Debian's `prometheus` package, installed by .ci/run) scraping a real `pitwall server`
 * every second, and answering PromQL over what it scraped.
 */
describe('Prometheus scraping a running Pitwall', () => {
  let dir: string;
  let pitwall: PitwallProcess;
  let prom: ChildProcess;
  let promUrl: string;
  let promOut = '';

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'pitwall-prom-'));
    pitwall = await startPitwall(path.join(dir, 'pitwall'));
    const put = await fetch(`${pitwall.url}/api/2.0/mlflow-artifacts/artifacts/models/titanic/model.onnx`, { method: 'PUT', body: readFileSync(TITANIC_FILE), headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(put.status, 200);
    assert.equal((await api(pitwall.url, 'POST', 'registered-models/create', { name: 'titanic' })).status, 200);
    assert.equal((await api(pitwall.url, 'POST', 'model-versions/create', { name: 'titanic', source: 'mlflow-artifacts:/models/titanic' })).status, 200);
    assert.equal((await call('POST', `${pitwall.url}/api/v1/deployments`, { name: 'titanic', model: 'models:/titanic/1' })).status, 200);
    for (let i = 0; i < 400 && !(await call('GET', `${pitwall.url}/api/v1/deployments/titanic/status`)).json.status.ready; i++) await new Promise((r) => setTimeout(r, 50));

    const target = new URL(pitwall.url).host;
    writeFileSync(path.join(dir, 'prometheus.yml'), `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: pitwall\n    static_configs:\n      - targets: ['${target}']\n`);
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    prom = spawn('prometheus', [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    prom.stdout!.on('data', (d: Buffer) => (promOut += d.toString()));
    prom.stderr!.on('data', (d: Buffer) => (promOut += d.toString()));
    const spawned = await new Promise<Error | undefined>((resolve) => {
      prom.once('error', resolve);
      prom.once('spawn', () => resolve(undefined));
    });
    if (spawned) throw new Error(`prometheus is needed (apt-get install prometheus): ${spawned.message}`);
  });
  after(async () => {
    prom?.kill('SIGTERM');
    await pitwall?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs `query` until `ok` accepts its result (Prometheus scrapes every second), at most 30 s. */
  const until = async (query: string, ok: (r: { metric: Record<string, string>; value: [number, string] }[]) => boolean) => {
    let last: unknown;
    for (let i = 0; i < 150; i++) {
      const r = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(query)}`).catch((e: unknown) => e);
      if (r instanceof Response && r.ok) {
        const body = (await r.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
        last = body.data.result;
        if (ok(body.data.result)) return body.data.result;
      }
      await new Promise((res) => setTimeout(res, 200));
    }
    assert.fail(`no answer to ${query} was accepted; last ${JSON.stringify(last)}; prometheus said:\n${promOut.slice(-2000)}`);
  };

  it('scrapes the target and answers queries over request counters and histograms', async () => {
    await until('up{job="pitwall"}', (r) => r.length === 1 && r[0]!.value[1] === '1');
    for (let i = 0; i < 7; i++) assert.equal((await call('POST', `${pitwall.url}/v2/models/titanic/infer`, titanicV2())).status, 200);
    assert.equal((await call('POST', `${pitwall.url}/v2/models/titanic/infer`, { inputs: [] })).status, 400);
    const ok = await until('sum by (code) (pitwall_requests_total{deployment="titanic"})', (r) => r.find((x) => x.metric.code === '200')?.value[1] === '7');
    assert.equal(ok.find((x) => x.metric.code === '400')?.value[1], '1');
    const p95 = await until('histogram_quantile(0.95, sum by (le) (pitwall_request_duration_seconds_bucket{deployment="titanic"}))', (r) => r.length === 1);
    assert.ok(Number(p95[0]!.value[1]) > 0 && Number(p95[0]!.value[1]) < 10, JSON.stringify(p95));
    await until('pitwall_model_memory_bytes{deployment="titanic",version="1"}', (r) => r.length === 1 && Number(r[0]!.value[1]) > 0);
  });
});
