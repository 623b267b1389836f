import { randomUUID } from 'node:crypto';

/** A run id as MLflow makes it: a UUID4 as 32 lowercase hex characters. */
export function newRunId(): string {
  return randomUUID().replaceAll('-', '');
}

export function newUuid(): string {
  return randomUUID();
}

/**
 * A prediction id: a UUIDv7 (48 bits of epoch milliseconds, then random bits), so ids sort by time of arrival and
 * spread evenly over an index.
 */
export function newPredictionId(now = Date.now()): string {
  const r = randomUUID().replaceAll('-', '');
  const t = now.toString(16).padStart(12, '0');
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${r.slice(13, 16)}-${((parseInt(r[16]!, 16) & 0x3) | 0x8).toString(16)}${r.slice(17, 20)}-${r.slice(20, 32)}`;
}
