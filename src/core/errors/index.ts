export { ERROR_CODES, type ErrorCode, httpStatusOf } from './error-codes.js';
export { AppError, isAppError, invalidParam, notFound, alreadyExists } from './app-error.js';
