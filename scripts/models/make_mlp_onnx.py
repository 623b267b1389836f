#!/usr/bin/env python3
"""Builds the MLP serving fixture: test/fixtures/models/mlp/mlp.onnx.

A plain multilayer perceptron with random (seeded) weights, heavy enough that a row costs more compute than the HTTP
round trip that carries it costs the server, yet a batch of 32 still runs in tens of milliseconds on one CPU core. It exists to measure
dynamic batching (bench/serving-raw.ts and the HTTP serving bench); its outputs mean nothing.

    features FP32 [batch, 256] → Linear 256→1024 → ReLU → (Linear 1024→1024 → ReLU) × 30, one shared weight → Linear 1024→10 → logits FP32 [batch, 10]

    pip install torch onnx onnxruntime      # offline: the machine's wheel mirror has all three (torch CPU)
    python3 scripts/models/make_mlp_onnx.py

Exported with torch's TorchScript-based exporter (`dynamo=False`: needs no onnxscript, writes 32 Gemm nodes sharing three weights),
opset 17, the batch dimension dynamic. The export is checked with `onnx.checker` and by running it in onnxruntime
against torch's own outputs. Prints the file's size and sha256 for the README beside it.
"""
from __future__ import annotations

import hashlib
import pathlib
import sys
import warnings

import numpy as np
import onnx
import onnxruntime as ort
import torch
from torch import nn

REPO = pathlib.Path(__file__).resolve().parents[2]
OUT = REPO / "test" / "fixtures" / "models" / "mlp" / "mlp.onnx"

SEED = 20240601
IN, HIDDEN, OUT_DIM = 256, 1024, 10
# Times the tied 1024×1024 layer runs: ~63 MFLOP per row, so compute, not HTTP, bounds served throughput.
DEPTH = 30
OPSET = 17


class TiedMLP(nn.Module):
    """An MLP whose hidden layer is applied DEPTH times with the same weights (as ALBERT ties its layers): the compute of
    a deep MLP in the file size of a shallow one."""

    def __init__(self) -> None:
        super().__init__()
        self.inp = nn.Linear(IN, HIDDEN)
        self.hidden = nn.Linear(HIDDEN, HIDDEN)
        self.out = nn.Linear(HIDDEN, OUT_DIM)
        # He initialisation keeps activations at a steady scale through the repeated ReLU layers (no vanishing values,
        # whose denormals would slow the CPU down and make the benchmark measure that instead).
        nn.init.kaiming_normal_(self.hidden.weight, nonlinearity="relu")
        nn.init.zeros_(self.hidden.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = torch.relu(self.inp(x))
        for _ in range(DEPTH):
            h = torch.relu(self.hidden(h))
        return self.out(h)


def build() -> nn.Module:
    torch.manual_seed(SEED)
    return TiedMLP().eval()


def export(model: nn.Module, path: pathlib.Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    example = torch.zeros(2, IN, dtype=torch.float32)
    # The legacy exporter warns that it is legacy on every call; the choice is deliberate (see the docstring).
    warnings.filterwarnings("ignore", category=DeprecationWarning, message=".*legacy TorchScript-based ONNX export.*")
    torch.onnx.export(
        model,
        (example,),
        str(path),
        dynamo=False,
        opset_version=OPSET,
        input_names=["features"],
        output_names=["logits"],
        dynamic_axes={"features": {0: "batch"}, "logits": {0: "batch"}},
        do_constant_folding=True,
        export_params=True,
    )


def verify(model: nn.Module, path: pathlib.Path) -> None:
    proto = onnx.load(str(path))
    onnx.checker.check_model(proto, full_check=True)
    params = sum(p.numel() for p in model.parameters())
    print(f"params {params:,}; ops {[n.op_type for n in proto.graph.node]}")

    sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    (inp,), (out,) = sess.get_inputs(), sess.get_outputs()
    assert (inp.name, inp.type, inp.shape) == ("features", "tensor(float)", ["batch", IN]), (inp.name, inp.type, inp.shape)
    assert (out.name, out.type, out.shape) == ("logits", "tensor(float)", ["batch", OUT_DIM]), (out.name, out.type, out.shape)

    rng = np.random.default_rng(SEED)
    for batch in (1, 7, 64, 257):
        x = rng.standard_normal((batch, IN), dtype=np.float32)
        (got,) = sess.run(["logits"], {"features": x})
        with torch.no_grad():
            want = model(torch.from_numpy(x)).numpy()
        assert got.shape == (batch, OUT_DIM), got.shape
        err = float(np.max(np.abs(got - want)))
        assert np.allclose(got, want, rtol=1e-4, atol=1e-5), f"batch {batch}: max |ort - torch| = {err}"
        print(f"batch {batch:>3}: onnxruntime matches torch (max abs diff {err:.2e})")


def main() -> int:
    model = build()
    export(model, OUT)
    verify(model, OUT)
    data = OUT.read_bytes()
    print(f"wrote {OUT.relative_to(REPO)}: {len(data):,} bytes, sha256 {hashlib.sha256(data).hexdigest()}")
    print(f"torch {torch.__version__}, onnx {onnx.__version__}, onnxruntime {ort.__version__}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
