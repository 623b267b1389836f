import { AppError, invalidParam } from '../core/errors/index.js';

/** One-line factories for the errors the jobs module raises. */

export const jobNotFound = (id: string): AppError => new AppError('RESOURCE_DOES_NOT_EXIST', `Job '${id}' does not exist (finished jobs are kept for 7 days)`, { field: 'id' });

export const jobAlreadyFinished = (id: string, state: string): AppError =>
  new AppError('RESOURCE_CONFLICT', `Job '${id}' is already ${state} and can no longer be cancelled`, { field: 'id' });

export const invalidJobOption = (message: string, field: string): AppError => invalidParam(message, field);

export const queueNotStarted = (): AppError => new AppError('TEMPORARILY_UNAVAILABLE', 'The job queue is not running (it is starting or shutting down)');
