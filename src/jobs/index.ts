export type {
  EnqueueOptions,
  JobContext,
  JobEvent,
  JobHandler,
  JobListQuery,
  JobQueue,
  JobQueueHealth,
  JobSchedule,
  JobState,
  JobStatus,
  RetryOptions,
  ScheduleOptions,
  StopOptions,
  WorkOptions,
} from './job-queue.js';
export { JOB_STATES, LIVE_STATES } from './job-queue.js';
export { JOB_DEFAULTS, parseJobState, validateJobName } from './job-options.js';
export { type JobQueueOptions, BaseJobQueue } from './base-job-queue.js';
export { SqliteJobQueue } from './sqlite-job-queue.js';
export { PgBossJobQueue } from './pg-boss-job-queue.js';
export { createJobQueue, type JobStoreHandle } from './create-job-queue.js';
export { BUILTIN_JOBS, PROBE_JOB, enqueueProbe, probeHandler, registerBuiltinHandlers, type ProbeData, type ProbeResult } from './builtin.js';
export { jobNotFound } from './errors.js';
