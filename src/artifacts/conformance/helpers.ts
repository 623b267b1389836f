import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { isAppError } from '../../core/errors/index.js';
import type { ArtifactStore } from '../artifact-store.js';

export const MiB = 1024 * 1024;

/** The whole body of a small artifact (tests only do this for bodies of a few MiB at most). */
export async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

export async function getText(store: ArtifactStore, p: string): Promise<string> {
  return (await readAll((await store.get(p)).body)).toString('utf8');
}

/** SHA-256 and length of a stream, chunk by chunk (never holding the body). */
export async function hashStream(body: Readable | AsyncIterable<Uint8Array>): Promise<{ sha256: string; bytes: number; chunks: number }> {
  const h = createHash('sha256');
  let bytes = 0;
  let chunks = 0;
  for await (const c of body) {
    const buf = c as Uint8Array;
    h.update(buf);
    bytes += buf.byteLength;
    chunks++;
  }
  return { sha256: h.digest('hex'), bytes, chunks };
}

export const md5Hex = (b: Uint8Array): string => createHash('md5').update(b).digest('hex');
export const sha256Hex = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/**
 * A body of `total` random bytes generated on the fly in `chunk`-sized pieces; `digest()` is the SHA-256 of what was
 * produced (valid once the generator is exhausted). Nothing is kept: each chunk is garbage once consumed.
 */
export function generatedBody(total: number, chunk = MiB): { body: AsyncGenerator<Buffer>; digest(): string; produced(): number } {
  const h = createHash('sha256');
  let produced = 0;
  async function* gen(): AsyncGenerator<Buffer> {
    while (produced < total) {
      const n = Math.min(chunk, total - produced);
      const buf = randomBytes(n);
      h.update(buf);
      produced += n;
      yield buf;
    }
  }
  let digest: string | undefined;
  return { body: gen(), digest: () => (digest ??= h.digest('hex')), produced: () => produced };
}

/** `global.gc`, enabled at run time (the test runner does not pass `--expose-gc`). */
function forceGc(): () => void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  v8.setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/**
 * The peak of live Buffer memory (`arrayBuffers`, after a forced GC at each sample, so garbage does not count) above
 * its level before `fn` started, sampled every `ms` while `fn` runs. A store that collected a body before writing it,
 * or read a whole file before returning it, shows the body's full size here; a streaming one shows a few chunks.
 */
export async function peakGrowth<T>(fn: () => Promise<T>, ms = 50): Promise<{ result: T; peak: number }> {
  const gc = forceGc();
  gc();
  const base = process.memoryUsage().arrayBuffers;
  let peak = 0;
  const sample = () => {
    gc();
    peak = Math.max(peak, process.memoryUsage().arrayBuffers - base);
  };
  const timer = setInterval(sample, ms);
  try {
    const result = await fn();
    sample();
    return { result, peak };
  } finally {
    clearInterval(timer);
  }
}

/** Asserts that `p` rejects with an AppError of `code` naming `field`. */
export async function rejectsWith(p: Promise<unknown>, code: string, field?: string, note = ''): Promise<void> {
  let err: unknown;
  try {
    await p;
  } catch (e) {
    err = e;
  }
  assert.ok(err !== undefined, `expected ${code} but the call succeeded ${note}`);
  assert.ok(isAppError(err), `expected an AppError ${code}, got ${String((err as Error)?.stack ?? err)} ${note}`);
  assert.equal(err.code, code, `${err.message} ${note}`);
  assert.ok(err.message.length > 0);
  if (field !== undefined) assert.equal(err.field, field, `${err.message} ${note}`);
}

/** Every entry of the store, recursively, as `path|dir` or `path|size` lines, sorted. */
export async function snapshot(store: ArtifactStore, dir = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await store.list(dir)) {
    if (e.isDir) {
      out.push(`${e.path}|dir`);
      out.push(...(await snapshot(store, e.path)));
    } else {
      out.push(`${e.path}|${e.fileSize}`);
    }
  }
  return out.sort();
}

/** A body that yields `good` bytes, then fails as a dropped connection would. */
export async function* failingBody(good: Buffer): AsyncGenerator<Buffer> {
  yield good;
  await new Promise((r) => setTimeout(r, 5));
  throw Object.assign(new Error('connection reset by test'), { code: 'ECONNRESET' });
}
