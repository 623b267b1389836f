/**
 * GGUF/ggml enumerations, as in llama.cpp (`llama.h` `llama_ftype`, `ggml.h` `ggml_type`) and its `gguf` Python
 * package (`gguf/constants.py`: `LlamaFileType`, `GGMLQuantizationType`, `GGML_QUANT_SIZES`).
 */

/** `general.file_type` (llama_ftype) → quantization name; gaps are values llama.cpp has retired. */
const FILE_TYPES: Readonly<Record<number, string>> = {
  0: 'F32', 1: 'F16', 2: 'Q4_0', 3: 'Q4_1', 4: 'Q4_1_SOME_F16', 7: 'Q8_0', 8: 'Q5_0', 9: 'Q5_1',
  10: 'Q2_K', 11: 'Q3_K_S', 12: 'Q3_K_M', 13: 'Q3_K_L', 14: 'Q4_K_S', 15: 'Q4_K_M', 16: 'Q5_K_S', 17: 'Q5_K_M',
  18: 'Q6_K', 19: 'IQ2_XXS', 20: 'IQ2_XS', 21: 'Q2_K_S', 22: 'IQ3_XS', 23: 'IQ3_XXS', 24: 'IQ1_S', 25: 'IQ4_NL',
  26: 'IQ3_S', 27: 'IQ3_M', 28: 'IQ2_S', 29: 'IQ2_M', 30: 'IQ4_XS', 31: 'IQ1_M', 32: 'BF16', 33: 'Q4_0_4_4',
  34: 'Q4_0_4_8', 35: 'Q4_0_8_8', 36: 'TQ1_0', 37: 'TQ2_0', 38: 'MXFP4_MOE', 39: 'NVFP4', 40: 'Q1_0',
};

/** llama.cpp ORs this into a file type it guessed; a file may carry it. */
const LLAMA_FTYPE_GUESSED = 1024;

export function fileTypeName(fileType: number): string | undefined {
  return FILE_TYPES[fileType & ~LLAMA_FTYPE_GUESSED];
}

interface TensorType {
  name: string;
  /** Elements per block and bytes per block (GGML_QUANT_SIZES). */
  block: number;
  bytes: number;
  /** The file type llama.cpp guesses when this type holds the most tensors (llama-model-loader.cpp). */
  guess?: number;
}

const QK_K = 256;
const TENSOR_TYPES: Readonly<Record<number, TensorType>> = {
  0: { name: 'F32', block: 1, bytes: 4, guess: 0 },
  1: { name: 'F16', block: 1, bytes: 2, guess: 1 },
  2: { name: 'Q4_0', block: 32, bytes: 2 + 16, guess: 2 },
  3: { name: 'Q4_1', block: 32, bytes: 2 + 2 + 16, guess: 3 },
  6: { name: 'Q5_0', block: 32, bytes: 2 + 4 + 16, guess: 8 },
  7: { name: 'Q5_1', block: 32, bytes: 2 + 2 + 4 + 16, guess: 9 },
  8: { name: 'Q8_0', block: 32, bytes: 2 + 32, guess: 7 },
  9: { name: 'Q8_1', block: 32, bytes: 4 + 4 + 32 },
  10: { name: 'Q2_K', block: QK_K, bytes: 2 + 2 + QK_K / 16 + QK_K / 4, guess: 10 },
  11: { name: 'Q3_K', block: QK_K, bytes: 2 + QK_K / 4 + QK_K / 8 + 12, guess: 12 },
  12: { name: 'Q4_K', block: QK_K, bytes: 2 + 2 + QK_K / 2 + 12, guess: 15 },
  13: { name: 'Q5_K', block: QK_K, bytes: 2 + 2 + QK_K / 2 + QK_K / 8 + 12, guess: 17 },
  14: { name: 'Q6_K', block: QK_K, bytes: 2 + QK_K / 2 + QK_K / 4 + QK_K / 16, guess: 18 },
  15: { name: 'Q8_K', block: QK_K, bytes: 4 + QK_K + QK_K / 8 },
  16: { name: 'IQ2_XXS', block: QK_K, bytes: 2 + QK_K / 4, guess: 19 },
  17: { name: 'IQ2_XS', block: QK_K, bytes: 2 + QK_K / 4 + QK_K / 32, guess: 20 },
  18: { name: 'IQ3_XXS', block: QK_K, bytes: 2 + QK_K / 4 + QK_K / 8, guess: 23 },
  19: { name: 'IQ1_S', block: QK_K, bytes: 2 + QK_K / 8 + QK_K / 16, guess: 24 },
  20: { name: 'IQ4_NL', block: 32, bytes: 2 + 16, guess: 25 },
  21: { name: 'IQ3_S', block: QK_K, bytes: 2 + QK_K / 4 + QK_K / 8 + QK_K / 32 + 4, guess: 26 },
  22: { name: 'IQ2_S', block: QK_K, bytes: 2 + QK_K / 4 + QK_K / 16, guess: 28 },
  23: { name: 'IQ4_XS', block: QK_K, bytes: 2 + 2 + QK_K / 2 + QK_K / 64, guess: 30 },
  24: { name: 'I8', block: 1, bytes: 1 },
  25: { name: 'I16', block: 1, bytes: 2 },
  26: { name: 'I32', block: 1, bytes: 4 },
  27: { name: 'I64', block: 1, bytes: 8 },
  28: { name: 'F64', block: 1, bytes: 8 },
  29: { name: 'IQ1_M', block: QK_K, bytes: QK_K / 8 + QK_K / 16 + QK_K / 32, guess: 31 },
  30: { name: 'BF16', block: 1, bytes: 2, guess: 32 },
  34: { name: 'TQ1_0', block: QK_K, bytes: 2 + 4 * 13, guess: 36 },
  35: { name: 'TQ2_0', block: QK_K, bytes: 2 + 64, guess: 37 },
  39: { name: 'MXFP4', block: 32, bytes: 1 + 16 },
  40: { name: 'NVFP4', block: 64, bytes: 4 + 32 },
  41: { name: 'Q1_0', block: 128, bytes: 2 + 16 },
};

/** Block layout of a ggml tensor type, or undefined for a type this table does not know (newer than it). */
export function tensorTypeLayout(type: number): { block: number; bytes: number } | undefined {
  const t = TENSOR_TYPES[type];
  return t === undefined ? undefined : { block: t.block, bytes: t.bytes };
}

export function tensorTypeName(type: number): string {
  return TENSOR_TYPES[type]?.name ?? `type_${type}`;
}

/**
 * llama.cpp's guess when `general.file_type` is absent: the tensor type held by the most tensors (the first to
 * reach the maximum, in file order), mapped to a file type. Undefined where llama.cpp has no mapping (it would
 * fall back to "all F32" with a warning; we leave the quantization unknown instead).
 */
export function guessFileType(tensorTypesInOrder: readonly number[]): number | undefined {
  const counts = new Map<number, number>();
  let best: number | undefined;
  let bestCount = 0;
  for (const type of tensorTypesInOrder) {
    const n = (counts.get(type) ?? 0) + 1;
    counts.set(type, n);
    if (n > bestCount) {
      bestCount = n;
      best = type;
    }
  }
  return best === undefined ? undefined : TENSOR_TYPES[best]?.guess;
}
