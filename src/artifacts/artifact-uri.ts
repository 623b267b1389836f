import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { invalidParam } from '../core/errors/index.js';
import { safeArtifactPath } from './safe-path.js';

/**
 * Maps an artifact URI to a path inside the artifact store, or refuses it. Accepted:
 * - `mlflow-artifacts:/a/b` and `mlflow-artifacts://host[:port]/a/b` (the proxy's scheme; the path is store-relative);
 * - a URI or local path under the store's own root: `file:///…`, `/abs/…` for a local store, `s3://bucket/prefix/…`
 *   for an S3 store.
 * Anything else (another bucket, a local path outside the store, `..` tricks after decoding, other schemes) is a 400
 * on `field`, so no model source or artifact location can point outside the store.
 */
export function artifactPathOf(uri: string, rootUri: string, field: string): string {
  const refuse = (why: string) =>
    invalidParam(`${field} '${uri.slice(0, 300)}' ${why}. Use an mlflow-artifacts:/ URI (or runs:/, models:/) inside the artifact store ${rootUri}`, field);
  if (typeof uri !== 'string' || uri === '') throw refuse('is empty');
  if (uri.includes('\u0000')) throw refuse('contains a NUL byte');
  const proxied = /^mlflow-artifacts:(?:\/\/[^/]*)?(\/.*)?$/.exec(uri);
  if (proxied) return checked(proxied[1] ?? '', field, refuse);
  if (rootUri.startsWith('s3://')) {
    const root = rootUri.replace(/\/+$/, '');
    if (uri === root) return '';
    if (uri.startsWith(`${root}/`)) return checked(uri.slice(root.length + 1), field, refuse);
    throw refuse('is outside the artifact store');
  }
  if (rootUri.startsWith('file://')) {
    const rootDir = fileURLToPath(rootUri);
    let local: string;
    if (/[?#]/.test(uri)) throw refuse("contains '?' or '#'");
    if (uri.startsWith('file://')) {
      try {
        local = fileURLToPath(uri);
      } catch {
        throw refuse('is not a valid file URI');
      }
    } else if (uri.startsWith('/')) {
      local = uri;
    } else {
      throw refuse(/^[a-z][a-z0-9+.-]*:/i.test(uri) ? 'uses a scheme this server cannot read' : 'is a relative local path');
    }
    if (local.includes('\\')) throw refuse('contains a backslash');
    const rel = path.relative(rootDir, path.resolve(local));
    if (rel === '') return '';
    if (rel.startsWith('..') || path.isAbsolute(rel)) throw refuse('is outside the artifact store');
    // `path.resolve` already removed `..`; compare the raw form too, so `/root/a/../../etc` is refused outright.
    if (/(^|\/)\.\.?(\/|$)/.test(local)) throw refuse('contains . or .. segments');
    return checked(rel.split(path.sep).join('/'), field, refuse);
  }
  throw refuse('uses a scheme this server cannot read');
}

function checked(p: string, field: string, refuse: (why: string) => Error): string {
  const trimmed = p.replace(/^\/+/, '').replace(/\/+$/, '');
  try {
    return safeArtifactPath(trimmed, field);
  } catch {
    throw refuse('is not a safe artifact path');
  }
}

/** The `mlflow-artifacts:` URI of a store-relative path. */
export function proxiedUri(storePath: string): string {
  return `mlflow-artifacts:/${storePath}`;
}
