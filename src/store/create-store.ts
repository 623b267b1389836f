import path from 'node:path';
import type { Clock } from '../core/clock.js';
import { invalidParam } from '../core/errors/index.js';
import type { StoreConfig } from '../config/index.js';
import { PostgresAdapter } from './postgres/postgres-adapter.js';
import { SqlStore } from './sql/sql-store.js';
import { SqliteAdapter } from './sqlite/sqlite-adapter.js';

export const isPostgresUri = (uri: string): boolean => uri.startsWith('postgres://') || uri.startsWith('postgresql://');

/**
 * Opens the store named by `config.uri`: `sqlite:<path>`, `sqlite:///abs/path`, `sqlite::memory:`, or
 * `postgres://…` / `postgresql://…` (`pg` is imported only then).
 */
export async function createStore(config: StoreConfig, opts: { defaultArtifactRoot: string; clock?: Clock }): Promise<SqlStore> {
  const uri = config.uri;
  if (uri.startsWith('sqlite:')) {
    let file = uri.slice('sqlite:'.length);
    if (file.startsWith('///')) file = file.slice(2);
    else if (file.startsWith('//')) file = file.slice(2);
    if (file !== ':memory:') file = path.resolve(file);
    return SqlStore.open(new SqliteAdapter({ file, synchronous: config.sqliteSynchronous }), opts);
  }
  if (isPostgresUri(uri)) {
    return SqlStore.open(await PostgresAdapter.load({ uri, poolSize: config.postgresPoolSize }), opts);
  }
  throw invalidParam(`Unknown store URI '${redactUri(uri)}': expected sqlite:<path> or postgres://user@host:port/database`, 'store.uri');
}

/** The URI with any password replaced, for messages and logs. */
export function redactUri(uri: string): string {
  return uri.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}
