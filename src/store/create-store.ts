import path from 'node:path';
import type { Clock } from '../core/clock.js';
import { AppError, invalidParam } from '../core/errors/index.js';
import type { StoreConfig } from '../config/index.js';
import { PostgresAdapter } from './postgres/postgres-adapter.js';
import type { DialectAdapter } from './sql/dialect-adapter.js';
import { SqlStore } from './sql/sql-store.js';
import { inspectStore, type StoreStatus } from './sql/store-status.js';
import { SqliteAdapter } from './sqlite/sqlite-adapter.js';
import { explainStoreError } from './unavailable.js';

export const isPostgresUri = (uri: string): boolean => uri.startsWith('postgres://') || uri.startsWith('postgresql://');

/** The URI with any password replaced, for messages and logs. */
export function redactUri(uri: string): string {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    // Not a URL: keep what cannot be a secret (before any '@'), hide the rest.
    return uri.includes('@') ? `${uri.slice(0, uri.indexOf(':') + 1)}***@${uri.slice(uri.lastIndexOf('@') + 1)}` : uri;
  }
  if (url.password) url.password = '***';
  for (const k of [...url.searchParams.keys()]) if (/pass|key|secret|token/i.test(k)) url.searchParams.set(k, '***');
  return url.toString().replace(/%2A%2A%2A/g, '***');
}

/**
 * The dialect adapter for `config.uri`: `sqlite:<path>`, `sqlite:///abs/path`, `sqlite::memory:`, or
 * `postgres://…` / `postgresql://…` (`pg` is imported only then).
 */
export async function storeAdapter(config: StoreConfig): Promise<DialectAdapter> {
  const uri = config.uri;
  if (uri.startsWith('sqlite:')) {
    let file = uri.slice('sqlite:'.length);
    if (file.startsWith('///')) file = file.slice(2);
    else if (file.startsWith('//')) file = file.slice(2);
    if (file !== ':memory:') file = path.resolve(file);
    return new SqliteAdapter({ file, synchronous: config.sqliteSynchronous });
  }
  if (isPostgresUri(uri)) return PostgresAdapter.load({ uri, poolSize: config.postgresPoolSize });
  throw invalidParam(`Unknown store URI '${redactUri(uri)}': expected sqlite:<path> or postgres://user@host:port/database`, 'store.uri');
}

/** Plain words when the database cannot be reached or refuses us; other errors pass through. */
function explained(uri: string, e: unknown): unknown {
  const why = explainStoreError(e);
  return why ? new AppError('TEMPORARILY_UNAVAILABLE', `Cannot open the store ${redactUri(uri)}: ${why}`, { field: 'store.uri', cause: e }) : e;
}

/** Opens the store named by `config.uri`, applying pending migrations. */
export async function createStore(config: StoreConfig, opts: { defaultArtifactRoot: string; clock?: Clock }): Promise<SqlStore> {
  const adapter = await storeAdapter(config);
  try {
    return await SqlStore.open(adapter, opts);
  } catch (e) {
    throw explained(config.uri, e);
  }
}

/** The database's version and migration state, read without changing anything (for `pitwall doctor`). */
export async function storeStatus(config: StoreConfig): Promise<StoreStatus> {
  const adapter = await storeAdapter(config);
  try {
    return await inspectStore(adapter);
  } catch (e) {
    throw explained(config.uri, e);
  }
}
