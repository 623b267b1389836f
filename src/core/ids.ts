import { randomUUID } from 'node:crypto';

/** A run id as MLflow makes it: a UUID4 as 32 lowercase hex characters. */
export function newRunId(): string {
  return randomUUID().replaceAll('-', '');
}

export function newUuid(): string {
  return randomUUID();
}
