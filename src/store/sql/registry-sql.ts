import { transact } from './transaction.js';
import { type Kysely, sql } from 'kysely';
import { invalidParam } from '../../core/errors/index.js';
import type { Clock } from '../../core/clock.js';
import { newUuid } from '../../core/ids.js';
import type { Approval, LineageEdge, LineageNode, ModelCard, ModelStage, ModelVersion, RegisteredModel } from '../registry-types.js';
import type { RegistryStore, SearchPage } from '../store.js';
import type { Page, Tag } from '../types.js';
import { compare } from './comparator.js';
import type { Change, ChangeFeed } from '../changes/change-feed.js';
import type { DialectAdapter } from './dialect-adapter.js';
import { SqlRegisteredModels } from './registry-models-sql.js';
import { EMPTY_CARD, deleteVersionEdges, mergeCard, modelNotFound, parseCard, versionNotFound, versionNumber, versionsFromRows } from './registry-rows.js';
import { chunked } from './rows.js';
import type { Database, ModelVersionsTable } from './schema.js';

const VERSION_COLUMNS: Record<string, 'name' | 'version' | 'creation_time' | 'last_updated_time' | 'run_id' | 'source'> = {
  name: 'name',
  version_number: 'version',
  creation_timestamp: 'creation_time',
  last_updated_timestamp: 'last_updated_time',
  run_id: 'run_id',
  source_path: 'source',
};

/** The registry half of the store: models (delegated), versions, approvals and explicit lineage edges. */
export class SqlRegistryStore implements RegistryStore {
  private readonly models: SqlRegisteredModels;

  constructor(
    private readonly db: Kysely<Database>,
    adapter: DialectAdapter,
    private readonly clock: Clock,
    private readonly changes: ChangeFeed,
  ) {
    this.models = new SqlRegisteredModels(db, adapter, clock);
  }

  /**
   * Publishes `change` once `write` has committed. A failed notification does not fail the write: it is stored, and
   * listeners that missed it re-read on their next resync.
   */
  private async announce<T>(write: Promise<T>, change: Change | ((result: T) => Change)): Promise<T> {
    const result = await write;
    await this.changes.publish(typeof change === 'function' ? change(result) : change).catch(() => undefined);
    return result;
  }

  createModel(input: { name: string; description?: string; tags?: Tag[] }): Promise<RegisteredModel> {
    return this.announce(this.models.create(input), { entity: 'registered_model', action: 'created', name: input.name });
  }
  getModel(name: string): Promise<RegisteredModel> {
    return this.models.get(name);
  }
  renameModel(name: string, newName: string): Promise<RegisteredModel> {
    return this.announce(this.models.rename(name, newName), { entity: 'registered_model', action: 'renamed', name, newName });
  }
  updateModel(name: string, patch: { description?: string; protectedAliases?: string[] }): Promise<RegisteredModel> {
    return this.announce(this.models.update(name, patch), { entity: 'registered_model', action: 'updated', name });
  }
  deleteModel(name: string): Promise<void> {
    return this.announce(this.models.delete(name), { entity: 'registered_model', action: 'deleted', name });
  }
  searchModels(q: SearchPage): Promise<Page<RegisteredModel>> {
    return this.models.search(q);
  }
  setModelTag(name: string, tag: Tag): Promise<void> {
    return this.models.setTag(name, tag);
  }
  deleteModelTag(name: string, key: string): Promise<void> {
    return this.models.deleteTag(name, key);
  }
  setAlias(name: string, alias: string, version: string, guard?: (ctx: { protected: boolean; latestReview: Approval | undefined }) => void): Promise<void> {
    return this.announce(this.models.setAlias(name, alias, version, guard), { entity: 'alias', action: 'set', name, alias, version: String(Number(version)) });
  }
  deleteAlias(name: string, alias: string): Promise<void> {
    return this.announce(this.models.deleteAlias(name, alias), { entity: 'alias', action: 'deleted', name, alias });
  }
  async getVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    return this.getVersion(name, String(await this.models.aliasTarget(name, alias)));
  }

  createVersion(input: Parameters<RegistryStore['createVersion']>[0]): Promise<ModelVersion> {
    return this.announce(this.insertVersion(input), (v) => ({ entity: 'model_version', action: 'created', name: v.name, version: v.version }));
  }

  private async insertVersion(input: Parameters<RegistryStore['createVersion']>[0]): Promise<ModelVersion> {
    const now = this.clock.nowMs();
    const version = await transact(this.db, async (trx) => {
      // One UPDATE both locks the model row (PostgreSQL) and hands out the number, so concurrent registrations
      // get distinct, gap-free numbers.
      const bumped = await trx
        .updateTable('registered_models')
        .set({ last_version: sql`last_version + 1`, last_updated_time: now })
        .where('name', '=', input.name)
        .returning('last_version')
        .executeTakeFirst();
      if (!bumped) throw modelNotFound(input.name);
      const v = Number(bumped.last_version);
      await trx
        .insertInto('model_versions')
        .values({
          name: input.name,
          version: v,
          creation_time: now,
          last_updated_time: now,
          description: input.description ?? '',
          user_id: input.userId ?? '',
          current_stage: 'None',
          source: input.source,
          run_id: input.runId ?? '',
          run_link: input.runLink ?? '',
          status: 'READY',
          status_message: '',
          storage_location: input.storageLocation,
          model_id: input.modelId ?? '',
          manifest: input.manifest ? JSON.stringify(input.manifest) : null,
          card: JSON.stringify(mergeCard(EMPTY_CARD, input.card)),
        })
        .execute();
      const tags = new Map((input.tags ?? []).map((t) => [t.key, t.value]));
      for (const part of chunked([...tags])) {
        await trx.insertInto('model_version_tags').values(part.map(([key, value]) => ({ name: input.name, version: v, key, value }))).execute();
      }
      return v;
    });
    return this.getVersion(input.name, String(version));
  }

  private async versionRow(name: string, version: string, db: Kysely<Database> = this.db): Promise<ModelVersionsTable> {
    const v = versionNumber(name, version);
    const row = await db.selectFrom('model_versions').selectAll().where('name', '=', name).where('version', '=', v).executeTakeFirst();
    if (!row) {
      await this.models.row(name, db);
      throw versionNotFound(name, version);
    }
    return row;
  }

  async getVersion(name: string, version: string): Promise<ModelVersion> {
    return (await versionsFromRows(this.db, [await this.versionRow(name, version)]))[0]!;
  }

  async updateVersion(name: string, version: string, patch: { description?: string; card?: Partial<ModelCard>; manifest?: Record<string, unknown> }): Promise<ModelVersion> {
    const row = await this.versionRow(name, version);
    const set: Partial<ModelVersionsTable> = { last_updated_time: this.clock.nowMs() };
    if (patch.description !== undefined) set.description = patch.description;
    if (patch.card !== undefined) set.card = JSON.stringify(mergeCard(parseCard(row.card), patch.card));
    if (patch.manifest !== undefined) set.manifest = JSON.stringify(patch.manifest);
    await this.db.updateTable('model_versions').set(set).where('name', '=', name).where('version', '=', row.version).execute();
    await this.changes.publish({ entity: 'model_version', action: 'updated', name, version: String(row.version) }).catch(() => undefined);
    return this.getVersion(name, version);
  }

  async transitionStage(name: string, version: string, stage: ModelStage, archiveExisting: boolean): Promise<ModelVersion> {
    const row = await this.versionRow(name, version);
    const now = this.clock.nowMs();
    await this.db.transaction().execute(async (trx) => {
      if (archiveExisting && (stage === 'Staging' || stage === 'Production')) {
        await trx
          .updateTable('model_versions')
          .set({ current_stage: 'Archived', last_updated_time: now })
          .where('name', '=', name)
          .where('current_stage', '=', stage)
          .where('version', '<>', row.version)
          .execute();
      }
      await trx.updateTable('model_versions').set({ current_stage: stage, last_updated_time: now }).where('name', '=', name).where('version', '=', row.version).execute();
      await trx.updateTable('registered_models').set({ last_updated_time: now }).where('name', '=', name).execute();
    });
    await this.changes.publish({ entity: 'model_version', action: 'updated', name, version: String(row.version) }).catch(() => undefined);
    return this.getVersion(name, version);
  }

  async deleteVersion(name: string, version: string): Promise<void> {
    const row = await this.versionRow(name, version);
    await transact(this.db, async (trx) => {
      // The model row first, as every registry write locks it first: no deadlock with an alias move.
      await trx.updateTable('registered_models').set({ last_updated_time: this.clock.nowMs() }).where('name', '=', name).execute();
      for (const t of ['model_versions', 'model_version_tags', 'registered_model_aliases', 'model_approvals'] as const) {
        await trx.deleteFrom(t).where('name', '=', name).where('version', '=', row.version).execute();
      }
      await deleteVersionEdges(trx, name, row.version);
    });
    // Its aliases went with it: subscribers that cache alias targets of this model re-read them.
    await this.changes.publish({ entity: 'model_version', action: 'deleted', name, version: String(row.version) }).catch(() => undefined);
  }

  async searchVersions(q: SearchPage): Promise<Page<ModelVersion>> {
    let query = this.db.selectFrom('model_versions as v').selectAll('v');
    for (const c of q.filter) {
      if (c.type === 'tag') {
        query = query.where((eb) =>
          eb.exists(
            eb
              .selectFrom('model_version_tags as t')
              .select(sql`1`.as('one'))
              .whereRef('t.name', '=', 'v.name')
              .whereRef('t.version', '=', 'v.version')
              .where('t.key', '=', c.key)
              .where((eb2) => compare(eb2, eb2.ref('t.value'), c.comparator, c.value)),
          ),
        );
        continue;
      }
      const col = VERSION_COLUMNS[c.key];
      if (c.type !== 'attribute' || !col || col === 'creation_time' || col === 'last_updated_time') {
        throw invalidParam(`Invalid filter key '${c.key}' for model version search`, 'filter');
      }
      query = query.where((eb) => compare(eb, eb.ref(`v.${col}`), c.comparator, c.value));
    }
    const orders = q.orderBy.length > 0 ? q.orderBy : [{ type: 'attribute' as const, key: 'last_updated_timestamp', ascending: false }, { type: 'attribute' as const, key: 'name', ascending: true }];
    for (const o of orders) {
      const col = VERSION_COLUMNS[o.key];
      if (o.type !== 'attribute' || !col || col === 'run_id' || col === 'source') throw invalidParam(`Invalid order_by key '${o.key}' for model versions`, 'order_by');
      query = query.orderBy(`v.${col}`, o.ascending ? 'asc' : 'desc');
    }
    if (!orders.some((o) => o.key === 'name')) query = query.orderBy('v.name', 'asc');
    if (!orders.some((o) => o.key === 'version_number')) query = query.orderBy('v.version', 'desc');
    const rows = await query.limit(q.maxResults + 1).offset(q.offset).execute();
    const items = await versionsFromRows(this.db, rows.slice(0, q.maxResults));
    return rows.length > q.maxResults ? { items, nextOffset: q.offset + q.maxResults } : { items };
  }

  async latestVersions(name: string, stages: ModelStage[]): Promise<ModelVersion[]> {
    const model = await this.models.get(name);
    const wanted = new Set(stages);
    return model.latestVersions.filter((v) => wanted.size === 0 || wanted.has(v.currentStage));
  }

  async setVersionTag(name: string, version: string, tag: Tag): Promise<void> {
    const row = await this.versionRow(name, version);
    await this.db
      .insertInto('model_version_tags')
      .values({ name, version: row.version, key: tag.key, value: tag.value })
      .onConflict((oc) => oc.columns(['name', 'version', 'key']).doUpdateSet({ value: tag.value }))
      .execute();
  }

  async deleteVersionTag(name: string, version: string, key: string): Promise<void> {
    const row = await this.versionRow(name, version);
    await this.db.deleteFrom('model_version_tags').where('name', '=', name).where('version', '=', row.version).where('key', '=', key).execute();
  }

  async addApproval(input: { name: string; version: string; approver: string; comment: string; decision: Approval['decision'] }): Promise<Approval> {
    const row = await this.versionRow(input.name, input.version);
    const approval: Approval = { id: newUuid(), name: input.name, version: String(row.version), approver: input.approver, comment: input.comment, decision: input.decision, createdAt: this.clock.nowMs() };
    await this.db
      .insertInto('model_approvals')
      .values({ approval_id: approval.id, name: input.name, version: row.version, approver: input.approver, comment: input.comment, decision: input.decision, created_at: approval.createdAt })
      .execute();
    await this.changes.publish({ entity: 'approval', action: 'created', name: input.name, version: approval.version }).catch(() => undefined);
    return approval;
  }

  async listApprovals(name: string, version?: string): Promise<Approval[]> {
    if (version === undefined) await this.models.row(name);
    else await this.versionRow(name, version);
    let q = this.db.selectFrom('model_approvals').selectAll().where('name', '=', name);
    if (version !== undefined) q = q.where('version', '=', Number(version));
    const rows = await q.orderBy('created_at', 'desc').orderBy('approval_id', 'desc').execute();
    return rows.map((r) => ({ id: r.approval_id, name: r.name, version: String(r.version), approver: r.approver, comment: r.comment, decision: r.decision as Approval['decision'], createdAt: Number(r.created_at) }));
  }

  async addLineage(edges: Omit<LineageEdge, 'createdAt'>[]): Promise<void> {
    const now = this.clock.nowMs();
    for (const part of chunked(edges, 100)) {
      await this.db
        .insertInto('lineage_edges')
        .values(part.map((e) => ({ from_type: e.from.type, from_id: e.from.id, to_type: e.to.type, to_id: e.to.id, relation: e.relation, created_at: now })))
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  }

  async lineageAround(node: LineageNode, depth: number): Promise<LineageEdge[]> {
    const seen = new Set<string>([`${node.type}:${node.id}`]);
    const edges = new Map<string, LineageEdge>();
    let frontier: LineageNode[] = [node];
    for (let hop = 0; hop < depth && frontier.length > 0; hop++) {
      const next: LineageNode[] = [];
      for (const n of frontier) {
        const rows = await this.db
          .selectFrom('lineage_edges')
          .selectAll()
          .where((eb) => eb.or([eb.and([eb('from_type', '=', n.type), eb('from_id', '=', n.id)]), eb.and([eb('to_type', '=', n.type), eb('to_id', '=', n.id)])]))
          .execute();
        for (const r of rows) {
          const e: LineageEdge = { from: { type: r.from_type as LineageNode['type'], id: r.from_id }, to: { type: r.to_type as LineageNode['type'], id: r.to_id }, relation: r.relation, createdAt: Number(r.created_at) };
          edges.set(`${r.from_type}:${r.from_id}>${r.relation}>${r.to_type}:${r.to_id}`, e);
          for (const other of [e.from, e.to]) {
            const k = `${other.type}:${other.id}`;
            if (!seen.has(k)) {
              seen.add(k);
              next.push(other);
            }
          }
        }
      }
      frontier = next;
    }
    return [...edges.values()];
  }
}
