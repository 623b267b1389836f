import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PitwallClient } from './client.js';
import { PitwallApiError } from './errors.js';
import { type FakeServer, startFakeServer } from './testing/fake-server.js';

const JOB = {
  id: '3f1e2d4c-0000-4000-8000-000000000001',
  name: 'pitwall.probe',
  key: null,
  state: 'completed',
  data: { holdMs: 10 },
  output: { host: 'h', pid: 42, at: 1700000000000 },
  error: null,
  attempts: 1,
  retry_limit: 2,
  retry_delay_seconds: 0,
  retry_backoff: false,
  expire_in_seconds: 61,
  priority: 0,
  worker: null,
  created_on: 1700000000000,
  start_after: 1700000000000,
  started_on: 1700000000100,
  completed_on: 1700000000200,
};

describe('client.jobs', () => {
  let fake: FakeServer;
  let client: PitwallClient;
  before(async () => {
    fake = await startFakeServer({
      'GET /api/v1/jobs': { json: { jobs: [JOB], next_offset: 1 } },
      'GET /api/v1/jobs/schedules': { json: { schedules: [{ name: 'drift.check', key: 'm1', cron: '*/5 * * * *', tz: 'UTC', data: {}, options: { retry_limit: 2, retry_delay_seconds: 0, retry_backoff: false, expire_in_seconds: 900, priority: 0 }, last_run_on: null, next_run_on: 5, created_on: 1, updated_on: 2 }] } },
      [`GET /api/v1/jobs/${JOB.id}`]: { json: { job: JOB } },
      [`POST /api/v1/jobs/${JOB.id}/cancel`]: { status: 409, json: { error_code: 'RESOURCE_CONFLICT', message: 'already completed', field: 'id' } },
    });
    client = new PitwallClient({ baseUrl: fake.url });
  });
  after(() => fake.close());

  it('lists with filters and decodes jobs to camelCase', async () => {
    const page = await client.jobs.list({ name: 'pitwall.probe', state: 'completed', limit: 1 });
    const q = fake.calls('GET /api/v1/jobs')[0]!.query;
    assert.equal(q.get('name'), 'pitwall.probe');
    assert.equal(q.get('state'), 'completed');
    assert.equal(q.get('limit'), '1');
    assert.equal(q.has('offset'), false);
    assert.equal(page.nextOffset, 1);
    assert.deepEqual(page.jobs[0]!.output, { host: 'h', pid: 42, at: 1700000000000 });
    assert.equal(page.jobs[0]!.retryLimit, 2);
    assert.equal(page.jobs[0]!.completedOn, 1700000000200);
  });

  it('gets one job, lists schedules, and surfaces a refused cancel as PitwallApiError', async () => {
    assert.equal((await client.jobs.get(JOB.id)).expireInSeconds, 61);
    const [s] = await client.jobs.schedules();
    assert.equal(s!.key, 'm1');
    assert.equal(s!.options.expireInSeconds, 900);
    assert.equal(s!.lastRunOn, null);
    await assert.rejects(client.jobs.cancel(JOB.id), (e: unknown) => e instanceof PitwallApiError && e.errorCode === 'RESOURCE_CONFLICT' && e.field === 'id');
  });
});
