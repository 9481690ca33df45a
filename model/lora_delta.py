"""A LoRA persona served on the 4-bit copies of its base model.

``scripts.train_persona`` saves a persona merged: every projection holds ``W = W_base + s * B @ A``, and
the folder also keeps the adapter alone (``OUT/adapter``, peft's format). The merged weights are off
the 4-bit grid, so ``model.quantization = "auto"`` alone would serve the persona in bfloat16, at about
half the decode speed of the embedded model it was trained from.

With the adapter, ``W - s * B @ A`` is the base matrix again. When that sits on the 4-bit grid (the
same check as for any model: a wrong adapter or another base fails it), the fast path keeps 4-bit
copies of the base and adds the adapter's low-rank product in small decode steps:
``x @ W.T ~ int4(x) + ((x @ A.T) @ (s * B).T)``. Prompt chunks and big steps keep the merged weights.

:func:`read_adapter` reads the adapter into one :class:`LoraDelta` per fused matrix of the fast path
(q/k/v and gate/up are fused there, so their adapters are stacked: ``A`` row-wise, ``B`` block-diagonal).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F

FUSED: dict[str, tuple[tuple[str, str], ...]] = {
    "qkv": (("self_attn", "q_proj"), ("self_attn", "k_proj"), ("self_attn", "v_proj")),
    "o": (("self_attn", "o_proj"),),
    "gu": (("mlp", "gate_proj"), ("mlp", "up_proj")),
    "down": (("mlp", "down_proj"),),
}
"""The fast path's fused matrices and the projections they stack, in row order."""

_KEY = re.compile(r"\.layers\.(\d+)\.(self_attn|mlp)\.(\w+)\.lora_(A|B)(?:\.[\w-]+)?\.weight$")


class AdapterError(ValueError):
    """The adapter folder cannot be served this way (the persona then runs on its merged weights)."""


@dataclass
class LoraDelta:
    """``x -> (x @ a.T) @ b.T`` for one fused matrix: ``a`` ``[R, in]``, ``b`` ``[out, R]`` (float32, the
    scale folded into ``b``)."""

    a: torch.Tensor
    b: torch.Tensor

    def full(self) -> torch.Tensor:
        """The whole update ``b @ a`` in float32 (``[out, in]``)."""
        return self.b.float() @ self.a.float()

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        # float32: these matrices are thin (R = 16-48 columns), and torch's bfloat16 matmul of such
        # shapes costs ~40 us against ~16 us in float32 with the casts (one row, measured here)
        return F.linear(F.linear(x.float(), self.a), self.b)

    @property
    def nbytes(self) -> int:
        return self.a.numel() * self.a.element_size() + self.b.numel() * self.b.element_size()


def read_adapter(folder: Path, model: Any) -> tuple[dict[tuple[int, str], LoraDelta], int]:
    """``({(layer, fused name): delta}, rank)`` from peft's ``adapter_config.json`` and
    ``adapter_model.safetensors`` in ``folder``, shaped for ``model`` (a Llama-family model).

    Raises :class:`AdapterError` with the reason when the folder is unreadable, not a plain LoRA
    adapter (DoRA, per-module ranks, transposed weights), or does not fit the model's shapes."""
    folder = Path(folder)
    config_path, weights_path = folder / "adapter_config.json", folder / "adapter_model.safetensors"
    try:
        cfg = json.loads(config_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise AdapterError(f"cannot read {config_path}: {exc}") from exc
    if not isinstance(cfg, dict) or str(cfg.get("peft_type", "LORA")).upper() != "LORA":
        raise AdapterError(f"{config_path} does not describe a LoRA adapter")
    if cfg.get("use_dora"):
        raise AdapterError("DoRA adapters are not supported")
    if cfg.get("fan_in_fan_out"):
        raise AdapterError("adapters with fan_in_fan_out weights are not supported")
    if cfg.get("rank_pattern") or cfg.get("alpha_pattern"):
        raise AdapterError("adapters with per-module ranks or alphas are not supported")
    try:
        rank, alpha = int(cfg["r"]), float(cfg.get("lora_alpha", cfg["r"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise AdapterError(f"{config_path} has no valid r / lora_alpha") from exc
    if rank < 1:
        raise AdapterError(f"{config_path}: r must be at least 1, got {rank}")
    scale = alpha / math.sqrt(rank) if cfg.get("use_rslora") else alpha / rank
    try:
        from safetensors.torch import load_file

        tensors = load_file(str(weights_path))
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the same answer
        raise AdapterError(f"cannot read {weights_path}: {exc}") from exc

    parts: dict[tuple[int, str, str], dict[str, torch.Tensor]] = {}
    for key, tensor in tensors.items():
        m = _KEY.search(key)
        if m is not None:
            layer, block, proj, which = int(m[1]), m[2], m[3], m[4]
            parts.setdefault((layer, block, proj), {})[which] = tensor
    if not parts:
        raise AdapterError(f"{weights_path} holds no LoRA weights for the layers' projections")

    layers = model.model.layers
    deltas: dict[tuple[int, str], LoraDelta] = {}
    for (layer, block, proj), ab in parts.items():
        if layer >= len(layers) or not any((block, proj) in names for names in FUSED.values()):
            raise AdapterError(
                f"the adapter has weights for {block}.{proj} of layer {layer}, which this model lacks"
            )
        if set(ab) != {"A", "B"}:
            raise AdapterError(f"layer {layer} {proj}: the adapter holds only lora_{''.join(ab)}")
    for li, layer_mod in enumerate(layers):
        for fused, names in FUSED.items():
            a_rows, b_blocks, outs = [], [], []
            for block, proj in names:
                weight = getattr(getattr(layer_mod, block), proj).weight
                outs.append(int(weight.shape[0]))
                ab = parts.get((li, block, proj))
                if ab is None:
                    continue
                a, b = ab["A"].float(), ab["B"].float()
                if (
                    a.dim() != 2
                    or b.dim() != 2
                    or a.shape[1] != weight.shape[1]
                    or b.shape[0] != weight.shape[0]
                    or a.shape[0] != b.shape[1]
                ):
                    raise AdapterError(
                        f"layer {li} {proj}: adapter shapes A {tuple(a.shape)} / B {tuple(b.shape)} do not "
                        f"fit the weight {tuple(weight.shape)}"
                    )
                a_rows.append(a)
                b_blocks.append((len(outs) - 1, b * scale))
            if not a_rows:
                continue
            a_cat = torch.cat(a_rows, dim=0)  # [R_total, in]
            b_full = torch.zeros(sum(outs), a_cat.shape[0])
            col = 0
            for index, b in b_blocks:
                row = sum(outs[:index])
                b_full[row : row + b.shape[0], col : col + b.shape[1]] = b
                col += b.shape[1]
            deltas[(li, fused)] = LoraDelta(a_cat.contiguous(), b_full)
    return deltas, rank


class WithDelta:
    """A 4-bit copy of a base matrix plus a LoRA update: ``base(x) + delta(x)``."""

    def __init__(self, base: Any, delta: LoraDelta) -> None:
        self.base, self.delta = base, delta

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        out = self.base(x)
        return out.add_(self.delta(x))  # the float32 update, added into the model dtype in place

    @property
    def nbytes(self) -> int:
        return self.base.nbytes + self.delta.nbytes
