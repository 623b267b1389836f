import type { Migration, MigrationProvider } from 'kysely';
import type { DialectAdapter } from '../sql/dialect-adapter.js';
import { m0001Tracking } from './0001_tracking.js';
import { m0002Registry } from './0002_registry.js';
import { m0003Jobs } from './0003_jobs.js';
import { m0004ByteOrderText } from './0004_byte_order_text.js';
import { m0005Deployments } from './0005_deployments.js';
import { m0006Predictions } from './0006_predictions.js';
import { m0007PredictionRollups } from './0007_prediction_rollups.js';
import { m0008Monitors } from './0008_monitors.js';
import { m0009Reviews } from './0009_reviews.js';

/**
 * Numbered, forward-only migrations, in order. Kysely's Migrator refuses to run when the database holds a
 * migration name this list lacks or when names are out of order.
 */
export function migrationProvider(adapter: DialectAdapter): MigrationProvider {
  const all: Record<string, Migration> = {
    '0001_tracking': m0001Tracking(adapter),
    '0002_registry': m0002Registry(adapter),
    '0003_jobs': m0003Jobs(adapter),
    '0004_byte_order_text': m0004ByteOrderText(adapter),
    '0005_deployments': m0005Deployments(adapter),
    '0006_predictions': m0006Predictions(adapter),
    '0007_prediction_rollups': m0007PredictionRollups(adapter),
    '0008_monitors': m0008Monitors(adapter),
    '0009_reviews': m0009Reviews(adapter),
  };
  const names = Object.keys(all);
  const sorted = [...names].sort();
  if (names.some((n, i) => n !== sorted[i] || !/^\d{4}_[a-z0-9_]+$/.test(n))) {
    throw new Error(`Migration names must be NNNN_description and in order: ${names.join(', ')}`);
  }
  return { getMigrations: async () => all };
}
