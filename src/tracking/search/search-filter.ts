/**
 * MLflow search filter and order_by parsing, mirroring `SearchUtils` / `SearchExperimentsUtils` in
 * `mlflow/utils/search_utils.py`. MLflow leans on `sqlparse`; this is a hand-written tokenizer and parser that
 * reproduces the parts of sqlparse's behaviour the MLflow code depends on (token shapes, quoting, grouping of
 * dotted identifiers and parenthesised lists) and then applies MLflow's validation, with MLflow's messages.
 *
 * Every rejection is `invalidParam(message, 'filter' | 'order_by')`; nothing else is ever thrown for bad input.
 *
 * Deliberate differences from MLflow (all on inputs MLflow mishandles or 500s on):
 * - A doubled quote inside a quoted string or key (`'it''s'`) means one quote character; MLflow only trims the
 *   outer quotes and leaves it doubled. Backslash escapes are kept verbatim, as in MLflow.
 * - Comparators are validated at parse time (MLflow checks them later, in the store), returned upper-case, and
 *   aliases are resolved (`created`/`Created` → `start_time`, `run name`/`Run name`/`Run Name` → `run_name`).
 * - A list value needs `IN` / `NOT IN` (MLflow would pass `run_id = ('a')` on to SQL). List items are not
 *   filtered to lower-case strings (MLflow drops run ids / dataset names that are not `str.islower()`).
 * - Two comparisons with no `AND` between them are an invalid clause; stray `AND`s are tolerated as in MLflow.
 * - `1e+5` is a number; leading/trailing whitespace around an order_by entry is ignored; `attributes.` is
 *   accepted as a prefix for experiment filters (MLflow's docs use it, its code only takes `attribute.`).
 * - Unbalanced quotes in order_by, non-dict page tokens, etc. are 400s rather than 500s.
 */
import { AppError, invalidParam } from '../../core/errors/index.js';
import type { Comparator, EntityType, FilterClause, OrderByClause } from './filter-types.js';
import { tokenize, quoted, isFullyQuoted, unquoteBody, groupItems, LIKE_WORDS, keywordOf, isName, isValueItem } from './filter-lexer.js';
import type { Token, IdentItem, ParenItem, Item } from './filter-lexer.js';

// ---------------------------------------------------------------------------------------------------------------
// Statement: comparisons joined by AND
// ---------------------------------------------------------------------------------------------------------------

interface RawComparison {
  ident: IdentItem;
  /** Upper-cased, single-spaced comparator text as written (validated later, like MLflow does). */
  comparator: string;
  /** null for IS [NOT] NULL */
  value: Item | null;
}

function tryComparison(items: Item[], i: number): { cmp: RawComparison; next: number } | null {
  const ident = items[i];
  if (!isName(ident)) return null;
  const a = items[i + 1];
  if (a === undefined) return null;
  const withValue = (comparator: string, at: number): { cmp: RawComparison; next: number } | null => {
    const v = items[at];
    return isValueItem(v) ? { cmp: { ident, comparator, value: v }, next: at + 1 } : null;
  };
  if (a.kind === 'token' && a.tok.kind === 'op') return withValue(a.tok.text, i + 2);
  const kwA = keywordOf(a);
  if (kwA === null) return null;
  if (LIKE_WORDS.has(kwA)) return withValue(kwA, i + 2);
  if (kwA === 'IN') {
    const v = items[i + 2];
    return v !== undefined && v.kind === 'paren' ? { cmp: { ident, comparator: 'IN', value: v }, next: i + 3 } : null;
  }
  const kwB = keywordOf(items[i + 2]);
  if (kwA === 'NOT') {
    if (kwB !== null && LIKE_WORDS.has(kwB)) return withValue(`NOT ${kwB}`, i + 3);
    const v = items[i + 3];
    if (kwB === 'IN' && v !== undefined && v.kind === 'paren') {
      return { cmp: { ident, comparator: 'NOT IN', value: v }, next: i + 4 };
    }
    return null;
  }
  if (kwA === 'IS') {
    if (kwB === 'NULL') return { cmp: { ident, comparator: 'IS NULL', value: null }, next: i + 3 };
    if (kwB === 'NOT' && keywordOf(items[i + 3]) === 'NULL') {
      return { cmp: { ident, comparator: 'IS NOT NULL', value: null }, next: i + 4 };
    }
  }
  return null;
}

/**
 * Splits a filter into comparisons. Like MLflow, `AND` is the only accepted glue (stray `AND`s are tolerated, as
 * MLflow tolerates them); everything else that is not part of a comparison is reported as an invalid clause.
 */
export function parseStatement(filter: string, quoteInvalid: boolean): RawComparison[] {
  const tokens = tokenize(filter);
  const semi = tokens.findIndex((t) => t.kind === 'semicolon');
  if (semi >= 0 && tokens.slice(semi + 1).some((t) => t.kind !== 'ws' && t.kind !== 'semicolon')) {
    throw filterError(
      `Search filter contained multiple expression '${filter}'. Provide AND-ed expression list.`,
    );
  }
  const items = groupItems(filter, tokens);
  const comparisons: RawComparison[] = [];
  const invalid: string[] = [];
  let previousWasComparison = false;
  let i = 0;
  while (i < items.length) {
    if (keywordOf(items[i]) === 'AND') {
      previousWasComparison = false;
      i += 1;
      continue;
    }
    const m = tryComparison(items, i);
    if (m !== null) {
      if (previousWasComparison) {
        // Two comparisons with nothing between them.
        invalid.push(items.slice(i, m.next).map((it) => it.raw).join(' '));
      } else {
        comparisons.push(m.cmp);
      }
      previousWasComparison = true;
      i = m.next;
      continue;
    }
    invalid.push((items[i] as Item).raw);
    previousWasComparison = false;
    i += 1;
  }
  if (invalid.length > 0) {
    const list = quoteInvalid ? invalid.map((s) => `'${s}'`).join(', ') : invalid.join(', ');
    throw filterError(`Invalid clause(s) in filter string: ${list}`);
  }
  return comparisons;
}

// ---------------------------------------------------------------------------------------------------------------
// Quotes (MLflow's _strip_quotes / _trim_backticks)
// ---------------------------------------------------------------------------------------------------------------


function isQuoted(value: string, q: string): boolean {
  return value.length >= 2 && value.startsWith(q) && value.endsWith(q);
}

/**
 * Removes one level of single or double quotes. A doubled quote inside a quoted string stands for one quote
 * character (MLflow itself leaves it doubled; see the module notes).
 */
export function stripQuotes(value: string, expectQuoted: boolean, field: Field): string {
  if (isFullyQuoted(value, "'")) return unquoteBody(value, "'");
  if (isFullyQuoted(value, '"')) return unquoteBody(value, '"');
  if (isQuoted(value, "'") || isQuoted(value, '"')) return value.slice(1, -1);
  if (expectQuoted) {
    throw invalidParam(
      'Parameter value is either not quoted or unidentified quote types used for string value ' +
        `${value}. Use either single or double quotes.`,
      field,
    );
  }
  return value;
}

export function trimBackticks(value: string): string {
  if (isFullyQuoted(value, '`')) return unquoteBody(value, '`');
  if (isQuoted(value, '`')) return value.slice(1, -1);
  return value;
}

// ---------------------------------------------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------------------------------------------

export type Field = 'filter' | 'order_by';
export const filterError = (message: string): AppError => invalidParam(message, 'filter');
export const orderByError = (message: string): AppError => invalidParam(message, 'order_by');

/** Renders a list the way Python prints a set / list of strings in MLflow's messages. */
export const pySet = (xs: readonly string[]): string => `{${xs.map((x) => `'${x}'`).join(', ')}}`;
const pyList = (xs: readonly string[]): string => `[${xs.map((x) => `'${x}'`).join(', ')}]`;
const pyTuple = (xs: readonly string[]): string => `(${xs.map((x) => `'${x}'`).join(', ')})`;

/** MLflow's internal entity names, used in its messages. */
export type MlflowEntity = 'metric' | 'parameter' | 'tag' | 'attribute' | 'dataset';
const MLFLOW_IDENTIFIERS: readonly MlflowEntity[] = ['metric', 'parameter', 'tag', 'attribute', 'dataset'];
const ENTITY_ALIASES: ReadonlyMap<string, MlflowEntity> = new Map([
  ['metric', 'metric'],
  ['metrics', 'metric'],
  ['parameter', 'parameter'],
  ['parameters', 'parameter'],
  ['param', 'parameter'],
  ['params', 'parameter'],
  ['tag', 'tag'],
  ['tags', 'tag'],
  ['attribute', 'attribute'],
  ['attributes', 'attribute'],
  ['attr', 'attribute'],
  ['run', 'attribute'],
  ['dataset', 'dataset'],
  ['datasets', 'dataset'],
]);
const ENTITY_TYPE: Record<MlflowEntity, EntityType> = {
  metric: 'metric',
  parameter: 'param',
  tag: 'tag',
  attribute: 'attribute',
  dataset: 'dataset',
};

export const NUMERIC_COMPARATORS = ['=', '!=', '<', '<=', '>', '>='] as const;
export const STRING_COMPARATORS = ['=', '!=', 'LIKE', 'ILIKE'] as const;
export const PARAM_TAG_COMPARATORS = [...STRING_COMPARATORS, 'IS NULL', 'IS NOT NULL'] as const;
export const LIST_COMPARATORS = [...STRING_COMPARATORS, 'IN', 'NOT IN'] as const;

const RUN_STRING_ATTRIBUTES = ['artifact_uri', 'run_id', 'run_name', 'status', 'user_id'];
const RUN_STRING_ATTRIBUTE_ALIASES = ['run name', 'Run name', 'Run Name'];
const RUN_NUMERIC_ATTRIBUTES = ['start_time', 'end_time', 'created', 'Created'];
const RUN_SEARCH_ATTRIBUTES = [
  ...RUN_STRING_ATTRIBUTES,
  ...RUN_STRING_ATTRIBUTE_ALIASES,
  'end_time',
  'start_time',
  'created',
  'Created',
].sort();
const RUN_ORDER_BY_ATTRIBUTES = [...RUN_STRING_ATTRIBUTES, 'end_time', 'start_time', 'created', 'Created'].sort();
const DATASET_KEYS = ['name', 'digest', 'context'];

const EXPERIMENT_SEARCH_ATTRIBUTES = ['name', 'creation_time', 'last_update_time'];
const EXPERIMENT_NUMERIC_ATTRIBUTES = ['creation_time', 'last_update_time'];
const EXPERIMENT_ORDER_BY_ATTRIBUTES = ['name', 'experiment_id', 'creation_time', 'last_update_time'];
const EXPERIMENT_ENTITIES = ['attribute', 'tag', 'tags'];

function translateKeyAlias(key: string): string {
  if (key === 'created' || key === 'Created') return 'start_time';
  if (RUN_STRING_ATTRIBUTE_ALIASES.includes(key)) return 'run_name';
  return key;
}

// ---------------------------------------------------------------------------------------------------------------
// Identifiers (MLflow's _get_identifier)
// ---------------------------------------------------------------------------------------------------------------

interface Identifier {
  entity: MlflowEntity;
  key: string;
}

/** `SearchUtils._get_identifier`: split at the first dot of the raw text, validate entity and key. */
function runIdentifier(raw: string, validAttributes: readonly string[], field: Field): Identifier {
  const dot = raw.indexOf('.');
  let entityText = 'attribute';
  let keyText = raw;
  if (dot >= 0) {
    entityText = raw.slice(0, dot);
    keyText = raw.slice(dot + 1);
  }
  const trimmedEntity = trimBackticks(entityText);
  const entity = ENTITY_ALIASES.get(trimmedEntity);
  if (entity === undefined) {
    throw invalidParam(
      `Invalid entity type '${trimmedEntity}'. Valid values are ${pyList(MLFLOW_IDENTIFIERS)}`,
      field,
    );
  }
  const key = trimBackticks(stripQuotes(keyText, false, field));
  if (entity === 'attribute' && !validAttributes.includes(key)) {
    throw invalidParam(
      `Invalid attribute key '${key}' specified. Valid keys are '${pySet(validAttributes)}'`,
      field,
    );
  }
  if (entity === 'dataset' && !DATASET_KEYS.includes(key)) {
    throw invalidParam(`Invalid dataset key '${key}' specified. Valid keys are '${pySet(DATASET_KEYS)}'`, field);
  }
  return { entity, key };
}

/**
 * `SearchExperimentsUtils._get_identifier`: entity must be `attribute`, `tag` or `tags` (we also take
 * `attributes`, which MLflow's search-experiments documentation uses).
 */
function experimentIdentifier(raw: string, validAttributes: readonly string[], field: Field): Identifier {
  const dot = raw.indexOf('.');
  let entity: MlflowEntity = 'attribute';
  let keyText = raw;
  if (dot >= 0) {
    const entityText = raw.slice(0, dot);
    keyText = raw.slice(dot + 1);
    if (entityText === 'tag' || entityText === 'tags') entity = 'tag';
    else if (entityText !== 'attribute' && entityText !== 'attributes') {
      throw invalidParam(
        `Invalid entity type '${entityText}'. Valid entity types are ${pyTuple(EXPERIMENT_ENTITIES)}`,
        field,
      );
    }
  }
  const key = trimBackticks(stripQuotes(keyText, false, field));
  if (entity === 'attribute' && !validAttributes.includes(key)) {
    throw invalidParam(
      `Invalid attribute key '${key}' specified. Valid keys are '${pySet(validAttributes)}'`,
      field,
    );
  }
  return { entity, key };
}

// ---------------------------------------------------------------------------------------------------------------
// Values (MLflow's _get_value)
// ---------------------------------------------------------------------------------------------------------------

export function numberValue(item: Item): number | null {
  if (item.kind !== 'token' || item.tok.kind !== 'number') return null;
  const n = Number(item.tok.text);
  return Number.isFinite(n) ? n + 0 : null;
}

/**
 * A string literal: a single-quoted token, or an identifier-shaped token (sqlparse's `Identifier`, which is what a
 * double-quoted string becomes) whose raw text is quoted. `undefined` when the token is not string-shaped at all.
 */
export function stringValue(item: Item): string | undefined {
  if (item.kind === 'token' && item.tok.kind === 'squote') return stripQuotes(item.raw, true, 'filter');
  if (item.kind === 'ident' && keywordOf(item) === null) return stripQuotes(item.raw, true, 'filter');
  return undefined;
}

const LIST_EMPTY = 'While parsing a list in the query, expected a non-empty list of string values, but got empty list';
const LIST_ILL_FORMED =
  'While parsing a list in the query, expected a non-empty list of string values, but got ill-formed list.';

/** `('a', "b")`: a non-empty, comma-separated list of quoted strings (a trailing comma is allowed, as in Python). */
export function parseList(item: ParenItem): string[] {
  const toks = item.inner.filter((t) => t.kind !== 'ws');
  if (toks.length === 0) throw filterError(LIST_EMPTY);
  const values: string[] = [];
  let sawNonString = false;
  let i = 0;
  for (;;) {
    const t = toks[i];
    if (t === undefined) throw filterError(LIST_ILL_FORMED);
    if (t.kind === 'squote' || t.kind === 'dquote') values.push(stripQuotes(t.text, true, 'filter'));
    else if (t.kind === 'number') sawNonString = true;
    else throw filterError(LIST_ILL_FORMED);
    i += 1;
    const sep = toks[i];
    if (sep === undefined) break;
    if (sep.kind !== 'comma') throw filterError(LIST_ILL_FORMED);
    i += 1;
    if (i === toks.length) break; // trailing comma
  }
  if (sawNonString) {
    throw filterError(
      'While parsing a list in the query, expected string value, punctuation, or whitespace, ' +
        `but got different type in list: ${item.raw}`,
    );
  }
  return values;
}

type Value = string | number | string[] | null;

export function runValue(entity: MlflowEntity, key: string, item: Item, numericAttributes: readonly string[]): Value {
  switch (entity) {
    case 'metric': {
      const n = numberValue(item);
      if (n === null) throw filterError(`Expected numeric value type for metric. Found ${item.raw}`);
      return n;
    }
    case 'parameter':
    case 'tag': {
      const s = stringValue(item);
      if (s === undefined) {
        throw filterError(
          `Expected a quoted string value for ${entity} (e.g. 'my-value'). Got value ${item.raw}`,
        );
      }
      return s;
    }
    case 'attribute': {
      if (numericAttributes.includes(key)) {
        const n = numberValue(item);
        if (n === null) {
          throw filterError(`Expected numeric value type for numeric attribute: ${key}. Found ${item.raw}`);
        }
        return n;
      }
      if (item.kind === 'paren') {
        if (key !== 'run_id') {
          throw filterError(
            "Only the 'run_id' attribute supports comparison with a list of quoted string values.",
          );
        }
        return parseList(item);
      }
      const s = stringValue(item);
      if (s === undefined) {
        throw filterError(`Expected a quoted string value for attributes. Got value ${item.raw}`);
      }
      return s;
    }
    case 'dataset': {
      if (item.kind === 'paren') return parseList(item);
      const s = stringValue(item);
      if (s === undefined) {
        throw filterError(`Expected a quoted string value for dataset attributes. Got value ${item.raw}`);
      }
      return s;
    }
  }
}

export function checkComparator(comparator: string, allowed: readonly string[]): Comparator {
  if (!allowed.includes(comparator)) {
    throw filterError(`Invalid comparator '${comparator}' not one of '${pySet(allowed)}'`);
  }
  return comparator as Comparator;
}

export function checkListUse(comparator: Comparator, value: Value): void {
  const isList = Array.isArray(value);
  const wantsList = comparator === 'IN' || comparator === 'NOT IN';
  if (isList && !wantsList) {
    throw filterError(`Invalid comparator '${comparator}' for a list of values. Use 'IN' or 'NOT IN'.`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------------------------

/**
 * Runs a parse, turning any unexpected internal failure (there should be none) into a 400 like MLflow's
 * "Error on parsing filter", so callers only ever see AppError for bad input.
 */
export function guarded<T>(field: Field, input: unknown, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof AppError) throw err;
    const what = field === 'filter' ? 'filter' : 'order_by clause';
    throw new AppError('INVALID_PARAMETER_VALUE', `Error on parsing ${what} '${String(input)}'`, { field, cause: err });
  }
}

export function normalizeInput(input: unknown, field: Field): string | null {
  if (input === undefined || input === null) return null;
  if (typeof input !== 'string') throw invalidParam(`Invalid ${field} '${String(input)}'. Could not be parsed.`, field);
  return input;
}

/** Parses a `search_runs` filter string (`SearchUtils.parse_search_filter` plus the store's comparator checks). */
export function parseRunFilter(filter: string | undefined): FilterClause[] {
  return guarded('filter', filter, () => parseRunFilterUnguarded(filter));
}

function parseRunFilterUnguarded(filter: string | undefined): FilterClause[] {
  const text = normalizeInput(filter, 'filter');
  if (text === null || text.trim() === '') return [];
  return parseStatement(text, true).map((cmp) => {
    const { entity, key } = runIdentifier(cmp.ident.raw, RUN_SEARCH_ATTRIBUTES, 'filter');
    const isNullCheck = cmp.value === null;
    const value = cmp.value === null ? null : runValue(entity, key, cmp.value, RUN_NUMERIC_ATTRIBUTES);
    let allowed: readonly string[];
    switch (entity) {
      case 'metric':
        allowed = NUMERIC_COMPARATORS;
        break;
      case 'parameter':
      case 'tag':
        allowed = PARAM_TAG_COMPARATORS;
        break;
      case 'attribute':
        allowed = RUN_NUMERIC_ATTRIBUTES.includes(key) ? NUMERIC_COMPARATORS : LIST_COMPARATORS;
        break;
      case 'dataset':
        allowed = LIST_COMPARATORS;
        break;
    }
    const comparator = checkComparator(cmp.comparator, allowed);
    if (!isNullCheck) checkListUse(comparator, value);
    return {
      type: ENTITY_TYPE[entity],
      key: entity === 'attribute' ? translateKeyAlias(key) : key,
      comparator,
      value,
    };
  });
}

/** Parses a `search_experiments` filter string (`SearchExperimentsUtils`). */
export function parseExperimentFilter(filter: string | undefined): FilterClause[] {
  return guarded('filter', filter, () => parseExperimentFilterUnguarded(filter));
}

function parseExperimentFilterUnguarded(filter: string | undefined): FilterClause[] {
  const text = normalizeInput(filter, 'filter');
  if (text === null || text.trim() === '') return [];
  return parseStatement(text, false).map((cmp) => {
    const { entity, key } = experimentIdentifier(cmp.ident.raw, EXPERIMENT_SEARCH_ATTRIBUTES, 'filter');
    const numeric = entity === 'attribute' && EXPERIMENT_NUMERIC_ATTRIBUTES.includes(key);
    const value = cmp.value === null ? null : runValue(entity, key, cmp.value, EXPERIMENT_NUMERIC_ATTRIBUTES);
    const allowed = entity === 'tag' ? PARAM_TAG_COMPARATORS : numeric ? NUMERIC_COMPARATORS : STRING_COMPARATORS;
    const comparator = checkComparator(cmp.comparator, allowed);
    return { type: ENTITY_TYPE[entity], key, comparator, value };
  });
}

/**
 * `_parse_order_by_string`: `"<identifier> [ASC|DESC]"`. Returns the identifier text with quotes removed (MLflow
 * runs it through `shlex.split` after turning backticks into double quotes) and the direction.
 */
export function parseOrderByString(orderBy: unknown): { identifier: string; ascending: boolean } {
  const text = normalizeInput(orderBy, 'order_by');
  const unparsable = (): AppError => orderByError(`Invalid order_by clause '${String(orderBy)}'. Could not be parsed.`);
  if (text === null) throw unparsable();
  const trimmed = text.trim();
  const items = groupItems(trimmed, tokenize(trimmed));
  const ident = items[0];
  if (items.length === 0 || items.length > 2 || ident === undefined || ident.kind !== 'ident' || ident.malformed) {
    throw unparsable();
  }
  if (keywordOf(ident) !== null || /^(?:asc|desc)$/i.test(ident.raw)) throw unparsable();
  let ascending = true;
  const direction = items[1];
  if (direction !== undefined) {
    if (direction.kind !== 'ident' || direction.malformed || direction.segments.length !== 1) throw unparsable();
    const word = direction.segments[0] as Token;
    if (word.kind !== 'word') throw unparsable();
    const dir = word.text.toLowerCase();
    if (dir !== 'asc' && dir !== 'desc') {
      throw orderByError(`Invalid ordering key in order_by clause '${text}'.`);
    }
    ascending = dir === 'asc';
  }
  const identifier = ident.segments
    .map((seg) => {
      if (seg.kind === 'bquote') return trimBackticks(seg.text);
      if (seg.kind === 'dquote') return stripQuotes(seg.text, false, 'order_by');
      return seg.text;
    })
    .join('.');
  return { identifier, ascending };
}

/** Parses one `search_runs` order_by entry (`SearchUtils.parse_order_by_for_search_runs`). */
export function parseRunOrderBy(orderBy: string): OrderByClause {
  return guarded('order_by', orderBy, () => parseRunOrderByUnguarded(orderBy));
}

function parseRunOrderByUnguarded(orderBy: string): OrderByClause {
  const { identifier, ascending } = parseOrderByString(orderBy);
  const { entity, key } = runIdentifier(identifier.trim(), RUN_ORDER_BY_ATTRIBUTES, 'order_by');
  if (entity === 'dataset') throw orderByError(`Invalid order_by entity type '${entity}'`);
  return {
    type: ENTITY_TYPE[entity],
    key: entity === 'attribute' ? translateKeyAlias(key) : key,
    ascending,
  };
}

/** Parses one `search_experiments` order_by entry (`SearchExperimentsUtils.parse_order_by_for_search_experiments`). */
export function parseExperimentOrderBy(orderBy: string): OrderByClause {
  return guarded('order_by', orderBy, () => parseExperimentOrderByUnguarded(orderBy));
}

function parseExperimentOrderByUnguarded(orderBy: string): OrderByClause {
  const { identifier, ascending } = parseOrderByString(orderBy);
  const { entity, key } = experimentIdentifier(identifier.trim(), EXPERIMENT_ORDER_BY_ATTRIBUTES, 'order_by');
  if (entity !== 'attribute') throw orderByError(`Invalid order_by entity: ${entity}`);
  return { type: 'attribute', key, ascending };
}
