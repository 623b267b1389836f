import type { Transaction } from 'kysely';
import type { Prediction } from '../prediction-types.js';
import type { Database, PredictionsTable } from './schema.js';

/**
 * The prediction log's ingest hot path, one per dialect: inserts rows inside the caller's transaction, skipping ids
 * already stored (a retried batch). SQLite runs one prepared statement per row (no SQL to build per batch);
 * PostgreSQL sends multi-row INSERTs.
 */
export type PredictionInserter = (trx: Transaction<Database>, rows: PredictionsTable[]) => Promise<void>;

/** Or a writer of its own, outside the main connection (SQLite files: a worker thread); `close` stops it. */
export interface PredictionOffThreadWriter {
  write(predictions: Prediction[]): Promise<void>;
  close(): Promise<void>;
}

export const PREDICTION_COLUMNS = [
  'id', 'time', 'deployment', 'model', 'version', 'endpoint', 'status', 'latency_ms', 'prompt_tokens', 'completion_tokens', 'cost_usd', 'entity_key', 'inputs', 'outputs', 'truncated',
] as const satisfies readonly (keyof PredictionsTable)[];

/**
 * Predictions as one flat array of column values, row after row in `PREDICTION_COLUMNS` order: what a worker thread
 * is sent (one array of primitives clones several times faster than an object or an array per row).
 */
export function flatPredictionValues(ps: Prediction[]): unknown[] {
  const out: unknown[] = [];
  for (const p of ps) {
    out.push(p.id, p.time, p.deployment, p.model, p.version, p.endpoint, p.status, p.latencyMs, p.promptTokens, p.completionTokens, p.costUsd, p.entityKey, p.inputs, p.outputs, p.truncated ? 1 : 0);
  }
  return out;
}

export const INSERT_PREDICTION_SQL = `INSERT INTO predictions (${PREDICTION_COLUMNS.join(', ')}) VALUES (${PREDICTION_COLUMNS.map(() => '?').join(', ')}) ON CONFLICT (id) DO NOTHING`;

/** Rows per INSERT: 15 columns × 500 stays under PostgreSQL's 65,535 bound parameters. */
const CHUNK = 500;

/** Multi-row INSERTs through Kysely (PostgreSQL). */
export const kyselyPredictionInserter: PredictionInserter = async (trx, rows) => {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await trx.insertInto('predictions').values(rows.slice(i, i + CHUNK)).onConflict((oc) => oc.column('id').doNothing()).execute();
  }
};
