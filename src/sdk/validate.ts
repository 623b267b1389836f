/**
 * The server's checks on metric, param and tag keys and on metric values, run client-side so that one bad key throws
 * at the call that logged it instead of failing a whole log-batch. Browser-safe: no `node:` imports.
 */

/** MLflow's `MAX_ENTITY_KEY_LENGTH`. */
export const MAX_KEY_LENGTH = 250;

/** MLflow's `_VALID_PARAM_AND_METRIC_NAMES`: Python's Unicode `\w`, slash, period, dash, space, colon. */
const KEY_RE = /^[\p{L}\p{N}_/.\- :]*$/u;

/** `path.posix.normalize` without `node:path`: collapses `//`, `.` and `..` segments, keeping a trailing slash. */
export function normalizePosixPath(p: string): string {
  if (p === '') return '.';
  const absolute = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
      continue;
    }
    out.push(seg);
  }
  let s = out.join('/');
  if (s === '' && !absolute) s = '.';
  if (s !== '' && p.endsWith('/')) s += '/';
  return absolute ? `/${s}` : s;
}

/**
 * Throws a `TypeError` unless `key` is a key the server accepts: 1–250 characters, letters, digits and `_ / . - :`
 * and space, and a normalised relative path that is not `.`, does not start with `..` or `/` and does not end with
 * `/` (MLflow's `path_not_unique`: keys can become file names and must not resolve to other keys). Returns the key.
 */
export function validateKey(kind: 'metric' | 'param' | 'tag', key: unknown): string {
  if (typeof key !== 'string' || key === '') throw new TypeError(`${kind} key must be a non-empty string, got ${key === '' ? "''" : typeof key}`);
  if (key.length > MAX_KEY_LENGTH) throw new TypeError(`${kind} key ${JSON.stringify(`${key.slice(0, 40)}…`)} is longer than ${MAX_KEY_LENGTH} characters`);
  if (!KEY_RE.test(key)) {
    throw new TypeError(`Invalid ${kind} name ${JSON.stringify(key)}: names may only contain letters, digits, underscores (_), dashes (-), periods (.), spaces ( ), colons (:) and slashes (/)`);
  }
  // Python's posixpath.normpath, as MLflow uses, also drops a trailing slash.
  const normal = normalizePosixPath(key).replace(/(.)\/+$/, '$1');
  if (normal !== key || normal === '.' || normal.startsWith('..') || normal.startsWith('/')) {
    throw new TypeError(`Invalid ${kind} name ${JSON.stringify(key)}: it must be a normalised relative path (no '//', './', '../', leading '/' or '..', trailing '/', not '.'), as keys may become file names`);
  }
  return key;
}

/** Throws a `TypeError` unless the server takes this metric: a valid key, a number (NaN, ±Infinity too), a safe-integer step. */
export function validateMetric(key: unknown, value: unknown, step: unknown): void {
  validateKey('metric', key);
  if (typeof value !== 'number') throw new TypeError(`metric ${JSON.stringify(key)} value must be a number, got ${typeof value}`);
  if (typeof step !== 'number' || !Number.isSafeInteger(step)) throw new TypeError(`metric ${JSON.stringify(key)} step must be a safe integer, got ${String(step)}`);
}
