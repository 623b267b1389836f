import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

/** PostgreSQL's deadlock and serialization failures: the transaction was rolled back whole and may simply run again. */
const RETRYABLE = new Set(['40P01', '40001']);
const ATTEMPTS = 4;

/**
 * Runs `fn` in a transaction, running it again (up to 4 times, with a short random pause) when PostgreSQL aborted it
 * as a deadlock victim or a serialization failure. Writers sort their rows so that this stays rare.
 */
export async function transact<T>(db: Kysely<Database>, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(fn);
    } catch (e) {
      if (attempt >= ATTEMPTS || !RETRYABLE.has((e as { code?: string } | null)?.code ?? '')) throw e;
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * attempt));
    }
  }
}
