#!/usr/bin/env python3
"""Builds the LLM throughput model: a Llama-architecture GGUF with random (seeded) weights.

stories260K (shared/models/stories260K) is so small that a token costs less than the HTTP and scheduling around it, so
it measures the serving stack, not generation. This model is heavy enough (about 25.8M parameters, about 0.05 GFLOP per
token) that compute dominates, yet one CPU thread still generates over a hundred tokens per second. Its text means nothing: the
weights are noise. It exists for bench/llm-raw.ts and bench/llm.ts.

    llama: 8 blocks, n_embd 512, FFN 1376, 8 heads, 8 KV heads (head dim 64, rope dim 64), context 2048,
           separate output.weight; 2-D weights F16 (or F32 with --f32), norms F32 (= 1, as an untrained RMSNorm starts)
    tokenizer: stories260K's 512-token SentencePiece vocabulary, copied (tokens, scores, types, BOS 1, EOS 2, UNK 0)

    pip install gguf numpy       # offline: the machine's wheel mirror has both
    python3 scripts/models/make_random_llama_gguf.py [out.gguf] [--f32]   # default bench/.cache/random-llama-25m.gguf

Weights are normal with std 0.02 (GPT-2's initialisation), so activations stay finite through the 8 blocks. The output
is byte-for-byte deterministic for a given gguf package version (numpy's PCG64 with a fixed seed, metadata written in a
fixed order). Prints the parameter count, the file's size and its sha256.
"""
from __future__ import annotations

import hashlib
import pathlib
import sys

try:
    import gguf
    import numpy as np
    from gguf import GGUFReader, GGUFWriter
except ImportError as e:  # bench/llm-raw.ts looks for "pip install"
    sys.exit(f"make_random_llama_gguf: {e}; run `pip install gguf numpy`")

REPO = pathlib.Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO / "bench" / ".cache" / "random-llama-25m.gguf"
VOCAB_FROM = REPO.parent / "shared" / "models" / "stories260K" / "stories260K.gguf"

SEED = 20250525
N_EMBD, N_FF, N_BLOCKS, N_HEAD, N_HEAD_KV = 512, 1376, 8, 8, 8
HEAD_DIM = N_EMBD // N_HEAD
CONTEXT = 2048
STD = 0.02
RMS_EPS = 1e-5


def field(reader: GGUFReader, key: str):
    f = reader.get_field(key)
    if f is None:
        sys.exit(f"make_random_llama_gguf: {VOCAB_FROM} has no {key}")
    return f.contents()


def main(argv: list[str]) -> None:
    f32 = "--f32" in argv
    args = [a for a in argv if not a.startswith("--")]
    out = pathlib.Path(args[0]).resolve() if args else DEFAULT_OUT
    out.parent.mkdir(parents=True, exist_ok=True)
    dtype = np.float32 if f32 else np.float16

    vocab = GGUFReader(VOCAB_FROM)
    tokens: list[str] = field(vocab, "tokenizer.ggml.tokens")
    scores: list[float] = field(vocab, "tokenizer.ggml.scores")
    types: list[int] = field(vocab, "tokenizer.ggml.token_type")
    n_vocab = len(tokens)

    rng = np.random.default_rng(SEED)

    def dense(rows: int, cols: int) -> np.ndarray:
        # numpy shape (rows, cols) is GGUF ne [cols, rows]: a matrix mapping cols inputs to rows outputs.
        return (rng.standard_normal((rows, cols), dtype=np.float32) * STD).astype(dtype)

    def norm(n: int) -> np.ndarray:
        return np.ones(n, dtype=np.float32)

    tensors: list[tuple[str, np.ndarray]] = [("token_embd.weight", dense(n_vocab, N_EMBD))]
    for i in range(N_BLOCKS):
        b = f"blk.{i}"
        tensors += [
            (f"{b}.attn_norm.weight", norm(N_EMBD)),
            (f"{b}.attn_q.weight", dense(N_HEAD * HEAD_DIM, N_EMBD)),
            (f"{b}.attn_k.weight", dense(N_HEAD_KV * HEAD_DIM, N_EMBD)),
            (f"{b}.attn_v.weight", dense(N_HEAD_KV * HEAD_DIM, N_EMBD)),
            (f"{b}.attn_output.weight", dense(N_EMBD, N_HEAD * HEAD_DIM)),
            (f"{b}.ffn_norm.weight", norm(N_EMBD)),
            (f"{b}.ffn_gate.weight", dense(N_FF, N_EMBD)),
            (f"{b}.ffn_up.weight", dense(N_FF, N_EMBD)),
            (f"{b}.ffn_down.weight", dense(N_EMBD, N_FF)),
        ]
    tensors += [("output_norm.weight", norm(N_EMBD)), ("output.weight", dense(n_vocab, N_EMBD))]
    n_params = sum(t.size for _, t in tensors)

    w = GGUFWriter(out, "llama")
    w.add_name("random-llama-25m")
    w.add_file_type(gguf.LlamaFileType.ALL_F32 if f32 else gguf.LlamaFileType.MOSTLY_F16)
    w.add_context_length(CONTEXT)
    w.add_embedding_length(N_EMBD)
    w.add_feed_forward_length(N_FF)
    w.add_block_count(N_BLOCKS)
    w.add_head_count(N_HEAD)
    w.add_head_count_kv(N_HEAD_KV)
    w.add_rope_dimension_count(HEAD_DIM)
    w.add_layer_norm_rms_eps(RMS_EPS)
    w.add_vocab_size(n_vocab)
    w.add_tokenizer_model(field(vocab, "tokenizer.ggml.model"))
    w.add_token_list(tokens)
    w.add_token_scores(scores)
    w.add_token_types(types)
    w.add_unk_token_id(field(vocab, "tokenizer.ggml.unknown_token_id"))
    w.add_bos_token_id(field(vocab, "tokenizer.ggml.bos_token_id"))
    w.add_eos_token_id(field(vocab, "tokenizer.ggml.eos_token_id"))
    for name, t in tensors:
        w.add_tensor(name, t)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()

    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    print(f"{out}: {n_params:,} parameters ({'F32' if f32 else 'F16'} weights), {out.stat().st_size:,} bytes, sha256 {digest}")


if __name__ == "__main__":
    main(sys.argv[1:])
