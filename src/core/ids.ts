import { randomUUID } from 'node:crypto';

/** A run id as MLflow makes it: a UUID4 as 32 lowercase hex characters. */
export function newRunId(): string {
  return randomUUID().replaceAll('-', '');
}

export function newUuid(): string {
  return randomUUID();
}

let lastMs = -1;
let seq = 0;

/**
 * A prediction id: a UUIDv7 (48 bits of epoch milliseconds, then random bits), so ids sort by time of arrival and
 * spread evenly over an index. Ids made in the same millisecond count up in their 12 `rand_a` bits (RFC 9562,
 * method 3, from a random start), so within a process they also sort in the order they were made.
 */
export function newPredictionId(now = Date.now()): string {
  const r = randomUUID().replaceAll('-', '');
  if (now === lastMs && seq < 0xfff) seq++;
  else {
    lastMs = now;
    seq = parseInt(r.slice(13, 16), 16) & 0x7ff;
  }
  const t = now.toString(16).padStart(12, '0');
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${seq.toString(16).padStart(3, '0')}-${((parseInt(r[16]!, 16) & 0x3) | 0x8).toString(16)}${r.slice(17, 20)}-${r.slice(20, 32)}`;
}
