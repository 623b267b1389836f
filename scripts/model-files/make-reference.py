#!/usr/bin/env python3
"""Reference facts for the model-file readers (src/registry/model-files/), read by the real tools.

The TypeScript ONNX and GGUF readers are tested against this JSON, so the expected values come from the `onnx`
package (Google protobuf decoding onnx.proto) and llama.cpp's `gguf` package, not from the code under test.

    pip install onnx gguf        # offline: the machine's wheel mirror has both
    python3 scripts/model-files/make-reference.py

Writes src/registry/model-files/fixtures/reference.json. Models are read from ../shared/models/ beside the repo.
"""
from __future__ import annotations

import collections
import hashlib
import importlib.metadata
import json
import pathlib

import gguf
import onnx
from onnx import TensorProto

REPO = pathlib.Path(__file__).resolve().parents[2]
MODELS = REPO.parent / "shared" / "models"
OUT = REPO / "src" / "registry" / "model-files" / "fixtures" / "reference.json"

ONNX_FILES = ["mnist/mnist-8.onnx", "sklearn-titanic/pipeline_titanic_nozipmap.onnx"]
GGUF_FILES = ["stories260K/stories260K.gguf"]
METADATA_STRING_MAX = 4096  # the TS reader keeps scalar strings up to this many characters in `metadata`


def file_facts(rel: str) -> dict:
    data = (MODELS / rel).read_bytes()
    return {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def dtype_name(code: int) -> str:
    name = TensorProto.DataType.Name(code).lower()
    return {"float": "float32", "double": "float64"}.get(name, name)


def type_desc(t: onnx.TypeProto) -> tuple[str, list | None]:
    kind = t.WhichOneof("value")
    if kind == "tensor_type":
        tt = t.tensor_type
        if not tt.HasField("shape"):
            return dtype_name(tt.elem_type), None
        dims = []
        for d in tt.shape.dim:
            which = d.WhichOneof("value")
            if which == "dim_value" and d.dim_value >= 0:
                dims.append(d.dim_value)
            elif which == "dim_param" and d.dim_param:
                dims.append(d.dim_param)
            else:
                dims.append(None)
        return dtype_name(tt.elem_type), dims
    if kind == "sequence_type":
        return f"sequence<{type_desc(t.sequence_type.elem_type)[0]}>", []
    if kind == "map_type":
        return f"map<{dtype_name(t.map_type.key_type)},{type_desc(t.map_type.value_type)[0]}>", []
    return kind or "unknown", []


def spec(v: onnx.ValueInfoProto) -> dict:
    dtype, shape = type_desc(v.type)
    return {"name": v.name, "dtype": dtype, "shape": shape}


def onnx_reference(rel: str) -> dict:
    m = onnx.load(str(MODELS / rel), load_external_data=False)
    onnx.checker.check_model(m)  # the files are valid models, so every check in the TS reader must pass on them
    initializers = {t.name for t in m.graph.initializer}
    return {
        "file": file_facts(rel),
        "irVersion": m.ir_version,
        "opsets": [{"domain": o.domain or "ai.onnx", "version": o.version} for o in m.opset_import],
        "producerName": m.producer_name,
        "producerVersion": m.producer_version,
        "metadata": {p.key: p.value for p in m.metadata_props},
        "graphInputsIncludingInitializers": len(m.graph.input),
        "initializerCount": len(initializers),
        "inputs": [spec(v) for v in m.graph.input if v.name not in initializers],
        "outputs": [spec(v) for v in m.graph.output],
        "nodeDomains": sorted({n.domain or "ai.onnx" for n in m.graph.node}),
    }


# llama.cpp's guess of the file type from the most common tensor type (llama-model-loader.cpp), for the types
# this reference needs; names as LlamaFileType without ALL_/MOSTLY_.
Q = gguf.GGMLQuantizationType
F = gguf.LlamaFileType
GUESS = {Q.F32: F.ALL_F32, Q.F16: F.MOSTLY_F16, Q.BF16: F.MOSTLY_BF16, Q.Q4_0: F.MOSTLY_Q4_0, Q.Q8_0: F.MOSTLY_Q8_0,
         Q.Q4_K: F.MOSTLY_Q4_K_M, Q.Q6_K: F.MOSTLY_Q6_K}


def ftype_name(ft: int) -> str:
    return F(ft).name.removeprefix("ALL_").removeprefix("MOSTLY_")


def gguf_reference(rel: str) -> dict:
    r = gguf.GGUFReader(str(MODELS / rel))
    scalars: dict = {}
    arrays: dict = {}
    for key, field in r.fields.items():
        if key.startswith("GGUF."):  # the reader's pseudo-fields for the header
            continue
        if field.types[0] == gguf.GGUFValueType.ARRAY:
            arrays[key] = {"elementType": field.types[-1].name, "count": len(field.data)}
            continue
        value = field.contents()
        if isinstance(value, str) and len(value) > METADATA_STRING_MAX:
            continue
        scalars[key] = float(value) if field.types[0] == gguf.GGUFValueType.FLOAT32 else value
    arch = scalars["general.architecture"]
    tokens = r.fields["tokenizer.ggml.tokens"].contents() if "tokenizer.ggml.tokens" in r.fields else []
    order = [t.tensor_type for t in r.tensors]
    counts = collections.Counter(order)
    best = max(counts.values())
    dominant = next(t for t in order if counts[t] == best)  # first type to reach the maximum, as llama.cpp
    file_type = scalars.get("general.file_type")
    bos = scalars.get("tokenizer.ggml.bos_token_id")
    eos = scalars.get("tokenizer.ggml.eos_token_id")
    return {
        "file": file_facts(rel),
        "version": r.fields["GGUF.version"].contents(),
        "tensorCount": len(r.tensors),
        "kvCount": r.fields["GGUF.kv_count"].contents(),
        "architecture": arch,
        "name": scalars.get("general.name"),
        "contextLength": scalars.get(f"{arch}.context_length"),
        "embeddingLength": scalars.get(f"{arch}.embedding_length"),
        "blockCount": scalars.get(f"{arch}.block_count"),
        "fileType": file_type,
        "tensorTypeCounts": {Q(t).name: n for t, n in counts.items()},
        "quantization": ftype_name(file_type) if file_type is not None else ftype_name(GUESS[Q(dominant)]),
        "quantizationSource": "file_type" if file_type is not None else "tensor_types",
        "chatTemplate": scalars.get("tokenizer.chat_template"),
        "parameterCount": int(sum(int(t.n_elements) for t in r.tensors)),
        "bosTokenId": bos,
        "eosTokenId": eos,
        "bosToken": tokens[bos] if bos is not None and bos < len(tokens) else None,
        "eosToken": tokens[eos] if eos is not None and eos < len(tokens) else None,
        "dataOffset": int(r.data_offset),
        "scalarMetadata": {k: v for k, v in scalars.items() if k != "tokenizer.chat_template"},
        "arrays": arrays,
    }


def main() -> None:
    ref = {
        "generatedBy": "scripts/model-files/make-reference.py",
        "tools": {"onnx": onnx.__version__, "gguf": importlib.metadata.version("gguf")},
        "onnx": {rel: onnx_reference(rel) for rel in ONNX_FILES},
        "gguf": {rel: gguf_reference(rel) for rel in GGUF_FILES},
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(ref, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
