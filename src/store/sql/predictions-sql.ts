import { type ExpressionBuilder, type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import { notFound } from '../../core/errors/index.js';
import type { Feedback, Label, Prediction, PredictionQuery } from '../prediction-types.js';
import { ROLLUP_COLUMNS, ROLLUP_FIELDS, ROLLUP_LATENCY_BOUNDS_MS, type RollupDelta, type RollupField, type RollupPoint, latencyColumn } from '../rollup-types.js';
import type { PredictionStore } from '../store.js';
import type { PredictionInserter, PredictionOffThreadWriter } from './prediction-writer.js';
import type { Database, PredictionsTable } from './schema.js';

/** Label rows per INSERT. */
const INSERT_CHUNK = 500;
/** Ids per `IN (…)` list. */
const ID_CHUNK = 500;

function fromRow(r: PredictionsTable): Prediction {
  return {
    id: r.id,
    time: Number(r.time),
    deployment: r.deployment,
    model: r.model,
    version: r.version,
    endpoint: r.endpoint,
    status: Number(r.status),
    latencyMs: Number(r.latency_ms),
    promptTokens: Number(r.prompt_tokens),
    completionTokens: Number(r.completion_tokens),
    costUsd: Number(r.cost_usd),
    entityKey: r.entity_key,
    inputs: r.inputs,
    outputs: r.outputs,
    truncated: Number(r.truncated) === 1,
  };
}

function toRow(p: Prediction): PredictionsTable {
  return {
    id: p.id,
    time: p.time,
    deployment: p.deployment,
    model: p.model,
    version: p.version,
    endpoint: p.endpoint,
    status: p.status,
    latency_ms: p.latencyMs,
    prompt_tokens: p.promptTokens,
    completion_tokens: p.completionTokens,
    cost_usd: p.costUsd,
    entity_key: p.entityKey,
    inputs: p.inputs,
    outputs: p.outputs,
    truncated: p.truncated ? 1 : 0,
  };
}

function chunks<T>(xs: T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

/** The prediction log in SQL: batches in one transaction through the dialect's inserter, keyset paging newest first. */
export class SqlPredictionStore implements PredictionStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly inserter: PredictionInserter,
    private readonly offThread?: PredictionOffThreadWriter | undefined,
  ) {}

  async insert(rows: Prediction[]): Promise<void> {
    if (rows.length === 0) return;
    if (this.offThread) return this.offThread.write(rows);
    await this.db.transaction().execute((trx) => this.inserter(trx, rows.map(toRow)));
  }

  /** Stops the off-thread writer, if any. */
  async close(): Promise<void> {
    await this.offThread?.close();
  }

  private filtered(q: Omit<PredictionQuery, 'maxResults' | 'after'>): SelectQueryBuilder<Database, 'predictions', object> {
    let b = this.db.selectFrom('predictions') as SelectQueryBuilder<Database, 'predictions', object>;
    if (q.deployment !== undefined) b = b.where('deployment', '=', q.deployment);
    if (q.version !== undefined) b = b.where('version', '=', q.version);
    if (q.status !== undefined) b = b.where('status', '>=', q.status.min).where('status', '<=', q.status.max);
    if (q.entityKey !== undefined) b = b.where('entity_key', '=', q.entityKey);
    if (q.from !== undefined) b = b.where('time', '>=', q.from);
    if (q.to !== undefined) b = b.where('time', '<', q.to);
    return b;
  }

  async list(q: PredictionQuery): Promise<{ items: Prediction[]; next?: { time: number; id: string } }> {
    let b = this.filtered(q);
    const after = q.after;
    if (after) b = b.where((eb) => eb.or([eb('time', '<', after.time), eb.and([eb('time', '=', after.time), eb('id', '<', after.id)])]));
    const rows = await b.selectAll().orderBy('time', 'desc').orderBy('id', 'desc').limit(q.maxResults + 1).execute();
    const items = rows.slice(0, q.maxResults).map((r) => fromRow(r as PredictionsTable));
    const last = items[items.length - 1];
    return rows.length > q.maxResults && last ? { items, next: { time: last.time, id: last.id } } : { items };
  }

  async get(id: string): Promise<Prediction> {
    const r = await this.db.selectFrom('predictions').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) throw notFound(`Prediction ${id} is not in the prediction log (never logged, sampled out, or past retention)`, 'prediction_id');
    return fromRow(r);
  }

  async existing(ids: string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (const part of chunks([...new Set(ids)], ID_CHUNK)) {
      for (const r of await this.db.selectFrom('predictions').select('id').where('id', 'in', part).execute()) out.add(r.id);
    }
    return out;
  }

  async latestForEntity(entityKey: string, time: number): Promise<{ id: string } | undefined> {
    const r = await this.db.selectFrom('predictions').select('id').where('entity_key', '=', entityKey).where('time', '<=', time).orderBy('time', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
    return r ? { id: r.id } : undefined;
  }

  async deleteBefore(time: number): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const old = trx.selectFrom('predictions').select('id').where('time', '<', time);
      await trx.deleteFrom('prediction_feedback').where('prediction_id', 'in', old).execute();
      await trx.deleteFrom('prediction_labels').where('prediction_id', 'in', old).execute();
      const r = await trx.deleteFrom('predictions').where('time', '<', time).executeTakeFirst();
      return Number(r.numDeletedRows);
    });
  }

  async keepNewest(maxRows: number): Promise<number> {
    const edge = await this.db.selectFrom('predictions').select(['time', 'id']).orderBy('time', 'desc').orderBy('id', 'desc').limit(1).offset(maxRows).executeTakeFirst();
    if (!edge) return 0;
    // Everything at or before the first row past the newest `maxRows`.
    return this.db.transaction().execute(async (trx) => {
      const older = (eb: ExpressionBuilder<Database, 'predictions'>) => eb.or([eb('time', '<', Number(edge.time)), eb.and([eb('time', '=', Number(edge.time)), eb('id', '<=', edge.id)])]);
      const ids = trx.selectFrom('predictions').select('id').where(older);
      await trx.deleteFrom('prediction_feedback').where('prediction_id', 'in', ids).execute();
      await trx.deleteFrom('prediction_labels').where('prediction_id', 'in', ids).execute();
      const r = await trx.deleteFrom('predictions').where(older).executeTakeFirst();
      return Number(r.numDeletedRows);
    });
  }

  async count(): Promise<number> {
    const r = await this.db.selectFrom('predictions').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async addFeedback(f: Feedback): Promise<void> {
    await this.db.insertInto('prediction_feedback').values({ id: f.id, prediction_id: f.predictionId, time: f.time, thumbs: f.thumbs, score: f.score, comment: f.comment }).execute();
  }

  async feedbackFor(predictionIds: string[]): Promise<Feedback[]> {
    const out: Feedback[] = [];
    for (const part of chunks([...new Set(predictionIds)], ID_CHUNK)) {
      const rows = await this.db.selectFrom('prediction_feedback').selectAll().where('prediction_id', 'in', part).orderBy('time').orderBy('id').execute();
      for (const r of rows) out.push({ id: r.id, predictionId: r.prediction_id, time: Number(r.time), thumbs: r.thumbs === null ? null : Number(r.thumbs) > 0 ? 1 : -1, score: r.score === null ? null : Number(r.score), comment: r.comment });
    }
    return out;
  }

  async setLabels(labels: Label[]): Promise<void> {
    if (labels.length === 0) return;
    // The last label given for a prediction wins, within a batch as across batches.
    const latest = new Map(labels.map((l) => [l.predictionId, l]));
    await this.db.transaction().execute(async (trx) => {
      for (const part of chunks([...latest.values()], INSERT_CHUNK)) {
        await trx
          .insertInto('prediction_labels')
          .values(part.map((l) => ({ prediction_id: l.predictionId, label: l.label, time: l.time })))
          .onConflict((oc) => oc.column('prediction_id').doUpdateSet((eb) => ({ label: eb.ref('excluded.label'), time: eb.ref('excluded.time') })))
          .execute();
      }
    });
  }

  async labelsFor(predictionIds: string[]): Promise<Label[]> {
    const out: Label[] = [];
    for (const part of chunks([...new Set(predictionIds)], ID_CHUNK)) {
      const rows = await this.db.selectFrom('prediction_labels').selectAll().where('prediction_id', 'in', part).execute();
      for (const r of rows) out.push({ predictionId: r.prediction_id, label: r.label, time: Number(r.time) });
    }
    return out;
  }

  async getMany(ids: string[]): Promise<Prediction[]> {
    const out: Prediction[] = [];
    for (const part of chunks([...new Set(ids)], ID_CHUNK)) {
      for (const r of await this.db.selectFrom('predictions').selectAll().where('id', 'in', part).execute()) out.push(fromRow(r));
    }
    return out;
  }

  async deleteRollupsBefore(minute: number, hourlyMinute: number): Promise<number> {
    const a = await this.db.deleteFrom('prediction_rollups').where('minute', '<', minute).executeTakeFirst();
    const b = await this.db.deleteFrom('prediction_rollups_hourly').where('minute', '<', hourlyMinute).executeTakeFirst();
    return Number(a.numDeletedRows) + Number(b.numDeletedRows);
  }

  async addRollups(deltas: RollupDelta[]): Promise<void> {
    // One row per key: PostgreSQL refuses an INSERT … ON CONFLICT that touches the same row twice.
    const merged = new Map<string, { key: [string, string, string, number]; values: number[] }>();
    for (const d of deltas) {
      const k = `${d.deployment}\u0000${d.model}\u0000${d.version}\u0000${d.minute}`;
      let m = merged.get(k);
      if (!m) merged.set(k, (m = { key: [d.deployment, d.model, d.version, d.minute], values: new Array<number>(ROLLUP_COLUMNS.length).fill(0) }));
      ROLLUP_FIELDS.forEach((f, i) => (m.values[i]! += d.values[f] ?? 0));
      d.latency?.forEach((n, i) => (m.values[ROLLUP_FIELDS.length + i]! += n));
    }
    if (merged.size === 0) return;
    const cols = sql.join([sql.ref('deployment'), sql.ref('model'), sql.ref('version'), sql.ref('minute'), ...ROLLUP_COLUMNS.map((c) => sql.ref(c))]);
    // The hourly rows get the same sums, each minute's counts added to its hour's row.
    const hourly = new Map<string, { key: [string, string, string, number]; values: number[] }>();
    for (const m of merged.values()) {
      const hour = m.key[3] - (m.key[3] % 60);
      const k = `${m.key[0]}\u0000${m.key[1]}\u0000${m.key[2]}\u0000${hour}`;
      const h = hourly.get(k);
      if (!h) hourly.set(k, { key: [m.key[0], m.key[1], m.key[2], hour], values: [...m.values] });
      else m.values.forEach((n, i) => (h.values[i]! += n));
    }
    await this.db.transaction().execute(async (trx) => {
      for (const [table, rowsOf] of [['prediction_rollups', merged], ['prediction_rollups_hourly', hourly]] as const) {
        const set = sql.join(ROLLUP_COLUMNS.map((c) => sql`${sql.ref(c)} = ${sql.ref(`${table}.${c}`)} + ${sql.ref(`excluded.${c}`)}`));
        for (const part of chunks([...rowsOf.values()], 200)) {
          const rows = sql.join(part.map((r) => sql`(${sql.join([...r.key, ...r.values])})`));
          await sql`INSERT INTO ${sql.table(table)} (${cols}) VALUES ${rows} ON CONFLICT (deployment, minute, model, version) DO UPDATE SET ${set}`.execute(trx);
        }
      }
    });
  }

  async rollupSeries(q: { deployment: string; from: number; to: number; stepMinutes: number }): Promise<RollupPoint[]> {
    if (!Number.isSafeInteger(q.stepMinutes) || q.stepMinutes < 1) throw new RangeError(`stepMinutes must be a positive integer, got ${q.stepMinutes}`);
    // A literal, so that PostgreSQL sees the SELECT and GROUP BY expressions as the same one.
    const step = sql.lit(q.stepMinutes);
    const sums = sql.join(ROLLUP_COLUMNS.map((c) => sql`SUM(${sql.ref(c)}) AS ${sql.ref(c)}`));
    // Whole-hour steps aligned to hours read the hourly rows (60 times fewer); the window's end is then the end of
    // its hour, which the caller aligns (`to` rounded up to the hour).
    const hours = q.stepMinutes % 60 === 0 && q.from % 60 === 0 && q.to % 60 === 0;
    const table = sql.table(hours ? 'prediction_rollups_hourly' : 'prediction_rollups');
    const r = await sql<Record<string, unknown>>`SELECT model, version, minute - (minute % ${step}) AS bucket, ${sums} FROM ${table}
      WHERE deployment = ${q.deployment} AND minute >= ${q.from} AND minute < ${q.to}
      GROUP BY model, version, minute - (minute % ${step}) ORDER BY bucket, model, version`.execute(this.db);
    return r.rows.map((row) => ({
      model: String(row.model),
      version: String(row.version),
      minute: Number(row.bucket),
      values: Object.fromEntries(ROLLUP_FIELDS.map((f) => [f, Number(row[f] ?? 0)])) as Record<RollupField, number>,
      latency: ROLLUP_LATENCY_BOUNDS_MS.map((_, i) => Number(row[latencyColumn(i)] ?? 0)).concat(Number(row[latencyColumn(ROLLUP_LATENCY_BOUNDS_MS.length)] ?? 0)),
    }));
  }
}
