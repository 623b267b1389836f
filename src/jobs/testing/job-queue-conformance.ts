import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError, type ErrorCode } from '../../core/errors/index.js';
import type { BaseJobQueue, JobQueueOptions } from '../base-job-queue.js';
import type { JobContext, JobStatus } from '../job-queue.js';

/**
 * The job-queue conformance suite: the `JobQueue` contract only, so that `SqliteJobQueue` and `PgBossJobQueue` are
 * held to the same behaviour. `makeBackend` gives fresh, empty storage per case; `open` on it gives another queue on
 * that storage (another connection: as another process would see it). Queues are started by the cases and stopped by
 * the backend's `close`.
 */
export interface QueueBackend {
  open(opts?: JobQueueOptions): Promise<BaseJobQueue>;
  close(): Promise<void>;
}

export type MakeBackend = () => Promise<QueueBackend>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(50);
  }
}

async function rejectsWith(p: Promise<unknown>, code: ErrorCode, field?: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof AppError, `expected AppError ${code}, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (field !== undefined) assert.equal(e.field, field, e.message);
    return true;
  });
}

/** A handler that blocks until released (or until its signal aborts), recording what it saw. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  const seen: JobContext[] = [];
  const aborted: string[] = [];
  const handler = async (job: JobContext) => {
    seen.push(job);
    await new Promise<void>((resolve, reject) => {
      void opened.then(resolve);
      job.signal.addEventListener('abort', () => {
        aborted.push(job.id);
        reject(job.signal.reason as Error);
      });
    });
    return { attempt: job.attempt };
  };
  return { handler, seen, aborted, open: () => open() };
}

const LEASE = 2;

export function jobQueueConformance(label: string, makeBackend: MakeBackend): void {
  const withBackend = async (fn: (b: QueueBackend) => Promise<void>) => {
    const b = await makeBackend();
    try {
      await fn(b);
    } finally {
      await b.close();
    }
  };
  const started = async (b: QueueBackend, opts: JobQueueOptions = {}) => {
    const q = await b.open({ leaseSeconds: LEASE, ...opts });
    await q.start();
    return q;
  };

  // Cases are independent (fresh storage each) and mostly wait on timers, so they run side by side.
  describe(`job queue conformance: ${label}`, { timeout: 60_000, concurrency: true }, () => {
    it('enqueues, reports a uniform status, lists newest first and refuses bad input', () =>
      withBackend(async (b) => {
        const q = await started(b);
        const before = Date.now();
        const id = await q.enqueue('t.basic', { model: 'titanic', n: 3 }, { startAfter: 3600, retryLimit: 4, priority: 5 });
        const s = await q.get(id);
        assert.equal(s.id, id);
        assert.equal(s.name, 't.basic');
        assert.equal(s.state, 'created');
        assert.deepEqual(s.data, { model: 'titanic', n: 3 });
        assert.equal(s.key, null);
        assert.equal(s.attempts, 0);
        assert.equal(s.retryLimit, 4);
        assert.equal(s.priority, 5);
        assert.equal(s.expireInSeconds, 900);
        assert.equal(s.output, null);
        assert.equal(s.error, null);
        assert.ok(Math.abs(s.startAfter - (before + 3_600_000)) < 5_000, `startAfter ${s.startAfter}`);
        const second = await q.enqueue('t.other', 'plain string');
        assert.deepEqual((await q.get(second)).data, 'plain string');
        assert.deepEqual((await q.list()).map((j) => j.id), [second, id]);
        assert.deepEqual((await q.list({ name: 't.basic' })).map((j) => j.id), [id]);
        assert.deepEqual((await q.list({ state: 'completed' })).map((j) => j.id), []);
        assert.deepEqual((await q.list({ limit: 1, offset: 1 })).map((j) => j.id), [id]);
        await rejectsWith(q.get('00000000-0000-4000-8000-000000000000'), 'RESOURCE_DOES_NOT_EXIST', 'id');
        await rejectsWith(q.get('not-a-uuid'), 'RESOURCE_DOES_NOT_EXIST', 'id');
        await rejectsWith(q.enqueue('bad name!', {}), 'INVALID_PARAMETER_VALUE', 'name');
        await rejectsWith(q.enqueue('t.x', { s: 'a\u0000b' }), 'INVALID_PARAMETER_VALUE', 'data');
        await rejectsWith(q.enqueue('t.x', { n: 1n }), 'INVALID_PARAMETER_VALUE', 'data');
        await rejectsWith(q.enqueue('t.x', {}, { retryLimit: -1 }), 'INVALID_PARAMETER_VALUE', 'retryLimit');
        await rejectsWith(q.enqueue('t.x', {}, { expireInSeconds: 86_400 }), 'INVALID_PARAMETER_VALUE', 'expireInSeconds');
        await rejectsWith(q.enqueue('t.x', {}, { key: '' }), 'INVALID_PARAMETER_VALUE', 'key');
        await rejectsWith(q.list({ state: 'running' as never }), 'INVALID_PARAMETER_VALUE', 'state');
        const h = await q.health();
        assert.equal(h.ok, true, h.message);
        assert.equal(h.counts?.created, 2);
      }));

    it('runs a job once and keeps its output; a key dedupes while its job is queued or running, then frees', () =>
      withBackend(async (b) => {
        const q = await started(b);
        const g = gate();
        await q.work('t.keyed', g.handler);
        const first = await q.enqueue('t.keyed', { v: 1 }, { key: 'monitor-7' });
        assert.equal(await q.enqueue('t.keyed', { v: 2 }, { key: 'monitor-7' }), first, 'queued: same id');
        await waitFor('the job to start', () => g.seen.length === 1);
        const running = await q.get(first);
        assert.equal(running.state, 'active');
        assert.equal(running.attempts, 1);
        assert.equal(running.key, 'monitor-7');
        assert.ok(running.startedOn !== null);
        assert.equal(await q.enqueue('t.keyed', { v: 3 }, { key: 'monitor-7' }), first, 'active: same id');
        const otherKey = await q.enqueue('t.keyed', { v: 4 }, { key: 'monitor-8', startAfter: 3600 });
        assert.notEqual(otherKey, first);
        const otherName = await q.enqueue('t.keyed2', {}, { key: 'monitor-7' });
        assert.notEqual(otherName, first);
        g.open();
        const done = await waitFor('completion', async () => ((await q.get(first)).state === 'completed' ? q.get(first) : undefined));
        assert.deepEqual(done.output, { attempt: 1 });
        assert.deepEqual(done.data, { v: 1 });
        assert.ok(done.completedOn !== null && done.completedOn >= (done.startedOn ?? 0));
        assert.equal(g.seen.length, 1);
        const again = await q.enqueue('t.keyed', { v: 5 }, { key: 'monitor-7' });
        assert.notEqual(again, first, 'the key is free once its job finished');
      }));

    it('retries a failing job with exponential back-off, then marks it failed with the last error', () =>
      withBackend(async (b) => {
        const q = await started(b);
        const starts: number[] = [];
        await q.work('t.flaky', async (job) => {
          starts.push(Date.now());
          throw new Error(`attempt ${job.attempt} broke`);
        });
        const id = await q.enqueue('t.flaky', {}, { retryLimit: 2, retryDelaySeconds: 1, retryBackoff: true });
        const failed = await waitFor('the job to fail', async () => ((await q.get(id)).state === 'failed' ? q.get(id) : undefined), 15_000);
        assert.equal(starts.length, 3, 'first attempt and two retries');
        assert.equal(failed.attempts, 3);
        assert.equal(failed.error, 'attempt 3 broke');
        assert.equal(failed.retryBackoff, true);
        // pg-boss's back-off: retry n waits between delay × 2^(n-1) and twice that.
        const gap1 = starts[1]! - starts[0]!;
        const gap2 = starts[2]! - starts[1]!;
        assert.ok(gap1 >= 950 && gap1 < 3500, `first retry after ${gap1} ms`);
        assert.ok(gap2 >= 1950 && gap2 < 5500, `second retry after ${gap2} ms`);
        await new Promise((r) => setTimeout(r, 300));
        assert.equal(starts.length, 3, 'nothing after the last retry');
      }));

    it('cancels a queued job (it never runs) and refuses to cancel a finished one', () =>
      withBackend(async (b) => {
        const q = await started(b);
        const ran: string[] = [];
        await q.work('t.cancel', (job) => void ran.push(job.id));
        const later = await q.enqueue('t.cancel', {}, { startAfter: 3600, key: 'k' });
        const c = await q.cancel(later);
        assert.equal(c.state, 'cancelled');
        assert.ok(c.completedOn !== null);
        assert.equal((await q.cancel(later)).state, 'cancelled', 'cancelling twice is a no-op');
        assert.notEqual(await q.enqueue('t.cancel', {}, { key: 'k', startAfter: 3600 }), later, 'a cancelled job frees its key');
        const now = await q.enqueue('t.cancel', {});
        await waitFor('the other job to complete', async () => (await q.get(now)).state === 'completed');
        assert.deepEqual(ran, [now]);
        await rejectsWith(q.cancel(now), 'RESOURCE_CONFLICT', 'id');
        await rejectsWith(q.cancel('00000000-0000-4000-8000-000000000000'), 'RESOURCE_DOES_NOT_EXIST', 'id');
      }));

    it('cancels running jobs: the handler’s signal aborts, whether cancelled here or by another process', () =>
      withBackend(async (b) => {
        const worker = await started(b);
        const producer = await started(b);
        const g = gate();
        await worker.work('t.long', g.handler, { concurrency: 2 });
        const here = await worker.enqueue('t.long', {});
        const there = await producer.enqueue('t.long', {});
        await waitFor('both jobs to run', () => g.seen.length === 2);
        const t0 = Date.now();
        assert.equal((await worker.cancel(here)).state, 'cancelled');
        await waitFor('the local abort', () => g.aborted.includes(here), 1000);
        assert.equal((await producer.cancel(there)).state, 'cancelled');
        await waitFor('the remote abort (at the next lease renewal)', () => g.aborted.includes(there), 5000);
        assert.ok(Date.now() - t0 < 5000);
        await sleep(200);
        for (const id of [here, there]) {
          const s = await producer.get(id);
          assert.equal(s.state, 'cancelled', 'the aborted handler’s outcome is not recorded');
          assert.equal(s.output, null);
        }
      }));

    it('fails an attempt that runs past expireInSeconds and aborts its handler', () =>
      withBackend(async (b) => {
        const q = await started(b);
        const g = gate();
        await q.work('t.slow', g.handler);
        const id = await q.enqueue('t.slow', {}, { expireInSeconds: 1, retryLimit: 0 });
        const failed = await waitFor('expiry', async () => ((await q.get(id)).state === 'failed' ? q.get(id) : undefined), 6000);
        assert.match(failed.error ?? '', /expireInSeconds/);
        assert.deepEqual(g.aborted, [id]);
      }));

    it('fires a cron schedule once per slot across processes, and stops when unscheduled', () =>
      withBackend(async (b) => {
        const a = await started(b, { cronIntervalMs: 200 });
        const c = await started(b, { cronIntervalMs: 200 });
        const seen: JobStatus[] = [];
        const record = async (job: JobContext) => void seen.push(await a.get(job.id));
        await a.work('t.tick', record, { concurrency: 5 });
        await c.work('t.tick', record, { concurrency: 5 });
        await rejectsWith(a.schedule('t.tick', '61 * * * *'), 'INVALID_PARAMETER_VALUE', 'cron');
        await rejectsWith(a.schedule('t.tick', '* * *'), 'INVALID_PARAMETER_VALUE', 'cron');
        await rejectsWith(a.schedule('t.tick', '* * * * *', {}, { tz: 'Mars/Olympus' }), 'INVALID_PARAMETER_VALUE', 'tz');
        const sch = await a.schedule('t.tick', '* * * * * *', { every: 'second' }, { key: 'fast', retryLimit: 0 });
        assert.equal(sch.key, 'fast');
        assert.equal(sch.options.retryLimit, 0);
        assert.ok(sch.nextRunOn > Date.now() - 1000 && sch.nextRunOn <= Date.now() + 1000);
        await sleep(2300);
        const listed = await c.listSchedules();
        assert.equal(listed.length, 1);
        assert.equal(listed[0]!.cron, '* * * * * *');
        assert.ok(listed[0]!.lastRunOn !== null);
        assert.equal(await a.unschedule('t.tick', 'fast'), true);
        // A job the schedule enqueued just before unschedule still runs; wait for every one to finish.
        await waitFor('the enqueued ticks to finish', async () => {
          const jobs = await a.list({ name: 't.tick' });
          return jobs.every((j) => j.state === 'completed') && seen.length === jobs.length;
        });
        const fired = seen.length;
        assert.ok(fired >= 1 && fired <= 4, `${fired} runs in 2.3 s of a per-second schedule`);
        const slots = seen.map((s) => s.startAfter);
        assert.equal(new Set(slots).size, slots.length, `one job per slot: ${slots.join(', ')}`);
        for (const s of seen) {
          assert.equal(s.startAfter % 1000, 0, 'a scheduled job starts at its slot');
          assert.deepEqual(s.data, { every: 'second' });
          assert.equal(s.key, 'fast');
        }
        await sleep(1200);
        assert.equal(seen.length, fired, 'no run after unschedule');
        assert.equal(await a.unschedule('t.tick', 'fast'), false);
        assert.deepEqual(await a.listSchedules(), []);
      }));

    it('skips a keyed schedule’s slots while its previous job is still queued', () =>
      withBackend(async (b) => {
        const q = await started(b, { cronIntervalMs: 200 });
        await q.schedule('t.unworked', '* * * * * *', {}, { key: 'only-one' });
        await q.schedule('t.unworked', '* * * * * *', {}, { key: 'other' });
        await sleep(1600);
        const jobs = await q.list({ name: 't.unworked' });
        assert.deepEqual(jobs.map((j) => j.key).sort(), ['only-one', 'other'], 'one live job per key');
        assert.equal((await q.listSchedules()).length, 2);
      }));

    it('gives each of 200 jobs to exactly one of 4 concurrent consumers, losing none', () =>
      withBackend(async (b) => {
        const producer = await started(b);
        const consumers = await Promise.all([0, 1, 2, 3].map(() => b.open({ leaseSeconds: LEASE, pollIntervalMs: 100 })));
        const runs = new Map<string, number>();
        const byConsumer = [0, 0, 0, 0];
        for (const [i, c] of consumers.entries()) {
          await c.work(
            't.bulk',
            async (job) => {
              runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
              byConsumer[i]!++;
              await sleep(Math.random() * 5);
              return { i };
            },
            { concurrency: 4 },
          );
        }
        const ids: string[] = [];
        for (let i = 0; i < 200; i += 10) ids.push(...(await Promise.all(Array.from({ length: 10 }, (_, j) => producer.enqueue('t.bulk', { i: i + j })))));
        await Promise.all(consumers.map((c) => c.start()));
        await waitFor('200 completions', async () => (await producer.list({ name: 't.bulk', state: 'completed', limit: 1000 })).length === 200, 30_000);
        assert.equal(runs.size, 200);
        for (const id of ids) assert.equal(runs.get(id), 1, `job ${id} ran ${runs.get(id)} times`);
        assert.ok(byConsumer.filter((n) => n > 0).length >= 2, `work was shared: ${byConsumer.join(', ')}`);
      }));

    it('retries the job of a worker that died, once its lease runs out', () =>
      withBackend(async (b) => {
        const dying = await started(b);
        const g = gate();
        await dying.work('t.crash', g.handler);
        const id = await dying.enqueue('t.crash', { x: 1 });
        await waitFor('the first attempt', () => g.seen.length === 1);
        const held = await dying.get(id);
        assert.equal(held.state, 'active');
        assert.ok(held.worker, 'an active job names its worker');
        dying.abandonForTesting();
        const t0 = Date.now();
        const survivor = await started(b);
        const attempts: number[] = [];
        await survivor.work('t.crash', (job) => {
          attempts.push(job.attempt);
          return { by: 'survivor' };
        });
        const done = await waitFor('the retry to complete', async () => ((await survivor.get(id)).state === 'completed' ? survivor.get(id) : undefined), 15_000);
        const took = Date.now() - t0;
        assert.deepEqual(attempts, [2], 'the lost attempt counts');
        assert.equal(done.attempts, 2);
        assert.deepEqual(done.output, { by: 'survivor' });
        assert.ok(took < (LEASE + 4) * 1000, `recovered in ${took} ms with a ${LEASE} s lease`);
      }));

    it('a stopping worker releases what it cannot finish, without counting the attempt', () =>
      withBackend(async (b) => {
        const leaving = await started(b);
        const g = gate();
        await leaving.work('t.release', g.handler);
        const id = await leaving.enqueue('t.release', {});
        await waitFor('the attempt', () => g.seen.length === 1);
        await leaving.stop({ graceful: true, timeoutMs: 200 });
        assert.deepEqual(g.aborted, [id], 'the handler saw its signal abort');
        const back = await (await started(b)).get(id);
        assert.equal(back.state, 'created');
        assert.equal(back.attempts, 0);
        const next = await started(b);
        const attempts: number[] = [];
        await next.work('t.release', (job) => void attempts.push(job.attempt));
        await waitFor('the job to complete elsewhere', async () => (await next.get(id)).state === 'completed');
        assert.deepEqual(attempts, [1]);
      }));
  });
}
