/**
 * Filter and order_by grammars of MLflow's other searchable entities: registered models (`SearchModelUtils`), model
 * versions (`SearchModelVersionUtils`) and logged models (`SearchLoggedModelsUtils`). Same lexer and statement
 * parser as run search; each entity has its own attribute list and allowed entity prefixes.
 */
import { invalidParam } from '../../core/errors/index.js';
import type { FilterClause, OrderByClause } from './filter-types.js';
import {
  type Field,
  LIST_COMPARATORS,
  type MlflowEntity,
  NUMERIC_COMPARATORS,
  STRING_COMPARATORS,
  checkComparator,
  checkListUse,
  guarded,
  normalizeInput,
  parseOrderByString,
  parseStatement,
  pySet,
  runValue,
  stripQuotes,
  trimBackticks,
} from './search-filter.js';

export interface EntitySearchSpec {
  /** Shown in messages: "registered model", "model version", "logged model". */
  label: string;
  attributes: readonly string[];
  numericAttributes: readonly string[];
  /** The one attribute that accepts `IN (...)` lists, if any. */
  listAttribute?: string;
  /** Prefixes accepted besides `attribute.`: tags always; metrics and params for logged models. */
  entities: readonly ('tag' | 'metric' | 'parameter')[];
  orderBy: readonly string[];
  /** Order-by aliases, e.g. `timestamp` → `creation_timestamp`. */
  aliases?: Readonly<Record<string, string>>;
}

const PREFIXES: Readonly<Record<string, MlflowEntity>> = {
  attribute: 'attribute',
  attributes: 'attribute',
  attr: 'attribute',
  tag: 'tag',
  tags: 'tag',
  metric: 'metric',
  metrics: 'metric',
  param: 'parameter',
  params: 'parameter',
  parameter: 'parameter',
  parameters: 'parameter',
};

const TYPE: Record<'attribute' | 'tag' | 'metric' | 'parameter', FilterClause['type']> = {
  attribute: 'attribute',
  tag: 'tag',
  metric: 'metric',
  parameter: 'param',
};

function identifier(raw: string, spec: EntitySearchSpec, attributes: readonly string[], field: Field): { entity: 'attribute' | 'tag' | 'metric' | 'parameter'; key: string } {
  const dot = raw.indexOf('.');
  let entity: 'attribute' | 'tag' | 'metric' | 'parameter' = 'attribute';
  let keyText = raw;
  if (dot >= 0) {
    const prefix = trimBackticks(raw.slice(0, dot));
    const e = PREFIXES[prefix];
    if (e === undefined || (e !== 'attribute' && !spec.entities.includes(e as 'tag'))) {
      const valid = ['attribute', ...spec.entities.map((x) => (x === 'parameter' ? 'params' : `${x}s`))];
      throw invalidParam(`Invalid entity type '${prefix}' for ${spec.label} search. Valid values are ${pySet(valid)}`, field);
    }
    entity = e as typeof entity;
    keyText = raw.slice(dot + 1);
  }
  const key = trimBackticks(stripQuotes(keyText, false, field));
  if (entity === 'attribute' && !attributes.includes(key)) {
    throw invalidParam(`Invalid attribute key '${key}' specified. Valid keys are '${pySet(attributes)}'`, field);
  }
  return { entity, key };
}

/** Parses a filter string of the entity described by `spec` into AND-ed clauses. */
export function parseEntityFilter(filter: unknown, spec: EntitySearchSpec): FilterClause[] {
  return guarded('filter', filter, () => {
    const text = normalizeInput(filter, 'filter');
    if (text === null || text.trim() === '') return [];
    return parseStatement(text, true).map((cmp) => {
      const { entity, key } = identifier(cmp.ident.raw, spec, spec.attributes, 'filter');
      if (cmp.value === null) throw invalidParam(`'${cmp.comparator}' is not supported in ${spec.label} search`, 'filter');
      const numeric = entity === 'metric' || (entity === 'attribute' && spec.numericAttributes.includes(key));
      if (entity === 'attribute' && cmp.value.kind === 'paren' && key !== spec.listAttribute) {
        throw invalidParam(`Only the '${spec.listAttribute ?? 'run_id'}' attribute supports comparison with a list of quoted string values.`, 'filter');
      }
      const value = runValue(entity === 'attribute' && key === spec.listAttribute ? 'attribute' : entity, entity === 'attribute' && key === spec.listAttribute ? 'run_id' : key, cmp.value, spec.numericAttributes);
      const allowed = numeric ? NUMERIC_COMPARATORS : entity === 'attribute' && key === spec.listAttribute ? LIST_COMPARATORS : STRING_COMPARATORS;
      const comparator = checkComparator(cmp.comparator, allowed);
      checkListUse(comparator, value);
      return { type: TYPE[entity], key, comparator, value };
    });
  });
}

/** Parses one order_by entry (`"<key> [ASC|DESC]"`) of the entity described by `spec`. */
export function parseEntityOrderBy(orderBy: unknown, spec: EntitySearchSpec): OrderByClause {
  return guarded('order_by', orderBy, () => {
    const { identifier: ident, ascending } = parseOrderByString(orderBy);
    const { entity, key } = identifier(ident.trim(), spec, spec.orderBy, 'order_by');
    return { type: TYPE[entity], key: entity === 'attribute' ? (spec.aliases?.[key] ?? key) : key, ascending };
  });
}

export const REGISTERED_MODEL_SEARCH: EntitySearchSpec = {
  label: 'registered model',
  attributes: ['name'],
  numericAttributes: [],
  entities: ['tag'],
  orderBy: ['name', 'timestamp', 'creation_timestamp', 'last_updated_timestamp'],
  // MLflow sorts `timestamp` by the last update (SearchUtils.VALID_TIMESTAMP_ORDER_BY_KEYS).
  aliases: { timestamp: 'last_updated_timestamp' },
};

export const MODEL_VERSION_SEARCH: EntitySearchSpec = {
  label: 'model version',
  attributes: ['name', 'run_id', 'source_path', 'version_number'],
  numericAttributes: ['version_number'],
  listAttribute: 'run_id',
  entities: ['tag'],
  orderBy: ['name', 'version_number', 'creation_timestamp', 'last_updated_timestamp', 'timestamp'],
  aliases: { timestamp: 'creation_timestamp' },
};

export const LOGGED_MODEL_SEARCH: EntitySearchSpec = {
  label: 'logged model',
  attributes: ['model_id', 'name', 'model_type', 'status', 'source_run_id', 'creation_timestamp', 'creation_time', 'last_updated_timestamp', 'last_updated_time'],
  numericAttributes: ['creation_timestamp', 'creation_time', 'last_updated_timestamp', 'last_updated_time'],
  listAttribute: 'model_id',
  entities: ['tag', 'metric', 'parameter'],
  orderBy: ['model_id', 'name', 'creation_timestamp', 'creation_time', 'last_updated_timestamp', 'last_updated_time', 'status', 'source_run_id', 'model_type'],
  aliases: { creation_time: 'creation_timestamp', last_updated_time: 'last_updated_timestamp' },
};
