import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../core/errors/index.js';
import type { MonitorRun, MonitorSpec } from '../monitor-types.js';
import { type OpenStore, withStore } from './helpers.js';

const spec = (name: string, patch: Partial<MonitorSpec> = {}): MonitorSpec => ({
  name,
  description: '',
  type: 'data',
  deployment: 'titanic',
  reference: { type: 'window', deployment: 'titanic', from: 1000, to: 2000 },
  schedule: '*/5 * * * *',
  timezone: 'UTC',
  windowMinutes: 60,
  maxRows: 10_000,
  options: { correction: 'bh', thresholds: { num: 0.2 } },
  webhooks: [{ url: 'http://127.0.0.1:9/hook', format: 'slack' }],
  enabled: true,
  quality: null,
  ...patch,
});

const run = (monitor: string, id: string, time: number, patch: Partial<MonitorRun> = {}): MonitorRun => ({
  id,
  monitor,
  time,
  windowFrom: time - 3_600_000,
  windowTo: time,
  status: 'drifted',
  referenceRows: 500,
  currentRows: 120,
  tested: 4,
  drifted: 3,
  share: 0.75,
  report: { columns: [{ column: 'age', score: 0.01 }] },
  error: null,
  alert: 'drift',
  alertError: null,
  ...patch,
});

const isCode = (code: string, field: string) => (e: unknown) => e instanceof AppError && e.code === code && e.field === field;

/** Drift monitors: specs round-trip, the alert state, checks newest first with and without their reports. */
export function monitorCases(open: OpenStore): void {
  describe('monitors', () => {
    it('creates, reads, lists, replaces and deletes a monitor; the spec round-trips', () =>
      withStore(open, async (store) => {
        const m = await store.monitors.create(spec('b'));
        assert.equal(m.state, 'unknown');
        assert.deepEqual({ ...m, createdAt: 0, updatedAt: 0 }, { ...spec('b'), state: 'unknown', createdAt: 0, updatedAt: 0 });
        const quality = { judge: { deployment: 'judge', rubric: 'be kind', sampleSize: 5 }, reviewSampleSize: 3, passScore: 4, maxThumbsDownRate: 0.2, minPassRate: 0.7, confidence: 0.95, minCount: 10 };
        const q = await store.monitors.create(spec('a', { deployment: 'other', type: 'llm_quality', reference: null, quality }));
        assert.deepEqual(q.quality, quality);
        await assert.rejects(store.monitors.create(spec('a')), isCode('RESOURCE_ALREADY_EXISTS', 'name'));
        assert.deepEqual((await store.monitors.list()).map((x) => x.name), ['a', 'b']);
        assert.deepEqual((await store.monitors.list({ deployment: 'other' })).map((x) => x.name), ['a']);
        await store.monitors.setState('b', 'drifted');
        const replaced = await store.monitors.replace(spec('b', { windowMinutes: 15, enabled: false }));
        assert.equal(replaced.windowMinutes, 15);
        assert.equal(replaced.enabled, false);
        assert.equal(replaced.state, 'drifted', 'replacing the spec keeps the alert state');
        await store.monitors.delete('b');
        await assert.rejects(store.monitors.get('b'), isCode('RESOURCE_DOES_NOT_EXIST', 'name'));
        await assert.rejects(store.monitors.delete('b'), isCode('RESOURCE_DOES_NOT_EXIST', 'name'));
        await assert.rejects(store.monitors.replace(spec('zz')), isCode('RESOURCE_DOES_NOT_EXIST', 'name'));
      }));

    it('keeps every check, lists them newest first (reports only when asked), pages by time, and deletes them with the monitor', () =>
      withStore(open, async (store) => {
        await store.monitors.create(spec('m'));
        await store.monitors.addRun(run('m', '0001', 1_000));
        await store.monitors.addRun(run('m', '0002', 2_000, { status: 'ok', share: 0, drifted: 0, alert: 'recovery' }));
        await store.monitors.addRun(run('m', '0003', 3_000, { status: 'error', report: null, share: null, error: 'no reference', alert: null, alertError: 'hook down' }));
        const runs = await store.monitors.listRuns('m', { limit: 10 });
        assert.deepEqual(runs.map((r) => r.id), ['0003', '0002', '0001']);
        assert.equal(runs[1]!.report, null);
        const full = await store.monitors.listRuns('m', { limit: 2, withReports: true });
        assert.deepEqual(full.map((r) => r.id), ['0003', '0002']);
        assert.deepEqual(full[1]!.report, run('m', '', 0).report);
        assert.deepEqual((await store.monitors.listRuns('m', { limit: 10, before: 2_000 })).map((r) => r.id), ['0001']);
        assert.deepEqual(await store.monitors.getRun('m', '0003'), run('m', '0003', 3_000, { status: 'error', report: null, share: null, error: 'no reference', alert: null, alertError: 'hook down' }));
        await assert.rejects(store.monitors.getRun('m', 'nope'), isCode('RESOURCE_DOES_NOT_EXIST', 'run_id'));
        await store.monitors.delete('m');
        assert.deepEqual(await store.monitors.listRuns('m', { limit: 10 }), []);
      }));
  });
}
