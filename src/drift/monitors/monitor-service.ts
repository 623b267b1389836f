import { Readable } from 'node:stream';
import type { ArtifactStore } from '../../artifacts/index.js';
import { invalidParam, notFound } from '../../core/errors/index.js';
import type { JobContext, JobQueue } from '../../jobs/index.js';
import type { Monitor, MonitorRun, Store } from '../../store/index.js';
import { DatasetError, type DatasetFormat, readDatasetText } from '../read-dataset.js';
import { type CheckDeps, runCheck } from './monitor-check.js';
import { specFromWire } from './monitor-spec.js';

/** The job that runs one check of a monitor (`data: {monitor}`); each monitor's cron schedule is keyed by its name. */
export const MONITOR_JOB = 'pitwall.drift-monitor';

/** Largest reference upload, in bytes: it is held as one string while read (V8 strings stop short of 512 MB). */
export const MAX_REFERENCE_BYTES = 256 * 1024 * 1024;

/** The handler every worker registers: one check, its result stored and its alerts sent. */
export function monitorJob(deps: CheckDeps) {
  return {
    name: MONITOR_JOB,
    handler: async (job: JobContext<{ monitor?: unknown } | null>) => {
      const name = job.data?.monitor;
      if (typeof name !== 'string') throw new Error('data.monitor must name a monitor');
      const run = await runCheck(deps, name);
      return { run_id: run.id, status: run.status, drifted: run.drifted, tested: run.tested, ...(run.error ? { error: run.error } : {}) };
    },
  };
}

/**
 * Drift monitors: a deployment's traffic compared with a reference on a cron schedule (`MONITOR_JOB` on the jobs
 * queue), each check stored, webhooks told when the verdict changes. The spec lives in the store; the schedule in the
 * queue, kept in step on every write.
 */
export class MonitorService {
  constructor(
    private readonly store: Store,
    private readonly artifacts: ArtifactStore,
    private readonly jobs: JobQueue,
  ) {}

  private async schedule(m: Monitor): Promise<void> {
    if (m.enabled) await this.jobs.schedule(MONITOR_JOB, m.schedule, { monitor: m.name }, { key: m.name, tz: m.timezone, retryLimit: 1, expireInSeconds: 3600 });
    else await this.jobs.unschedule(MONITOR_JOB, m.name);
  }

  private async checkDeployment(name: string): Promise<void> {
    await this.store.deployments.get(name).catch(() => {
      throw notFound(`Deployment with name=${name} not found`, 'deployment');
    });
  }

  async create(body: unknown): Promise<Monitor> {
    const spec = specFromWire(body);
    if (spec.deployment !== '') await this.checkDeployment(spec.deployment);
    if (spec.current) await this.store.experiments.get(spec.current.experimentId).catch(() => {
      throw notFound(`Experiment with id=${spec.current!.experimentId} not found`, 'current.experiment_id');
    });
    const m = await this.store.monitors.create(spec);
    await this.schedule(m);
    return m;
  }

  get(name: string): Promise<Monitor> {
    return this.store.monitors.get(name);
  }

  list(q: { deployment?: string } = {}): Promise<Monitor[]> {
    return this.store.monitors.list(q);
  }

  async update(name: string, body: unknown): Promise<Monitor> {
    const current = await this.store.monitors.get(name);
    const spec = specFromWire(body, current);
    if (spec.deployment !== current.deployment && spec.deployment !== '') await this.checkDeployment(spec.deployment);
    const m = await this.store.monitors.replace(spec);
    await this.schedule(m);
    return m;
  }

  async delete(name: string): Promise<void> {
    const m = await this.store.monitors.get(name);
    await this.jobs.unschedule(MONITOR_JOB, name);
    await this.store.monitors.delete(name);
    if (m.reference?.type === 'upload') await this.artifacts.delete(m.reference.path).catch(() => undefined);
  }

  /**
   * Stores a CSV or JSON lines reference for the monitor (replacing any reference it had), after reading it through
   * once: a file the drift report could not read is refused here (400, `body`), not at the next check.
   */
  async putReference(name: string, text: string, format: DatasetFormat): Promise<Monitor> {
    const m = await this.store.monitors.get(name);
    let rows: number;
    try {
      rows = (await readDatasetText([text], { name: 'the reference', format })).rows;
    } catch (e) {
      if (e instanceof DatasetError) throw invalidParam(e.message, 'body');
      throw e;
    }
    if (rows === 0) throw invalidParam('the reference has no rows', 'body');
    const path = `monitors/${m.name}/reference.${format === 'csv' ? 'csv' : 'jsonl'}`;
    await this.artifacts.put(path, Readable.from([Buffer.from(text)]));
    const old = m.reference;
    const updated = await this.store.monitors.replace({ ...m, reference: { type: 'upload', path, format, rows, uploadedAt: Date.now() } });
    if (old?.type === 'upload' && old.path !== path) await this.artifacts.delete(old.path).catch(() => undefined);
    return updated;
  }

  /** Queues a check now (one at a time per monitor: a check already queued or running answers its job id). */
  async runNow(name: string): Promise<string> {
    await this.store.monitors.get(name);
    return this.jobs.enqueue(MONITOR_JOB, { monitor: name }, { key: name, retryLimit: 0, expireInSeconds: 3600 });
  }

  runs(name: string, q: { limit: number; before?: number; withReports?: boolean }): Promise<MonitorRun[]> {
    return this.store.monitors.listRuns(name, q);
  }

  run(name: string, id: string): Promise<MonitorRun> {
    return this.store.monitors.getRun(name, id);
  }
}
