/** Parsed forms of MLflow search filters and order_by clauses (mirror of `mlflow/utils/search_utils.py`). */

export type EntityType = 'metric' | 'param' | 'tag' | 'attribute' | 'dataset';

export type Comparator =
  | '='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'LIKE'
  | 'ILIKE'
  | 'IN'
  | 'NOT IN'
  | 'IS NULL'
  | 'IS NOT NULL';

/**
 * One `AND`-ed clause of a filter.
 * `value` is a number for metrics and numeric attributes, a string for `= != LIKE ILIKE` on strings,
 * a string array for `IN` / `NOT IN`, and `null` for `IS NULL` / `IS NOT NULL`.
 */
export interface FilterClause {
  type: EntityType;
  key: string;
  comparator: Comparator;
  value: string | number | string[] | null;
}

export interface OrderByClause {
  type: EntityType;
  key: string;
  ascending: boolean;
}
