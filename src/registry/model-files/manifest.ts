/**
 * The manifest a registered model version carries: what the registry read from the model's own files.
 * It is stored as JSON (`model_versions.manifest`), so every value here is plain JSON: no bigint, no undefined
 * inside arrays, optional keys absent rather than undefined.
 */

export type ModelFlavor = 'onnx' | 'gguf' | 'openai-upstream' | 'other';

/** One dimension: a size, a symbolic name (`'N'`, `'batch_size'`), or null when the file leaves it unknown. */
export type Dim = number | string | null;

export interface TensorSpec {
  name: string;
  /**
   * Element type with numpy/ONNX names: `float32`, `float64`, `int64`, `string`, `bool`, `float16`, `bfloat16`, …
   * Non-tensor values are described by their structure: `sequence<map<int64,float32>>`, `map<string,float32>`,
   * `optional<float32>`, `sparse_tensor<float32>`, `opaque`.
   */
  dtype: string;
  /**
   * One entry per axis; `[]` is a scalar (and what non-tensor values carry). `null` means the rank itself is
   * unknown (an ONNX tensor type with no shape), which `[]` could not say.
   */
  shape: Dim[] | null;
}

export interface ModelFile {
  /** Relative to the registered path, `/`-separated; the file's own name when a single file was registered. */
  path: string;
  size: number;
  /** Lower-case hex. */
  sha256: string;
}

export interface OnnxFacts {
  irVersion: number;
  /** Domains as the model names them, except that the default domain `''` is written `'ai.onnx'`. */
  opsets: { domain: string; version: number }[];
  producerName?: string;
  producerVersion?: string;
  metadata?: Record<string, string>;
  /**
   * `'fixed'` when some input's first dimension is a number (MNIST: 1); `'dynamic'` when every input of rank ≥ 1
   * has a symbolic or unknown first dimension; `'none'` when no tensor input has rank ≥ 1 (only scalars, or none).
   * Scalars and non-tensor inputs do not take part when other inputs do.
   */
  batchDimension: 'dynamic' | 'fixed' | 'none';
}

export interface GgufFacts {
  version: number;
  architecture: string;
  name?: string;
  contextLength?: number;
  embeddingLength?: number;
  blockCount?: number;
  /** `general.file_type` as written in the file (llama.cpp's `llama_ftype`); absent when the file does not say. */
  fileType?: number;
  /** `F32`, `F16`, `BF16`, `Q4_0`, `Q8_0`, `Q4_K_M`, … (llama.cpp's `LLAMA_FTYPE_*` names without the prefix). */
  quantization?: string;
  /**
   * Where `quantization` came from: `general.file_type`, or llama.cpp's guess when that key is absent
   * (the tensor type held by the most tensors, mapped to a file type as `llama-model-loader.cpp` does).
   */
  quantizationSource?: 'file_type' | 'tensor_types';
  chatTemplate?: string;
  tensorCount: number;
  /** Sum over tensors of the product of their dimensions. Absent if it exceeds 2^53. */
  parameterCount?: number;
  bosTokenId?: number;
  eosTokenId?: number;
  /** The token texts of those ids, read from `tokenizer.ggml.tokens` when the ids are in range. */
  bosToken?: string;
  eosToken?: string;
  /**
   * Every other scalar key/value pair (numbers, booleans, strings up to 4 KiB). Arrays are left out: they are the
   * tokenizer's vocabulary and scores, which can be megabytes. 64-bit integers beyond 2^53 are decimal strings.
   */
  metadata: Record<string, string | number | boolean>;
}

export interface ModelManifest {
  flavor: ModelFlavor;
  signature?: { inputs: TensorSpec[]; outputs: TensorSpec[] };
  inputExample?: unknown;
  /** Sorted by path. */
  files: ModelFile[];
  /** Path (as in `files`) of the file that flavor and facts were read from; absent for `'other'`. */
  modelFile?: string;
  onnx?: OnnxFacts;
  gguf?: GgufFacts;
}
