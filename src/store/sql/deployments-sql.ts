import { type Kysely, sql } from 'kysely';
import { AppError, alreadyExists, notFound } from '../../core/errors/index.js';
import type { Clock } from '../../core/clock.js';
import type { Change, ChangeFeed } from '../changes/change-feed.js';
import { DEFAULT_DEPLOYMENT_CONFIG, type Deployment, type DeploymentConfig, type DeploymentTarget } from '../deployment-types.js';
import type { DeploymentStore } from '../store.js';
import type { Page } from '../types.js';
import type { DialectAdapter } from './dialect-adapter.js';
import type { Database, DeploymentsTable } from './schema.js';

const deploymentNotFound = (name: string): AppError => notFound(`Deployment with name=${name} not found`, 'name');
const deploymentExists = (name: string): AppError => alreadyExists(`Deployment (name=${name}) already exists.`, 'name');
const revisionConflict = (name: string, expected: number, current: number): AppError =>
  new AppError('RESOURCE_CONFLICT', `Deployment ${name} is at revision ${current}, not ${expected}: it was changed meanwhile; re-read it and try again`, { field: 'revision' });

const CONFIG_KEYS = Object.keys(DEFAULT_DEPLOYMENT_CONFIG) as (keyof DeploymentConfig)[];

/** Every field of the config, each from `c` when it holds a number there, else the default (rows from older builds). */
function completeConfig(c: unknown): DeploymentConfig {
  const given = c !== null && typeof c === 'object' ? (c as Record<string, unknown>) : {};
  const out = { ...DEFAULT_DEPLOYMENT_CONFIG };
  for (const k of CONFIG_KEYS) {
    const v = given[k];
    if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  }
  return out;
}

/** Only the contract's fields, with `version` / `alias` present only when set (so values round-trip exactly). */
function cleanTarget(t: DeploymentTarget): DeploymentTarget {
  const out: DeploymentTarget = { model: t.model, weight: t.weight };
  if (t.version !== undefined && t.version !== null) out.version = t.version;
  if (t.alias !== undefined && t.alias !== null) out.alias = t.alias;
  if (t.upstream !== undefined && t.upstream !== null) out.upstream = t.upstream;
  return out;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function fromRow(r: DeploymentsTable): Deployment {
  const targets = parseJson(r.targets);
  return {
    name: r.name,
    description: r.description,
    targets: Array.isArray(targets) ? (targets as DeploymentTarget[]).map(cleanTarget) : [],
    config: completeConfig(parseJson(r.config)),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    revision: Number(r.revision),
  };
}

const targetsText = (targets: DeploymentTarget[]): string => JSON.stringify(targets.map(cleanTarget));
const configText = (config: DeploymentConfig): string => JSON.stringify(completeConfig(config));

/**
 * Deployments: one row each, written by single statements (an update is one `UPDATE … RETURNING`, compare-and-set on
 * `revision` when the caller names the one it read). Each committed write is then published on the change feed.
 */
export class SqlDeploymentStore implements DeploymentStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly adapter: DialectAdapter,
    private readonly clock: Clock,
    private readonly changes: ChangeFeed,
  ) {}

  /**
   * Publishes `change` once the write has committed. A failed notification does not fail the write: it is stored,
   * and listeners that missed it re-read on their next resync.
   */
  private async announce(change: Change): Promise<void> {
    await this.changes.publish(change).catch(() => undefined);
  }

  async create(input: { name: string; description: string; targets: DeploymentTarget[]; config: DeploymentConfig }): Promise<Deployment> {
    const now = this.clock.nowMs();
    let row: DeploymentsTable;
    try {
      row = await this.db
        .insertInto('deployments')
        .values({
          name: input.name,
          description: input.description,
          targets: targetsText(input.targets),
          config: configText(input.config),
          created_at: now,
          updated_at: now,
          revision: 1,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    } catch (e) {
      // Also how the loser of two racing creates learns it lost: the primary key refused its row.
      if (this.adapter.isUniqueViolation(e)) throw deploymentExists(input.name);
      throw e;
    }
    await this.announce({ entity: 'deployment', action: 'created', name: input.name });
    return fromRow(row);
  }

  async get(name: string): Promise<Deployment> {
    const row = await this.db.selectFrom('deployments').selectAll().where('name', '=', name).executeTakeFirst();
    if (!row) throw deploymentNotFound(name);
    return fromRow(row);
  }

  async list(page: { maxResults: number; offset: number }): Promise<Page<Deployment>> {
    // Byte order on both dialects: SQLite's BINARY collation, and `COLLATE "C"` on the PostgreSQL column.
    const rows = await this.db.selectFrom('deployments').selectAll().orderBy('name', 'asc').limit(page.maxResults + 1).offset(page.offset).execute();
    const items = rows.slice(0, page.maxResults).map(fromRow);
    return rows.length > page.maxResults ? { items, nextOffset: page.offset + page.maxResults } : { items };
  }

  async update(
    name: string,
    patch: { description?: string; targets?: DeploymentTarget[]; config?: DeploymentConfig },
    expectedRevision?: number,
  ): Promise<Deployment> {
    const set: Partial<Record<'description' | 'targets' | 'config', string>> = {};
    if (patch.description !== undefined) set.description = patch.description;
    if (patch.targets !== undefined) set.targets = targetsText(patch.targets);
    if (patch.config !== undefined) set.config = configText(patch.config);
    let q = this.db
      .updateTable('deployments')
      .set({ ...set, updated_at: this.clock.nowMs(), revision: sql<number>`revision + 1` })
      .where('name', '=', name);
    // Compare-and-set: the row changes only if nobody has updated it since the caller read `expectedRevision`.
    if (expectedRevision !== undefined) q = q.where('revision', '=', expectedRevision);
    const row = await q.returningAll().executeTakeFirst();
    if (!row) {
      if (expectedRevision === undefined) throw deploymentNotFound(name);
      const current = await this.db.selectFrom('deployments').select('revision').where('name', '=', name).executeTakeFirst();
      if (!current) throw deploymentNotFound(name);
      throw revisionConflict(name, expectedRevision, Number(current.revision));
    }
    await this.announce({ entity: 'deployment', action: 'updated', name });
    return fromRow(row);
  }

  async delete(name: string): Promise<void> {
    const res = await this.db.deleteFrom('deployments').where('name', '=', name).executeTakeFirst();
    if (Number(res.numDeletedRows) === 0) throw deploymentNotFound(name);
    await this.announce({ entity: 'deployment', action: 'deleted', name });
  }
}
