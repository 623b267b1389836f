import { stat } from 'node:fs/promises';
import type * as Ort from 'onnxruntime-node';
import { invalidParam } from '../../core/errors/index.js';
import type { Datatype, Engine, ModelSignature, Tensor, TensorSpec } from '../engine.js';

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

type OrtModule = typeof Ort;
let ortModule: Promise<OrtModule> | undefined;
/** onnxruntime-node is loaded on first use, so processes that serve nothing never load its native library. */
const loadOrt = () => (ortModule ??= import('onnxruntime-node').then((m) => ((m as unknown as { default?: OrtModule }).default ?? m) as OrtModule));

function spec(meta: Ort.InferenceSession.ValueMetadata, name: string): TensorSpec {
  if (!meta.isTensor) throw invalidParam(`The model's '${name}' is not a tensor (maps and sequences are not served); export it with tensors only (e.g. skl2onnx's zipmap=False)`, 'model');
  const datatype = TO_V2[meta.type];
  if (!datatype) throw invalidParam(`The model's '${name}' has element type ${meta.type}, which cannot be served`, 'model');
  return { name, datatype, shape: meta.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : -1)) };
}

function toOrt(ort: OrtModule, t: Tensor): Ort.Tensor {
  const type = FROM_V2[t.datatype];
  switch (t.datatype) {
    case 'BYTES':
      return new ort.Tensor('string', t.data as string[], t.shape);
    case 'BOOL':
      return new ort.Tensor('bool', Uint8Array.from(t.data as boolean[], (b) => (b ? 1 : 0)), t.shape);
    case 'INT64':
      return new ort.Tensor('int64', BigInt64Array.from(t.data as number[], (v) => BigInt(v)), t.shape);
    case 'UINT64':
      return new ort.Tensor('uint64', BigUint64Array.from(t.data as number[], (v) => BigInt(v)), t.shape);
    default:
      return new ort.Tensor(type as 'float32', t.data as number[] as unknown as Float32Array, t.shape);
  }
}

function fromOrt(name: string, t: Ort.Tensor): Tensor {
  const datatype = TO_V2[t.type];
  if (!datatype) throw new Error(`output '${name}' has element type ${t.type}`);
  const shape = t.dims.map(Number);
  const raw = t.data as ArrayLike<number | bigint | string | boolean>;
  const data = Array.from(raw, (v) => (typeof v === 'bigint' ? Number(v) : datatype === 'BOOL' ? Boolean(v) : v)) as Tensor['data'];
  return { name, datatype, shape, data };
}

/** An ONNX model in-process through onnxruntime-node (CPU). */
export class OnnxEngine implements Engine {
  readonly kind = 'onnx' as const;

  private constructor(
    private readonly ort: OrtModule,
    private session: Ort.InferenceSession | undefined,
    readonly signature: ModelSignature,
    readonly memoryBytes: number,
  ) {}

  get capabilities() {
    // Requests can be stacked when every input's first dimension is free.
    const dynamic = this.signature.inputs.every((s) => s.shape.length > 0 && s.shape[0] === -1);
    return { batching: dynamic ? ('dynamic' as const) : ('none' as const) };
  }

  static async load(file: string, opts: OnnxEngineOptions = {}): Promise<OnnxEngine> {
    const ort = await loadOrt();
    const size = (await stat(file)).size;
    const session = await ort.InferenceSession.create(file, {
      intraOpNumThreads: opts.intraOpThreads ?? 1,
      interOpNumThreads: opts.interOpThreads ?? 1,
      graphOptimizationLevel: 'all',
    });
    try {
      const signature = {
        inputs: session.inputNames.map((n, i) => spec(session.inputMetadata[i]!, n)),
        outputs: session.outputNames.map((n, i) => spec(session.outputMetadata[i]!, n)),
      };
      // The runtime does not report its memory; the weights (the file) are the bulk of it.
      return new OnnxEngine(ort, session, signature, size);
    } catch (e) {
      await session.release();
      throw e;
    }
  }

  async infer(inputs: Tensor[]): Promise<Tensor[]> {
    const session = this.session;
    if (!session) throw new Error('the model was unloaded');
    const feeds: Record<string, Ort.Tensor> = {};
    for (const t of inputs) feeds[t.name] = toOrt(this.ort, t);
    const out = await session.run(feeds);
    return this.signature.outputs.map((o) => fromOrt(o.name, out[o.name]!));
  }

  async unload(): Promise<void> {
    const s = this.session;
    this.session = undefined;
    await s?.release();
  }
}
