import os from 'node:os';
import { ActiveRun } from './active-run.js';
import type { PitwallClient } from './client.js';
import { isNotFound, PitwallApiError } from './errors.js';
import { readGitInfo } from './git-info.js';
import { SystemMetricsSampler } from './system-metrics.js';
import { validateKey } from './validate.js';

/** Run tags with MLflow's names (`mlflow/utils/mlflow_tags.py`) and Pitwall's own. */
export const RUN_TAG = {
  user: 'mlflow.user',
  sourceType: 'mlflow.source.type',
  sourceName: 'mlflow.source.name',
  gitCommit: 'mlflow.source.git.commit',
  gitBranch: 'mlflow.source.git.branch',
  gitRepoUrl: 'mlflow.source.git.repoURL',
  gitDirty: 'pitwall.git.dirty',
  command: 'pitwall.command',
  host: 'pitwall.host',
  seed: 'pitwall.seed',
} as const;

/** MLflow's default experiment, which the server creates on first start. */
const DEFAULT_EXPERIMENT_ID = '0';

export interface StartRunOptions {
  /** Experiment to log into, created when missing. Ignored when `experimentId` is given. */
  experimentName?: string | undefined;
  /** Default: the "Default" experiment, id 0. */
  experimentId?: string | undefined;
  runName?: string | undefined;
  /** Extra run tags; they win over the tags recorded automatically. */
  tags?: Record<string, string> | undefined;
  params?: Record<string, string | number | boolean> | undefined;
  /** Recorded as param `seed` and tag `pitwall.seed`. */
  seed?: number | undefined;
  /** Sample CPU / memory / GPU usage every 10 s (or `intervalMs`) while the run is open. On unless `false`. */
  systemMetrics?: boolean | { intervalMs?: number | undefined; nvidiaSmi?: string | false | undefined } | undefined;
  /** Directory whose git work tree is described in the tags (default: the process's cwd). */
  cwd?: string | undefined;
  /** How long a logged metric may wait before it is sent (default 1000 ms). */
  flushIntervalMs?: number | undefined;
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

function currentUser(): string | undefined {
  try {
    return os.userInfo().username || undefined;
  } catch {
    return undefined; // no passwd entry for this uid (common in containers)
  }
}

/** The tags describing where and how this process runs: source, command, host, user and git state of `cwd`. */
export async function sourceTags(cwd: string): Promise<Record<string, string>> {
  const tags: Record<string, string> = {
    [RUN_TAG.sourceType]: 'LOCAL',
    [RUN_TAG.sourceName]: process.argv[1] ?? process.argv0,
    // MLflow's MAX_TAG_VAL_LENGTH is 8000.
    [RUN_TAG.command]: [process.argv0, ...process.execArgv, ...process.argv.slice(1)].map(shellQuote).join(' ').slice(0, 8000),
    [RUN_TAG.host]: os.hostname(),
  };
  const user = currentUser();
  if (user) tags[RUN_TAG.user] = user;
  const git = await readGitInfo(cwd).catch(() => undefined);
  if (git) {
    tags[RUN_TAG.gitCommit] = git.commit;
    if (git.branch) tags[RUN_TAG.gitBranch] = git.branch;
    if (git.repoUrl) tags[RUN_TAG.gitRepoUrl] = git.repoUrl;
    if (git.dirty !== undefined) tags[RUN_TAG.gitDirty] = String(git.dirty);
  }
  return tags;
}

async function resolveExperimentId(client: PitwallClient, opts: StartRunOptions): Promise<string> {
  if (opts.experimentId !== undefined) return opts.experimentId;
  const name = opts.experimentName;
  if (name === undefined) return DEFAULT_EXPERIMENT_ID;
  try {
    return (await client.getExperimentByName(name)).experiment_id;
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  try {
    return await client.createExperiment(name);
  } catch (e) {
    // Another process created it between our look-up and our create.
    if (e instanceof PitwallApiError && e.errorCode === 'RESOURCE_ALREADY_EXISTS') return (await client.getExperimentByName(name)).experiment_id;
    throw e;
  }
}

/**
 * Creates a run (and its experiment, when named and missing), records source/git/host tags, params and seed, and
 * optionally starts system-metrics sampling. Call `end()` on the result when training is over. A param or tag key
 * the server would refuse throws before anything is created.
 *
 * SIGINT (Ctrl-C) and SIGTERM end the open run as `KILLED` before the process dies. A crash does not: an uncaught
 * exception leaves the run `RUNNING` (a library cannot safely finish async work from it). Mark failures yourself:
 *
 * ```ts
 * const run = await startRun(client, { experimentName: 'bert' });
 * try {
 *   await train(run);
 *   await run.end();
 * } catch (e) {
 *   await run.end('FAILED');
 *   throw e;
 * }
 * ```
 */
export async function startRun(client: PitwallClient, opts: StartRunOptions = {}): Promise<ActiveRun> {
  for (const key of Object.keys(opts.params ?? {})) validateKey('param', key);
  for (const key of Object.keys(opts.tags ?? {})) validateKey('tag', key);
  const experimentId = await resolveExperimentId(client, opts);
  const tags: Record<string, string> = { ...(await sourceTags(opts.cwd ?? process.cwd())) };
  const params: Record<string, string | number | boolean> = { ...(opts.params ?? {}) };
  if (opts.seed !== undefined) {
    params.seed = opts.seed;
    tags[RUN_TAG.seed] = String(opts.seed);
  }
  Object.assign(tags, opts.tags ?? {});
  const user = tags[RUN_TAG.user];
  const run = await client.createRun({
    experimentId,
    tags,
    ...(opts.runName !== undefined ? { runName: opts.runName } : {}),
    ...(user !== undefined ? { userId: user } : {}),
  });
  const active = new ActiveRun(client, run, opts.flushIntervalMs === undefined ? {} : { flushIntervalMs: opts.flushIntervalMs });
  try {
    if (Object.keys(params).length > 0) await active.logParams(params);
  } catch (e) {
    await active.end('FAILED').catch(() => {});
    throw e;
  }
  if (opts.systemMetrics !== false) {
    const cfg = opts.systemMetrics === true || opts.systemMetrics === undefined ? {} : opts.systemMetrics;
    const sampler = new SystemMetricsSampler({
      onSample: (metrics, step) => {
        if (!active.ended) active.logMetrics(metrics, step);
      },
      ...(cfg.intervalMs !== undefined ? { intervalMs: cfg.intervalMs } : {}),
      ...(cfg.nvidiaSmi !== undefined ? { nvidiaSmi: cfg.nvidiaSmi } : {}),
    });
    active.attachSampler(sampler);
    sampler.start();
  }
  return active;
}
