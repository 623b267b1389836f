import { Readable, Transform, type TransformCallback } from 'node:stream';
import type { ArtifactInput } from './artifact-store.js';

/** Any accepted body as a Node stream; bytes in memory become a one-chunk stream. */
export function toReadable(input: ArtifactInput): Readable {
  if (input instanceof Readable) return input;
  if (input instanceof Uint8Array) return Readable.from([Buffer.from(input.buffer, input.byteOffset, input.byteLength)], { objectMode: false });
  return Readable.from(input, { objectMode: false });
}

/** A pass-through that counts bytes (and optionally feeds a hash) as they flow. */
export class ByteCounter extends Transform {
  bytes = 0;

  constructor(private readonly onChunk?: (chunk: Buffer) => void) {
    super();
  }

  override _transform(chunk: Buffer | string, _enc: BufferEncoding, cb: TransformCallback): void {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.bytes += buf.length;
    this.onChunk?.(buf);
    cb(null, buf);
  }
}

/** True for the errors Node raises when an AbortSignal stops a pipeline. */
export function isAbortError(e: unknown): boolean {
  const err = e as { name?: string; code?: string };
  return err?.name === 'AbortError' || err?.code === 'ABORT_ERR';
}
