import path from 'node:path';
import { invalidParam } from '../core/errors/index.js';

/** Longest accepted artifact path, in UTF-8 bytes (S3's key limit, before the store's prefix). */
export const MAX_PATH_BYTES = 1024;
/** Longest accepted path segment, in UTF-8 bytes (NAME_MAX of common filesystems). */
export const MAX_SEGMENT_BYTES = 255;

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;
const PERCENT_ESCAPE = /%[0-9a-fA-F]{2}/u;
const LONE_SURROGATE = /\p{Cs}/u;
const DRIVE = /^[A-Za-z]:/u;

function refuse(raw: string, why: string, field: string): never {
  const shown = JSON.stringify(raw.length > 200 ? `${raw.slice(0, 200)}…` : raw);
  throw invalidParam(`Invalid path ${shown}: ${why}`, field);
}

/**
 * Checks an artifact path and returns it normalised: relative, `/`-separated, no trailing slash, `''` for the root.
 * Anything else is refused with `INVALID_PARAMETER_VALUE` naming `field`. The rule is deliberately an allow-by-shape
 * check on the string as given (it is never decoded, so what is checked is exactly what is used):
 *
 * - not a string, over 1024 UTF-8 bytes, or a segment over 255 bytes;
 * - control characters (C0, DEL, C1, including NUL) or unpaired UTF-16 surrogates;
 * - a backslash anywhere (a Windows separator: `a\..\b`);
 * - a percent sign followed by two hex digits (`%2e%2e`, `%2f`, `%5c`, and double encodings such as `%252e`, which
 *   is `%25` + `2e`): the path reaching this function has already been decoded once by whoever parsed the URL, so a
 *   remaining escape is an attempt at a second decode somewhere. A `%` not followed by two hex digits is accepted
 *   (`100%.txt`);
 * - `#` or `?` (URL fragment / query delimiters: a name holding them cannot round-trip through a URL);
 * - absolute paths: a leading `/`, or a Windows drive prefix (`C:x`, `C:\x`, `C:/x`);
 * - `.` or `..` segments, and empty segments (`a//b`), except one trailing slash (`a/b/` is `a/b`).
 *
 * Everything else is accepted as is, including spaces, Unicode, `+`, `&`, `=`, `;`, `'`, `~` and names made only of
 * three or more dots.
 */
export function safeArtifactPath(raw: unknown, field = 'path'): string {
  if (typeof raw !== 'string') throw invalidParam(`Invalid path: expected a string, got ${raw === null ? 'null' : typeof raw}`, field);
  if (raw === '') return '';
  if (Buffer.byteLength(raw, 'utf8') > MAX_PATH_BYTES) refuse(raw, `longer than ${MAX_PATH_BYTES} bytes`, field);
  if (CONTROL.test(raw)) refuse(raw, 'control characters are not allowed', field);
  if (LONE_SURROGATE.test(raw)) refuse(raw, 'not valid Unicode', field);
  if (raw.includes('\\')) refuse(raw, "backslashes are not allowed; use '/' to separate directories", field);
  if (PERCENT_ESCAPE.test(raw)) refuse(raw, 'percent-encoded sequences are not allowed (the path is decoded exactly once)', field);
  if (raw.includes('#') || raw.includes('?')) refuse(raw, "'#' and '?' are not allowed", field);
  if (raw.startsWith('/') || DRIVE.test(raw)) refuse(raw, 'must be a relative path', field);
  const trimmed = raw.endsWith('/') ? raw.slice(0, -1) : raw;
  for (const seg of trimmed.split('/')) {
    if (seg === '') refuse(raw, 'empty path segments are not allowed', field);
    if (seg === '.' || seg === '..') refuse(raw, `'${seg}' segments are not allowed`, field);
    if (Buffer.byteLength(seg, 'utf8') > MAX_SEGMENT_BYTES) refuse(raw, `a segment is longer than ${MAX_SEGMENT_BYTES} bytes`, field);
  }
  return trimmed;
}

/** Joins already-safe relative paths with `/`, skipping empty ones. */
export function joinArtifactPath(...parts: string[]): string {
  return parts.filter((p) => p !== '').join('/');
}

/** The last segment of a safe path (`''` for the root). */
export function artifactBasename(rel: string): string {
  const i = rel.lastIndexOf('/');
  return i < 0 ? rel : rel.slice(i + 1);
}

/** The parent of a safe path (`''` for a top-level name or the root). */
export function artifactDirname(rel: string): string {
  const i = rel.lastIndexOf('/');
  return i < 0 ? '' : rel.slice(0, i);
}

/** True when the absolute `candidate` is `root` itself or lies under it. Both must be resolved absolute paths. */
export function isInside(root: string, candidate: string): boolean {
  if (candidate === root) return true;
  const base = root.endsWith(path.sep) ? root : root + path.sep;
  return candidate.startsWith(base);
}

/**
 * The filesystem path of the safe relative path `rel` under the absolute directory `root`. Throws (as a last line of
 * defence; `safeArtifactPath` has already refused anything that could escape) if the result would leave `root`.
 */
export function joinUnder(root: string, rel: string): string {
  const abs = rel === '' ? root : path.join(root, ...rel.split('/'));
  if (!isInside(root, abs)) throw invalidParam(`Invalid path ${JSON.stringify(rel)}: outside the artifact root`, 'path');
  return abs;
}

/** The order listings are sorted in: by UTF-8 bytes, as S3 lists keys (so every store sorts alike). */
export function compareArtifactPaths(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
