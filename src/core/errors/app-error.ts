import { type ErrorCode, httpStatusOf } from './error-codes.js';

/**
 * The one error type of the project. `message` is public (sent to the client); `cause` is for logs only.
 * `field` names the request field at fault, when there is one.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly field?: string;

  constructor(code: ErrorCode, message: string, options: { field?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    if (options.field !== undefined) this.field = options.field;
  }

  get httpStatus(): number {
    return httpStatusOf(this.code);
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

export const invalidParam = (message: string, field?: string): AppError =>
  new AppError('INVALID_PARAMETER_VALUE', message, field === undefined ? {} : { field });

export const notFound = (message: string, field?: string): AppError =>
  new AppError('RESOURCE_DOES_NOT_EXIST', message, field === undefined ? {} : { field });

export const alreadyExists = (message: string, field?: string): AppError =>
  new AppError('RESOURCE_ALREADY_EXISTS', message, field === undefined ? {} : { field });
