import { open, type FileHandle } from 'node:fs/promises';

/**
 * Forward reading of a file through a bounded window, for headers of files too large to load (GGUF files run
 * to many GB). Callers `await need(n)` (or test `has(n)`) and then read up to n bytes synchronously; `skip` and
 * `seek` move without reading. A request past the end of the file calls `fail`, so every length a parser takes
 * from the file is bounded by the file's real size.
 */
export class FileCursor {
  private static readonly WINDOW = 256 * 1024;

  private buf: Buffer = Buffer.alloc(0);
  /** File offset of buf[0] and of the end of the valid bytes in buf. */
  private bufStart = 0;
  private bufEnd = 0;
  private pos = 0;

  private constructor(
    private readonly fh: FileHandle,
    readonly size: number,
    private readonly fail: (why: string) => Error,
  ) {}

  static async open(path: string, fail: (why: string) => Error): Promise<FileCursor> {
    const fh = await open(path, 'r');
    try {
      const { size } = await fh.stat();
      return new FileCursor(fh, size, fail);
    } catch (e) {
      await fh.close();
      throw e;
    }
  }

  async close(): Promise<void> {
    await this.fh.close();
  }

  get position(): number {
    return this.pos;
  }

  get remaining(): number {
    return this.size - this.pos;
  }

  /** True when n bytes from the position are already in memory. */
  has(n: number): boolean {
    return this.pos >= this.bufStart && this.pos + n <= this.bufEnd;
  }

  /** Makes n bytes from the position readable; fails (as truncation) if the file ends first. */
  async need(n: number, what = 'data'): Promise<void> {
    if (n > this.size - this.pos) {
      throw this.fail(`truncated: ${what} needs ${n} bytes at offset ${this.pos}, the file ends at ${this.size}`);
    }
    if (this.has(n)) return;
    if (this.buf.length < n) this.buf = Buffer.alloc(Math.max(n, FileCursor.WINDOW));
    else if (this.buf.length < FileCursor.WINDOW) this.buf = Buffer.alloc(FileCursor.WINDOW);
    const want = Math.min(this.buf.length, this.size - this.pos);
    let got = 0;
    while (got < n) {
      const { bytesRead } = await this.fh.read(this.buf, got, want - got, this.pos + got);
      if (bytesRead === 0) throw this.fail(`truncated: the file ended at offset ${this.pos + got} while being read`);
      got += bytesRead;
    }
    this.bufStart = this.pos;
    this.bufEnd = this.pos + got;
  }

  skip(n: number, what = 'data'): void {
    if (n > this.size - this.pos) {
      throw this.fail(`truncated: ${what} of ${n} bytes at offset ${this.pos} runs past the end (${this.size})`);
    }
    this.pos += n;
  }

  seek(offset: number): void {
    if (offset < 0 || offset > this.size) throw this.fail(`offset ${offset} is outside the file`);
    this.pos = offset;
  }

  // Synchronous reads: valid only after need(n) covering them.
  u8(): number {
    return this.buf.readUInt8(this.take(1));
  }
  u16(): number {
    return this.buf.readUInt16LE(this.take(2));
  }
  i16(): number {
    return this.buf.readInt16LE(this.take(2));
  }
  u32(): number {
    return this.buf.readUInt32LE(this.take(4));
  }
  i32(): number {
    return this.buf.readInt32LE(this.take(4));
  }
  u64(): bigint {
    return this.buf.readBigUInt64LE(this.take(8));
  }
  i64(): bigint {
    return this.buf.readBigInt64LE(this.take(8));
  }
  f32(): number {
    return this.buf.readFloatLE(this.take(4));
  }
  f64(): number {
    return this.buf.readDoubleLE(this.take(8));
  }
  /** A copy of n bytes. */
  bytes(n: number): Uint8Array {
    const at = this.take(n);
    return Uint8Array.prototype.slice.call(this.buf, at, at + n);
  }

  private take(n: number): number {
    if (!this.has(n)) throw new Error(`FileCursor: read of ${n} bytes at ${this.pos} without need()`);
    const at = this.pos - this.bufStart;
    this.pos += n;
    return at;
  }
}
