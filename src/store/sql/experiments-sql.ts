import { type ExpressionBuilder, type Kysely, sql } from 'kysely';
import { invalidParam } from '../../core/errors/index.js';
import type { Clock } from '../../core/clock.js';
import type { ExperimentStore } from '../store.js';
import type { Experiment, Page, Tag, ViewType } from '../types.js';
import type { FilterClause, OrderByClause } from '../../tracking/search/filter-types.js';
import { experimentExists, experimentNotFound, tagNotFound } from '../errors.js';
import type { DialectAdapter } from './dialect-adapter.js';
import { compare } from './comparator.js';
import { chunked } from './rows.js';
import type { Database, ExperimentsTable } from './schema.js';

type ExperimentRow = Omit<ExperimentsTable, 'experiment_id'> & { experiment_id: number };

export function lifecycleStages(viewType: ViewType): string[] {
  return viewType === 'ACTIVE_ONLY' ? ['active'] : viewType === 'DELETED_ONLY' ? ['deleted'] : ['active', 'deleted'];
}

/** Joins `root` and `id` the way MLflow does for artifact locations. */
export function joinArtifactUri(root: string, ...parts: string[]): string {
  return [root.replace(/\/+$/, ''), ...parts].join('/');
}

export class SqlExperimentStore implements ExperimentStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly adapter: DialectAdapter,
    private readonly clock: Clock,
    private readonly defaultArtifactRoot: string,
  ) {}

  /** Experiment 0, "Default", as MLflow creates it on first start. */
  async ensureDefault(): Promise<void> {
    const row = await this.db.selectFrom('experiments').select('experiment_id').where('experiment_id', '=', 0).executeTakeFirst();
    if (row) return;
    const now = this.clock.nowMs();
    await this.db
      .insertInto('experiments')
      .values({
        experiment_id: 0,
        name: 'Default',
        artifact_location: joinArtifactUri(this.defaultArtifactRoot, '0'),
        lifecycle_stage: 'active',
        creation_time: now,
        last_update_time: now,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async create(input: { name: string; artifactLocation?: string; tags?: Tag[] }): Promise<string> {
    const now = this.clock.nowMs();
    try {
      return await this.db.transaction().execute(async (trx) => {
        const { experiment_id } = await trx
          .insertInto('experiments')
          .values({ name: input.name, artifact_location: '', lifecycle_stage: 'active', creation_time: now, last_update_time: now })
          .returning('experiment_id')
          .executeTakeFirstOrThrow();
        const id = String(experiment_id);
        await trx
          .updateTable('experiments')
          .set({ artifact_location: input.artifactLocation || joinArtifactUri(this.defaultArtifactRoot, id) })
          .where('experiment_id', '=', experiment_id)
          .execute();
        for (const tags of chunked(dedupeTags(input.tags ?? []))) {
          await trx.insertInto('experiment_tags').values(tags.map((t) => ({ experiment_id, key: t.key, value: t.value }))).execute();
        }
        return id;
      });
    } catch (e) {
      if (this.adapter.isUniqueViolation(e)) throw experimentExists(input.name);
      throw e;
    }
  }

  async get(experimentId: string): Promise<Experiment> {
    const id = parseExperimentId(experimentId);
    const row = await this.db.selectFrom('experiments').selectAll().where('experiment_id', '=', id).executeTakeFirst();
    if (!row) throw experimentNotFound(experimentId);
    return (await this.withTags([row]))[0]!;
  }

  async getByName(name: string): Promise<Experiment | null> {
    const row = await this.db.selectFrom('experiments').selectAll().where('name', '=', name).executeTakeFirst();
    return row ? (await this.withTags([row]))[0]! : null;
  }

  async search(q: { filter: FilterClause[]; orderBy: OrderByClause[]; viewType: ViewType; maxResults: number; offset: number }): Promise<Page<Experiment>> {
    let query = this.db.selectFrom('experiments as e').selectAll('e').where('e.lifecycle_stage', 'in', lifecycleStages(q.viewType));
    for (const c of q.filter) {
      if (c.type === 'tag') {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const exists = (eb: ExpressionBuilder<any, any>) =>
          eb.exists(
            eb
              .selectFrom('experiment_tags as t')
              .select(sql`1`.as('one'))
              .whereRef('t.experiment_id', '=', 'e.experiment_id')
              .where('t.key', '=', c.key)
              .$if(c.comparator !== 'IS NULL' && c.comparator !== 'IS NOT NULL', (sq) => sq.where((eb2) => compare(eb2, eb2.ref('t.value'), c.comparator, c.value))),
          );
        query = c.comparator === 'IS NULL' ? query.where((eb) => eb.not(exists(eb))) : query.where(exists);
      } else if (c.type === 'attribute' && ['name', 'creation_time', 'last_update_time'].includes(c.key)) {
        const col = `e.${c.key}` as 'e.name';
        query = query.where((eb) => compare(eb, eb.ref(col), c.comparator, c.value));
      } else {
        throw invalidParam(`Invalid attribute key '${c.key}' specified for experiment search`, 'filter');
      }
    }
    const orders = q.orderBy.length > 0 ? q.orderBy : [{ type: 'attribute', key: 'creation_time', ascending: false } as OrderByClause];
    for (const o of orders) {
      if (!['name', 'experiment_id', 'creation_time', 'last_update_time'].includes(o.key)) {
        throw invalidParam(`Invalid order_by key '${o.key}' for experiments`, 'order_by');
      }
      query = query.orderBy(`e.${o.key}` as 'e.name', o.ascending ? 'asc' : 'desc');
    }
    if (!orders.some((o) => o.key === 'experiment_id')) query = query.orderBy('e.experiment_id', 'asc');
    const rows = await query.limit(q.maxResults + 1).offset(q.offset).execute();
    const page = rows.slice(0, q.maxResults);
    const items = await this.withTags(page);
    return rows.length > q.maxResults ? { items, nextOffset: q.offset + q.maxResults } : { items };
  }

  async rename(experimentId: string, newName: string): Promise<void> {
    const exp = await this.get(experimentId);
    if (exp.lifecycleStage !== 'active') {
      throw invalidParam(`Cannot rename a non-active experiment ${experimentId}.`, 'experiment_id');
    }
    try {
      await this.db
        .updateTable('experiments')
        .set({ name: newName, last_update_time: this.clock.nowMs() })
        .where('experiment_id', '=', Number(experimentId))
        .execute();
    } catch (e) {
      if (this.adapter.isUniqueViolation(e)) throw experimentExists(newName);
      throw e;
    }
  }

  async delete(experimentId: string): Promise<void> {
    await this.setLifecycle(experimentId, 'deleted');
  }

  async restore(experimentId: string): Promise<void> {
    await this.setLifecycle(experimentId, 'active');
  }

  private async setLifecycle(experimentId: string, stage: 'active' | 'deleted'): Promise<void> {
    const exp = await this.get(experimentId);
    const now = this.clock.nowMs();
    if (stage === 'active' && exp.lifecycleStage === 'active') {
      throw invalidParam(`Cannot restore an active experiment. Experiment id=${experimentId}`, 'experiment_id');
    }
    // Deleting again would move the deletion time past the runs deleted with the experiment, and restore would
    // then leave them deleted.
    if (stage === 'deleted' && exp.lifecycleStage === 'deleted') {
      throw invalidParam(`Cannot delete an already deleted experiment. Experiment id=${experimentId}`, 'experiment_id');
    }
    const id = Number(experimentId);
    await this.db.transaction().execute(async (trx) => {
      let at = now;
      if (stage === 'deleted') {
        // Restore tells the runs deleted with the experiment by `deleted_time >= ` its deletion time, so that time
        // must be later than any run deleted before (which may be the same millisecond).
        const prev = await trx
          .selectFrom('runs')
          .select((eb) => eb.fn.max('deleted_time').as('t'))
          .where('experiment_id', '=', id)
          .where('lifecycle_stage', '=', 'deleted')
          .executeTakeFirst();
        if (prev?.t !== null && prev?.t !== undefined) at = Math.max(now, Number(prev.t) + 1);
      }
      await trx.updateTable('experiments').set({ lifecycle_stage: stage, last_update_time: at }).where('experiment_id', '=', id).execute();
      if (stage === 'deleted') {
        await trx
          .updateTable('runs')
          .set({ lifecycle_stage: 'deleted', deleted_time: at })
          .where('experiment_id', '=', id)
          .where('lifecycle_stage', '=', 'active')
          .execute();
      } else {
        // Restore the runs that were deleted together with the experiment (at or after its deletion time).
        await trx
          .updateTable('runs')
          .set({ lifecycle_stage: 'active', deleted_time: null })
          .where('experiment_id', '=', id)
          .where('deleted_time', '>=', exp.lastUpdateTime)
          .execute();
      }
    });
  }

  async setTag(experimentId: string, tag: Tag): Promise<void> {
    const exp = await this.get(experimentId);
    if (exp.lifecycleStage !== 'active') {
      throw invalidParam(`The experiment ${experimentId} must be in the 'active' state. Current state is deleted.`, 'experiment_id');
    }
    await this.db
      .insertInto('experiment_tags')
      .values({ experiment_id: Number(experimentId), key: tag.key, value: tag.value })
      .onConflict((oc) => oc.columns(['experiment_id', 'key']).doUpdateSet({ value: tag.value }))
      .execute();
  }

  async deleteTag(experimentId: string, key: string): Promise<void> {
    const exp = await this.get(experimentId);
    if (exp.lifecycleStage !== 'active') {
      throw invalidParam(`The experiment ${experimentId} must be in the 'active' state. Current state is deleted.`, 'experiment_id');
    }
    const res = await this.db.deleteFrom('experiment_tags').where('experiment_id', '=', Number(experimentId)).where('key', '=', key).executeTakeFirst();
    if (Number(res.numDeletedRows) === 0) throw tagNotFound(key, `experiment ${experimentId}`);
  }

  private async withTags(rows: ExperimentRow[]): Promise<Experiment[]> {
    if (rows.length === 0) return [];
    const tags = [];
    for (const ids of chunked(rows.map((r) => r.experiment_id))) {
      tags.push(...(await this.db.selectFrom('experiment_tags').selectAll().where('experiment_id', 'in', ids).orderBy('key').execute()));
    }
    const byId = new Map<number, Tag[]>();
    for (const t of tags) {
      const list = byId.get(t.experiment_id) ?? [];
      list.push({ key: t.key, value: t.value });
      byId.set(t.experiment_id, list);
    }
    return rows.map((r) => ({
      experimentId: String(r.experiment_id),
      name: r.name,
      artifactLocation: r.artifact_location,
      lifecycleStage: r.lifecycle_stage as Experiment['lifecycleStage'],
      creationTime: Number(r.creation_time),
      lastUpdateTime: Number(r.last_update_time),
      tags: byId.get(r.experiment_id) ?? [],
    }));
  }
}

/** Experiment ids are non-negative integers; anything else cannot exist. */
export function parseExperimentId(id: string): number {
  if (!/^\d{1,15}$/.test(id)) throw experimentNotFound(id);
  return Number(id);
}

function dedupeTags(tags: Tag[]): Tag[] {
  const m = new Map<string, string>();
  for (const t of tags) m.set(t.key, t.value);
  return [...m].map(([key, value]) => ({ key, value }));
}
