import { type ExpressionBuilder, type Kysely, type SqlBool, type Expression, sql } from 'kysely';
import { invalidParam } from '../../core/errors/index.js';
import type { FilterClause, OrderByClause } from '../../tracking/search/filter-types.js';
import type { RunSearchQuery } from '../store.js';
import { compare } from './comparator.js';
import { lifecycleStages } from './experiments-sql.js';
import type { Database, RunsTable } from './schema.js';

const STRING_ATTRS: Record<string, keyof RunsTable> = {
  run_id: 'run_uuid',
  run_name: 'name',
  status: 'status',
  user_id: 'user_id',
  artifact_uri: 'artifact_uri',
  lifecycle_stage: 'lifecycle_stage',
};
const NUMERIC_ATTRS: Record<string, keyof RunsTable> = { start_time: 'start_time', end_time: 'end_time' };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type EB = ExpressionBuilder<any, any>;

function attrColumn(key: string): string {
  const col = STRING_ATTRS[key] ?? NUMERIC_ATTRS[key];
  if (!col) throw invalidParam(`Invalid attribute key '${key}' specified. Valid keys are '${[...Object.keys(STRING_ATTRS), ...Object.keys(NUMERIC_ATTRS)].join("', '")}'`, 'filter');
  return `r.${col}`;
}

/**
 * One filter clause as a boolean SQL expression over the outer `runs as r`. Clauses on metrics, params, tags and
 * datasets are `r.run_uuid IN (subquery)`: the planner can then drive the search from the most selective index
 * (`params(key, value)`, `latest_metrics(key, value)`) instead of probing every run of the experiment.
 */
function clauseSql(eb: EB, c: FilterClause): Expression<SqlBool> {
  const inSub = (sub: Expression<unknown>, negate = false) => eb('r.run_uuid', negate ? 'not in' : 'in', sub as never);
  switch (c.type) {
    case 'metric':
      return inSub(
        eb
          .selectFrom('latest_metrics as m')
          .select('m.run_uuid')
          .where('m.key', '=', c.key)
          .where('m.is_nan', '=', 0)
          .where((e2: EB) => compare(e2, e2.ref('m.value'), c.comparator, c.value)),
      );
    case 'param':
    case 'tag': {
      const table = c.type === 'param' ? 'params' : 'tags';
      const base = eb.selectFrom(`${table} as kv`).select('kv.run_uuid').where('kv.key', '=', c.key);
      if (c.comparator === 'IS NULL') return inSub(base, true);
      if (c.comparator === 'IS NOT NULL') return inSub(base);
      return inSub(base.where((e2: EB) => compare(e2, e2.ref('kv.value'), c.comparator, c.value)));
    }
    case 'attribute':
      return compare(eb, eb.ref(attrColumn(c.key)), c.comparator, c.value);
    case 'dataset': {
      const sub = eb
        .selectFrom('inputs as i')
        .innerJoin('datasets as d', 'd.dataset_uuid', 'i.source_id')
        .select('i.destination_id')
        .where('i.source_type', '=', 'DATASET')
        .where('i.destination_type', '=', 'RUN');
      if (c.key === 'context') {
        return inSub(
          sub
            .innerJoin('input_tags as it', 'it.input_uuid', 'i.input_uuid')
            .where('it.name', '=', 'mlflow.data.context')
            .where((e2: EB) => compare(e2, e2.ref('it.value'), c.comparator, c.value)),
        );
      }
      if (c.key !== 'name' && c.key !== 'digest') throw invalidParam(`Invalid dataset key '${c.key}'. Valid keys are 'name', 'digest', 'context'`, 'filter');
      return inSub(sub.where((e2: EB) => compare(e2, e2.ref(`d.${c.key}`), c.comparator, c.value)));
    }
    default:
      throw invalidParam(`Invalid search expression type '${String((c as FilterClause).type)}'`, 'filter');
  }
}

/**
 * Finds one page of run rows. Ordering by a metric, param or tag joins that key once; runs missing the key (and
 * NaN metrics) sort last in either direction, then ties break on `start_time DESC, run_uuid`.
 */
export async function searchRunIds(db: Kysely<Database>, q: RunSearchQuery): Promise<{ rows: RunsTable[]; more: boolean }> {
  const expIds = q.experimentIds.map((id) => (/^\d{1,15}$/.test(id) ? Number(id) : -1));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let query: any = db
    .selectFrom('runs as r')
    .selectAll('r')
    .where('r.experiment_id', 'in', expIds.length ? expIds : [-1])
    .where('r.lifecycle_stage', 'in', lifecycleStages(q.viewType));
  for (const c of q.filter) query = query.where((eb: EB) => clauseSql(eb, c));
  const orders: OrderByClause[] = q.orderBy;
  orders.forEach((o, i) => {
    const dir = o.ascending ? 'asc' : 'desc';
    if (o.type === 'attribute') {
      const col = attrColumn(o.key);
      query = query.orderBy(sql`(${sql.ref(col)} IS NULL)`, 'asc').orderBy(col, dir);
      return;
    }
    const alias = `o${i}`;
    if (o.type === 'metric') {
      query = query
        .leftJoin(`latest_metrics as ${alias}`, (j: any) => j.onRef(`${alias}.run_uuid`, '=', 'r.run_uuid').on(`${alias}.key`, '=', o.key))
        .orderBy(sql`CASE WHEN ${sql.ref(`${alias}.value`)} IS NULL THEN 2 WHEN ${sql.ref(`${alias}.is_nan`)} = 1 THEN 1 ELSE 0 END`, 'asc')
        .orderBy(`${alias}.value`, dir);
    } else if (o.type === 'param' || o.type === 'tag') {
      const table = o.type === 'param' ? 'params' : 'tags';
      query = query
        .leftJoin(`${table} as ${alias}`, (j: any) => j.onRef(`${alias}.run_uuid`, '=', 'r.run_uuid').on(`${alias}.key`, '=', o.key))
        .orderBy(sql`(${sql.ref(`${alias}.value`)} IS NULL)`, 'asc')
        .orderBy(`${alias}.value`, dir);
    } else {
      throw invalidParam(`Invalid order_by entity '${o.type}'`, 'order_by');
    }
  });
  query = query.orderBy('r.start_time', 'desc').orderBy('r.run_uuid', 'asc');
  const rows = (await query.limit(q.maxResults + 1).offset(q.offset).execute()) as RunsTable[];
  return { rows: rows.slice(0, q.maxResults), more: rows.length > q.maxResults };
}
