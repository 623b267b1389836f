import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { invalidParam, isAppError } from '../../core/errors/index.js';
import type { Datatype, Engine, ModelSignature, Tensor, TensorSpec } from '../engine.js';
import { WORKER_SOURCE, type WireMeta, type WireTensor } from './onnx-worker.js';

/** onnxruntime's element types and the KServe V2 datatypes they travel as. */
const TO_V2: Record<string, Datatype> = {
  float32: 'FP32',
  float64: 'FP64',
  float16: 'FP16',
  int8: 'INT8',
  int16: 'INT16',
  int32: 'INT32',
  int64: 'INT64',
  uint8: 'UINT8',
  uint16: 'UINT16',
  uint32: 'UINT32',
  uint64: 'UINT64',
  bool: 'BOOL',
  string: 'BYTES',
};
const FROM_V2 = Object.fromEntries(Object.entries(TO_V2).map(([k, v]) => [v, k])) as Record<Datatype, string>;

export interface OnnxEngineOptions {
  /** Threads inside one operator (onnxruntime's intra-op pool); default 1, which is fastest on a busy 2-core host. */
  intraOpThreads?: number;
  /** Threads across independent operators; default 1. */
  interOpThreads?: number;
}

function spec(meta: WireMeta): TensorSpec {
  const name = meta.name;
  if (!meta.isTensor) throw invalidParam(`The model's '${name}' is not a tensor (maps and sequences are not served); export it with tensors only (e.g. skl2onnx's zipmap=False)`, 'model');
  const datatype = TO_V2[meta.type!];
  if (!datatype) throw invalidParam(`The model's '${name}' has element type ${meta.type}, which cannot be served`, 'model');
  return { name, datatype, shape: meta.shape!.map((d) => (typeof d === 'number' && d >= 0 ? d : -1)) };
}

const TYPED: Partial<Record<Datatype, (n: number[]) => ArrayBufferView>> = {
  FP32: (d) => Float32Array.from(d),
  FP64: (d) => Float64Array.from(d),
  INT8: (d) => Int8Array.from(d),
  INT16: (d) => Int16Array.from(d),
  INT32: (d) => Int32Array.from(d),
  UINT8: (d) => Uint8Array.from(d),
  UINT16: (d) => Uint16Array.from(d),
  UINT32: (d) => Uint32Array.from(d),
  INT64: (d) => BigInt64Array.from(d, (v) => BigInt(v)),
  UINT64: (d) => BigUint64Array.from(d, (v) => BigInt(v)),
};

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** A number as IEEE 754 half-precision bits (round to nearest; overflow to ±Infinity), as onnxruntime takes FP16. */
export function toHalf(v: number): number {
  f32[0] = v;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const rawExp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (rawExp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const exp = rawExp - 127 + 15;
  if (exp >= 0x1f) return sign | 0x7c00;
  if (exp <= 0) {
    if (exp < -10) return sign;
    mant = (mant | 0x800000) >> (1 - exp);
    return sign | ((mant + 0x1000) >> 13);
  }
  // A carry out of the mantissa rounds up into the exponent, which is what rounding should do.
  return (sign | (exp << 10)) + ((mant + 0x1000) >> 13);
}

/** Half-precision bits as a number. */
export function fromHalf(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

function toWire(t: Tensor): WireTensor {
  const type = FROM_V2[t.datatype];
  if (t.datatype === 'BYTES') return { type, dims: t.shape, data: t.data as string[] };
  if (t.datatype === 'BOOL') return { type, dims: t.shape, data: Uint8Array.from(t.data as boolean[], (b) => (b ? 1 : 0)) };
  // FP16 travels as half-precision bits (Node 20 has no Float16Array); everything else as the matching typed array.
  if (t.datatype === 'FP16') return { type, dims: t.shape, data: Uint16Array.from(t.data as number[], toHalf) };
  return { type, dims: t.shape, data: TYPED[t.datatype]!(t.data as number[]) };
}

function fromWire(name: string, t: WireTensor): Tensor {
  const datatype = TO_V2[t.type];
  if (!datatype) throw new Error(`output '${name}' has element type ${t.type}`);
  const raw = t.data as ArrayLike<number | bigint | string | boolean>;
  const data = (
    datatype === 'FP16' ? Array.from(raw as ArrayLike<number>, fromHalf) : Array.from(raw, (v) => (typeof v === 'bigint' ? Number(v) : datatype === 'BOOL' ? Boolean(v) : v))
  ) as Tensor['data'];
  return { name, datatype, shape: t.dims, data };
}

let ortModulePath: string | undefined;
/** onnxruntime-node's entry file, as this package resolves it. */
const ortPath = () => (ortModulePath ??= createRequire(import.meta.url).resolve('onnxruntime-node'));

interface Reply {
  op: 'loaded' | 'result' | 'error';
  id?: number;
  message?: string;
  inputs?: WireMeta[];
  outputs?: WireMeta[] | Record<string, WireTensor>;
}

/**
 * An ONNX model in-process through onnxruntime-node (CPU), computed in its own worker thread so that the event loop
 * stays free while a batch runs: requests keep being read, refused or answered meanwhile, on the other core.
 */
export class OnnxEngine implements Engine {
  readonly kind = 'onnx' as const;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (out: Record<string, WireTensor>) => void; reject: (e: Error) => void }>();
  private dead: Error | undefined;

  get failure(): Error | undefined {
    return this.dead;
  }

  private constructor(
    private readonly worker: Worker,
    readonly signature: ModelSignature,
    readonly memoryBytes: number,
  ) {
    worker.on('message', (m: Reply) => {
      if (m.op !== 'result' && m.op !== 'error') return;
      const p = m.id === undefined ? undefined : this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id!);
      if (m.op === 'result') p.resolve(m.outputs as Record<string, WireTensor>);
      else p.reject(new Error(m.message));
    });
    const fail = (e: Error) => {
      this.dead ??= e;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', () => fail(new Error('the model was unloaded')));
  }

  get capabilities() {
    // Requests can be stacked when every input's first dimension is free.
    const dynamic = this.signature.inputs.every((s) => s.shape.length > 0 && s.shape[0] === -1);
    return { batching: dynamic ? ('dynamic' as const) : ('none' as const) };
  }

  static async load(file: string, opts: OnnxEngineOptions = {}): Promise<OnnxEngine> {
    const size = (await stat(file)).size;
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ortPath: ortPath() } });
    try {
      const loaded = await new Promise<Reply>((resolve, reject) => {
        worker.once('message', (m: Reply) => (m.op === 'error' ? reject(new Error(m.message)) : resolve(m)));
        worker.once('error', reject);
        worker.postMessage({ op: 'load', file, intraOpThreads: opts.intraOpThreads ?? 1, interOpThreads: opts.interOpThreads ?? 1 });
      });
      const signature = { inputs: loaded.inputs!.map(spec), outputs: (loaded.outputs as WireMeta[]).map(spec) };
      // The runtime does not report its memory; the weights (the file) are the bulk of it.
      return new OnnxEngine(worker, signature, size);
    } catch (e) {
      await worker.terminate();
      throw isAppError(e) ? e : invalidParam(`Cannot load the ONNX model: ${e instanceof Error ? e.message : String(e)}`, 'model');
    }
  }

  infer(inputs: Tensor[]): Promise<Tensor[]> {
    if (this.dead) return Promise.reject(this.dead);
    const feeds: Record<string, WireTensor> = {};
    for (const t of inputs) feeds[t.name] = toWire(t);
    const id = this.nextId++;
    return new Promise<Record<string, WireTensor>>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage(
        { op: 'run', id, feeds },
        Object.values(feeds).flatMap((f) => (Array.isArray(f.data) ? [] : [f.data.buffer as ArrayBuffer])),
      );
    }).then((out) => this.signature.outputs.map((o) => fromWire(o.name, out[o.name]!)));
  }

  async unload(): Promise<void> {
    if (this.dead) return;
    this.dead = new Error('the model was unloaded');
    await this.worker.terminate();
  }
}
