/**
 * The contract of tensor engines (ONNX in-process), in the Open Inference Protocol's (KServe V2) terms: named
 * tensors with a datatype and a shape. Text-generation engines (GGUF) have theirs in `llm/llm-engine.ts`; what every
 * engine shares, so that the model cache can hold any of them, is `CachedEngine`.
 */

/** KServe V2 tensor datatypes. */
export const DATATYPES = ['BOOL', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'INT8', 'INT16', 'INT32', 'INT64', 'FP16', 'FP32', 'FP64', 'BYTES'] as const;
export type Datatype = (typeof DATATYPES)[number];

/** A tensor the model declares: `-1` is a dimension of any size (a dynamic batch dimension, say). */
export interface TensorSpec {
  name: string;
  datatype: Datatype;
  shape: number[];
}

/** A tensor in a request or an answer: data flattened in row-major order. */
export interface Tensor {
  name: string;
  datatype: Datatype;
  shape: number[];
  data: number[] | string[] | boolean[];
}

export interface ModelSignature {
  inputs: TensorSpec[];
  outputs: TensorSpec[];
}

export interface EngineCapabilities {
  /**
   * `dynamic`: every input's first dimension is free, so requests can be stacked along it into one batch.
   * `none`: a fixed batch dimension (MNIST takes exactly 1): each request runs alone.
   */
  batching: 'dynamic' | 'none';
}

/** What the model cache needs of any engine. */
export interface CachedEngine {
  readonly kind: string;
  /** What the loaded model holds in memory, in bytes (an estimate where the runtime does not say). */
  readonly memoryBytes: number;
  /** Set once the engine can no longer run (its runtime crashed or it was unloaded): it must be loaded again. */
  readonly failure: Error | undefined;
  unload(): Promise<void>;
}

export interface Engine extends CachedEngine {
  readonly kind: 'onnx';
  readonly signature: ModelSignature;
  readonly capabilities: EngineCapabilities;
  /** Runs one batch. Inputs must have been checked with `validateInputs` against `signature`. */
  infer(inputs: Tensor[]): Promise<Tensor[]>;
  /** Frees the model; `infer` fails afterwards. */
  unload(): Promise<void>;
}
