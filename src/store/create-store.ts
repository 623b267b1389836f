import path from 'node:path';
import type { Clock } from '../core/clock.js';
import { invalidParam } from '../core/errors/index.js';
import type { StoreConfig } from '../config/index.js';
import { SqlStore } from './sql/sql-store.js';
import { SqliteAdapter } from './sqlite/sqlite-adapter.js';

/** Opens the store named by `config.uri`: `sqlite:<path>`, `sqlite:///abs/path` or `sqlite::memory:`. */
export async function createStore(config: StoreConfig, opts: { defaultArtifactRoot: string; clock?: Clock }): Promise<SqlStore> {
  const uri = config.uri;
  if (uri.startsWith('sqlite:')) {
    let file = uri.slice('sqlite:'.length);
    if (file.startsWith('///')) file = file.slice(2);
    else if (file.startsWith('//')) file = file.slice(2);
    if (file !== ':memory:') file = path.resolve(file);
    return SqlStore.open(new SqliteAdapter({ file, synchronous: config.sqliteSynchronous }), opts);
  }
  if (uri.startsWith('postgres://') || uri.startsWith('postgresql://')) {
    throw invalidParam('PostgreSQL stores are not available in this version yet; use the default SQLite store', 'store.uri');
  }
  throw invalidParam(`Unknown store URI '${uri}': expected sqlite:<path>`, 'store.uri');
}
