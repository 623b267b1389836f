import type { Kysely } from 'kysely';
import { type AppError, alreadyExists, notFound } from '../../core/errors/index.js';
import type { Clock } from '../../core/clock.js';
import type { Monitor, MonitorRun, MonitorSpec, MonitorState } from '../monitor-types.js';
import type { MonitorStore } from '../store.js';
import type { DialectAdapter } from './dialect-adapter.js';
import type { Database, MonitorRunsTable, MonitorsTable } from './schema.js';

const monitorNotFound = (name: string): AppError => notFound(`Monitor with name=${name} not found`, 'name');

function fromRow(r: MonitorsTable): Monitor {
  const spec = JSON.parse(r.spec) as Omit<MonitorSpec, 'name'>;
  return { ...spec, type: spec.type ?? 'data', quality: spec.quality ?? null, name: r.name, deployment: r.deployment, state: r.state as MonitorState, createdAt: Number(r.created_at), updatedAt: Number(r.updated_at) };
}

const specText = ({ name: _name, ...spec }: MonitorSpec): string => JSON.stringify(spec);

function runFromRow(r: MonitorRunsTable): MonitorRun {
  return {
    id: r.id,
    monitor: r.monitor,
    time: Number(r.time),
    windowFrom: Number(r.window_from),
    windowTo: Number(r.window_to),
    status: r.status as MonitorRun['status'],
    referenceRows: Number(r.reference_rows),
    currentRows: Number(r.current_rows),
    tested: Number(r.tested),
    drifted: Number(r.drifted),
    share: r.share === null ? null : Number(r.share),
    report: r.report === null ? null : (JSON.parse(r.report) as unknown),
    error: r.error,
    alert: r.alert as MonitorRun['alert'],
    alertError: r.alert_error,
  };
}

/** Monitors (one row each, the spec as JSON) and their checks (one row per check, newest read first). */
export class SqlMonitorStore implements MonitorStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly adapter: DialectAdapter,
    private readonly clock: Clock,
  ) {}

  async create(spec: MonitorSpec): Promise<Monitor> {
    const now = this.clock.nowMs();
    try {
      const row = await this.db
        .insertInto('monitors')
        .values({ name: spec.name, deployment: spec.deployment, spec: specText(spec), state: 'unknown', created_at: now, updated_at: now })
        .returningAll()
        .executeTakeFirstOrThrow();
      return fromRow(row);
    } catch (e) {
      if (this.adapter.isUniqueViolation(e)) throw alreadyExists(`Monitor (name=${spec.name}) already exists.`, 'name');
      throw e;
    }
  }

  async get(name: string): Promise<Monitor> {
    const row = await this.db.selectFrom('monitors').selectAll().where('name', '=', name).executeTakeFirst();
    if (!row) throw monitorNotFound(name);
    return fromRow(row);
  }

  async list(q: { deployment?: string } = {}): Promise<Monitor[]> {
    let query = this.db.selectFrom('monitors').selectAll().orderBy('name', 'asc');
    if (q.deployment !== undefined) query = query.where('deployment', '=', q.deployment);
    return (await query.execute()).map(fromRow);
  }

  async replace(spec: MonitorSpec): Promise<Monitor> {
    const row = await this.db
      .updateTable('monitors')
      .set({ deployment: spec.deployment, spec: specText(spec), updated_at: this.clock.nowMs() })
      .where('name', '=', spec.name)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw monitorNotFound(spec.name);
    return fromRow(row);
  }

  async setState(name: string, state: MonitorState): Promise<void> {
    const res = await this.db.updateTable('monitors').set({ state }).where('name', '=', name).executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw monitorNotFound(name);
  }

  async delete(name: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const res = await tx.deleteFrom('monitors').where('name', '=', name).executeTakeFirst();
      if (Number(res.numDeletedRows) === 0) throw monitorNotFound(name);
      await tx.deleteFrom('monitor_runs').where('monitor', '=', name).execute();
    });
  }

  async addRun(run: MonitorRun): Promise<void> {
    await this.db
      .insertInto('monitor_runs')
      .values({
        id: run.id,
        monitor: run.monitor,
        time: run.time,
        window_from: run.windowFrom,
        window_to: run.windowTo,
        status: run.status,
        reference_rows: run.referenceRows,
        current_rows: run.currentRows,
        tested: run.tested,
        drifted: run.drifted,
        share: run.share,
        report: run.report === null ? null : JSON.stringify(run.report),
        error: run.error,
        alert: run.alert,
        alert_error: run.alertError,
      })
      .execute();
  }

  async listRuns(monitor: string, q: { limit: number; before?: number; withReports?: boolean }): Promise<MonitorRun[]> {
    const columns = ['id', 'monitor', 'time', 'window_from', 'window_to', 'status', 'reference_rows', 'current_rows', 'tested', 'drifted', 'share', 'error', 'alert', 'alert_error'] as const;
    let query = this.db
      .selectFrom('monitor_runs')
      .select(q.withReports ? [...columns, 'report'] : [...columns])
      .where('monitor', '=', monitor)
      .orderBy('time', 'desc')
      .orderBy('id', 'desc')
      .limit(q.limit);
    if (q.before !== undefined) query = query.where('time', '<', q.before);
    const rows = (await query.execute()) as (Omit<MonitorRunsTable, 'report'> & { report?: string | null })[];
    return rows.map((r) => runFromRow({ ...r, report: r.report ?? null }));
  }

  async getRun(monitor: string, id: string): Promise<MonitorRun> {
    const row = await this.db.selectFrom('monitor_runs').selectAll().where('monitor', '=', monitor).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound(`Monitor ${monitor} has no check with id=${id}`, 'run_id');
    return runFromRow(row);
  }
}
