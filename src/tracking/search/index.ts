export type { EntityType, Comparator, FilterClause, OrderByClause } from './filter-types.js';
export { parseRunFilter, parseExperimentFilter, parseRunOrderBy, parseExperimentOrderBy } from './search-filter.js';
export { encodePageToken, decodePageToken } from './page-token.js';
