import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  artifactBasename,
  attachmentDisposition,
  guessMimeType,
  joinArtifactPath,
  safeArtifactPath,
  type ArtifactPart,
  type ArtifactStore,
} from '../../artifacts/index.js';
import { AppError, invalidParam } from '../../core/errors/index.js';

export interface ArtifactRouteOptions {
  /**
   * Base URL (`https://mlflow.example.com`) put in multipart credential URLs. Default: the request's protocol and
   * Host header (with fastify's `trustProxy`, the forwarded ones).
   */
  publicUrl?: string;
}

const BASES = ['/api/2.0/mlflow-artifacts', '/ajax-api/2.0/mlflow-artifacts'];
const TAGS = ['mlflow-artifacts'];
const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/u;

type Json = Record<string, unknown>;

/**
 * The artifact path a URL names: the raw URL after `prefix`, up to the query, percent-decoded exactly once, then
 * checked by `safeArtifactPath`. Read from the raw URL (not fastify's wildcard) so that a literal `#`, which the router
 * takes for a delimiter, is refused rather than cut off, and so that what is checked is exactly what is decoded.
 */
function urlPath(req: FastifyRequest, prefix: string): string {
  const raw = req.raw.url ?? '';
  const q = raw.indexOf('?');
  const target = q < 0 ? raw : raw.slice(0, q);
  if (target.includes('#')) throw invalidParam("Invalid path: '#' is not allowed", 'path');
  if (!target.startsWith(prefix)) throw invalidParam('Invalid path: the request URL could not be read', 'path');
  let decoded: string;
  try {
    decoded = decodeURIComponent(target.slice(prefix.length));
  } catch {
    throw invalidParam('Invalid path: malformed percent-encoding', 'path');
  }
  return safeArtifactPath(decoded, 'path');
}

function fileUrlPath(req: FastifyRequest, prefix: string, what: string): string {
  const rel = urlPath(req, prefix);
  if (rel === '') throw invalidParam(`Invalid path "": ${what}`, 'path');
  return rel;
}

const missing = (field: string) =>
  invalidParam(`Missing value for required parameter '${field}'. See the API docs for more information about request parameters.`, field);

function requiredString(v: unknown, field: string): string {
  if (v === undefined || v === null || v === '') throw missing(field);
  if (typeof v !== 'string') throw invalidParam(`Invalid value ${JSON.stringify(v)} for parameter '${field}' supplied: expected a string`, field);
  return v;
}

/** An integer given as a JSON number or a decimal string (protobuf JSON's int64), within [min, max]. */
function intParam(v: unknown, field: string, min: number, max: number): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+\s*$/u.test(v) ? Number(v) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw invalidParam(`Invalid value ${JSON.stringify(v)} for parameter '${field}' supplied: expected an integer from ${min} to ${max}`, field);
  }
  return n;
}

function jsonBody(req: FastifyRequest): Json {
  const b = req.body ?? {};
  if (typeof b !== 'object' || Array.isArray(b)) throw invalidParam('Request body must be a JSON object', 'body');
  return b as Json;
}

/**
 * The file a multipart call is about. As in MLflow (`S3ArtifactRepository.create_multipart_upload`), the URL names
 * the directory and the body's `path` is the client's local file, of which only the base name is used. Both `/` and
 * `\` separate directories there, since the client may run on Windows.
 */
function mpuTarget(dir: string, localFile: unknown): string {
  const file = requiredString(localFile, 'path');
  const base = file.split(/[\\/]/u).filter((s) => s !== '').pop();
  if (base === undefined) throw invalidParam(`Invalid path ${JSON.stringify(file)}: no file name in it`, 'path');
  return safeArtifactPath(joinArtifactPath(dir, base), 'path');
}

function publicBase(req: FastifyRequest, opts: ArtifactRouteOptions): string {
  if (opts.publicUrl) return opts.publicUrl.replace(/\/+$/u, '');
  const host = req.host;
  if (!host || !HOST.test(host)) throw invalidParam('Cannot build upload URLs: the Host header is missing or malformed', 'host');
  return `${req.protocol}://${host}`;
}

const encodePath = (rel: string): string => rel.split('/').map(encodeURIComponent).join('/');

/** The request body stream, or an empty body when the request had none. */
function bodyOf(req: FastifyRequest): Readable | Uint8Array {
  return (req.body as Readable | undefined) ?? new Uint8Array(0);
}

/** A body stream that broke because the client went away is the client's failure, not a 500. */
function interrupted(req: FastifyRequest, e: unknown): unknown {
  if (req.raw.aborted || (req.raw.destroyed && !req.raw.complete)) {
    return new AppError('BAD_REQUEST', 'The request body ended before Content-Length bytes arrived (client disconnected)', { field: 'body', cause: e });
  }
  return e;
}

const sendJson = (reply: FastifyReply, out: Json) => reply.type('application/json').send(out);

/**
 * MLflow's artifact proxy (`MlflowArtifactsService`) at `/api/2.0/mlflow-artifacts/...` and `/ajax-api/2.0/...`:
 * upload, download, list and delete artifacts, and multipart uploads whose part URLs point back at this server
 * (`PUT .../mpu/upload-part/<path>?upload_id=…&part_number=…`, answering the part's `ETag` header as S3 does), so
 * clients never need to reach the storage behind it. Uploads are streamed: the PUT routes live in an encapsulated
 * context whose only content-type parser hands the raw request stream to the handler, so neither the JSON parser nor
 * `bodyLimit` applies to them; every other route keeps the app's JSON parsing.
 */
export function registerArtifactRoutes(app: FastifyInstance, store: ArtifactStore, opts: ArtifactRouteOptions = {}): void {
  void app.register(async (raw) => {
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    for (const base of BASES) {
      const hide = base.startsWith('/ajax-api');
      raw.put(`${base}/artifacts/*`, { schema: { summary: 'Upload an artifact (raw body, streamed)', tags: TAGS, hide } }, async (req, reply) => {
        const rel = fileUrlPath(req, `${base}/artifacts/`, 'the path must name a file');
        try {
          await store.put(rel, bodyOf(req));
        } catch (e) {
          throw interrupted(req, e);
        }
        return sendJson(reply, {});
      });
      raw.put(`${base}/mpu/upload-part/*`, { schema: { summary: 'Upload one part of a multipart upload (Pitwall: the credential URL)', tags: TAGS, hide } }, async (req, reply) => {
        const rel = fileUrlPath(req, `${base}/mpu/upload-part/`, 'the path must name a file');
        const q = (req.query ?? {}) as Json;
        const uploadId = requiredString(q.upload_id, 'upload_id');
        const partNumber = intParam(q.part_number ?? missingPart(), 'part_number', 1, 10_000);
        const length = Number(req.headers['content-length']);
        const sized = req.headers['transfer-encoding'] === undefined && Number.isSafeInteger(length) && length >= 0;
        let etag: string;
        try {
          ({ etag } = await store.uploadPart(rel, uploadId, partNumber, bodyOf(req), sized ? { size: length } : {}));
        } catch (e) {
          throw interrupted(req, e);
        }
        return sendJson(reply.header('ETag', etag), {});
      });
    }
  });

  for (const base of BASES) {
    const hide = base.startsWith('/ajax-api');
    app.get(`${base}/artifacts/*`, { exposeHeadRoute: false, schema: { summary: 'Download an artifact', tags: TAGS, hide } }, async (req, reply) => {
      const rel = urlPath(req, `${base}/artifacts/`);
      const { body, size } = await store.get(rel);
      const name = artifactBasename(rel);
      return reply
        .header('Content-Type', guessMimeType(name))
        .header('Content-Length', String(size))
        .header('Content-Disposition', attachmentDisposition(name))
        .header('X-Content-Type-Options', 'nosniff')
        .send(body);
    });
    app.head(`${base}/artifacts/*`, { schema: { hide: true } }, async (req, reply) => {
      const rel = urlPath(req, `${base}/artifacts/`);
      const st = await store.stat(rel);
      if (!st) throw new AppError('RESOURCE_DOES_NOT_EXIST', `No artifact at '${rel}'`, { field: 'path' });
      if (st.isDir) throw invalidParam(`'${rel}' is a directory, not a file`, 'path');
      const name = artifactBasename(rel);
      return reply
        .header('Content-Type', guessMimeType(name))
        .header('Content-Length', String(st.size ?? 0))
        .header('Content-Disposition', attachmentDisposition(name))
        .header('X-Content-Type-Options', 'nosniff')
        .send();
    });
    app.get(`${base}/artifacts`, { schema: { summary: 'List the artifacts in a directory (?path=)', tags: TAGS, hide } }, async (req, reply) => {
      const q = (req.query ?? {}) as Json;
      if (Array.isArray(q.path)) throw invalidParam("Parameter 'path' must be given once", 'path');
      const rel = safeArtifactPath(q.path ?? '', 'path');
      const files = await store.list(rel);
      // As MLflow's `_list_artifacts_mlflow_artifacts`: base names, `file_size` only for files, `{}` when empty.
      const out = files.map((f) => (f.isDir ? { path: artifactBasename(f.path), is_dir: true } : { path: artifactBasename(f.path), is_dir: false, file_size: f.fileSize ?? 0 }));
      return sendJson(reply, out.length > 0 ? { files: out } : {});
    });
    app.delete(`${base}/artifacts/*`, { schema: { summary: 'Delete an artifact or a directory of artifacts', tags: TAGS, hide } }, async (req, reply) => {
      const rel = fileUrlPath(req, `${base}/artifacts/`, 'refusing to delete the whole artifact root');
      await store.delete(rel);
      return sendJson(reply, {});
    });

    app.post(`${base}/mpu/create/*`, { schema: { summary: 'Start a multipart upload', tags: TAGS, hide } }, async (req, reply) => {
      const body = jsonBody(req);
      const target = mpuTarget(urlPath(req, `${base}/mpu/create/`), body.path);
      const numParts = body.num_parts === undefined || body.num_parts === null ? 1 : intParam(body.num_parts, 'num_parts', 1, 10_000);
      const origin = publicBase(req, opts);
      const { uploadId } = await store.createMultipartUpload(target);
      const partUrl = `${origin}${base}/mpu/upload-part/${encodePath(target)}?upload_id=${encodeURIComponent(uploadId)}&part_number=`;
      const credentials = Array.from({ length: numParts }, (_, i) => ({ url: `${partUrl}${i + 1}`, part_number: i + 1, headers: {} }));
      return sendJson(reply, { upload_id: uploadId, credentials });
    });
    app.post(`${base}/mpu/complete/*`, { schema: { summary: 'Complete a multipart upload', tags: TAGS, hide } }, async (req, reply) => {
      const body = jsonBody(req);
      const target = mpuTarget(urlPath(req, `${base}/mpu/complete/`), body.path);
      const uploadId = requiredString(body.upload_id, 'upload_id');
      if (body.parts === undefined || body.parts === null) throw missing('parts');
      if (!Array.isArray(body.parts)) throw invalidParam('Invalid parts: expected a list of {part_number, etag}', 'parts');
      const parts: ArtifactPart[] = body.parts.map((p: unknown, i: number) => {
        const part = (p ?? {}) as Json;
        return { partNumber: intParam(part.part_number, `parts[${i}].part_number`, 1, 10_000), etag: requiredString(part.etag, `parts[${i}].etag`) };
      });
      await store.completeMultipartUpload(target, uploadId, parts);
      return sendJson(reply, {});
    });
    app.post(`${base}/mpu/abort/*`, { schema: { summary: 'Abort a multipart upload', tags: TAGS, hide } }, async (req, reply) => {
      const body = jsonBody(req);
      const target = mpuTarget(urlPath(req, `${base}/mpu/abort/`), body.path);
      await store.abortMultipartUpload(target, requiredString(body.upload_id, 'upload_id'));
      return sendJson(reply, {});
    });
  }
}

function missingPart(): never {
  throw missing('part_number');
}
