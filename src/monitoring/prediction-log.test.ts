import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { MonitoringConfig } from '../config/config.js';
import { newPredictionId } from '../core/ids.js';
import { SqlStore } from '../store/sql/sql-store.js';
import { SqliteAdapter } from '../store/sqlite/sqlite-adapter.js';
import type { Prediction } from '../store/index.js';
import { Exposition } from './exposition.js';
import { PredictionLog, payloadText } from './prediction-log.js';
import { parseExposition, total } from './testing/scrape.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'pitwall-prediction-log-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const open = () => SqlStore.open(new SqliteAdapter({ file: path.join(dir, `log-${n++}.db`), synchronous: 'NORMAL' }), { defaultArtifactRoot: 'mlflow-artifacts:/' });

const CFG: MonitoringConfig = { bufferSize: 100, batchSize: 10, flushMs: 60_000, maxPayloadBytes: 1000, retentionDays: 30, maxRows: 1000 };

function prediction(time: number): Prediction {
  return { id: newPredictionId(time), time, deployment: 'd', model: 'm', version: '1', endpoint: '/x', status: 200, latencyMs: 1, promptTokens: 0, completionTokens: 0, costUsd: 0, entityKey: null, inputs: '[1]', outputs: '[2]', truncated: false };
}

describe('PredictionLog', () => {
  it('buffers without touching the store, writes in batches on flush, and drops and counts past its bound', async () => {
    const store = await open();
    const log = new PredictionLog(store.predictions, { ...CFG, bufferSize: 25, batchSize: 1000 }, () => undefined);
    const now = Date.now();
    const results = Array.from({ length: 30 }, (_, i) => log.add(prediction(now + i)));
    assert.deepEqual([results.filter(Boolean).length, log.buffered, await store.predictions.count()], [25, 25, 0]);
    await log.flush();
    assert.deepEqual([log.buffered, await store.predictions.count()], [0, 25]);
    const x = new Exposition();
    log.write(x);
    const m = parseExposition(x.text());
    assert.equal(total(m, 'pitwall_prediction_log_dropped_total', { reason: 'buffer_full' }), 5);
    assert.equal(total(m, 'pitwall_prediction_log_written_total'), 25);
    await log.close();
    await store.close();
  });

  it('a full batch is written without waiting for the timer', async () => {
    const store = await open();
    const log = new PredictionLog(store.predictions, CFG, () => undefined);
    for (let i = 0; i < 10; i++) log.add(prediction(Date.now() + i));
    for (let i = 0; i < 100 && (await store.predictions.count()) < 10; i++) await new Promise((r) => setTimeout(r, 5));
    assert.equal(await store.predictions.count(), 10);
    await log.close();
    await store.close();
  });

  it('a batch the store refuses is dropped and counted, and the log goes on', async () => {
    const store = await open();
    const said: string[] = [];
    const log = new PredictionLog(store.predictions, CFG, (m) => said.push(m));
    await store.db.schema.dropTable('predictions').execute();
    log.add(prediction(Date.now()));
    await log.flush();
    assert.equal(log.counts.droppedError, 1);
    assert.match(said[0]!, /could not be written and was dropped/);
    assert.equal(log.buffered, 0);
    await store.close();
  });

  it('retention deletes by age, then beyond the row bound', async () => {
    const store = await open();
    const log = new PredictionLog(store.predictions, { ...CFG, retentionDays: 2, maxRows: 3 }, () => undefined);
    const now = Date.now();
    const day = 86_400_000;
    for (const t of [now - 5 * day, now - 3 * day, now - day, now - 3000, now - 2000, now - 1000, now]) log.add(prediction(t));
    await log.flush();
    const m = Math.floor(now / 60_000);
    await store.predictions.addRollups([3, 1].map((days) => ({ deployment: 'd', model: 'm', version: '1', minute: m - days * 1440, values: { requests: 1 } })));
    assert.equal(await log.prune(now), 4);
    // Minute roll-ups older than the 2-day retention are gone; hourly ones stay (400 days).
    assert.deepEqual((await store.predictions.rollupSeries({ deployment: 'd', from: m - 5 * 1440, to: m, stepMinutes: 1 })).map((p) => p.minute), [m - 1440]);
    const h = (x: number) => x - (x % 60);
    assert.equal((await store.predictions.rollupSeries({ deployment: 'd', from: h(m - 5 * 1440), to: h(m) + 60, stepMinutes: 60 })).length, 2);
    const left = (await store.predictions.list({ maxResults: 10 })).items.map((p) => p.time);
    assert.deepEqual(left, [now, now - 1000, now - 2000]);
    await store.close();
  });

  it('keeps payloads as JSON text, cut at the limit and flagged', () => {
    assert.deepEqual(payloadText({ a: [1, 2] }, 100), { text: '{"a":[1,2]}', truncated: false });
    assert.deepEqual(payloadText('pclass,sex\n1,female', 100), { text: 'pclass,sex\n1,female', truncated: false });
    assert.deepEqual(payloadText({ a: 'x'.repeat(50) }, 10), { text: '{"a":"xxxx', truncated: true });
    assert.deepEqual(payloadText(undefined, 10), { text: null, truncated: false });
  });
});
