import { AppError, invalidParam, notFound } from '../core/errors/index.js';
import type { ArtifactPart } from './artifact-store.js';

/** One-line factories for the artifact stores' errors (codes and fields as the `ArtifactStore` contract states). */

export const artifactNotFound = (rel: string): AppError => notFound(`No artifact at '${rel}'`, 'path');

export const isADirectory = (rel: string): AppError =>
  invalidParam(rel === '' ? 'The artifact root is a directory, not a file' : `'${rel}' is a directory, not a file`, 'path');

export const parentIsAFile = (rel: string): AppError => invalidParam(`Cannot write '${rel}': a parent of it is a file`, 'path');

export const pathRequired = (): AppError => invalidParam('Invalid path "": the path must name a file', 'path');

export const reservedPath = (rel: string, reserved: string): AppError =>
  invalidParam(`Invalid path ${JSON.stringify(rel)}: '${reserved}' is reserved for the store's staging area`, 'path');

export const symlinkEscape = (rel: string): AppError =>
  invalidParam(`Invalid path ${JSON.stringify(rel)}: it resolves through a symbolic link to outside the artifact root`, 'path');

export const uploadNotFound = (uploadId: string): AppError =>
  notFound(`No multipart upload '${uploadId.slice(0, 200)}' for this path (it was completed, aborted or never created)`, 'upload_id');

export const invalidUploadId = (): AppError => invalidParam('Invalid upload_id: not an id this store issued', 'upload_id');

export const invalidPartNumber = (n: unknown): AppError =>
  invalidParam(`Invalid part_number ${JSON.stringify(n)}: expected an integer from 1 to 10000`, 'part_number');

export const invalidParts = (why: string): AppError => invalidParam(`Invalid parts: ${why}`, 'parts');

export const invalidArtifactsUri = (uri: string, why: string): AppError =>
  new AppError('INVALID_PARAMETER_VALUE', `Invalid artifact store URI '${uri}': ${why}`, { field: 'artifacts.uri' });

export const storageUnavailable = (what: string, cause: unknown): AppError =>
  new AppError('TEMPORARILY_UNAVAILABLE', `Artifact storage is unavailable (${what}); try again later`, { cause });

/** S3 part numbers, and ours: 1..10000. */
export function checkPartNumber(n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 10_000) throw invalidPartNumber(n);
  return n;
}

/** ETags compare without their quotes (clients send them either way). */
export function bareEtag(etag: string): string {
  return etag.replace(/^W\//u, '').replace(/^"(.*)"$/u, '$1');
}

/** Validates a completion's part list and returns it in part-number order. */
export function sortParts(parts: unknown): ArtifactPart[] {
  if (!Array.isArray(parts) || parts.length === 0) throw invalidParts('expected a non-empty list of {part_number, etag}');
  const seen = new Set<number>();
  const out: ArtifactPart[] = [];
  for (const part of parts as Partial<ArtifactPart>[]) {
    const n = checkPartNumber(part?.partNumber);
    if (typeof part.etag !== 'string' || part.etag === '') throw invalidParts(`part ${n} has no etag`);
    if (seen.has(n)) throw invalidParts(`part ${n} is listed twice`);
    seen.add(n);
    out.push({ partNumber: n, etag: part.etag });
  }
  return out.sort((a, b) => a.partNumber - b.partNumber);
}
