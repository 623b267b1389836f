import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { invalidParam } from '../core/errors/index.js';
import { type JobQueue, type JobSchedule, type JobStatus, parseJobState, validateJobName } from '../jobs/index.js';
import { Opt } from './schemas.js';

const TAGS = ['Pitwall jobs'];
const IdParams = Type.Object({ id: Type.String() });
const Count = Type.Union([Type.Integer(), Type.String({ pattern: '^\\s*\\d+\\s*$' })], { description: 'a non-negative integer' });

export const jobJson = (j: JobStatus) => ({
  id: j.id,
  name: j.name,
  key: j.key,
  state: j.state,
  data: j.data,
  output: j.output,
  error: j.error,
  attempts: j.attempts,
  retry_limit: j.retryLimit,
  retry_delay_seconds: j.retryDelaySeconds,
  retry_backoff: j.retryBackoff,
  expire_in_seconds: j.expireInSeconds,
  priority: j.priority,
  worker: j.worker,
  created_on: j.createdOn,
  start_after: j.startAfter,
  started_on: j.startedOn,
  completed_on: j.completedOn,
});

const scheduleJson = (s: JobSchedule) => ({
  name: s.name,
  key: s.key,
  cron: s.cron,
  tz: s.tz,
  data: s.data,
  options: {
    retry_limit: s.options.retryLimit,
    retry_delay_seconds: s.options.retryDelaySeconds,
    retry_backoff: s.options.retryBackoff,
    expire_in_seconds: s.options.expireInSeconds,
    priority: s.options.priority,
  },
  last_run_on: s.lastRunOn,
  next_run_on: s.nextRunOn,
  created_on: s.createdOn,
  updated_on: s.updatedOn,
});

function count(v: string | number | undefined, field: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw invalidParam(`${field} must be an integer`, field);
  return n;
}

/**
 * Pitwall's job API (`/api/v1/jobs`): the status of background jobs (drift checks, rollout analysis, retraining runs,
 * probes), their cron schedules, and cancellation. Jobs are enqueued by the server's own modules, not over HTTP.
 */
export function registerJobRoutes(app: FastifyInstance, s: { jobs: JobQueue }): void {
  app.get(
    '/api/v1/jobs',
    {
      schema: {
        summary: 'List jobs, newest first',
        description:
          'Filter by `name` and `state` (created, retry, active, completed, cancelled, failed). Pages of `limit` (1–1000, default 100) from `offset`; `next_offset` is present when there may be more. Finished jobs are kept 7 days.',
        tags: TAGS,
        querystring: Type.Object({ name: Opt(Type.String()), state: Opt(Type.String()), limit: Opt(Count), offset: Opt(Count) }),
      },
    },
    async (req) => {
      const q = req.query as { name?: string; state?: string; limit?: string | number; offset?: string | number };
      const limit = count(q.limit, 'limit') ?? 100;
      const offset = count(q.offset, 'offset') ?? 0;
      const jobs = await s.jobs.list({
        ...(q.name ? { name: validateJobName(q.name) } : {}),
        ...(q.state ? { state: parseJobState(q.state) } : {}),
        limit,
        offset,
      });
      return { jobs: jobs.map(jobJson), ...(jobs.length === limit ? { next_offset: offset + limit } : {}) };
    },
  );
  app.get(
    '/api/v1/jobs/schedules',
    { schema: { summary: 'Cron schedules', description: 'Each schedule enqueues a job of `name` at every slot of `cron` (read in `tz`).', tags: TAGS } },
    async () => ({ schedules: (await s.jobs.listSchedules()).map(scheduleJson) }),
  );
  app.get(
    '/api/v1/jobs/:id',
    { schema: { summary: 'One job’s status', description: 'State, attempts, output or last error, worker (while active) and times (epoch ms).', tags: TAGS, params: IdParams } },
    async (req) => ({ job: jobJson(await s.jobs.get((req.params as { id: string }).id)) }),
  );
  app.post(
    '/api/v1/jobs/:id/cancel',
    {
      schema: {
        summary: 'Cancel a job',
        description: 'A queued job never runs; a running one has its handler’s signal aborted. Cancelling a cancelled job is a no-op; a completed or failed one answers 409 RESOURCE_CONFLICT.',
        tags: TAGS,
        params: IdParams,
      },
    },
    async (req) => ({ job: jobJson(await s.jobs.cancel((req.params as { id: string }).id)) }),
  );
}
