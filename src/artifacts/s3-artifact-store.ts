import { mkdtemp, rm } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline, type Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  S3Client,
  UploadPartCommand,
  type ListObjectsV2CommandOutput,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { ArtifactBody, ArtifactFileInfo, ArtifactInput, ArtifactPart, ArtifactStore } from './artifact-store.js';
import { ByteCounter, toReadable } from './body.js';
import {
  artifactNotFound,
  checkPartNumber,
  invalidArtifactsUri,
  invalidUploadId,
  isADirectory,
  parentIsAFile,
  pathRequired,
  sortParts,
} from './errors.js';
import { writeFileSynced } from './local-fs.js';
import { isNoSuchUpload, isS3NotFound, s3Call } from './s3-errors.js';
import { compareArtifactPaths, joinArtifactPath, safeArtifactPath } from './safe-path.js';

/** How to reach S3 (or an S3-compatible server). Credentials default to the AWS SDK's provider chain. */
export interface S3Options {
  /** `MLFLOW_S3_ENDPOINT_URL` / `AWS_ENDPOINT_URL`; when set, path-style addressing is used (MinIO, moto, Ceph). */
  endpointUrl?: string | undefined;
  /** Default `us-east-1`. */
  region?: string | undefined;
  /** Default: true when `endpointUrl` is set. */
  forcePathStyle?: boolean | undefined;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined;
  /** Where `uploadPart` spools a body of unknown length (S3 needs each part's length up front). Default: the OS temp dir. */
  spoolDir?: string | undefined;
  /**
   * `put` part size in bytes (default and minimum 5 MiB). `put` holds about `partSize × (3 + 2)` bytes in memory
   * (3 parts in flight, the next one filling, and its concatenation; measured 25–36 MiB at the default), and, since
   * the body's length is not known up front, 10,000 parts cap what one `put` can store (about 48 GiB at the default;
   * larger files go through multipart uploads, as MLflow clients send them anyway).
   */
  partSize?: number | undefined;
  /** Keys per ListObjectsV2 page and per DeleteObjects call (default and maximum 1000; tests lower it to exercise
   * paging without thousands of objects). */
  pageSize?: number | undefined;
}

const BUCKET = /^[a-z0-9][a-z0-9.\-_]{1,254}$/iu;
/** Parts `put` uploads at once (see `S3Options.partSize` for the memory this costs). */
const QUEUE_SIZE = 3;

/** `s3://bucket/prefix` → bucket and a safe prefix without slashes at either end. */
export function parseS3Uri(uri: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/?#]+)(?:\/(.*))?$/u.exec(uri);
  if (!m) throw invalidArtifactsUri(uri, 'expected s3://bucket/prefix');
  const bucket = m[1]!;
  if (!BUCKET.test(bucket)) throw invalidArtifactsUri(uri, `'${bucket}' is not a valid bucket name`);
  let prefix: string;
  try {
    prefix = safeArtifactPath(m[2] ?? '', 'artifacts.uri');
  } catch (e) {
    throw invalidArtifactsUri(uri, `bad prefix (${(e as Error).message})`);
  }
  return { bucket, prefix };
}

/**
 * Artifacts in an S3 bucket under a prefix (MLflow's layout: the artifact path is the key below the prefix).
 * `put` streams through `@aws-sdk/lib-storage` (unknown length is fine; a few parts are buffered, see `partSize`),
 * `get` streams GetObject, listings use ListObjectsV2 with `Delimiter: '/'` and follow pagination, directory deletes
 * list the prefix and call DeleteObjects in batches of up to 1000 (one per listed page). Multipart calls map one to one onto S3's.
 *
 * S3 has no directories; to behave like the local store, `put` refuses a key that is a "directory" (has keys below
 * it) or that lies below a key that is a file, and `get` of a directory is a 400, not a 404.
 */
export class S3ArtifactStore implements ArtifactStore {
  readonly rootUri: string;
  private readonly client: S3Client;
  private readonly partSize: number;
  private readonly pageSize: number;

  constructor(
    readonly bucket: string,
    readonly prefix: string,
    private readonly opts: S3Options = {},
  ) {
    this.rootUri = prefix ? `s3://${bucket}/${prefix}` : `s3://${bucket}`;
    this.partSize = Math.max(5 * 1024 * 1024, opts.partSize ?? 5 * 1024 * 1024);
    this.pageSize = Math.min(1000, Math.max(1, opts.pageSize ?? 1000));
    this.client = new S3Client({
      region: opts.region ?? 'us-east-1',
      ...(opts.endpointUrl ? { endpoint: opts.endpointUrl } : {}),
      forcePathStyle: opts.forcePathStyle ?? Boolean(opts.endpointUrl),
      ...(opts.credentials ? { credentials: opts.credentials } : {}),
      // Checksums only where S3 requires them: S3-compatible servers (MinIO, Ceph, moto) differ in what else they take.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  static fromUri(uri: string, opts: S3Options = {}): S3ArtifactStore {
    const { bucket, prefix } = parseS3Uri(uri);
    return new S3ArtifactStore(bucket, prefix, opts);
  }

  private key(rel: string): string {
    return joinArtifactPath(this.prefix, rel);
  }

  /** The key prefix of everything inside the directory `rel`. */
  private dirPrefix(rel: string): string {
    const k = this.key(rel);
    return k === '' ? '' : `${k}/`;
  }

  private fileRel(raw: string): string {
    const rel = safeArtifactPath(raw);
    if (rel === '') throw pathRequired();
    return rel;
  }

  private async isDir(rel: string): Promise<boolean> {
    const out = await s3Call('list', () => this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.dirPrefix(rel), MaxKeys: 1 })));
    return (out.KeyCount ?? out.Contents?.length ?? 0) > 0;
  }

  private async isFile(rel: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.key(rel) }));
      return true;
    } catch (e) {
      if (isS3NotFound(e)) return false;
      return s3Call('head', () => Promise.reject(e));
    }
  }

  /** Refuses `rel` when it is a directory or lies below a file (checked in parallel, before any byte is sent). */
  private async checkWritable(rel: string): Promise<void> {
    const segs = rel.split('/');
    const ancestors = segs.slice(0, -1).map((_, i) => segs.slice(0, i + 1).join('/'));
    const [dir, ...files] = await Promise.all([this.isDir(rel), ...ancestors.map((a) => this.isFile(a))]);
    if (dir) throw isADirectory(rel);
    if (files.some(Boolean)) throw parentIsAFile(rel);
  }

  async put(p: string, body: ArtifactInput, opts: { signal?: AbortSignal } = {}): Promise<{ size: number }> {
    const rel = this.fileRel(p);
    await this.checkWritable(rel);
    opts.signal?.throwIfAborted();
    const src = toReadable(body);
    // The counter sits between the caller's stream and the uploader; a failure of the body itself (a client that
    // disconnects) is re-thrown as is, not as a storage error.
    let bodyError: unknown;
    const counter = new ByteCounter();
    pipeline(src, counter, (err) => {
      if (err) bodyError ??= err;
    });
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: this.key(rel), Body: counter },
      partSize: this.partSize,
      queueSize: QUEUE_SIZE,
      leavePartsOnError: false,
    });
    const onAbort = () => void upload.abort().catch(() => undefined);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await s3Call('upload', () => upload.done());
    } catch (e) {
      src.destroy();
      counter.destroy();
      if (opts.signal?.aborted) throw opts.signal.reason ?? e;
      throw bodyError ?? e;
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
    }
    if (bodyError) throw bodyError;
    return { size: counter.bytes };
  }

  async get(p: string): Promise<ArtifactBody> {
    const rel = safeArtifactPath(p);
    if (rel === '') throw isADirectory('');
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(rel) }));
      return { body: out.Body as Readable, size: out.ContentLength ?? 0 };
    } catch (e) {
      if (!isS3NotFound(e)) return s3Call('get', () => Promise.reject(e));
      if (await this.isDir(rel)) throw isADirectory(rel);
      throw artifactNotFound(rel);
    }
  }

  /** S3 objects have no local path; callers copy them out with `get`. */
  async localPath(p: string): Promise<string | null> {
    safeArtifactPath(p);
    return null;
  }

  async stat(p: string): Promise<{ isDir: boolean; size?: number } | null> {
    const rel = safeArtifactPath(p);
    if (rel === '') return { isDir: true };
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.key(rel) }));
      return { isDir: false, size: out.ContentLength ?? 0 };
    } catch (e) {
      if (!isS3NotFound(e)) return s3Call('head', () => Promise.reject(e));
    }
    return (await this.isDir(rel)) ? { isDir: true } : null;
  }

  /** Every page of a listing under `prefix` (with `/` as delimiter when `delimited`). */
  private async *pages(prefix: string, delimited: boolean): AsyncGenerator<ListObjectsV2CommandOutput> {
    let token: string | undefined;
    do {
      const page = await s3Call('list', () =>
        this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: prefix,
            MaxKeys: this.pageSize,
            ...(delimited ? { Delimiter: '/' } : {}),
            ...(token ? { ContinuationToken: token } : {}),
          }),
        ),
      );
      yield page;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async list(dir: string): Promise<ArtifactFileInfo[]> {
    const rel = safeArtifactPath(dir);
    const prefix = this.dirPrefix(rel);
    const out: ArtifactFileInfo[] = [];
    const entry = (name: string): string | null => {
      if (name === '') return null; // a "directory marker" object, or a key with '//' in it
      try {
        return safeArtifactPath(joinArtifactPath(rel, name));
      } catch {
        return null; // a key written by another tool that no client could ask for again
      }
    };
    for await (const page of this.pages(prefix, true)) {
      for (const cp of page.CommonPrefixes ?? []) {
        const p = entry((cp.Prefix ?? '').slice(prefix.length, -1));
        if (p !== null) out.push({ path: p, isDir: true });
      }
      for (const obj of page.Contents ?? []) {
        const p = entry((obj.Key ?? '').slice(prefix.length));
        if (p !== null) out.push({ path: p, isDir: false, fileSize: obj.Size ?? 0 });
      }
    }
    return out.sort((a, b) => compareArtifactPaths(a.path, b.path));
  }

  async delete(p: string): Promise<void> {
    const rel = safeArtifactPath(p);
    if (rel !== '') await this.deleteKeys([this.key(rel)]);
    for await (const page of this.pages(this.dirPrefix(rel), false)) {
      const keys = (page.Contents ?? []).map((o) => o.Key).filter((k): k is string => typeof k === 'string');
      await this.deleteKeys(keys);
    }
  }

  private async deleteKeys(keys: string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += this.pageSize) {
      const batch = keys.slice(i, i + this.pageSize);
      const out = await s3Call('delete', () =>
        this.client.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } })),
      );
      const failed = (out.Errors ?? []).filter((e) => e.Code !== 'NoSuchKey');
      if (failed.length > 0) throw new Error(`S3 DeleteObjects failed for ${failed.length} keys, first: ${failed[0]?.Key} ${failed[0]?.Code} ${failed[0]?.Message}`);
    }
  }

  // ---- multipart ----

  private checkUploadId(uploadId: string): string {
    if (typeof uploadId !== 'string' || uploadId === '' || uploadId.length > 1024 || /[\u0000-\u001f\u007f]/u.test(uploadId)) throw invalidUploadId();
    return uploadId;
  }

  async createMultipartUpload(p: string): Promise<{ uploadId: string }> {
    const rel = this.fileRel(p);
    await this.checkWritable(rel);
    const out = await s3Call('create multipart upload', () => this.client.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: this.key(rel) })));
    if (!out.UploadId) throw new Error('S3 CreateMultipartUpload returned no UploadId');
    return { uploadId: out.UploadId };
  }

  /**
   * Fails with 404 `upload_id` unless the upload exists: before a part is streamed (no point sending 100 MB to a
   * finished upload) and because some S3-compatible servers (moto) answer an unknown id on UploadPart or
   * CompleteMultipartUpload with a 500 instead of `NoSuchUpload`.
   */
  private async checkUploadExists(rel: string, id: string): Promise<void> {
    await s3Call('list parts', () => this.client.send(new ListPartsCommand({ Bucket: this.bucket, Key: this.key(rel), UploadId: id, MaxParts: 1 })), id);
  }

  async uploadPart(p: string, uploadId: string, partNumber: number, body: ArtifactInput, opts: { size?: number } = {}): Promise<{ etag: string }> {
    const rel = this.fileRel(p);
    const n = checkPartNumber(partNumber);
    const id = this.checkUploadId(uploadId);
    await this.checkUploadExists(rel, id);
    const send = (Body: Readable | Uint8Array, ContentLength: number) =>
      s3Call('upload part', () => this.client.send(new UploadPartCommand({ Bucket: this.bucket, Key: this.key(rel), UploadId: id, PartNumber: n, Body, ContentLength })), id);
    let out;
    if (body instanceof Uint8Array) {
      out = await send(body, body.byteLength);
    } else if (opts.size !== undefined) {
      out = await send(toReadable(body), opts.size);
    } else {
      // S3 needs the part's length before the first byte: spool a body of unknown length to disk first.
      const dir = await mkdtemp(path.join(this.opts.spoolDir ?? os.tmpdir(), 'pitwall-part-'));
      try {
        const file = path.join(dir, 'part');
        const size = await writeFileSynced(file, toReadable(body));
        out = await send(createReadStream(file), size);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }
    if (!out.ETag) throw new Error('S3 UploadPart returned no ETag');
    return { etag: out.ETag };
  }

  async completeMultipartUpload(p: string, uploadId: string, parts: ArtifactPart[]): Promise<{ size: number }> {
    const rel = this.fileRel(p);
    const id = this.checkUploadId(uploadId);
    const sorted = sortParts(parts);
    await this.checkUploadExists(rel, id);
    await s3Call(
      'complete multipart upload',
      () =>
        this.client.send(
          new CompleteMultipartUploadCommand({
            Bucket: this.bucket,
            Key: this.key(rel),
            UploadId: id,
            MultipartUpload: { Parts: sorted.map((x) => ({ PartNumber: x.partNumber, ETag: x.etag })) },
          }),
        ),
      id,
    );
    const head = await s3Call('head', () => this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.key(rel) })));
    return { size: head.ContentLength ?? 0 };
  }

  async abortMultipartUpload(p: string, uploadId: string): Promise<void> {
    const rel = this.fileRel(p);
    const id = this.checkUploadId(uploadId);
    try {
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: this.key(rel), UploadId: id }));
    } catch (e) {
      if (isNoSuchUpload(e) || isS3NotFound(e)) return;
      await s3Call('abort multipart upload', () => Promise.reject(e));
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
