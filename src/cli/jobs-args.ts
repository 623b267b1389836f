import type { ParseArgsConfig } from 'node:util';
import type { JobState } from '../sdk/index.js';
import { expectPositionals, parsePositiveInt, type Remote, remote, str, type Values } from './arg-values.js';
import type { ServerFlags } from './args.js';
import { UsageError } from './errors.js';

/** Parsing of `pitwall worker` and `pitwall jobs …`. */

export type JobsCommand =
  | { kind: 'worker'; flags: ServerFlags; concurrency: number }
  | ({ kind: 'jobs list'; name?: string; state?: JobState; max: number } & Remote)
  | ({ kind: 'jobs show'; id: string } & Remote)
  | ({ kind: 'jobs cancel'; id: string } & Remote);

type Options = NonNullable<ParseArgsConfig['options']>;

const COMMON: Options = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  'tracking-uri': { type: 'string' },
};

export const JOBS_OPTIONS: Record<string, Options> = {
  worker: {
    help: { type: 'boolean', short: 'h' },
    'data-dir': { type: 'string' },
    store: { type: 'string' },
    config: { type: 'string' },
    concurrency: { type: 'string' },
  },
  'jobs list': { ...COMMON, name: { type: 'string' }, state: { type: 'string' }, max: { type: 'string' } },
  'jobs show': { ...COMMON },
  'jobs cancel': { ...COMMON },
};

const STATES: readonly JobState[] = ['created', 'retry', 'active', 'completed', 'cancelled', 'failed'];

/** Builds a `worker` or `jobs …` command; `flags` are the store flags `serverFlags` read. */
export function parseJobsCommand(topic: string, values: Values, positionals: string[], flags: ServerFlags): JobsCommand {
  switch (topic) {
    case 'worker': {
      expectPositionals(positionals, topic, 0, 0, '');
      const c = str(values.concurrency);
      return { kind: 'worker', flags, concurrency: c === undefined ? 1 : parsePositiveInt(c, '--concurrency', topic, 1, 100) };
    }
    case 'jobs list': {
      expectPositionals(positionals, topic, 0, 0, '');
      const state = str(values.state);
      if (state !== undefined && !(STATES as readonly string[]).includes(state)) throw new UsageError(`--state must be one of ${STATES.join(', ')}, got '${state}'`, topic);
      const name = str(values.name);
      const max = str(values.max);
      return {
        kind: topic,
        max: max === undefined ? 50 : parsePositiveInt(max, '--max', topic, 1, 1000),
        ...(name !== undefined ? { name } : {}),
        ...(state !== undefined ? { state: state as JobState } : {}),
        ...remote(values),
      };
    }
    case 'jobs show':
    case 'jobs cancel':
      expectPositionals(positionals, topic, 1, 1, 'JOB_ID');
      return { kind: topic, id: positionals[0]!, ...remote(values) };
    default:
      throw new UsageError(`unknown command '${topic}'`);
  }
}
