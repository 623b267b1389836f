import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode, httpStatusOf, isAppError } from '../core/errors/index.js';

/** The body every Pitwall and MLflow route answers errors with: MLflow's shape plus the field at fault. */
export interface ErrorBody {
  error_code: ErrorCode;
  message: string;
  field?: string;
}

/** Maps anything thrown into an AppError; unknown errors become INTERNAL_ERROR with a generic message. */
export function toAppError(err: unknown): AppError {
  if (isAppError(err)) return err;
  const fe = err as FastifyError & { validation?: Array<{ instancePath?: string; params?: Record<string, unknown>; message?: string }>; validationContext?: string };
  if (fe && Array.isArray(fe.validation) && fe.validation.length > 0) {
    const v = fe.validation[0]!;
    const missing = v.params?.missingProperty;
    const field = [String(v.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.'), typeof missing === 'string' ? missing : '']
      .filter(Boolean)
      .join('.') || (fe.validationContext ?? 'request');
    return new AppError('INVALID_PARAMETER_VALUE', `Invalid value for parameter '${field}': ${v.message ?? 'invalid'}`, { field, cause: err });
  }
  switch (fe?.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('MALFORMED_REQUEST', `Malformed JSON request body: ${fe.message}`, { field: 'body', cause: err });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE', 'Request body is too large', { field: 'body', cause: err });
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
  return new AppError('INTERNAL_ERROR', 'Internal server error', { cause: err });
}

export function errorBody(e: AppError): ErrorBody {
  return e.field === undefined ? { error_code: e.code, message: e.message } : { error_code: e.code, message: e.message, field: e.field };
}

/** Installs the one error mapper. Routes throw; they never build error bodies themselves. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    const e = toAppError(err);
    const status = httpStatusOf(e.code);
    if (status >= 500) req.log.error({ err }, 'request failed');
    void reply.status(status).type('application/json').send(errorBody(e));
  });
}
