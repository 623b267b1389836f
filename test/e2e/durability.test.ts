import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { api, startPitwall } from './pitwall-process.js';

/** All values of one metric of one run, through get-history paging. */
async function history(base: string, runId: string, key: string): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  let token: string | undefined;
  do {
    const q = new URLSearchParams({ run_id: runId, metric_key: key, max_results: '25000', ...(token ? { page_token: token } : {}) });
    const res = await api<{ metrics?: { step: number; value: number }[]; next_page_token?: string }>(base, 'GET', `metrics/get-history?${q}`);
    assert.equal(res.status, 200);
    for (const m of res.json.metrics ?? []) out.set(m.step, m.value);
    token = res.json.next_page_token;
  } while (token);
  return out;
}

describe('durability and concurrency of the real server', () => {
  let dataDir: string;
  before(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'pitwall-durability-'));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps every acknowledged log-batch after kill -9 during ingest; unacknowledged batches are all or nothing', { timeout: 180_000 }, async () => {
    const server = await startPitwall(dataDir);
    const exp = await api<{ experiment_id: string }>(server.url, 'POST', 'experiments/create', { name: 'crash' });
    const run = await api<{ run: { info: { run_id: string } } }>(server.url, 'POST', 'runs/create', { experiment_id: exp.json.experiment_id });
    const runId = run.json.run.info.run_id;
    const acked: number[] = [];
    const sent: number[] = [];
    const refused: string[] = [];
    let killed = false;
    const client = async (c: number) => {
      for (let b = 0; !killed; b++) {
        const batch = c * 1_000_000 + b;
        const metrics = Array.from({ length: 500 }, (_, i) => ({ key: 'loss', value: batch + i / 1000, timestamp: 1_700_000_000_000 + i, step: batch * 1000 + i }));
        sent.push(batch);
        let res: Response;
        try {
          res = await fetch(`${server.url}/api/2.0/mlflow/runs/log-batch`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ run_id: runId, metrics, params: [{ key: `p${batch}`, value: String(batch) }] }),
          });
          await res.arrayBuffer();
        } catch {
          return; // the connection died with the server: this batch was never acknowledged
        }
        if (res.status === 200) acked.push(batch);
        else {
          refused.push(`batch ${batch}: ${res.status}`);
          return;
        }
      }
    };
    const clients = Array.from({ length: 8 }, (_, c) => client(c));
    const deadline = Date.now() + 60_000;
    while (acked.length < 40 && refused.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    server.child.kill('SIGKILL');
    killed = true;
    await Promise.all(clients);
    await new Promise((r) => (server.child.exitCode !== null || server.child.signalCode !== null ? r(null) : server.child.once('exit', r)));
    assert.deepEqual(refused, [], 'every log-batch before the kill answered 200');
    assert.ok(acked.length >= 40, `only ${acked.length} batches acknowledged before the deadline`);

    const again = await startPitwall(dataDir);
    try {
      const values = await history(again.url, runId, 'loss');
      const got = await api<{ run: { data: { params?: { key: string }[] } } }>(again.url, 'GET', `runs/get?run_id=${runId}`);
      const params = new Set((got.json.run.data.params ?? []).map((p) => p.key));
      for (const batch of acked) {
        for (let i = 0; i < 500; i++) assert.equal(values.get(batch * 1000 + i), batch + i / 1000, `acknowledged batch ${batch} lost step ${i}`);
        assert.ok(params.has(`p${batch}`), `acknowledged batch ${batch} lost its param`);
      }
      for (const batch of sent.filter((b) => !acked.includes(b))) {
        const present = Array.from({ length: 500 }, (_, i) => values.has(batch * 1000 + i)).filter(Boolean).length;
        assert.ok(present === 0 || present === 500, `batch ${batch} was half written (${present}/500)`);
        assert.equal(params.has(`p${batch}`), present === 500, `batch ${batch}: metrics and param not written together`);
      }
    } finally {
      assert.equal(await again.stop(), 0);
    }
  });

  it('serves tens of concurrent writers to one run without a busy-database error', { timeout: 180_000 }, async () => {
    const server = await startPitwall(dataDir);
    try {
      const exp = await api<{ experiment_id: string }>(server.url, 'POST', 'experiments/create', { name: 'concurrent' });
      const run = await api<{ run: { info: { run_id: string } } }>(server.url, 'POST', 'runs/create', { experiment_id: exp.json.experiment_id });
      const runId = run.json.run.info.run_id;
      const WRITERS = 40;
      const ROUNDS = 10;
      const statuses: number[] = [];
      await Promise.all(
        Array.from({ length: WRITERS }, async (_, w) => {
          for (let r = 0; r < ROUNDS; r++) {
            const calls = [
              api(server.url, 'POST', 'runs/log-batch', {
                run_id: runId,
                metrics: Array.from({ length: 50 }, (_, i) => ({ key: `w${w}`, value: r * 50 + i, timestamp: Date.now(), step: r * 50 + i })),
              }),
              api(server.url, 'POST', 'runs/log-metric', { run_id: runId, key: 'shared', value: w * ROUNDS + r, timestamp: Date.now(), step: w * ROUNDS + r }),
              api(server.url, 'POST', 'runs/set-tag', { run_id: runId, key: `tag_${w}`, value: String(r) }),
            ];
            if (r === 0) calls.push(api(server.url, 'POST', 'runs/log-parameter', { run_id: runId, key: `param_${w}`, value: String(w) }));
            for (const res of await Promise.all(calls)) statuses.push(res.status);
          }
        }),
      );
      assert.deepEqual([...new Set(statuses)], [200], 'every concurrent write answered 200');
      const shared = await history(server.url, runId, 'shared');
      assert.equal(shared.size, WRITERS * ROUNDS);
      for (let w = 0; w < WRITERS; w++) assert.equal((await history(server.url, runId, `w${w}`)).size, ROUNDS * 50);
      const got = await api<{ run: { data: { params?: unknown[]; tags?: { key: string; value: string }[]; metrics?: { key: string; value: number }[] } } }>(server.url, 'GET', `runs/get?run_id=${runId}`);
      assert.equal(got.json.run.data.params?.length, WRITERS);
      assert.equal(got.json.run.data.tags?.filter((t) => t.key.startsWith('tag_') && t.value === String(ROUNDS - 1)).length, WRITERS);
      assert.equal(got.json.run.data.metrics?.find((m) => m.key === 'shared')?.value, WRITERS * ROUNDS - 1, 'latest value is the one at the highest step');
    } finally {
      assert.equal(await server.stop(), 0, 'SIGTERM exits 0');
    }
  });

  it('refuses to bind beyond loopback without --insecure-bind', async () => {
    const { spawnSync } = await import('node:child_process');
    const { BIN } = await import('./pitwall-process.js');
    const res = spawnSync(process.execPath, [BIN, 'server', '--host', '0.0.0.0', '--port', '0', '--data-dir', dataDir], { encoding: 'utf8', timeout: 20_000 });
    assert.notEqual(res.status, 0);
    assert.match(res.stderr + res.stdout, /--insecure-bind/);
  });

  it('binds beyond loopback with --insecure-bind, printing a warning', async () => {
    const server = await startPitwall(dataDir, ['--host', '0.0.0.0', '--insecure-bind']);
    try {
      assert.match(server.output(), /WARNING: listening on 0\.0\.0\.0 without authentication/);
      assert.equal((await fetch(`${server.url}/health`)).status, 200);
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });
});
