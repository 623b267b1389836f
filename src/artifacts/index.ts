export type { ArtifactBody, ArtifactFileInfo, ArtifactInput, ArtifactPart, ArtifactStore } from './artifact-store.js';
export { createArtifactStore, type ArtifactStoreTarget, type CreateArtifactStoreOptions } from './create-artifact-store.js';
export { LocalArtifactStore, STAGING_DIR } from './local-artifact-store.js';
// S3ArtifactStore is not re-exported: createArtifactStore imports it (and the AWS SDK) only for s3:// URIs.
export type { S3ArtifactStore, S3Options } from './s3-artifact-store.js';
export { safeArtifactPath, joinArtifactPath, artifactBasename, artifactDirname, compareArtifactPaths, MAX_PATH_BYTES } from './safe-path.js';
export { guessMimeType, attachmentDisposition } from './mime-type.js';
