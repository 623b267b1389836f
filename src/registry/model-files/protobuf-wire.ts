/**
 * A minimal protocol-buffers wire-format decoder (proto2/proto3 share it): varints, fixed32/64 and
 * length-delimited fields. Every length is checked against the bytes that remain, so garbage input ends in a
 * `WireError`, never an out-of-range read or a loop that does not advance.
 * https://protobuf.dev/programming-guides/encoding/
 */

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_FIXED32 = 5;

/** Malformed wire data; callers turn it into the error of their format. */
export class WireError extends Error {}

export interface Field {
  field: number;
  wire: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class ProtobufReader {
  private pos: number;

  constructor(
    private readonly buf: Uint8Array,
    start = 0,
    private readonly end = buf.length,
  ) {
    this.pos = start;
  }

  get position(): number {
    return this.pos;
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  /** An unsigned varint of up to 64 bits. */
  varint(): bigint {
    const first = this.buf[this.pos];
    if (first !== undefined && first < 0x80 && this.pos < this.end) {
      this.pos++;
      return BigInt(first);
    }
    let value = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new WireError(`truncated varint at byte ${this.pos}`);
      const b = this.buf[this.pos++] as number;
      value |= BigInt(b & 0x7f) << BigInt(7 * i);
      if (b < 0x80) return BigInt.asUintN(64, value);
    }
    throw new WireError(`varint longer than 10 bytes at byte ${this.pos}`);
  }

  /** A varint that must fit a JavaScript number (lengths, tags, counts). */
  uint(): number {
    const v = this.varint();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new WireError(`value ${v} too large at byte ${this.pos}`);
    return Number(v);
  }

  /** An `int64`/`int32` field: two's complement over 64 bits. */
  int64(): bigint {
    return BigInt.asIntN(64, this.varint());
  }

  tag(): Field {
    const at = this.pos;
    const t = this.uint();
    const field = Math.floor(t / 8);
    const wire = t % 8;
    if (field === 0) throw new WireError(`field number 0 at byte ${at}`);
    if (wire !== WIRE_VARINT && wire !== WIRE_FIXED64 && wire !== WIRE_LEN && wire !== WIRE_FIXED32) {
      throw new WireError(`unsupported wire type ${wire} at byte ${at}`);
    }
    return { field, wire };
  }

  /** The payload of a length-delimited field, as a view (no copy). */
  bytes(): Uint8Array {
    const len = this.uint();
    if (len > this.end - this.pos) {
      throw new WireError(`length ${len} at byte ${this.pos} runs past the end (${this.end - this.pos} bytes left)`);
    }
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  string(): string {
    const at = this.pos;
    try {
      return utf8.decode(this.bytes());
    } catch (e) {
      if (e instanceof WireError) throw e;
      throw new WireError(`string at byte ${at} is not UTF-8`);
    }
  }

  /** A reader over the payload of a length-delimited (embedded message) field. */
  message(): ProtobufReader {
    const len = this.uint();
    if (len > this.end - this.pos) {
      throw new WireError(`length ${len} at byte ${this.pos} runs past the end (${this.end - this.pos} bytes left)`);
    }
    const sub = new ProtobufReader(this.buf, this.pos, this.pos + len);
    this.pos += len;
    return sub;
  }

  skip(wire: number): void {
    switch (wire) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_FIXED64:
        this.advance(8);
        return;
      case WIRE_FIXED32:
        this.advance(4);
        return;
      case WIRE_LEN:
        this.bytes();
        return;
      default:
        throw new WireError(`unsupported wire type ${wire} at byte ${this.pos}`);
    }
  }

  /** Asserts the wire type a field must have, naming the field in the error. */
  expect(f: Field, wire: number, what: string): void {
    if (f.wire !== wire) throw new WireError(`${what} has wire type ${f.wire}, expected ${wire}`);
  }

  private advance(n: number): void {
    if (n > this.end - this.pos) throw new WireError(`fixed field at byte ${this.pos} runs past the end`);
    this.pos += n;
  }
}

/** Encodes an unsigned varint (for re-assembling a pruned message). */
export function encodeVarint(value: number): Uint8Array {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Uint8Array.from(out);
}
