import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Prediction } from '../prediction-types.js';
import { INSERT_PREDICTION_SQL, PREDICTION_COLUMNS, flatPredictionValues } from '../sql/prediction-writer.js';

/**
 * The worker's whole program, run from source text (as the ONNX worker is) so it behaves the same from `dist/` and
 * under tsx. Its own connection to the database file; batches arrive as one flat array of column values and are inserted in
 * transactions of at most 200 rows, so the write lock is never held for more than a few milliseconds.
 */
function workerMain(): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { parentPort, workerData } = require('node:worker_threads') as typeof import('node:worker_threads');
  const wd = workerData as { driver: string; file: string; synchronous: string; sql: string; columns: number };
  const Database = require(wd.driver) as typeof import('better-sqlite3');
  const db = new Database(wd.file);
  db.pragma('busy_timeout = 10000');
  db.pragma(`synchronous = ${wd.synchronous}`);
  const insert = db.prepare(wd.sql);
  const n = wd.columns;
  const many = db.transaction((values: unknown[], from: number, to: number) => {
    for (let i = from; i < to; i += n) insert.run(values.slice(i, i + n));
  });
  parentPort!.on('message', (msg: { id: number; values: unknown[] }) => {
    try {
      const step = 200 * n;
      for (let i = 0; i < msg.values.length; i += step) many(msg.values, i, Math.min(i + step, msg.values.length));
      parentPort!.postMessage({ id: msg.id });
    } catch (e) {
      parentPort!.postMessage({ id: msg.id, error: e instanceof Error ? e.message : String(e) });
    }
  });
}

const WORKER_SOURCE = `const __name = (f) => f;\n(${workerMain.toString()})();`;

/**
 * Prediction-log inserts on a worker thread with its own SQLite connection (WAL lets it write beside the main
 * connection, taking turns for the write lock): an insert costs ~10 µs a row, which on the event loop would take
 * that much from every logged request at full load. A worker that dies is replaced on the next batch.
 */
export class SqlitePredictionWriter {
  private worker: Worker | undefined;
  private next = 0;
  private readonly pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();

  constructor(private readonly o: { file: string; synchronous: 'NORMAL' | 'FULL' }) {}

  private start(): Worker {
    const w = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver: createRequire(import.meta.url).resolve('better-sqlite3'), file: this.o.file, synchronous: this.o.synchronous, sql: INSERT_PREDICTION_SQL, columns: PREDICTION_COLUMNS.length },
    });
    w.unref();
    w.on('message', (m: { id: number; error?: string }) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.error !== undefined) p?.reject(new Error(m.error));
      else p?.resolve();
    });
    const fail = (e: Error) => {
      if (this.worker === w) this.worker = undefined;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`the prediction-log writer thread exited (${code})`)));
    return w;
  }

  write(predictions: Prediction[]): Promise<void> {
    const w = (this.worker ??= this.start());
    const id = this.next++;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.postMessage({ id, values: flatPredictionValues(predictions) });
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    await w?.terminate();
  }
}
