import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import { artifactPathOf } from '../artifacts/artifact-uri.js';
import { AppError } from '../core/errors/index.js';
import type { ModelVersion } from '../store/index.js';

interface ManifestView {
  modelFile?: string;
  files?: { path: string; size: number; sha256: string }[];
}

/** What to load for a version: a local file path, and the file's SHA-256 (which names it in the model cache). */
export interface LocalModel {
  file: string;
  sha256: string;
}

/**
 * Puts a registered version's model file on local disk. On the local artifact store that is the stored file itself;
 * on S3 it is downloaded once into `cacheDir/<sha256>/<name>` (checked against the SHA-256 recorded at registration,
 * written under a temporary name and renamed, so a crash never leaves a half file that looks complete).
 */
export async function localModelFile(artifacts: ArtifactStore, version: ModelVersion, cacheDir: string): Promise<LocalModel> {
  const manifest = (version.manifest ?? {}) as ManifestView;
  const rel = manifest.modelFile;
  const entry = manifest.files?.find((f) => f.path === rel);
  if (!rel || !entry) {
    throw new AppError('INVALID_PARAMETER_VALUE', `Model '${version.name}' version ${version.version} has no model file recorded; register it again`, { field: 'model' });
  }
  const base = artifactPathOf(version.storageLocation || version.source, artifacts.rootUri, 'model');
  const st = await artifacts.stat(base);
  if (!st) throw new AppError('RESOURCE_DOES_NOT_EXIST', `The files of model '${version.name}' version ${version.version} are gone from the artifact store (${base})`, { field: 'model' });
  const storePath = st.isDir ? `${base}/${rel}` : base;
  const local = await artifacts.localPath(storePath);
  if (local !== null) return { file: local, sha256: entry.sha256 };

  const dir = path.join(cacheDir, entry.sha256);
  const file = path.join(dir, path.posix.basename(rel));
  const have = await stat(file).catch(() => null);
  if (have?.size === entry.size) return { file, sha256: entry.sha256 };
  await mkdir(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.part`;
  const hash = createHash('sha256');
  try {
    const { body } = await artifacts.get(storePath);
    const tee = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        cb(null, chunk);
      },
    });
    await pipeline(body, tee, createWriteStream(tmp));
    const digest = hash.digest('hex');
    if (digest !== entry.sha256) {
      throw new AppError('INTERNAL_ERROR', `The stored model file of '${version.name}' version ${version.version} changed since registration (SHA-256 ${digest}, registered ${entry.sha256})`);
    }
    await rename(tmp, file);
  } finally {
    await rm(tmp, { force: true });
  }
  return { file, sha256: entry.sha256 };
}
