export type { Dim, GgufFacts, ModelFile, ModelFlavor, ModelManifest, OnnxFacts, TensorSpec } from './manifest.js';
export { inspectModelFile, type InspectOptions, MAX_DIRECTORY_FILES } from './inspect-model-file.js';
export { readOnnxManifest, onnxDataTypeName, batchDimensionOf, type OnnxReadResult } from './onnx-reader.js';
export { readOnnxManifestFile } from './onnx-file-reader.js';
export { readGgufManifest, isGgufMagic } from './gguf-reader.js';
export { fileTypeName } from './gguf-file-types.js';
export { defaultInputExample, MAX_DEFAULT_EXAMPLE_ELEMENTS } from './input-example.js';
