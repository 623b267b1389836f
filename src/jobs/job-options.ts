import { invalidJobOption } from './errors.js';
import { type EnqueueOptions, JOB_STATES, type JobListQuery, type JobState, type RetryOptions, type ScheduleOptions } from './job-queue.js';

/** Validation and defaults shared by both queues, so that both accept and refuse exactly the same input. */

/** pg-boss's defaults. */
export const JOB_DEFAULTS = { retryLimit: 2, retryDelaySeconds: 0, retryBackoff: false, expireInSeconds: 900, priority: 0 } as const;

/** Largest job `data` (as JSON): jobs carry ids and parameters, not datasets. */
export const MAX_DATA_BYTES = 256 * 1024;

export type NormalizedRetry = { retryLimit: number; retryDelaySeconds: number; retryBackoff: boolean; expireInSeconds: number; priority: number };

export interface NormalizedEnqueue extends NormalizedRetry {
  key: string | null;
  /** Epoch ms; null for now. */
  startAfter: number | null;
  /** The data as JSON text. */
  dataJson: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function validateJobName(name: unknown, field = 'name'): string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw invalidJobOption(`Job name must be 1-128 letters, digits, '.', '_' or '-' (starting with a letter or digit), got ${JSON.stringify(name)?.slice(0, 140)}`, field);
  }
  return name;
}

export function validateKey(key: unknown, field = 'key'): string {
  if (typeof key !== 'string' || key.length === 0 || key.length > 255) throw invalidJobOption(`${field} must be a string of 1-255 characters`, field);
  if (key.includes('\u0000')) throw invalidJobOption(`${field} cannot contain the NUL character`, field);
  return key;
}

function int(v: unknown, field: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw invalidJobOption(`${field} must be an integer from ${min} to ${max}, got ${String(v)}`, field);
  return v;
}

export function normalizeRetry(opts: RetryOptions = {}): NormalizedRetry {
  const o = opts as Record<string, unknown>;
  if (o.retryBackoff !== undefined && typeof o.retryBackoff !== 'boolean') throw invalidJobOption('retryBackoff must be true or false', 'retryBackoff');
  const retryBackoff = (o.retryBackoff as boolean | undefined) ?? JOB_DEFAULTS.retryBackoff;
  const retryDelaySeconds = o.retryDelaySeconds === undefined ? JOB_DEFAULTS.retryDelaySeconds : int(o.retryDelaySeconds, 'retryDelaySeconds', 0, 86_400);
  return {
    retryLimit: o.retryLimit === undefined ? JOB_DEFAULTS.retryLimit : int(o.retryLimit, 'retryLimit', 0, 1000),
    // As pg-boss stores it: back-off from a delay of 0 would never wait, so it starts from 1 s.
    retryDelaySeconds: retryBackoff ? Math.max(1, retryDelaySeconds) : retryDelaySeconds,
    retryBackoff,
    // pg-boss refuses an expiry of 24 hours or more.
    expireInSeconds: o.expireInSeconds === undefined ? JOB_DEFAULTS.expireInSeconds : int(o.expireInSeconds, 'expireInSeconds', 1, 86_399),
    priority: o.priority === undefined ? JOB_DEFAULTS.priority : int(o.priority, 'priority', -1_000_000, 1_000_000),
  };
}

/** JSON text of `data` (undefined → null). Refuses what JSON cannot hold, NUL characters (PostgreSQL's jsonb cannot store them) and more than 256 KB. */
export function encodeData(data: unknown, field = 'data'): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(data === undefined ? null : data);
  } catch (e) {
    throw invalidJobOption(`Job ${field} must be JSON: ${(e as Error).message}`, field);
  }
  if (json === undefined) throw invalidJobOption(`Job ${field} must be JSON, got ${typeof data}`, field);
  if (json.includes('\\u0000')) throw invalidJobOption(`Job ${field} cannot contain the NUL character`, field);
  if (Buffer.byteLength(json) > MAX_DATA_BYTES) throw invalidJobOption(`Job ${field} is larger than ${MAX_DATA_BYTES / 1024} KB as JSON`, field);
  return json;
}

export function normalizeEnqueue(name: string, data: unknown, opts: EnqueueOptions = {}, nowMs: number): NormalizedEnqueue {
  validateJobName(name);
  if (opts === null || typeof opts !== 'object') throw invalidJobOption('options must be an object', 'options');
  const key = opts.key === undefined ? null : validateKey(opts.key);
  let startAfter: number | null = null;
  if (opts.startAfter !== undefined) {
    const s = opts.startAfter as unknown;
    if (s instanceof Date && Number.isFinite(s.getTime())) startAfter = s.getTime();
    else if (typeof s === 'number' && Number.isFinite(s) && s >= 0 && s <= 10 * 365 * 86_400) startAfter = nowMs + Math.round(s * 1000);
    else throw invalidJobOption('startAfter must be a Date or a number of seconds from now (0 to ten years)', 'startAfter');
  }
  return { ...normalizeRetry(opts), key, startAfter, dataJson: encodeData(data) };
}

export function normalizeScheduleOptions(opts: ScheduleOptions = {}): { key: string; tz: string; retry: NormalizedRetry } {
  if (opts === null || typeof opts !== 'object') throw invalidJobOption('options must be an object', 'options');
  const key = opts.key === undefined || opts.key === '' ? '' : validateKey(opts.key);
  const tz = opts.tz ?? 'UTC';
  validateTimeZone(tz);
  const { key: _k, tz: _tz, ...retry } = opts;
  return { key, tz, retry: normalizeRetry(retry) };
}

export function validateTimeZone(tz: unknown): string {
  if (typeof tz !== 'string' || tz === '') throw invalidJobOption('tz must be an IANA time zone such as UTC or Europe/Paris', 'tz');
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw invalidJobOption(`Unknown time zone '${tz}': use an IANA name such as UTC or Europe/Paris`, 'tz');
  }
  return tz;
}

export function parseJobState(v: unknown, field = 'state'): JobState {
  if (typeof v !== 'string' || !(JOB_STATES as readonly string[]).includes(v)) {
    throw invalidJobOption(`${field} must be one of ${JOB_STATES.join(', ')}, got ${JSON.stringify(v)?.slice(0, 60)}`, field);
  }
  return v as JobState;
}

export interface NormalizedListQuery {
  name: string | null;
  state: JobState | null;
  limit: number;
  offset: number;
}

export function normalizeListQuery(q: JobListQuery = {}): NormalizedListQuery {
  return {
    name: q.name === undefined ? null : validateJobName(q.name),
    state: q.state === undefined ? null : parseJobState(q.state),
    limit: q.limit === undefined ? 100 : int(q.limit, 'limit', 1, 1000),
    offset: q.offset === undefined ? 0 : int(q.offset, 'offset', 0, 1_000_000_000),
  };
}

/**
 * Seconds before the retry that follows a failed attempt, as pg-boss computes it. `retryCount` is the failed
 * attempt's index (0 for the first); `random` is in [0, 1).
 */
export function retryDelayMs(retryDelaySeconds: number, retryBackoff: boolean, retryCount: number, random: number): number {
  if (!retryBackoff) return retryDelaySeconds * 1000;
  const base = (retryDelaySeconds * 2 ** Math.min(16, retryCount + 1)) / 2;
  return Math.round((base + base * random) * 1000);
}

/** A UUID-looking string (both queues use UUIDs as ids); anything else cannot be a job id. */
export const isJobId = (id: unknown): id is string => typeof id === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
