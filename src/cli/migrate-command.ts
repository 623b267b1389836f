import { isAppError } from '../core/errors/index.js';
import type { ServerFlags } from './args.js';
import { CliError } from './errors.js';
import type { CliIo } from './io.js';

/** `pitwall migrate`: applies pending schema migrations to the configured store and says what it did. */
export async function migrateCommand(flags: ServerFlags, json: boolean, io: CliIo): Promise<void> {
  const { loadConfig } = await import('../config/index.js');
  const { createStore, redactUri, storeStatus } = await import('../store/index.js');
  try {
    const config = loadConfig(flags, io.env);
    const store = await createStore(config.store, { defaultArtifactRoot: config.defaultArtifactRoot });
    const applied = store.migrationsApplied;
    try {
      // The job queue's own schema (pg-boss's on PostgreSQL) is set up by starting a queue that runs no handlers.
      const { createJobQueue } = await import('../jobs/index.js');
      const queue = createJobQueue(store, { leaseSeconds: config.jobs.leaseSeconds });
      await queue.start();
      await queue.stop();
    } finally {
      await store.close();
    }
    const status = await storeStatus(config.store);
    const where = redactUri(config.store.uri);
    if (json) {
      io.out(JSON.stringify({ store: where, server: status.server, applied, current: status.applied.at(-1) ?? null }));
      return;
    }
    for (const m of applied) io.out(`applied ${m}`);
    io.out(applied.length ? `${where} is now at ${status.applied.at(-1)} (${status.server})` : `${where} is up to date at ${status.applied.at(-1)} (${status.server}); nothing to apply`);
  } catch (e) {
    if (isAppError(e)) throw new CliError(e.message);
    const msg = (e as Error).message ?? String(e);
    if (/Migration failed/.test(msg)) throw new CliError(`${msg}. Nothing after the failing migration was applied; fix the cause and run pitwall migrate again.`);
    throw e;
  }
}
