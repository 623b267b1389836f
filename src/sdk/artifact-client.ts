import { PitwallPathError } from './errors.js';
import type { DownloadOptions, ProgressCallback, UploadOptions } from './registry-options.js';
import type { ArtifactDownload, ArtifactFile, ArtifactListing } from './registry-types.js';
import { decodeArtifactFile } from './registry-wire.js';
import type { Transport } from './transport.js';

const PROXY = '/api/2.0/mlflow-artifacts/artifacts';

/** A body `upload` accepts: a Blob (browser `File` too), a web stream, or bytes in memory. */
export type UploadBody = Blob | ReadableStream<Uint8Array> | Uint8Array;

/**
 * The store path an `mlflow-artifacts:` URI names (`mlflow-artifacts:/1/abc/artifacts` → `1/abc/artifacts`,
 * also `mlflow-artifacts://host:port/…`). Throws a TypeError for any other scheme: the proxy only serves its own.
 */
export function storePathOf(uri: string): string {
  const m = /^mlflow-artifacts:(?:\/\/[^/]*)?(\/.*)?$/.exec(uri);
  if (!m) throw new TypeError(`'${uri}' is not an mlflow-artifacts: URI; the artifact proxy serves only those`);
  return (m[1] ?? '').replace(/^\/+/, '').replace(/\/+$/, '');
}

/** `a/b`, `c/d` → `a/b/c/d`, ignoring empty parts and stray slashes. */
export function joinArtifactPath(...parts: string[]): string {
  const segments = parts.flatMap((p) => p.split('/')).filter((s) => s !== '' && s !== '.');
  for (const seg of segments) {
    // `..` would be resolved by URL normalisation before the server could refuse it, landing somewhere else.
    // eslint-disable-next-line no-control-regex
    if (seg === '..' || /[\\\u0000-\u001f]/.test(seg)) throw new PitwallPathError(`Invalid artifact path '${parts.join('/')}': no '..' segments, backslashes or control characters`);
  }
  return segments.join('/');
}

/** The proxy URL path of a store path, each segment percent-encoded. */
export function artifactUrlPath(storePath: string): string {
  const p = joinArtifactPath(storePath);
  return `${PROXY}/${p.split('/').map(encodeURIComponent).join('/')}`;
}

/** Counts bytes as a stream is read; reports at most every 100 ms and once at the end. */
export function countingStream(body: ReadableStream<Uint8Array>, total: number | undefined, onProgress: ProgressCallback): ReadableStream<Uint8Array> {
  let done = 0;
  let last = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        done += chunk.byteLength;
        controller.enqueue(chunk);
        const now = Date.now();
        if (now - last >= 100) {
          last = now;
          onProgress(done, total);
        }
      },
      flush() {
        onProgress(done, total);
      },
    }),
  );
}

/**
 * The artifact store through the server's MLflow artifact proxy (`client.artifacts`). Paths are store paths
 * (`<experiment_id>/<run_id>/artifacts/<rel>` for a run; see `runPath`). Browser-safe: bodies are web streams.
 * Uploads and downloads have no overall deadline (only the answer's headers are timed on downloads); pass a `signal`.
 */
export class ArtifactClient {
  constructor(private readonly t: Transport) {}

  /** The absolute URL of a stored file, e.g. for a browser download link. */
  url(storePath: string): string {
    return this.t.cfg.baseUrl + artifactUrlPath(storePath);
  }

  /** The direct children of a store directory (`''` for the root); a missing directory lists as `[]`. */
  async list(dir = ''): Promise<ArtifactFile[]> {
    const d = joinArtifactPath(dir);
    const res = await this.t.json<{ files?: unknown[] }>('GET', PROXY, d === '' ? {} : { path: d });
    return (res.files ?? []).map((f) => decodeArtifactFile(f, d));
  }

  /** A run's artifacts below `path` (relative to the run's artifact root); `files[].path` are relative to it too. */
  async listRun(runId: string, path = ''): Promise<ArtifactListing> {
    const res = await this.t.json<{ root_uri?: string; files?: unknown[] }>('GET', '/api/2.0/mlflow/artifacts/list', { run_id: runId, path: path || undefined });
    return { rootUri: String(res.root_uri ?? ''), files: (res.files ?? []).map((f) => decodeArtifactFile(f)) };
  }

  /** A logged model's artifacts below `path`; `files[].path` relative to its artifact root. */
  async listLoggedModel(modelId: string, path = ''): Promise<ArtifactListing> {
    const res = await this.t.json<{ root_uri?: string; files?: unknown[] }>('GET', `/api/2.0/mlflow/logged-models/${encodeURIComponent(modelId)}/artifacts/directories`, {
      artifact_directory_path: path || undefined,
    });
    return { rootUri: String(res.root_uri ?? ''), files: (res.files ?? []).map((f) => decodeArtifactFile(f)) };
  }

  /** The store path of `rel` inside a run's artifacts (fetches the run for its artifact URI). */
  async runPath(runId: string, rel = ''): Promise<string> {
    const res = await this.t.json<{ run?: { info?: { artifact_uri?: string } } }>('GET', '/api/2.0/mlflow/runs/get', { run_id: runId });
    return joinArtifactPath(storePathOf(String(res.run?.info?.artifact_uri ?? '')), rel);
  }

  /** Streams a stored file. Throws `PitwallApiError` `RESOURCE_DOES_NOT_EXIST` when there is none. */
  async download(storePath: string, opts: DownloadOptions = {}): Promise<ArtifactDownload> {
    const res = await this.t.raw('GET', artifactUrlPath(storePath), { signal: opts.signal, headers: { accept: '*/*' } });
    const len = res.headers.get('content-length');
    const size = len !== null && /^\d+$/.test(len) ? Number(len) : undefined;
    const body = res.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });
    return { body, size, contentType: res.headers.get('content-type') ?? 'application/octet-stream' };
  }

  /** Stores `body` at `storePath`, replacing any file there. Streams are sent as they are read. */
  async upload(storePath: string, body: UploadBody, opts: UploadOptions = {}): Promise<void> {
    const isStream = typeof ReadableStream !== 'undefined' && body instanceof ReadableStream;
    const total = isStream ? opts.size : body instanceof Uint8Array ? body.byteLength : (body as Blob).size;
    let sent: BodyInit = body as BodyInit;
    if (isStream && opts.onProgress) sent = countingStream(body, total, opts.onProgress);
    await this.t.raw('PUT', artifactUrlPath(storePath), {
      body: sent,
      signal: opts.signal,
      timeoutMs: 0,
      headers: { 'content-type': opts.contentType ?? 'application/octet-stream', accept: 'application/json' },
    }).then((res) => res.body?.cancel());
    if (!isStream) opts.onProgress?.(total ?? 0, total);
  }

  /** Deletes a stored file, or a directory with everything under it. */
  async delete(storePath: string): Promise<void> {
    const res = await this.t.raw('DELETE', artifactUrlPath(storePath), { headers: { accept: 'application/json' } });
    await res.body?.cancel();
  }
}
