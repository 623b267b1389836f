import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ArtifactStore } from './artifact-store.js';
import { invalidArtifactsUri } from './errors.js';
import { LocalArtifactStore } from './local-artifact-store.js';
import type { S3Options } from './s3-artifact-store.js';

/** The config slice `createArtifactStore` reads (`config.artifacts`). */
export interface ArtifactStoreTarget {
  uri: string;
  s3?: { endpointUrl?: string; region?: string };
}

export interface CreateArtifactStoreOptions {
  /** Overrides for the S3 client (tests pass moto's endpoint and credentials here). */
  s3?: S3Options;
}

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]+):/u;

/**
 * Opens the artifact store a URI names: a plain path or `file:///dir` → `LocalArtifactStore` (the directory is
 * created); `s3://bucket/prefix` → `S3ArtifactStore`. Anything else is refused with INVALID_PARAMETER_VALUE, field
 * `artifacts.uri`. Accepts the URI alone or the whole `config.artifacts` slice (URI plus S3 settings from the
 * environment); `opts.s3` wins over the slice's S3 settings.
 */
export async function createArtifactStore(target: string | ArtifactStoreTarget, opts: CreateArtifactStoreOptions = {}): Promise<ArtifactStore> {
  const uri = typeof target === 'string' ? target : target.uri;
  if (typeof uri !== 'string' || uri.trim() === '') throw invalidArtifactsUri(String(uri), 'expected a directory, file:///dir or s3://bucket/prefix');
  const scheme = SCHEME.exec(uri)?.[1]?.toLowerCase();
  if (scheme === undefined) return LocalArtifactStore.open(path.resolve(uri));
  if (scheme === 'file') {
    let dir: string;
    try {
      dir = fileURLToPath(uri);
    } catch (e) {
      throw invalidArtifactsUri(uri, (e as Error).message);
    }
    return LocalArtifactStore.open(dir);
  }
  if (scheme === 's3') {
    const fromConfig = typeof target === 'string' ? {} : (target.s3 ?? {});
    // Imported on demand: the AWS SDK adds ~200 ms to every start, and a local store never needs it.
    const { S3ArtifactStore } = await import('./s3-artifact-store.js');
    return S3ArtifactStore.fromUri(uri, { ...fromConfig, ...opts.s3 });
  }
  throw invalidArtifactsUri(uri, `unsupported scheme '${scheme}:' (expected a directory, file:///dir or s3://bucket/prefix)`);
}
