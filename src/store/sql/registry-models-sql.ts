import { transact } from './transaction.js';
import { type ExpressionBuilder, type Kysely, sql } from 'kysely';
import { alreadyExists, invalidParam, notFound } from '../../core/errors/index.js';
import type { Clock } from '../../core/clock.js';
import type { Approval, ModelAlias, ModelVersion, RegisteredModel } from '../registry-types.js';
import type { SearchPage } from '../store.js';
import type { Page, Tag } from '../types.js';
import { compare } from './comparator.js';
import type { DialectAdapter } from './dialect-adapter.js';
import { deleteVersionEdges, modelNotFound, versionNumber, versionNotFound, versionsFromRows } from './registry-rows.js';
import { chunked } from './rows.js';
import type { Database, RegisteredModelsTable } from './schema.js';

const MODEL_ORDER_COLUMNS: Record<string, 'name' | 'creation_time' | 'last_updated_time'> = {
  name: 'name',
  creation_timestamp: 'creation_time',
  last_updated_timestamp: 'last_updated_time',
};

/** Tables that hold a registered model's name; a rename or delete touches all of them in one transaction. */
const NAMED_TABLES = ['registered_model_tags', 'model_versions', 'model_version_tags', 'registered_model_aliases', 'model_approvals'] as const;

/** Registered models, their tags and aliases (the model-level half of the registry store). */
export class SqlRegisteredModels {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly adapter: DialectAdapter,
    private readonly clock: Clock,
  ) {}

  async create(input: { name: string; description?: string; tags?: Tag[] }): Promise<RegisteredModel> {
    const now = this.clock.nowMs();
    try {
      await this.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('registered_models')
          .values({ name: input.name, creation_time: now, last_updated_time: now, description: input.description ?? '', last_version: 0, protected_aliases: '[]' })
          .execute();
        const tags = new Map((input.tags ?? []).map((t) => [t.key, t.value]));
        for (const part of chunked([...tags])) {
          await trx.insertInto('registered_model_tags').values(part.map(([key, value]) => ({ name: input.name, key, value }))).execute();
        }
      });
    } catch (e) {
      if (this.adapter.isUniqueViolation(e)) throw alreadyExists(`Registered Model (name=${input.name}) already exists.`, 'name');
      throw e;
    }
    return this.get(input.name);
  }

  async row(name: string, db: Kysely<Database> = this.db): Promise<RegisteredModelsTable> {
    const row = await db.selectFrom('registered_models').selectAll().where('name', '=', name).executeTakeFirst();
    if (!row) throw modelNotFound(name);
    return row;
  }

  async get(name: string): Promise<RegisteredModel> {
    return (await this.build([await this.row(name)]))[0]!;
  }

  async rename(name: string, newName: string): Promise<RegisteredModel> {
    if (name === newName) return this.get(name);
    const now = this.clock.nowMs();
    try {
      await transact(this.db, async (trx) => {
        // Lock the row before copying it, so a version created meanwhile cannot leave the copy's counter behind.
        await trx.updateTable('registered_models').set({ last_updated_time: now }).where('name', '=', name).execute();
        const row = await this.row(name, trx);
        await trx.insertInto('registered_models').values({ ...row, name: newName, last_updated_time: now }).execute();
        for (const t of NAMED_TABLES) await trx.updateTable(t).set({ name: newName }).where('name', '=', name).execute();
        await trx.deleteFrom('registered_models').where('name', '=', name).execute();
        // Lineage names versions `<model>/<version>`.
        const edges = await trx
          .selectFrom('lineage_edges')
          .selectAll()
          .where((eb) => eb.or([eb('from_type', '=', 'model_version'), eb('to_type', '=', 'model_version')]))
          .execute();
        const rename = (type: string, id: string) => (type === 'model_version' && id.startsWith(`${name}/`) ? `${newName}${id.slice(name.length)}` : id);
        for (const e of edges) {
          const from_id = rename(e.from_type, e.from_id);
          const to_id = rename(e.to_type, e.to_id);
          if (from_id === e.from_id && to_id === e.to_id) continue;
          await trx
            .updateTable('lineage_edges')
            .set({ from_id, to_id })
            .where('from_type', '=', e.from_type)
            .where('from_id', '=', e.from_id)
            .where('to_type', '=', e.to_type)
            .where('to_id', '=', e.to_id)
            .where('relation', '=', e.relation)
            .execute();
        }
      });
    } catch (e) {
      if (this.adapter.isUniqueViolation(e)) throw alreadyExists(`Registered Model (name=${newName}) already exists.`, 'new_name');
      throw e;
    }
    return this.get(newName);
  }

  async update(name: string, patch: { description?: string; protectedAliases?: string[] }): Promise<RegisteredModel> {
    await this.row(name);
    const set: Partial<RegisteredModelsTable> = { last_updated_time: this.clock.nowMs() };
    if (patch.description !== undefined) set.description = patch.description;
    if (patch.protectedAliases !== undefined) set.protected_aliases = JSON.stringify([...new Set(patch.protectedAliases)].sort());
    await this.db.updateTable('registered_models').set(set).where('name', '=', name).execute();
    return this.get(name);
  }

  async delete(name: string): Promise<void> {
    await transact(this.db, async (trx) => {
      // Lock the model row first, as every registry write does (no deadlock; no version created meanwhile).
      await trx.updateTable('registered_models').set({ last_updated_time: this.clock.nowMs() }).where('name', '=', name).execute();
      await this.row(name, trx);
      for (const t of NAMED_TABLES) await trx.deleteFrom(t).where('name', '=', name).execute();
      await trx.deleteFrom('registered_models').where('name', '=', name).execute();
      await deleteVersionEdges(trx, name);
    });
  }

  async search(q: SearchPage): Promise<Page<RegisteredModel>> {
    let query = this.db.selectFrom('registered_models as m').selectAll('m');
    for (const c of q.filter) {
      if (c.type === 'tag') {
        query = query.where((eb) =>
          eb.exists(
            eb
              .selectFrom('registered_model_tags as t')
              .select(sql`1`.as('one'))
              .whereRef('t.name', '=', 'm.name')
              .where('t.key', '=', c.key)
              .where((eb2) => compare(eb2, eb2.ref('t.value'), c.comparator, c.value)),
          ),
        );
      } else if (c.type === 'attribute' && c.key === 'name') {
        query = query.where((eb) => compare(eb, eb.ref('m.name'), c.comparator, c.value));
      } else {
        throw invalidParam(`Invalid filter key '${c.key}' for registered model search`, 'filter');
      }
    }
    for (const o of q.orderBy) {
      const col = MODEL_ORDER_COLUMNS[o.key];
      if (o.type !== 'attribute' || !col) throw invalidParam(`Invalid order_by key '${o.key}' for registered models`, 'order_by');
      query = query.orderBy(`m.${col}`, o.ascending ? 'asc' : 'desc');
    }
    if (!q.orderBy.some((o) => o.key === 'name')) query = query.orderBy('m.name', 'asc');
    const rows = await query.limit(q.maxResults + 1).offset(q.offset).execute();
    const items = await this.build(rows.slice(0, q.maxResults));
    return rows.length > q.maxResults ? { items, nextOffset: q.offset + q.maxResults } : { items };
  }

  async setTag(name: string, tag: Tag): Promise<void> {
    await this.row(name);
    await this.db
      .insertInto('registered_model_tags')
      .values({ name, key: tag.key, value: tag.value })
      .onConflict((oc) => oc.columns(['name', 'key']).doUpdateSet({ value: tag.value }))
      .execute();
  }

  async deleteTag(name: string, key: string): Promise<void> {
    await this.row(name);
    await this.db.deleteFrom('registered_model_tags').where('name', '=', name).where('key', '=', key).execute();
  }

  async setAlias(name: string, alias: string, version: string, guard?: (ctx: { protected: boolean; latestReview: Approval | undefined }) => void): Promise<void> {
    const v = versionNumber(name, version);
    await transact(this.db, async (trx) => {
      // Locks the model row first (PostgreSQL), so approvals and policy changes serialise with the move.
      await trx.updateTable('registered_models').set({ last_updated_time: this.clock.nowMs() }).where('name', '=', name).execute();
      const model = await this.row(name, trx);
      const exists = await trx.selectFrom('model_versions').select('version').where('name', '=', name).where('version', '=', v).executeTakeFirst();
      if (!exists) throw versionNotFound(name, version);
      if (guard) {
        const r = await trx.selectFrom('model_approvals').selectAll().where('name', '=', name).where('version', '=', v).orderBy('created_at', 'desc').orderBy('approval_id', 'desc').executeTakeFirst();
        const latestReview: Approval | undefined = r
          ? { id: r.approval_id, name: r.name, version: String(r.version), approver: r.approver, comment: r.comment, decision: r.decision as Approval['decision'], createdAt: Number(r.created_at) }
          : undefined;
        guard({ protected: parseList(model.protected_aliases).includes(alias), latestReview });
      }
      await trx
        .insertInto('registered_model_aliases')
        .values({ name, alias, version: v })
        .onConflict((oc) => oc.columns(['name', 'alias']).doUpdateSet({ version: v }))
        .execute();
      await trx.updateTable('registered_models').set({ last_updated_time: this.clock.nowMs() }).where('name', '=', name).execute();
    });
  }

  async deleteAlias(name: string, alias: string): Promise<void> {
    await this.row(name);
    await this.db.deleteFrom('registered_model_aliases').where('name', '=', name).where('alias', '=', alias).execute();
  }

  async aliasTarget(name: string, alias: string): Promise<number> {
    await this.row(name);
    const row = await this.db.selectFrom('registered_model_aliases').select('version').where('name', '=', name).where('alias', '=', alias).executeTakeFirst();
    if (!row) throw notFound(`Registered model alias ${alias} not found.`, 'alias');
    return Number(row.version);
  }

  /** Builds full records (tags, aliases, latest version per stage) for rows, in row order. */
  private async build(rows: RegisteredModelsTable[]): Promise<RegisteredModel[]> {
    if (rows.length === 0) return [];
    const names = rows.map((r) => r.name);
    const tags = new Map<string, Tag[]>();
    const aliases = new Map<string, ModelAlias[]>();
    const latest = new Map<string, ModelVersion[]>();
    for (const part of chunked(names)) {
      for (const t of await this.db.selectFrom('registered_model_tags').selectAll().where('name', 'in', part).orderBy('key').execute()) {
        tags.set(t.name, [...(tags.get(t.name) ?? []), { key: t.key, value: t.value }]);
      }
      for (const a of await this.db.selectFrom('registered_model_aliases').selectAll().where('name', 'in', part).orderBy('alias').execute()) {
        aliases.set(a.name, [...(aliases.get(a.name) ?? []), { alias: a.alias, version: String(a.version) }]);
      }
      const latestRows = await this.db
        .selectFrom('model_versions as v')
        .selectAll('v')
        .where('v.name', 'in', part)
        .where((eb: ExpressionBuilder<Database & { v: Database['model_versions'] }, 'v'>) =>
          eb(
            'v.version',
            '=',
            eb
              .selectFrom('model_versions as w')
              .select((e) => e.fn.max('w.version').as('m'))
              .whereRef('w.name', '=', 'v.name')
              .whereRef('w.current_stage', '=', 'v.current_stage'),
          ),
        )
        .orderBy('v.version')
        .execute();
      for (const v of await versionsFromRows(this.db, latestRows)) latest.set(v.name, [...(latest.get(v.name) ?? []), v]);
    }
    return rows.map((r) => ({
      name: r.name,
      creationTime: Number(r.creation_time),
      lastUpdatedTime: Number(r.last_updated_time),
      description: r.description,
      tags: tags.get(r.name) ?? [],
      aliases: aliases.get(r.name) ?? [],
      latestVersions: latest.get(r.name) ?? [],
      protectedAliases: parseList(r.protected_aliases),
    }));
  }
}

function parseList(text: string): string[] {
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}
