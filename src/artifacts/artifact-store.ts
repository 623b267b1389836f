import type { Readable } from 'node:stream';

/** One entry of a directory listing. `path` is relative to the store root, `/`-separated, never starting with `/`. */
export interface ArtifactFileInfo {
  path: string;
  isDir: boolean;
  /** Bytes; absent for directories. */
  fileSize?: number;
}

export interface ArtifactBody {
  body: Readable;
  /** Total bytes of the object. */
  size: number;
}

export interface ArtifactPart {
  partNumber: number;
  etag: string;
}

/** A body to store: a Node stream, any async iterable of bytes, or bytes in memory (small files only). */
export type ArtifactInput = Readable | AsyncIterable<Uint8Array> | Uint8Array;

/**
 * Where artifact bytes live, addressed by relative paths under one root (MLflow's `--artifacts-destination`).
 * Two implementations: `LocalArtifactStore` (a directory) and `S3ArtifactStore` (a bucket and prefix); one
 * conformance suite (`artifacts/conformance/`) runs against both.
 *
 * Paths: every method first passes its path through `safeArtifactPath` (the rule is documented there: no `.`/`..`
 * or empty segments, no absolute or drive paths, no backslashes, control characters, `#`, `?` or `%XX` escapes), so
 * attacks are refused with `INVALID_PARAMETER_VALUE` (field `path`) before anything is touched. Paths are never
 * decoded here: the HTTP layer decodes a URL exactly once. The local store also refuses (400) any path that resolves
 * through a symlink to outside its root, and never follows one out of it.
 *
 * Directories are implicit, as on S3: they exist while they hold files; `put` creates them, deleting their last file
 * removes them. `''` is the root, always a directory.
 *
 * Streaming: `put` and `get` never hold a whole file in memory; a 2 GiB body passes through in bounded chunks.
 * Writes are atomic: a reader sees the old bytes or the new, never a partial file, and a failed or aborted upload
 * leaves nothing behind (and the previous version in place). An error of the body stream itself is re-thrown as is.
 *
 * Errors: a missing file → `RESOURCE_DOES_NOT_EXIST` (field `path`); a path that is a directory where a file is
 * expected (or the reverse, or a file below a file) → `INVALID_PARAMETER_VALUE` (field `path`); an unknown multipart
 * `uploadId` → `RESOURCE_DOES_NOT_EXIST` (field `upload_id`), a malformed one → `INVALID_PARAMETER_VALUE`; storage
 * that cannot be reached → `TEMPORARILY_UNAVAILABLE`.
 */
export interface ArtifactStore {
  /** The root as a URI, for display and for `root_uri` answers: `file:///…` or `s3://bucket/prefix`. */
  readonly rootUri: string;

  /** Stores `body` at `path`, replacing any file there; returns the bytes written. `signal` aborts and cleans up. */
  put(path: string, body: ArtifactInput, opts?: { signal?: AbortSignal }): Promise<{ size: number }>;

  /** Streams the file at `path`. */
  get(path: string): Promise<ArtifactBody>;

  /** What is at `path`: a file with its size, a directory, or nothing (`null`). `''` is the root, always a directory. */
  stat(path: string): Promise<{ isDir: boolean; size?: number } | null>;

  /**
   * The direct children of the directory `dir` (`''` for the root), sorted by path in UTF-8 byte order (as S3 lists
   * keys). A missing directory, or a path that is a file, lists as `[]` (as MLflow does).
   */
  list(dir: string): Promise<ArtifactFileInfo[]>;

  /**
   * Deletes the file at `path`, or the directory and everything under it (`''`: everything in the store). Deleting
   * nothing is not an error. Atomic for a single file; a directory disappears at once on the local store and key by
   * key on S3.
   */
  delete(path: string): Promise<void>;

  /** Starts a multipart upload of the file at `path`; parts are numbered from 1. */
  createMultipartUpload(path: string): Promise<{ uploadId: string }>;

  /**
   * Stores one part (any size; S3 requires ≥ 5 MiB for all but the last); uploading a part number again replaces it.
   * Returns the part's ETag (quoted, as S3 sends it). `opts.size` is the body's length when known: S3 needs it before
   * the first byte, so without it the S3 store spools the part to a temp file first. A part number outside 1–10000 →
   * `INVALID_PARAMETER_VALUE` (field `part_number`).
   */
  uploadPart(path: string, uploadId: string, partNumber: number, body: ArtifactInput, opts?: { size?: number }): Promise<{ etag: string }>;

  /**
   * Joins the listed parts, in part-number order (the list may come in any order), into the file at `path`, and
   * ends the upload. A part not uploaded, an ETag that does not match, or a part listed twice →
   * `INVALID_PARAMETER_VALUE` (field `parts`).
   */
  completeMultipartUpload(path: string, uploadId: string, parts: ArtifactPart[]): Promise<{ size: number }>;

  /** Discards an upload and its parts. Aborting an unknown upload is not an error. */
  abortMultipartUpload(path: string, uploadId: string): Promise<void>;

  /**
   * The real path on this machine of the file at `path`, when the store keeps its bytes on local disk (checked as
   * `get` checks: inside the root, no symlink out), so that readers needing a file (model runtimes, the GGUF
   * reader) can use it in place. `null` for remote stores (S3): copy the file out with `get` instead.
   * A missing file → RESOURCE_DOES_NOT_EXIST; a directory → INVALID_PARAMETER_VALUE.
   */
  localPath(path: string): Promise<string | null>;

  /** Releases clients and handles. */
  close(): Promise<void>;
}
