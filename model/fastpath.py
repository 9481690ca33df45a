"""A decode step for Llama-family models without transformers' per-layer modules.

One decode step feeds one token per active sequence. Through transformers' Llama modules that step
costs far more than its arithmetic on a CPU (measured on the embedded SmolLM2-135M, bf16, 2 cores,
300 positions of history: 195 ms at 16 rows, 65 ms at 1 row), for two reasons:

- attention goes through ``scaled_dot_product_attention``, whose CPU kernel is a flash kernel built
  for long queries; with one query token per row over the slot buffers it took ~3.4 ms per layer at
  16 rows, where a plain grouped matmul-softmax-matmul over the same keys takes ~0.3 ms;
- every projection is its own op (q, k, v; gate, up), each paying the per-op overhead.

:class:`FastDecoder` runs the same arithmetic as transformers' eager Llama path (RMSNorm in float32,
rotary embeddings from the model's own ``rotary_emb``, scores in the model dtype and softmax in
float32, SiLU-gated MLP) with q/k/v and gate/up fused into one matrix each. It reads and writes the
engine's slot key/value buffers in place: no transformers cache object, no copy of the history.

The fused matrices replace the modules' own weights (the modules then hold views into them), so
the model takes no extra memory; prefill still runs through transformers and sees the same weights.

Optional weight-only copies for small decode steps (``model.quantization``), used for steps of at
most :data:`QUANT_MAX_ROWS` rows, where a step is bound by reading the weights; bigger steps and every
prompt chunk keep the model dtype (the low-bit kernels are slower there):

- ``int4``: group-wise 4-bit (groups of 32 inputs, a scale and a minimum each: llama.cpp's Q4_1
  layout), torch's ``_weight_int4pack_mm_for_cpu``, and a per-channel int8 copy of the output layer.
  ``auto`` uses it only when every layer matrix already sits on such a grid, as the embedded SmolLM2
  does (it ships as Q4_1): the 4-bit copies then hold the model's own weights (up to rounding of the
  scales). A LoRA persona of such a model that kept its adapter gets 4-bit copies of the base plus
  the adapter (model/lora_delta.py). Measured
  here, one decode row: 15.6 ms vs 33.0 ms in bfloat16; faster up to ~10 rows (see QUANT_MAX_ROWS).
- ``int8``: per-output-channel int8, ``_weight_int8pack_mm``; up to 4 rows (19.5 ms at one row).

Optional int8 matmuls for big passes (``model.int8_matmuls``, :meth:`FastDecoder.use_int8_matmuls`):
prompt chunks and decode steps of at least :data:`INT8_MIN_ROWS` rows multiply int8 activations (one
scale per row) by int8 weights (one scale per output channel) with ``torch._int_mm``, after
SmoothQuant's per-input-channel smoothing (calibrated on a short built-in conversation), with the
few largest input channels kept in float (:data:`INT8_OUTLIERS`). On a CPU with AVX512-VNNI and no
bfloat16 it read prompts ~1.6x faster than float32; it is used only where a start-up probe finds it
faster and a check conversation keeps :data:`INT8_GATE` top-1 agreement (:data:`INT8_MATRICES`).

The copies cost memory (int4: ~0.56 bytes per weight, ~66 MB for the embedded model, plus ~28 MB for
the output layer's int8 copy; int8: 1 byte per weight).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F

log = logging.getLogger(__name__)

QUANT_MAX_ROWS = {"int8": 4, "int4": 10}
"""Decode steps with at most this many rows use the low-bit weights. ``python -m scripts.bench_engine
--step-times`` here (bf16 model, 300 positions, ms per step for the model dtype / int8 / int4), 2
threads: 1 row 33.0 / 21.9 / 15.6, 4 rows 32.8 / 25.5 / 19.9, 8 rows 39.5 / 42.2 / 31.8, 12 rows
45.7 / 52.3 / 43.9, 16 rows 50.7 / 67.7 / 54.1; 1 thread (what ``engine.share_cpu`` leaves when the
machine is busy): int4 2.22x at 1 row, 1.21x at 8, 0.99x at 12, 0.86x at 16. int8 loses from 8 rows."""
INT8_MAX_ROWS = QUANT_MAX_ROWS["int8"]
LORA_MAX_ROWS = 6
"""The same for 4-bit copies of a base plus a LoRA adapter (a persona, model/lora_delta.py), whose update
costs 8 more small matmuls a layer. One decode step of a rank-16 persona of the embedded model, merged
bfloat16 vs 4-bit base + adapter, 300 positions: 1 row 33.0 / 20.5 ms, 4 rows 39.9 / 31.0, 6 rows
38.5 / 37.2, 8 rows 50.4 / 48.0, 10 rows 48.7 / 56.1."""
INT4_GROUP = 32
"""Inputs per scale/minimum in the 4-bit copies (llama.cpp's Q4_0/Q4_1 blocks are 32 too)."""
GRID_TOLERANCE = 0.15
"""``auto``: a matrix is "on a 4-bit grid" when requantizing it moves no weight by more than this share
of its group's step. Measured: the embedded model's matrices 0.06 (bfloat16 rounding), a random or
fine-tuned matrix ~0.4-0.5 (half a step, as for any value)."""
GRID_SAMPLE_ROWS = 64
"""``auto`` checks the grid on this many rows of each matrix (spread over the matrix), not all."""

INT8_MIN_ROWS = 8
"""Passes with at least this many rows (prompt chunk tokens + decode rows) use the int8 matmuls when
they are on. Measured here (float32 CPU with AVX512-VNNI, 2 threads), int8 / float32 matmul time for
the embedded model's shapes: 8 rows 0.34-0.81x, 16 rows 0.25-0.41x, 256 rows 0.34-0.48x; one row
0.6-2.6x (slower for two of the three shapes)."""
INT8_OUTLIERS = {"qkv": 32, "o": 16, "gu": 16, "down": 32}
"""Per matrix, how many input channels stay in the model's dtype (LLM.int8()-style decomposition): the
ones with the largest activations on the calibration text. Quantizing the rest with one scale per row
no longer lets a few channels (up to ~160x the median) set every other channel's step size. Their share
of the multiply-adds is 16-32 of 576-1536 inputs."""
SMOOTH_ALPHA = 0.5
"""SmoothQuant's migration strength: input channel ``j`` of a matrix is divided by
``max|x_j| ** a / max|w_j| ** (1 - a)`` in the activations and multiplied by it in the weights, so a
few large activation channels (up to ~160x the median channel here) no longer take the int8 range of
every other channel. Measured on the benchmark's prompts, top-1 agreement with float32 over every
prompt position: 90.0 % without smoothing, 95.2 % with 0.5, 95.0 % with 0.65, 92.7 % with 0.8."""
INT8_MATRICES = ("qkv", "o", "gu", "down")
"""The matrices that get int8 matmuls: all four of a layer (q/k/v, attention's output, the MLP's
gate/up and down), each with its :data:`INT8_OUTLIERS`. Measured on the embedded model, 25 Nov 2026,
top-1 agreement with float32 on the benchmark's 8 conversations (every position of a prompt read this
way / the served one-row decode step after it / 16 rows decoded together after it), and the time of
a 300-token prompt pass (median of 9, alternating):

- attention's output and gate/up only, no outlier channels (served until then): 98.0 % / 96.1 % /
  96.1 %; 279 ms (float32: 364 ms);
- all four, no outlier channels: 95.2 % / 94.5 % (under the gate); 227 ms;
- all four, 16 outlier channels each: 96.7 % / 96.1 % / 94.9 % (under the gate); 231 ms;
- all four, 32 outlier channels for q/k/v and down, 16 for the others (this): 96.1 % / 96.5 % /
  96.9 %; on 16 other conversations 97.0 % / 98.1 % / 97.5 % (o and gate/up only: 96.9 % / 97.7 % /
  97.7 %).

q/k/v matters most: its keys and values stay in the cache for every later token."""
INT8_GATE = 0.95
"""The int8 matmuls stay off unless the check conversation keeps this share of top-1 agreement with the
model's own dtype (issue 3's quality gate)."""
INT8_MIN_SPEEDUP = 1.25
"""... and unless a start-up probe measures them at least this much faster than the model's dtype."""

SDPA_MIN_QUERIES = 512
"""Prompt chunks at least this long attend through ``scaled_dot_product_attention`` (measured here,
bf16, 2 cores: 768 tokens ~25 % faster; 64-384 tokens the same or up to 10 % slower)."""
SDPA_MIN_QUERIES_FLOAT32 = 128
"""The same for a float32 model (measured on a float32 CPU, 2 cores, the embedded model's whole prompt
pass with the int8 matmuls, median of 9: 64 tokens 72 vs 73 ms, 128: 108 vs 117, 256: 210 vs 231, 300:
256 vs 302, 450: 376 vs 505)."""


def unsupported_reason(model: Any) -> str | None:
    """Why :class:`FastDecoder` cannot run ``model`` (``None`` when it can)."""
    cfg = getattr(model, "config", None)
    if cfg is None or getattr(cfg, "model_type", "") != "llama":
        return f"model type {getattr(cfg, 'model_type', '?')!r} (only llama-family models)"
    if getattr(cfg, "attention_bias", False) or getattr(cfg, "mlp_bias", False):
        return "attention or MLP biases"
    if getattr(cfg, "hidden_act", "silu") != "silu":
        return f"activation {cfg.hidden_act!r}"
    if getattr(cfg, "pretraining_tp", 1) not in (1, None):
        return "pretraining_tp > 1"
    inner = getattr(model, "model", None)
    if inner is None or not hasattr(inner, "layers") or not hasattr(inner, "rotary_emb"):
        return "unexpected module layout"
    for layer in inner.layers:
        attn, mlp = getattr(layer, "self_attn", None), getattr(layer, "mlp", None)
        if (
            attn is None
            or mlp is None
            or not all(hasattr(attn, n) for n in ("q_proj", "k_proj", "v_proj", "o_proj"))
            or not all(hasattr(mlp, n) for n in ("gate_proj", "up_proj", "down_proj"))
        ):
            return "unexpected layer layout"
        if getattr(attn, "scaling", None) is None:
            return "attention without a scaling attribute"
    return None


@dataclass(eq=False)
class Segment:
    """A chunk of a prompt read in a :meth:`FastDecoder.forward` pass, with its own key/value buffers."""

    keys: list[torch.Tensor]  # per layer [kv_heads, T, head_dim]
    values: list[torch.Tensor]
    start: int
    length: int


class _Int8Linear:
    """Per-output-channel symmetric int8 copy of a weight matrix ``[out, in]``."""

    ROWS = 2048
    """Rows quantized at a time. The float32 temporaries of a whole output layer (49152 x 576 for the
    embedded model, 113 MB each) made quantizing it a large part of every start; in blocks that stay in
    the CPU's cache it is 4-8x faster, with the same result to the bit (one process, alternating, 8
    runs each on a busy 2-core machine, min / median: 1 thread 0.44 / 0.51 s -> 0.06 / 0.10 s, 2
    threads 0.63 / 0.69 s -> 0.14 / 0.20 s)."""

    def __init__(self, weight: torch.Tensor, scale_dtype: torch.dtype | None = None) -> None:
        """``scale_dtype``: what the kernel computes in (the weight's dtype unless given; bfloat16 for a
        float32 model, see :func:`low_bit_dtype`). Quantized from the weight itself either way."""
        w = weight.detach()
        # |w| and its row maximum are exact in any float dtype: the same scale as from a float32 copy
        scale = w.abs().amax(dim=1).float().clamp(min=1e-8) / 127.0
        q = torch.empty(w.shape, dtype=torch.int8, device=w.device)
        for start in range(0, w.shape[0], self.ROWS):
            # a copy even when the weight is float32 already: the block is changed in place
            block = w[start : start + self.ROWS].to(torch.float32, copy=True)
            block.div_(scale[start : start + self.ROWS, None]).round_().clamp_(-127, 127)
            q[start : start + self.ROWS] = block
        self.q = q
        self.scale = scale.to(scale_dtype or weight.dtype).contiguous()

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        if x.dtype != self.scale.dtype:  # a float32 model's copy: the kernel runs in bfloat16
            return torch.ops.aten._weight_int8pack_mm(x.to(self.scale.dtype), self.q, self.scale).to(x.dtype)
        return torch.ops.aten._weight_int8pack_mm(x, self.q, self.scale)

    @property
    def nbytes(self) -> int:
        return self.q.numel() + self.scale.numel() * self.scale.element_size()


class _SmoothInt8Linear:
    """A weight matrix ``[out, in]`` for int8 x int8 matmuls (``torch._int_mm``), after SmoothQuant.

    ``act_max[j]``: the largest ``|x_j|`` seen for input channel ``j`` on calibration text. The
    ``outliers`` channels with the largest ``act_max`` stay in float (a small matmul of their own,
    added to the int8 result); the others are smoothed (:data:`SMOOTH_ALPHA`: ``s_j`` is folded into
    the int8 weights, one scale per output channel) and at run time divided by ``s`` and quantized
    with one scale per row, so one unusual token does not cost the others their precision."""

    __slots__ = ("inv", "q", "scale", "picked", "kept")

    def __init__(self, weight: torch.Tensor, act_max: torch.Tensor, outliers: int = 0) -> None:
        w = weight.detach().float()
        act = act_max.float().clone()
        outliers = min(outliers, w.shape[1] // 8)  # a small model's matrices: mostly int8 still
        self.picked = torch.topk(act, outliers).indices.sort().values if outliers else None
        if self.picked is not None:
            act[self.picked] = 0  # they do not steer the smoothing of the others
        # One temporary copy of the matrix, worked on in place: a start builds these for every layer,
        # and each extra full-size temporary showed as ~100 MB more peak memory there.
        w_max = torch.maximum(torch.amax(w, 0), torch.amin(w, 0).neg_())
        smooth = act.clamp_min(1e-5).pow(SMOOTH_ALPHA) / w_max.clamp_min(1e-5).pow(1 - SMOOTH_ALPHA)
        w = w * smooth
        self.inv = smooth.reciprocal()
        if self.picked is not None:
            w[:, self.picked] = 0
            self.inv[self.picked] = 0  # the activations' int8 part leaves them out
        self.scale = (torch.maximum(torch.amax(w, 1), torch.amin(w, 1).neg_()) / 127).clamp_min(1e-12)
        self.q = (
            w.div_(self.scale[:, None]).round_().clamp_(-127, 127).to(torch.int8).t().contiguous()
        )  # [in, out]
        del w
        # [outliers, out], divided by the output scale: the sum is scaled once, below
        self.kept = (
            (weight.detach()[:, self.picked].float() / self.scale[:, None]).t().contiguous()
            if self.picked is not None
            else None
        )

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        xf = x.float()
        h = xf * self.inv  # a new tensor: the in-place ops below do not touch x
        row = h.abs().amax(1, keepdim=True).clamp_min_(1e-12).div_(127)
        # int32 -> float32, then the row scale in place: a mixed-dtype mul did both in one op but took
        # ~6 % more of a 300-token pass here (the same values)
        y = torch._int_mm(h.div_(row).round_().to(torch.int8), self.q).to(torch.float32).mul_(row)
        if self.kept is not None:
            y.addmm_(xf.index_select(1, self.picked), self.kept)
        return y.mul_(self.scale).to(x.dtype)

    @property
    def nbytes(self) -> int:
        kept = 0 if self.kept is None else 4 * self.kept.numel() + 8 * self.picked.numel()
        return self.q.numel() + 4 * (self.scale.numel() + self.inv.numel()) + kept


class _Plain:
    """A weight that keeps the model's dtype in a layer's int8 matrices (see :data:`INT8_MATRICES`)."""

    __slots__ = ("weight",)

    def __init__(self, weight: torch.Tensor) -> None:
        self.weight = weight

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return F.linear(x, self.weight)


class _Watch:
    """Stands in for a weight during calibration: the plain matmul, and the largest ``|x_j|`` per input
    channel seen so far."""

    __slots__ = ("weight", "act_max")

    def __init__(self, weight: torch.Tensor) -> None:
        self.weight = weight
        self.act_max = torch.zeros(weight.shape[1])

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        torch.maximum(self.act_max, x.detach().abs().amax(0).float(), out=self.act_max)
        return F.linear(x, self.weight)


class OffGrid(ValueError):
    """A matrix is not on a 4-bit grid (``auto`` then serves the model's own dtype)."""


class _Int4Linear:
    """Group-wise asymmetric 4-bit copy of ``[out, in]``: per group of 32 inputs ``w = q * step + min``.

    The kernel computes ``(q - 8) * scale + zero``, so ``scale = step`` and ``zero = min + 8 * step``;
    both are kept in the model dtype (the kernel's requirement).
    """

    def __init__(self, weight: torch.Tensor, *, check_grid: bool = False) -> None:
        n, k = weight.shape
        if k % INT4_GROUP:
            raise OffGrid(f"{k} inputs is not a multiple of {INT4_GROUP}")
        groups = weight.detach().to(torch.float32, copy=True).view(n, k // INT4_GROUP, INT4_GROUP)
        low = groups.amin(-1)
        step = ((groups.amax(-1) - low) / 15).clamp_(min=1e-12)
        if check_grid:
            rows = torch.linspace(0, n - 1, min(n, GRID_SAMPLE_ROWS)).long()
            g, lo, st = groups[rows], low[rows, :, None], step[rows, :, None]
            err = float(((g - lo) / st - torch.round((g - lo) / st)).abs().max())
            if err > GRID_TOLERANCE:
                raise OffGrid(f"weights {err:.2f} of a step off a 4-bit grid")
        q = groups.sub_(low[..., None]).div_(step[..., None]).round_().clamp_(0, 15)
        self.packed = torch.ops.aten._convert_weight_to_int4pack_for_cpu(q.to(torch.int32).view(n, k), 2)
        scale_zero = torch.stack([step, low + 8 * step], dim=-1)  # [n, groups, 2]
        self.scale_zero = scale_zero.transpose(0, 1).contiguous().to(weight.dtype)  # [groups, n, 2]

    @classmethod
    def from_parts(cls, packed: torch.Tensor, scale_zero: torch.Tensor) -> _Int4Linear:
        lin = cls.__new__(cls)
        lin.packed, lin.scale_zero = packed, scale_zero
        return lin

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        sz = self.scale_zero
        if x.dtype != sz.dtype:  # a float32 model's copy: the kernel runs in bfloat16
            return torch.ops.aten._weight_int4pack_mm_for_cpu(x.to(sz.dtype), self.packed, INT4_GROUP, sz).to(
                x.dtype
            )
        return torch.ops.aten._weight_int4pack_mm_for_cpu(x, self.packed, INT4_GROUP, sz)

    @property
    def nbytes(self) -> int:
        return self.packed.numel() + self.scale_zero.numel() * self.scale_zero.element_size()


def int4_supported(dtype: torch.dtype, device: torch.device) -> bool:
    """Whether torch's group-wise int4 matmul runs here for ``dtype`` (torch >= 2.6 on a CPU) and
    computes what it should: on a matrix that is on the 4-bit grid it must match the plain matmul."""
    if device.type != "cpu" or not hasattr(torch.ops.aten, "_weight_int4pack_mm_for_cpu"):
        return False
    try:
        g = torch.Generator().manual_seed(0)
        q = torch.randint(0, 16, (16, 2, INT4_GROUP), generator=g).float()
        w = (q * 0.01 - 0.07).view(16, 2 * INT4_GROUP).to(dtype)  # on the grid, exact in bfloat16
        x = torch.randn(2, 2 * INT4_GROUP, generator=g).to(dtype)
        return _close(_Int4Linear(w)(x), F.linear(x, w))
    except Exception:  # noqa: BLE001 - any failure means "not here"
        return False


def int8_supported(dtype: torch.dtype, device: torch.device) -> bool:
    """Whether torch's weight-only int8 matmul runs here for ``dtype`` and computes what it should
    (close to the plain matmul: per-channel int8 rounds each weight by at most half a step)."""
    if device.type != "cpu":
        return False
    try:
        g = torch.Generator().manual_seed(0)
        w = torch.randn(8, 64, generator=g).to(dtype)
        x = torch.randn(2, 64, generator=g).to(dtype)
        return _close(_Int8Linear(w)(x), F.linear(x, w))
    except Exception:  # noqa: BLE001 - any failure means "not here"
        return False


def _close(got: torch.Tensor, want: torch.Tensor) -> bool:
    got, want = got.float(), want.float()
    return (
        got.shape == want.shape and float((got - want).abs().max()) <= 0.05 * float(want.abs().max()) + 1e-3
    )


PROBE_ROUNDS = 7
"""Rounds of the low-bit speed probe (``low_bit_is_faster``); the median round decides."""


def low_bit_is_faster(kind: str, dtype: torch.dtype, rounds: int = PROBE_ROUNDS) -> bool:
    """Whether one decode row through the ``kind`` ("int4"/"int8") kernel beats the plain matmul here:
    a probe on a 1536 x 576 matrix (a few milliseconds). The kernels are fast where torch has a path for
    this CPU and dtype (bfloat16 with AVX512 here: 2-3x faster) and can be 10x slower where it has none;
    the probe tells the two apart, not small differences.

    Each of ``rounds`` rounds takes the best of 9 runs of each, and the decision is the median round's
    ratio. One round alone was not enough on a busy machine: while other processes ran, 4 rounds in 30
    measured the int4 kernel 1.1-51x slower than the plain matmul instead of ~0.45x (a thread of
    torch's team descheduled for every run of the round), and a bot started at such a moment served
    without its 4-bit copies for as long as it ran."""
    import statistics

    torch.manual_seed(0)
    w = torch.randn(1536, 576).to(dtype)
    low = low_bit_dtype(dtype)  # a float32 model's copies run in bfloat16
    lin = _Int4Linear(w.to(low)) if kind == "int4" else _Int8Linear(w, low)
    x = torch.randn(1, 576).to(dtype)

    def best(f) -> float:
        return _best_of(f, 9)

    with torch.inference_mode():
        best(lambda: (lin(x), F.linear(x, w)))  # warm-up
        ratios = [best(lambda: lin(x)) / max(best(lambda: F.linear(x, w)), 1e-9) for _ in range(rounds)]
    return statistics.median(ratios) < 1.0


def _best_of(f: Callable[[], object], runs: int) -> float:
    """The shortest of ``runs`` timings of ``f()``, in seconds (the speed probes)."""
    import time

    times = []
    for _ in range(runs):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times)


def int8_matmuls_supported(dtype: torch.dtype, device: torch.device) -> bool:
    """Whether ``torch._int_mm`` runs here and a :class:`_SmoothInt8Linear` computes what it should."""
    if device.type != "cpu" or not hasattr(torch, "_int_mm"):
        return False
    try:
        torch.manual_seed(0)
        w, x = torch.randn(64, 32).to(dtype), torch.randn(12, 32).to(dtype)
        with torch.inference_mode():
            return _close(_SmoothInt8Linear(w, x.abs().amax(0).float())(x), F.linear(x, w))
    except (RuntimeError, TypeError, NotImplementedError):
        return False


def int8_matmuls_speedup(dtype: torch.dtype, rounds: int = PROBE_ROUNDS) -> float:
    """How many times faster the int8 matmuls (:class:`_SmoothInt8Linear`) are than the plain matmul
    in ``dtype`` for a 256-row prompt chunk through a 576 -> 1536 matrix (the embedded model's MLP):
    the median of ``rounds`` rounds, each the best of 5 runs (see :func:`low_bit_is_faster`)."""
    import statistics

    torch.manual_seed(0)
    w, x = torch.randn(1536, 576).to(dtype), torch.randn(256, 576).to(dtype)
    lin = _SmoothInt8Linear(w, x.abs().amax(0).float())

    def best(f) -> float:
        return _best_of(f, 5)

    with torch.inference_mode():
        best(lambda: (lin(x), F.linear(x, w)))  # warm-up
        ratios = [best(lambda: F.linear(x, w)) / max(best(lambda: lin(x)), 1e-9) for _ in range(rounds)]
    return statistics.median(ratios)


def low_bit_dtype(dtype: torch.dtype) -> torch.dtype:
    """The dtype the low-bit copies of a ``dtype`` model compute in: bfloat16 for a float32 model.

    torch's low-bit CPU kernels are fast only with bfloat16 activations (one decode row of the MLP:
    0.05 ms in bfloat16, 0.7-1.7 ms in float32). A CPU without native bfloat16 serves the model in
    float32, and yet on such a CPU (AVX512 without BF16, 24 Nov 2026) the 4-bit kernel with the
    activations cast to bfloat16 and back made a one-row decode step of the embedded model 34.5 ->
    17.7 ms and a 4-row one 53.9 -> 27.4 ms: a decode step reads every weight, and 4-bit weights are an
    eighth of float32's. So a float32 model's copies keep their scales in bfloat16, and the copies cast
    the activations on the way in and the result back (``_Int4Linear.__call__``)."""
    return torch.bfloat16 if dtype == torch.float32 else dtype


def sdpa_gqa_supported() -> bool:
    """Whether ``scaled_dot_product_attention`` takes ``enable_gqa`` (torch >= 2.5)."""
    try:
        q, kv = torch.zeros(1, 2, 2, 4), torch.zeros(1, 1, 2, 4)
        mask = torch.zeros(2, 2)
        return F.scaled_dot_product_attention(q, kv, kv, attn_mask=mask, enable_gqa=True).shape == q.shape
    except (TypeError, RuntimeError):
        return False


def _int4_cache_name(dtype: torch.dtype, *, lora: bool = False) -> str:
    # the packed layout is torch's own (per version); the scales are in the model dtype. A LoRA
    # persona's copies are of its base (merged weights minus the adapter), not of its own weights.
    kind = "int4-lora-base" if lora else "int4"
    return f"kindred-{kind}-{torch.__version__.split('+')[0]}-{str(dtype).removeprefix('torch.')}.safetensors"


def _read_int4_cache(path: Path, n_layers: int, names: tuple[str, ...], key: str = ""):
    """``(per-layer {name: (packed, scale_zero)}, on_grid)`` from ``path``, or None (missing, damaged,
    other shape, or made from other weights than ``key`` names: then the copies are computed again)."""
    if not path.is_file():
        return None
    try:
        from safetensors import safe_open

        with safe_open(str(path), framework="pt") as f:
            meta = f.metadata() or {}
            if meta.get("group") != str(INT4_GROUP) or int(meta.get("layers", -1)) != n_layers:
                return None
            if meta.get("weights", "") != key:
                log.info("the 4-bit weight copies in %s are of other weights; computing them again", path)
                return None
            on_grid = meta.get("on_grid") == "1"
            if not f.keys():
                return [], on_grid
            layers = [
                {n: (f.get_tensor(f"{i}.{n}.packed"), f.get_tensor(f"{i}.{n}.scale_zero")) for n in names}
                for i in range(n_layers)
            ]
        return layers, on_grid
    except Exception as exc:  # noqa: BLE001 - a bad cache file is recomputed, never fatal
        log.warning("ignoring the 4-bit weight cache %s: %s", path, exc)
        return None


def _same_packing(weight: torch.Tensor, parts: dict[str, tuple[torch.Tensor, torch.Tensor]]) -> bool:
    """Whether the cached copies are what this machine would compute now from ``weight`` (the first
    layer's ``o`` matrix). torch's packed layout is its own and may differ between builds or CPUs (a
    cache folder shared between machines): one matrix is packed again and compared (~5 ms), and any
    difference recomputes them all."""
    try:
        fresh = _Int4Linear(weight)
        packed, scale_zero = parts["o"]
        same = torch.equal(fresh.packed, packed) and torch.equal(fresh.scale_zero, scale_zero)
    except Exception:  # noqa: BLE001 - unreadable or mismatched: recompute
        same = False
    if not same:
        log.warning(
            "the cached 4-bit weight copies do not match this machine's packing; computing them again"
        )
    return same


def _write_int4_cache(
    path: Path,
    copies: list[dict[str, Any]],
    n_layers: int,
    names: tuple[str, ...],
    on_grid: bool,
    key: str = "",
) -> None:
    """Write the layers' 4-bit copies (``copies[i][name]``, an ``_Int4Linear``; none at all when the
    model is off the grid: then only that fact is kept) to a temporary file and rename it, so a killed
    start never leaves half a file. ``key`` names the weights they were made from (a model folder's
    fingerprint, see model/loader.py): copies made from other weights are not read back."""

    try:
        tensors = {}
        for i, low in enumerate(copies):
            for n in names:
                tensors[f"{i}.{n}.packed"] = low[n].packed
                tensors[f"{i}.{n}.scale_zero"] = low[n].scale_zero
        meta = {"group": str(INT4_GROUP), "layers": str(n_layers), "on_grid": "1" if on_grid else "0"}
        if key:
            meta["weights"] = key
        _save_atomically(path, tensors, meta)
    except Exception as exc:  # noqa: BLE001 - a read-only cache only costs the next start time
        log.warning("could not keep the 4-bit weight copies in %s: %s", path.parent, exc)


def _save_atomically(path: Path, tensors: dict[str, torch.Tensor], meta: dict[str, str]) -> None:
    """Write a safetensors file to a temporary file next to ``path`` and rename it, so a killed start
    never leaves half a file (a model folder's cache folder is made at its first start)."""
    import os
    import tempfile

    from safetensors.torch import save_file

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".kindred-", dir=path.parent)
    os.close(fd)
    try:
        save_file(tensors, tmp, metadata=meta)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; like the model cache, it is ordinary data
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


_NAMES = ("qkv", "o", "gu", "down")
"""The fused matrices of a layer that get low-bit copies."""


def _int8_cache_name(dtype: torch.dtype) -> str:
    return f"kindred-int8-calibration-{str(dtype).removeprefix('torch.')}.safetensors"


def _int8_fingerprint(calibration: list[int], check: list[int], dtype: torch.dtype, key: str) -> str:
    """What a calibration depends on: both texts, the smoothing, the matrices, torch, dtype, weights."""
    import hashlib
    import json

    what = [
        calibration,
        check,
        SMOOTH_ALPHA,
        INT8_MATRICES,
        INT8_OUTLIERS,
        torch.__version__,
        str(dtype),
        key,
    ]
    return hashlib.sha256(json.dumps(what).encode()).hexdigest()


def _read_int8_cache(path: Path, fingerprint: str, n_layers: int):
    """``(agreement, [{name: act_max}] per layer)`` kept by an earlier start, or None (missing, damaged,
    or from other weights, texts or settings: then the calibration runs again)."""
    if not path.is_file():
        return None
    try:
        from safetensors import safe_open

        with safe_open(str(path), framework="pt") as f:
            meta = f.metadata() or {}
            if meta.get("fingerprint") != fingerprint:
                return None
            maxima = [{n: f.get_tensor(f"{i}.{n}") for n in INT8_MATRICES} for i in range(n_layers)]
            return float(meta["agreement"]), maxima
    except Exception as exc:  # noqa: BLE001 - a bad cache file is recomputed, never fatal
        log.warning("ignoring the int8 calibration cache %s: %s", path, exc)
        return None


def _write_int8_cache(
    path: Path, fingerprint: str, agreement: float, maxima: list[dict[str, torch.Tensor]]
) -> None:
    """Keep the calibration (each matrix's input maxima) and the check's agreement, written to a
    temporary file and renamed (see :func:`_write_int4_cache`); a failure only costs the next start."""

    try:
        tensors = {f"{i}.{n}": m.contiguous() for i, layer in enumerate(maxima) for n, m in layer.items()}
        meta = {"fingerprint": fingerprint, "agreement": repr(agreement)}
        _save_atomically(path, tensors, meta)
    except Exception as exc:  # noqa: BLE001 - a read-only cache only costs the next start time
        log.warning("could not keep the int8 calibration in %s: %s", path.parent, exc)


class _Layer:
    __slots__ = ("ln1", "ln2", "eps1", "eps2", "qkv", "o", "gu", "down", "scaling", "low", "big")

    def __init__(self, layer: Any) -> None:
        attn, mlp = layer.self_attn, layer.mlp
        self.ln1, self.ln2 = layer.input_layernorm.weight, layer.post_attention_layernorm.weight
        self.eps1 = float(layer.input_layernorm.variance_epsilon)
        self.eps2 = float(layer.post_attention_layernorm.variance_epsilon)
        self.qkv = _fuse(attn.q_proj, attn.k_proj, attn.v_proj)
        self.o = attn.o_proj.weight
        self.gu = _fuse(mlp.gate_proj, mlp.up_proj)
        self.down = mlp.down_proj.weight
        self.scaling = float(attn.scaling)
        self.low: dict[str, Any] | None = None  # the low-bit copies, when quantization is on
        self.big: dict[str, Any] | None = None  # the int8 matmuls for big passes, when they are on


def _fuse(*linears: Any) -> torch.Tensor:
    """Concatenate the linears' weights (rows) and make each module hold a view into the result."""
    first = linears[0]
    fused = getattr(first, "_kindred_fused", None)
    if (
        fused is not None
        and first.weight.data_ptr() == fused.data_ptr()
        and first.weight.dtype == fused.dtype
    ):
        return fused  # an earlier FastDecoder on the same model did it (and the weights still live there)
    fused = torch.cat([lin.weight.detach() for lin in linears], dim=0).contiguous()
    row = 0
    for lin in linears:
        n = lin.weight.shape[0]
        lin.weight = torch.nn.Parameter(fused[row : row + n], requires_grad=False)
        row += n
    first._kindred_fused = fused
    return fused


def _rms(x: torch.Tensor, weight: torch.Tensor, eps: float) -> torch.Tensor:
    # exactly transformers' LlamaRMSNorm: float32 statistics, cast back, then the weight
    h = x.float()
    h = h * torch.rsqrt(h.pow(2).mean(-1, keepdim=True) + eps)
    return weight * h.to(x.dtype)


class FastDecoder:
    """``step(tokens, positions, keys, values) -> logits`` for one token per row.

    ``keys[layer]``/``values[layer]`` are the engine's slot buffers ``[slots, kv_heads, T, head_dim]``;
    row ``i`` is slot ``i``, writes its new key/value at ``positions[i]`` and attends to positions
    ``0..positions[i]``; positions past that (old or unused buffer contents) are masked out.
    """

    def __init__(
        self,
        model: Any,
        *,
        weights: str = "none",
        sdpa: bool | None = None,
        cache_dir: Path | None = None,
        cache_key: str = "",
        adapter_dir: Path | None = None,
    ) -> None:
        """``weights``: "none", "int8", "int4", or "auto" (int4 when the model is on a 4-bit grid).

        The caller checks that the kernel runs here (:func:`int8_supported`, :func:`int4_supported`).
        ``cache_dir``: a folder where the 4-bit copies are kept so later starts skip computing them
        (~0.6-0.9 s for the embedded model): the converted-model cache, which belongs to these exact
        weights, or a model folder's cache (model/loader.py), with ``cache_key`` naming the weights'
        version (copies of another version are computed again and replaced).
        ``adapter_dir``: the LoRA adapter the model's weights were merged with (a persona's
        ``adapter/``): for int4/auto the copies are then of the base, plus the adapter (model/lora_delta.py).
        """
        reason = unsupported_reason(model)
        if reason is not None:
            raise ValueError(f"the fast decode path does not support this model: {reason}")
        if weights not in ("none", "int8", "int4", "auto"):
            raise ValueError(f"weights must be none, int8, int4 or auto, not {weights!r}")
        self.model = model
        cfg = model.config
        inner = model.model
        self.embed = inner.embed_tokens.weight
        self.norm = inner.norm.weight
        self.norm_eps = float(inner.norm.variance_epsilon)
        self.rotary = inner.rotary_emb
        self.lm_head = model.lm_head.weight
        self.low_dtype = low_bit_dtype(self.lm_head.dtype)
        """What the low-bit copies compute in (:func:`low_bit_dtype`)."""
        self.heads = int(cfg.num_attention_heads)
        self.kv_heads = int(getattr(cfg, "num_key_value_heads", None) or self.heads)
        self.head_dim = int(getattr(cfg, "head_dim", None) or cfg.hidden_size // self.heads)
        self.groups = self.heads // self.kv_heads
        with torch.no_grad():
            self.layers = [_Layer(layer) for layer in inner.layers]
        self.sdpa_gqa = sdpa_gqa_supported() if sdpa is None else sdpa
        self.quant_bytes = 0
        self.lm_head_low: Any = None
        self.weights = "none"
        """The low-bit copies in use: "none", "int8" or "int4"."""
        self.weights_note = ""
        """Why ``auto`` chose what it chose (for the start-up log)."""
        self.adapter_rank = 0
        """The LoRA rank when the 4-bit copies are of the base plus an adapter (model/lora_delta.py)."""
        names = ("qkv", "o", "gu", "down")
        with torch.no_grad():
            if weights == "int8":
                for ly in self.layers:
                    ly.low = {n: _Int8Linear(getattr(ly, n), self.low_dtype) for n in names}
                self.lm_head_low = _Int8Linear(self.lm_head, self.low_dtype)
                self.weights = "int8"
            elif weights in ("int4", "auto"):
                deltas = self._read_adapter(adapter_dir) if adapter_dir is not None else None
                if deltas is not None:
                    self._int4_layers_with_adapter(weights, *deltas, cache_dir, cache_key)
                else:
                    self._int4_layers(weights, cache_dir, cache_key)
        for ly in self.layers:
            if ly.low:
                self.quant_bytes += sum(q.nbytes for q in ly.low.values())
        if self.lm_head_low is not None:
            self.quant_bytes += self.lm_head_low.nbytes
        self.quant_rows = QUANT_MAX_ROWS.get(self.weights, 0)
        if self.adapter_rank:
            self.quant_rows = LORA_MAX_ROWS
        """Decode steps with at most this many rows (and no prompt chunk) use the low-bit copies."""
        self.int8_matmuls = False
        """Passes of at least :data:`INT8_MIN_ROWS` rows that do not use the low-bit copies run int8
        matmuls (:meth:`use_int8_matmuls`)."""
        self.int8_note = "off"
        """What :meth:`use_int8_matmuls` decided and why (for the start-up log)."""
        self.int8_bytes = 0
        self.released_bytes = 0
        """Bytes of model-dtype weights freed by :meth:`release_float_weights` (0: none)."""

    def _int4_layers(self, weights: str, cache_dir: Path | None, cache_key: str = "") -> None:
        auto = weights == "auto"
        on_grid = self._int4_copies(
            lambda li, name: getattr(self.layers[li], name).to(self.low_dtype),
            auto=auto,
            cache=cache_dir / _int4_cache_name(self.layers[0].qkv.dtype) if cache_dir is not None else None,
            cache_key=cache_key,
        )
        if on_grid is None or isinstance(on_grid, str):
            if on_grid is not None:
                self.weights_note = f"the weights are not 4-bit ({on_grid})"
            return
        self.weights = "int4"
        if on_grid:
            self.weights_note = "the weights are 4-bit already"
        self._int8_output_layer()

    def _int4_copies(
        self, base: Callable[[int, str], torch.Tensor], *, auto: bool, cache: Path | None, cache_key: str
    ) -> bool | str | None:
        """Set each layer's ``low`` to 4-bit copies of ``base(layer index, name)``, read from ``cache``
        when it holds them (for these weights: ``cache_key``), else computed and written there. ``base``
        is called once per matrix, so a computed base (merged minus adapter) is never all in memory.

        Returns whether the matrices are on the 4-bit grid (the copies are exact then); with ``auto``
        and matrices off the grid no copies are made and it returns why (a str), or None when an
        earlier start found that already (``weights_note`` is set then)."""
        n = len(self.layers)
        cached = _read_int4_cache(cache, n, _NAMES, cache_key) if cache is not None else None
        if cached is not None:
            copies, was_on_grid = cached
            if auto and not was_on_grid:
                for ly in self.layers:
                    ly.low = None
                self.weights_note = "the weights are not 4-bit (remembered from an earlier start)"
                return None
            if copies and _same_packing(base(0, "o"), copies[0]):
                for ly, parts in zip(self.layers, copies, strict=True):
                    ly.low = {name: _Int4Linear.from_parts(*parts[name]) for name in _NAMES}
                return bool(was_on_grid)
        on_grid: bool | str = True
        try:
            for li, ly in enumerate(self.layers):
                ly.low = {name: _Int4Linear(base(li, name), check_grid=True) for name in _NAMES}
        except OffGrid as exc:
            on_grid = str(exc)
            for li, ly in enumerate(self.layers):
                ly.low = None if auto else {name: _Int4Linear(base(li, name)) for name in _NAMES}
        if cache is not None:
            kept = [ly.low for ly in self.layers] if self.layers[0].low else []
            _write_int4_cache(cache, kept, n, _NAMES, on_grid is True, cache_key)
        if on_grid is not True and not auto:
            return False
        return on_grid

    def _read_adapter(self, adapter_dir: Path) -> tuple[dict, int] | None:
        from model.lora_delta import AdapterError, read_adapter

        try:
            return read_adapter(adapter_dir, self.model)
        except AdapterError as exc:
            log.warning("not using the LoRA adapter in %s for the 4-bit weights: %s", adapter_dir, exc)
            return None

    def _int4_layers_with_adapter(
        self, weights: str, deltas: dict, rank: int, cache_dir: Path | None = None, cache_key: str = ""
    ) -> None:
        """4-bit copies of ``merged - adapter`` (the base model's matrices) plus the adapter itself.
        ``auto`` needs every such base matrix on the grid. The copies are kept in ``cache_dir`` like a
        plain model's (keyed by the weights and the adapter: ``cache_key``)."""
        from model.lora_delta import WithDelta

        def base(li: int, name: str) -> torch.Tensor:
            w = getattr(self.layers[li], name)
            delta = deltas.get((li, name))
            return (w if delta is None else w.float() - delta.full()).to(self.low_dtype)

        dtype = self.layers[0].qkv.dtype
        on_grid = self._int4_copies(
            base,
            auto=weights == "auto",
            cache=cache_dir / _int4_cache_name(dtype, lora=True) if cache_dir is not None else None,
            cache_key=cache_key,
        )
        if on_grid is None or isinstance(on_grid, str):
            note = "the weights minus the LoRA adapter are not 4-bit"
            self.weights_note = (
                f"{note} ({on_grid})" if on_grid else f"{note} (remembered from an earlier start)"
            )
            return
        for li, ly in enumerate(self.layers):
            assert ly.low is not None
            ly.low = {
                name: lin if deltas.get((li, name)) is None else WithDelta(lin, deltas[(li, name)])
                for name, lin in ly.low.items()
            }
        self.weights = "int4"
        self.adapter_rank = rank
        self.weights_note = f"a 4-bit base plus the LoRA adapter (rank {rank})"
        self._int8_output_layer()

    def _int8_output_layer(self) -> None:
        # The output layer (the embedded model's is Q8_0, not 4-bit) gets a per-channel int8 copy: 4
        # bits lose too much there. One decode row 17.8 -> 15.4 ms, and the served step's top-1
        # agreement with float32 went up, 96.1 % -> 97.3 % (scripts/bench_engine.py --quality).
        if int8_supported(self.low_dtype, self.lm_head.device):
            self.lm_head_low = _Int8Linear(self.lm_head, self.low_dtype)  # no bfloat16 copy of it first

    @torch.inference_mode()
    def step(
        self,
        tokens: torch.Tensor,
        positions: torch.Tensor,
        keys: list[torch.Tensor],
        values: list[torch.Tensor],
    ) -> torch.Tensor:
        """One decode step: row ``i`` feeds ``tokens[i]`` at ``positions[i]``; logits ``[B, vocab]``."""
        return self.forward(tokens, positions, keys, values, [])

    @torch.inference_mode()
    def forward(
        self,
        tokens: torch.Tensor,
        positions: torch.Tensor,
        keys: list[torch.Tensor],
        values: list[torch.Tensor],
        segments: list[Segment],
        *,
        every_position: bool = False,
    ) -> torch.Tensor:
        """Decode rows and prompt chunks in one pass: the weights are read once for all of them.

        ``tokens``/``positions`` (1-D) hold first one token per decode row (row ``i`` = slot ``i``),
        then each segment's chunk in order. A :class:`Segment` is a piece of a prompt being read: its
        keys/values go to its own ``keys``/``values`` buffers (``[kv_heads, T, head_dim]`` per layer)
        at ``start..start+length``, and it attends causally to everything before it there.
        Returns logits for every decode row and for the last token of each segment, in that order
        (``every_position``: for every token of the pass instead).
        """
        n = int(tokens.shape[0])
        b = n - sum(seg.length for seg in segments)
        h, kvh, d, g = self.heads, self.kv_heads, self.head_dim, self.groups
        x = F.embedding(tokens, self.embed)  # [N, hidden]
        cos, sin = self.rotary(x, positions.unsqueeze(0))  # [1, N, D]
        cos, sin = cos[0].unsqueeze(1), sin[0].unsqueeze(1)  # [N, 1, D]
        half = d // 2
        dev = tokens.device
        if b:
            rows = torch.arange(b, device=dev)
            dpos = positions[:b]
            # Row i sees positions 0..pos_i: an additive mask over the positions up to the furthest
            # row's. The buffers are as long as the longest sequence so far, rounded up to 128 (see
            # SlotKV.ensure); attention over only the window in use is 1.1-1.45x faster for 8-32 rows here
            # (float32, torch 2.13) although the slice is strided (an older measurement, on bfloat16,
            # had found matmul copying such a slice, 3x slower).
            width = int(dpos.max()) + 1
            mask = torch.zeros(b, width, dtype=x.dtype, device=dev)
            mask.masked_fill_(torch.arange(width, device=dev).unsqueeze(0) > dpos.unsqueeze(1), float("-inf"))
            mask = mask.view(b, 1, 1, width)
        seg_masks = []
        for seg in segments:  # query i of a segment sees positions 0..start+i (additive mask)
            span = torch.arange(seg.start + seg.length, device=dev)
            allowed = span.unsqueeze(0) <= (seg.start + torch.arange(seg.length, device=dev)).unsqueeze(1)
            smask = torch.zeros(allowed.shape, dtype=x.dtype, device=dev)
            seg_masks.append(smask.masked_fill_(~allowed, float("-inf")))
        if self.released_bytes:  # no matrix of INT8_MATRICES is left in the model dtype
            small = n <= self.quant_rows
        else:
            small = not segments and b <= self.quant_rows
        big = not small and (self.int8_matmuls or self.released_bytes > 0) and n >= INT8_MIN_ROWS

        sdpa_from = SDPA_MIN_QUERIES_FLOAT32 if x.dtype == torch.float32 else SDPA_MIN_QUERIES
        for li, ly in enumerate(self.layers):
            low = ly.low if small else ly.big if big else None
            hs = _rms(x, ly.ln1, ly.eps1)
            qkv = low["qkv"](hs) if low else F.linear(hs, ly.qkv)
            q = qkv[:, : h * d].view(n, h, d)
            k = qkv[:, h * d : (h + kvh) * d].view(n, kvh, d)
            v = qkv[:, (h + kvh) * d :].view(n, kvh, d)
            q = q * cos + torch.cat((-q[..., half:], q[..., :half]), dim=-1) * sin
            k = k * cos + torch.cat((-k[..., half:], k[..., :half]), dim=-1) * sin
            parts = []
            if b:
                kb, vb = keys[li], values[li]
                kb[rows, :, dpos] = k[:b]
                vb[rows, :, dpos] = v[:b]
                kk = kb[:b, :, :width]  # [B, KVH, width, D]; positions past pos_i are masked
                vv = vb[:b, :, :width]
                scores = torch.matmul(q[:b].view(b, kvh, g, d), kk.transpose(-1, -2)) * ly.scaling
                scores = scores + mask  # [B, KVH, G, T]
                probs = torch.softmax(scores, dim=-1, dtype=torch.float32).to(x.dtype)
                parts.append(torch.matmul(probs, vv).reshape(b, h * d))
            at = b
            for seg, smask in zip(segments, seg_masks, strict=True):
                end = seg.start + seg.length
                sk, sv = seg.keys[li], seg.values[li]
                sk[:, seg.start : end] = k[at : at + seg.length].transpose(0, 1)
                sv[:, seg.start : end] = v[at : at + seg.length].transpose(0, 1)
                if self.sdpa_gqa and seg.length >= sdpa_from:
                    # torch's fused kernel: faster than the matmuls below for a long chunk (768
                    # prompt tokens from scratch: ~830 vs ~1120 ms a pass here), slower for short ones.
                    qs = q[at : at + seg.length].transpose(0, 1).unsqueeze(0)  # [1, H, L, D]
                    out = F.scaled_dot_product_attention(
                        qs,
                        sk[None, :, :end],
                        sv[None, :, :end],
                        attn_mask=smask,
                        scale=ly.scaling,
                        enable_gqa=True,
                    )
                    parts.append(out[0].transpose(0, 1).reshape(seg.length, h * d))
                else:
                    # grouped: the g query heads sharing a key head are one matrix of g * L rows
                    qs = (
                        q[at : at + seg.length].view(seg.length, kvh, g, d).permute(1, 2, 0, 3)
                    )  # [KVH,G,L,D]
                    scores = torch.matmul(qs.reshape(kvh, g * seg.length, d), sk[:, :end].transpose(-1, -2))
                    scores = (scores * ly.scaling).view(kvh, g, seg.length, end) + smask
                    probs = torch.softmax(scores, dim=-1, dtype=torch.float32).to(x.dtype)
                    out = torch.matmul(probs.view(kvh, g * seg.length, end), sv[:, :end])  # [KVH, G*L, D]
                    parts.append(
                        out.view(kvh, g, seg.length, d).permute(2, 0, 1, 3).reshape(seg.length, h * d)
                    )
                at += seg.length
            attn = parts[0] if len(parts) == 1 else torch.cat(parts, dim=0)
            x = x + (low["o"](attn) if low else F.linear(attn, ly.o))
            hs = _rms(x, ly.ln2, ly.eps2)
            gu = low["gu"](hs) if low else F.linear(hs, ly.gu)
            gate, up = gu.chunk(2, dim=-1)
            act = F.silu(gate) * up
            x = x + (low["down"](act) if low else F.linear(act, ly.down))
        if segments and not every_position:
            ends, at = [], b
            for seg in segments:
                at += seg.length
                ends.append(at - 1)
            pick = torch.tensor(list(range(b)) + ends, device=dev)
            x = x.index_select(0, pick)
        x = _rms(x, self.norm, self.norm_eps)
        if small and self.lm_head_low is not None:
            return self.lm_head_low(x)
        return F.linear(x, self.lm_head)

    def _prompt_logits(self, ids: list[int]) -> torch.Tensor:
        """Logits at every position of ``ids`` read as one prompt (for calibration and the check)."""
        n = len(ids)
        buffers = [torch.zeros(self.kv_heads, n, self.head_dim, dtype=self.embed.dtype) for _ in self.layers]
        values = [torch.zeros_like(k) for k in buffers]
        tokens = torch.tensor(ids, device=self.embed.device)
        positions = torch.arange(n, device=self.embed.device)
        segment = Segment(buffers, values, 0, n)
        return self.forward(tokens, positions, buffers, values, [segment], every_position=True)

    @torch.inference_mode()
    def use_int8_matmuls(
        self,
        calibration: list[int],
        check: list[int],
        gate: float = INT8_GATE,
        *,
        cache_dir: Path | None = None,
        cache_key: str = "",
    ) -> bool:
        """Turn on the int8 matmuls for big passes if they keep ``gate`` top-1 agreement.

        ``calibration``: token ids whose activations set the smoothing of each matrix. ``check``: other
        token ids (another conversation), read with and without the int8 matmuls; they stay on only if
        the top pick agrees at ``gate`` of its positions. That is three prompt passes (~1.3 s for the
        embedded model here); ``cache_dir`` keeps the outcome (each matrix's input maxima and the
        agreement, for these weights: ``cache_key`` as for the 4-bit copies), so a later start only
        rebuilds the copies (~0.3 s). They cost ~1 byte per weight of :data:`INT8_MATRICES` (~120 MB for
        the embedded model, its outlier channels in float included).
        The caller checks that they run here and are faster (:func:`int8_matmuls_supported`,
        :func:`int8_matmuls_speedup`). Returns whether they are on; :attr:`int8_note` says why."""
        if self.released_bytes:
            raise RuntimeError(
                "the model-dtype weights were released: the int8 matmuls cannot be set up again"
            )
        self.int8_matmuls = False
        if min(len(calibration), len(check)) < INT8_MIN_ROWS:
            raise ValueError(f"the calibration and check texts need at least {INT8_MIN_ROWS} tokens each")
        dtype = self.embed.dtype
        cache = cache_dir / _int8_cache_name(dtype) if cache_dir is not None else None
        fingerprint = _int8_fingerprint(calibration, check, dtype, cache_key)
        kept = _read_int8_cache(cache, fingerprint, len(self.layers)) if cache is not None else None
        try:
            if kept is not None:
                agreement, maxima = kept
                if agreement >= gate:
                    self._build_int8(maxima)
            else:
                agreement, maxima = self._calibrate(calibration, check)
                if cache is not None:
                    _write_int8_cache(cache, fingerprint, agreement, maxima)
        except BaseException:
            self.int8_matmuls = False
            for ly in self.layers:
                ly.big = None
            raise
        if agreement < gate:
            for ly in self.layers:
                ly.big = None
            self.int8_note = (
                f"off: {agreement:.1%} top-1 agreement with {str(dtype).removeprefix('torch.')} "
                f"on a check conversation, under the {gate:.0%} gate"
            )
            return False
        self.int8_bytes = sum(
            w.nbytes
            for ly in self.layers
            for w in (ly.big or {}).values()
            if isinstance(w, _SmoothInt8Linear)
        )
        self.int8_matmuls = True
        self.int8_note = (
            f"on for passes of >= {INT8_MIN_ROWS} rows ({agreement:.1%} top-1 agreement on a check "
            f"conversation{', kept from an earlier start' if kept is not None else ''}, "
            f"{self.int8_bytes / 1e6:.0f} MB)"
        )
        return True

    def release_float_weights(self) -> int:
        """Free the model-dtype copies of :data:`INT8_MATRICES` when no pass needs them any more.

        With 4-bit copies for passes of up to :attr:`quant_rows` rows (prompt chunks included, once
        released) and the int8 matmuls from :data:`INT8_MIN_ROWS` rows, the layers' matrices are never
        multiplied in the model's dtype: their float32 copies (~425 MB for the embedded model) only take
        memory. Returns the bytes freed, 0 when some pass would still need
        them (no int8 matmuls, no 4-bit copies, a LoRA persona's copies, which cover fewer rows).

        Afterwards the model's own modules cannot run (those weights are empty) and the model is
        marked ``_kindred_released``: only this decoder may serve it. The engine does this only for a
        model it loaded itself."""
        if self.released_bytes:
            return self.released_bytes
        covered = self.weights == "int4" and not self.adapter_rank and self.quant_rows + 1 >= INT8_MIN_ROWS
        if not (self.int8_matmuls and covered):
            return 0
        freed = 0
        with torch.no_grad():
            for ly, layer in zip(self.layers, self.model.model.layers, strict=True):
                attn, mlp = layer.self_attn, layer.mlp
                modules = {
                    "qkv": (attn.q_proj, attn.k_proj, attn.v_proj),
                    "o": (attn.o_proj,),
                    "gu": (mlp.gate_proj, mlp.up_proj),
                    "down": (mlp.down_proj,),
                }
                for name in INT8_MATRICES:
                    weight = getattr(ly, name)
                    freed += weight.numel() * weight.element_size()
                    for module in modules[name]:
                        module.weight = torch.nn.Parameter(
                            torch.empty(0, dtype=weight.dtype, device=weight.device), requires_grad=False
                        )
                        if hasattr(module, "_kindred_fused"):
                            del module._kindred_fused
                    setattr(ly, name, None)
        self.model._kindred_released = True
        self.released_bytes = freed
        return freed

    def _build_int8(self, maxima: list[dict[str, torch.Tensor]]) -> None:
        """The layers' int8 copies (``ly.big``) from each matrix's input maxima."""
        for ly, layer_max in zip(self.layers, maxima, strict=True):
            ly.big = {
                name: _SmoothInt8Linear(getattr(ly, name), layer_max[name], INT8_OUTLIERS.get(name, 0))
                if name in INT8_MATRICES
                else _Plain(getattr(ly, name))
                for name in _NAMES
            }

    def _calibrate(
        self, calibration: list[int], check: list[int]
    ) -> tuple[float, list[dict[str, torch.Tensor]]]:
        """Read ``calibration`` recording each matrix's input maxima, build the copies, and measure the
        top-1 agreement on ``check`` with and without them. Leaves :attr:`int8_matmuls` off."""
        for ly in self.layers:
            ly.big = {
                name: _Watch(getattr(ly, name)) if name in INT8_MATRICES else _Plain(getattr(ly, name))
                for name in _NAMES
            }
        try:
            self.int8_matmuls = True  # every pass through ly.big: the watchers record, then multiply
            self._prompt_logits(calibration)
            maxima = [{name: ly.big[name].act_max for name in INT8_MATRICES} for ly in self.layers]
            self._build_int8(maxima)
            got = self._prompt_logits(check).argmax(-1)
            self.int8_matmuls = False
            want = self._prompt_logits(check).argmax(-1)
        finally:
            self.int8_matmuls = False
        return float((got == want).float().mean()), maxima
