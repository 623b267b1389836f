import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import { invalidParam } from '../../core/errors/index.js';
import type { Comparator } from '../../tracking/search/filter-types.js';

/**
 * SQL for `<column> <comparator> <value>` as MLflow's SQL store builds it. LIKE is case-sensitive (SQLite sets
 * `case_sensitive_like`), ILIKE compares `lower()` of both sides. IS [NOT] NULL is handled by callers (it is about
 * the row's existence).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function compare(eb: ExpressionBuilder<any, any>, column: Expression<unknown>, comparator: Comparator, value: unknown): Expression<SqlBool> {
  switch (comparator) {
    case '=':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=':
      return eb(column, comparator === '!=' ? '<>' : comparator, value);
    case 'LIKE':
      return eb(column, 'like', value);
    case 'ILIKE':
      return eb(sql`lower(${column})`, 'like', sql`lower(${value})`);
    case 'IN':
    case 'NOT IN': {
      const list = value as unknown[];
      if (list.length === 0) return comparator === 'IN' ? sql<SqlBool>`1 = 0` : sql<SqlBool>`1 = 1`;
      return eb(column, comparator === 'IN' ? 'in' : 'not in', list);
    }
    default:
      throw invalidParam(`Comparator '${comparator}' is not supported here`, 'filter');
  }
}
