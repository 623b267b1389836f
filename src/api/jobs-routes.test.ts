import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type BaseJobQueue, createJobQueue, enqueueProbe, PROBE_JOB } from '../jobs/index.js';
import { ApiHarness, assertError } from './testing/api-harness.js';

describe('Pitwall jobs API', () => {
  let h: ApiHarness;
  /** Another queue on the server's store, as a module of the server (or another replica) would enqueue. */
  let producer: BaseJobQueue;
  before(async () => {
    h = await ApiHarness.start();
    producer = createJobQueue(h.store, { clientOnly: true });
    await producer.start();
  });
  after(async () => {
    await producer.stop();
    await h.close();
  });
  const v1 = (method: string, url: string) => h.request(method, `/api/v1${url}`);

  async function until(id: string, state: string): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
    for (let i = 0; i < 200; i++) {
      const a = await v1('GET', `/jobs/${id}`);
      assert.equal(a.status, 200, a.body);
      if (a.json.job.state === state) return a.json.job;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`job ${id} never reached ${state}`);
  }

  it('shows a job the in-server worker ran, with its output, in snake_case', async () => {
    const id = await enqueueProbe(producer);
    const job = await until(id, 'completed');
    assert.equal(job.name, PROBE_JOB);
    assert.equal(job.attempts, 1);
    assert.equal(job.output.pid, process.pid, 'the server process ran it (jobs.inServer defaults to true)');
    assert.equal(typeof job.output.host, 'string');
    for (const k of ['retry_limit', 'retry_delay_seconds', 'retry_backoff', 'expire_in_seconds', 'created_on', 'start_after', 'started_on', 'completed_on']) assert.ok(k in job, k);
    const list = await v1('GET', `/jobs?name=${PROBE_JOB}&state=completed`);
    assert.equal(list.status, 200, list.body);
    assert.ok(list.json.jobs.some((j: { id: string }) => j.id === id));
  });

  it('pages the list newest first', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await producer.enqueue('test.paged', { i }, { startAfter: 3600 }));
    const p1 = await v1('GET', '/jobs?name=test.paged&limit=2');
    assert.deepEqual(p1.json.jobs.map((j: { id: string }) => j.id), [ids[2], ids[1]]);
    assert.equal(p1.json.next_offset, 2);
    const p2 = await v1('GET', `/jobs?name=test.paged&limit=2&offset=${p1.json.next_offset}`);
    assert.deepEqual(p2.json.jobs.map((j: { id: string }) => j.id), [ids[0]]);
    assert.equal(p2.json.next_offset, undefined);
  });

  it('cancels a queued job and answers 409 for a finished one, 404 for unknown ids', async () => {
    const id = await producer.enqueue('test.later', {}, { startAfter: 3600 });
    const c = await v1('POST', `/jobs/${id}/cancel`);
    assert.equal(c.status, 200, c.body);
    assert.equal(c.json.job.state, 'cancelled');
    const done = await enqueueProbe(producer);
    await until(done, 'completed');
    assertError(await v1('POST', `/jobs/${done}/cancel`), 409, 'RESOURCE_CONFLICT', 'id');
    assertError(await v1('GET', '/jobs/00000000-0000-4000-8000-000000000000'), 404, 'RESOURCE_DOES_NOT_EXIST', 'id');
    assertError(await v1('GET', '/jobs/nope'), 404, 'RESOURCE_DOES_NOT_EXIST', 'id');
    assertError(await v1('POST', '/jobs/nope/cancel'), 404, 'RESOURCE_DOES_NOT_EXIST', 'id');
  });

  it('refuses bad filters with 400 naming the field', async () => {
    assertError(await v1('GET', '/jobs?state=running'), 400, 'INVALID_PARAMETER_VALUE', 'state');
    assertError(await v1('GET', '/jobs?name=bad%20name'), 400, 'INVALID_PARAMETER_VALUE', 'name');
    assertError(await v1('GET', '/jobs?limit=0'), 400, 'INVALID_PARAMETER_VALUE', 'limit');
    assertError(await v1('GET', '/jobs?limit=abc'), 400, 'INVALID_PARAMETER_VALUE', 'limit');
    assertError(await v1('GET', '/jobs?offset=-1'), 400, 'INVALID_PARAMETER_VALUE', 'offset');
  });

  it('lists cron schedules with their next run', async () => {
    const runner = createJobQueue(h.store);
    await runner.start();
    try {
      await runner.schedule('test.nightly', '0 3 * * *', { monitor: 7 }, { key: 'monitor-7', tz: 'Europe/Paris', retryLimit: 5 });
    } finally {
      await runner.stop();
    }
    const a = await v1('GET', '/jobs/schedules');
    assert.equal(a.status, 200, a.body);
    const s = a.json.schedules.find((x: { name: string }) => x.name === 'test.nightly');
    assert.equal(s.key, 'monitor-7');
    assert.equal(s.cron, '0 3 * * *');
    assert.equal(s.tz, 'Europe/Paris');
    assert.deepEqual(s.data, { monitor: 7 });
    assert.equal(s.options.retry_limit, 5);
    assert.ok(s.next_run_on > Date.now());
  });
});
