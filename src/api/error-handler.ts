import { storeRejectedInput, storeUnavailable } from '../store/unavailable.js';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode, httpStatusOf, isAppError } from '../core/errors/index.js';

/** The body every Pitwall and MLflow route answers errors with: MLflow's shape plus the field at fault. */
export interface ErrorBody {
  error_code: ErrorCode;
  message: string;
  field?: string;
}

interface AjvError {
  keyword?: string;
  instancePath?: string;
  params?: Record<string, unknown>;
  message?: string;
  parentSchema?: { description?: string };
  data?: unknown;
}

/** `/metrics/3/timestamp` → `metrics[3].timestamp`, the way the services name fields. */
function fieldOf(instancePath: string | undefined, missing: unknown): string {
  let field = '';
  for (const seg of (instancePath ?? '').split('/').filter(Boolean)) field += /^\d+$/.test(seg) ? `[${seg}]` : field ? `.${seg}` : seg;
  if (typeof missing === 'string') field += field ? `.${missing}` : missing;
  return field;
}

/**
 * A JSON-schema failure as MLflow words it, about the deepest field that failed (optional fields are unions with
 * null, so outer unions fail too). At that field Ajv lists each union branch's error, then the union's, whose
 * schema description says what was expected.
 */
function validationError(errors: AjvError[], context: string | undefined, cause: unknown): AppError {
  const withField = errors.map((e) => ({ e, field: fieldOf(e.instancePath, e.params?.missingProperty) }));
  const depth = (f: string) => f.split(/[.[]/).length;
  const deepest = withField.reduce((best, cur) => (depth(cur.field) >= depth(best.field) ? cur : best));
  const field = deepest.field || (context ?? 'request');
  if (deepest.e.keyword === 'required') {
    return new AppError('INVALID_PARAMETER_VALUE', `Missing value for required parameter '${field}'. See the API docs for more information about request parameters.`, { field, cause });
  }
  const atField = withField.filter((x) => x.field === deepest.field).map((x) => x.e);
  const described = atField.find((e) => e.parentSchema?.description && e.keyword === 'anyOf');
  const expected = (described?.parentSchema?.description ?? atField[0]?.message ?? 'a different type').replace(/^must be /, '');
  const data = atField[0]?.data;
  const shown = data === undefined ? '' : ` ${shortJson(data)}`;
  return new AppError('INVALID_PARAMETER_VALUE', `Invalid value${shown} for parameter '${field}' supplied: expected ${expected}`, { field, cause });
}

/** At most 100 characters of `data` as JSON; values too deep or odd to serialise are described, not thrown on. */
function shortJson(data: unknown): string {
  try {
    return (JSON.stringify(data) ?? String(data)).slice(0, 100);
  } catch {
    return Array.isArray(data) ? '[…]' : typeof data === 'object' ? '{…}' : String(data).slice(0, 100);
  }
}

/** Maps anything thrown into an AppError; unknown errors become INTERNAL_ERROR with a generic message. */
export function toAppError(err: unknown): AppError {
  if (isAppError(err)) return err;
  const fe = err as FastifyError & { validation?: AjvError[]; validationContext?: string };
  if (fe && Array.isArray(fe.validation) && fe.validation.length > 0) return validationError(fe.validation, fe.validationContext, err);
  switch (fe?.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('MALFORMED_REQUEST', `Malformed JSON request body: ${fe.message}`, { field: 'body', cause: err });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE', 'Request body is too large', { field: 'body', cause: err });
    case 'FST_ERR_BAD_URL':
      return new AppError('INVALID_PARAMETER_VALUE', `Malformed URL: ${fe.message}`, { field: 'path', cause: err });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('BAD_REQUEST', `Unsupported Content-Type: ${fe.message}`, { field: 'content-type', cause: err });
    default:
      break;
  }
  if (err instanceof SyntaxError) return new AppError('MALFORMED_REQUEST', `Malformed request: ${err.message}`, { field: 'body', cause: err });
  const status = typeof fe?.statusCode === 'number' ? fe.statusCode : 500;
  if (status >= 400 && status < 500) {
    const code: ErrorCode = status === 404 ? 'ENDPOINT_NOT_FOUND' : status === 405 ? 'METHOD_NOT_ALLOWED' : status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 429 ? 'REQUEST_LIMIT_EXCEEDED' : 'BAD_REQUEST';
    return new AppError(code, fe.message, { cause: err });
  }
  return storeUnavailable(err) ?? storeRejectedInput(err) ?? new AppError('INTERNAL_ERROR', 'Internal server error', { cause: err });
}

export function errorBody(e: AppError): ErrorBody {
  return e.field === undefined ? { error_code: e.code, message: e.message } : { error_code: e.code, message: e.message, field: e.field };
}

/** Installs the one error mapper. Routes throw; they never build error bodies themselves. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    const e = toAppError(err);
    const status = httpStatusOf(e.code);
    // 503 and 504 are the server protecting itself (store down, draining, deadlines), not faults to investigate.
    if (status >= 500 && status !== 503 && status !== 504) req.log.error({ err }, 'request failed');
    if (e.code === 'TEMPORARILY_UNAVAILABLE') void reply.header('retry-after', '2');
    if (e.code === 'REQUEST_LIMIT_EXCEEDED') void reply.header('retry-after', '1');
    void reply.status(status).type('application/json').send(errorBody(e));
  });
}

/**
 * Errors Node's HTTP parser raises before fastify routes anything (headers over the limit, broken request lines):
 * answered in the same `{error_code, message, field}` shape, then the connection is closed.
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: import('node:net').Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const body: ErrorBody = tooLarge
    ? { error_code: 'REQUEST_HEADERS_TOO_LARGE', message: 'Request headers (including the URL) exceed 16 KB; send long values in a POST body.', field: 'headers' }
    : { error_code: 'MALFORMED_REQUEST', message: `Malformed HTTP request: ${err.code ?? err.message}`, field: 'request' };
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}
