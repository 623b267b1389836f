import path from 'node:path';
import { invalidParam } from '../core/errors/index.js';
import { LIMITS } from './limits.js';

/** MLflow's `^[/\w.\- :]*$` with Python's Unicode `\w` (letters, digits, underscore in any script). */
const KEY_RE = /^[\p{L}\p{N}_/.\- :]*$/u;

/** Metric, param and tag keys, as MLflow's `_validate_*_name`: allowed characters, length, a normalised path. */
export function validateKey(kind: 'metric' | 'param' | 'tag', key: unknown, field: string): string {
  if (typeof key !== 'string' || key.length === 0) {
    throw invalidParam(`Missing value for required parameter '${field}'. See the API docs for more information about request parameters.`, field);
  }
  if (!KEY_RE.test(key)) {
    throw invalidParam(
      `Invalid ${kind} name: '${key}'. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).`,
      field,
    );
  }
  if (key.length > LIMITS.maxEntityKeyLength) {
    throw invalidParam(`'${field}' exceeds the maximum length of ${LIMITS.maxEntityKeyLength} characters`, field);
  }
  // Python's posixpath.normpath, which (unlike Node's) also drops a trailing slash.
  const norm = path.posix.normalize(key).replace(/(.)\/+$/, '$1');
  // MLflow's `path_not_unique`: the key must be its own normal form, and not `.`, `..…` or absolute.
  if (norm !== key || norm === '.' || norm.startsWith('..') || norm.startsWith('/')) {
    throw invalidParam(
      `Invalid ${kind} name: '${key}'. Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to '${path.posix.normalize(key)}'`,
      field,
    );
  }
  return key;
}

/** Long values are cut to the limit, as MLflow does with MLFLOW_TRUNCATE_LONG_VALUES (its default). */
export function truncateValue(value: string, max: number): string {
  return value.length > max ? value.slice(0, max) : value;
}

export function requireString(value: unknown, field: string): string {
  if (value === undefined || value === null || value === '') {
    throw invalidParam(`Missing value for required parameter '${field}'. See the API docs for more information about request parameters.`, field);
  }
  if (typeof value !== 'string') throw invalidParam(`Invalid value ${JSON.stringify(value)} for parameter '${field}' supplied: expected a string`, field);
  return value;
}

/**
 * Experiment ids: strings, or integers as hand-written scripts send them (MLflow's `parse_dict`
 * stringifies experiment ids).
 */
export function idString(value: unknown, field: string): string;
export function idString(value: unknown, field: string, optional: true): string | undefined;
export function idString(value: unknown, field: string, optional = false): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return optional ? optionalString(value, field) : requireString(value, field);
}

export function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidParam(`Invalid value ${JSON.stringify(value)} for parameter '${field}' supplied: expected a string`, field);
  return value;
}

/** int64 fields arrive as JSON numbers or strings; both are accepted, anything else is a 400 naming the field. */
export function toInt64(value: unknown, field: string, opts: { required?: boolean; min?: number } = {}): number | undefined {
  if (value === undefined || value === null || value === '') {
    if (opts.required) {
      throw invalidParam(`Missing value for required parameter '${field}'. See the API docs for more information about request parameters.`, field);
    }
    return undefined;
  }
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw invalidParam(`Invalid value ${JSON.stringify(value)} for parameter '${field}' supplied: expected an integer`, field);
  if (opts.min !== undefined && n < opts.min) throw invalidParam(`Invalid value ${n} for parameter '${field}' supplied: must be >= ${opts.min}`, field);
  return n;
}

/** Metric values: JSON numbers, or the strings MLflow's protobuf JSON uses for non-finite values. */
export function toMetricValue(value: unknown, field: string): number {
  if (typeof value === 'number' && !Number.isNaN(value)) return value;
  if (typeof value === 'string') {
    const v = value.trim();
    if (v === 'NaN' || v === 'nan') return Number.NaN;
    if (v === 'Infinity' || v === 'inf') return Number.POSITIVE_INFINITY;
    if (v === '-Infinity' || v === '-inf') return Number.NEGATIVE_INFINITY;
    if (v !== '' && Number.isFinite(Number(v))) return Number(v);
  }
  if (value === undefined || value === null) {
    throw invalidParam(`Missing value for required parameter '${field}'. See the API docs for more information about request parameters.`, field);
  }
  throw invalidParam(`Got invalid value ${JSON.stringify(value)} for metric '${field}' (timestamp=?). Please specify value as a valid double (64-bit floating point)`, field);
}

export function validateMaxResults(value: unknown, field: string, def: number, max: number): number {
  const n = toInt64(value, field) ?? def;
  if (n < 1 || n > max) throw invalidParam(`Invalid value ${n} for parameter '${field}' supplied. It must be at most ${max} and at least 1`, field);
  return n;
}

export function validateExperimentName(name: unknown, field = 'name'): string {
  const s = requireString(name, field);
  if (s.trim() === '') throw invalidParam(`Invalid experiment name: '${s}'`, field);
  if (s.length > LIMITS.maxExperimentNameLength) {
    throw invalidParam(`Experiment name exceeds the maximum length of ${LIMITS.maxExperimentNameLength} characters`, field);
  }
  return s;
}
