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

Optional weight-only int8 (``model.quantization = "int8-weight"``): per-output-channel int8 copies
of the weights are used for steps of at most :data:`INT8_MAX_ROWS` rows, where a step is bound by
reading the weights (measured here: 2x faster per matmul at 1 row, 1.2x at 4, *slower* from ~8 rows
on, so bigger steps keep the model dtype). Costs one byte per weight more memory.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F

log = logging.getLogger(__name__)

INT8_MAX_ROWS = 4
"""Decode steps with at most this many rows use the int8 weights (when quantization is on)."""

SDPA_MIN_QUERIES = 512
"""Prompt chunks at least this long attend through ``scaled_dot_product_attention`` (measured here,
bf16, 2 cores: 768 tokens ~25 % faster; 64-384 tokens the same or up to 10 % slower)."""


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

    def __init__(self, weight: torch.Tensor) -> None:
        w = weight.detach().float()
        scale = w.abs().amax(dim=1).clamp(min=1e-8) / 127.0
        self.q = torch.round(w / scale[:, None]).clamp(-127, 127).to(torch.int8).contiguous()
        self.scale = scale.to(weight.dtype).contiguous()

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return torch.ops.aten._weight_int8pack_mm(x, self.q, self.scale)

    @property
    def nbytes(self) -> int:
        return self.q.numel() + self.scale.numel() * self.scale.element_size()


def int8_supported(dtype: torch.dtype, device: torch.device) -> bool:
    """Whether torch's weight-only int8 matmul runs here for ``dtype`` (checked, not assumed)."""
    if device.type != "cpu":
        return False
    try:
        w = _Int8Linear(torch.randn(8, 32, dtype=dtype))
        out = w(torch.randn(2, 32, dtype=dtype))
        return out.shape == (2, 8)
    except Exception:  # noqa: BLE001 - any failure means "not here"
        return False


def sdpa_gqa_supported() -> bool:
    """Whether ``scaled_dot_product_attention`` takes ``enable_gqa`` (torch >= 2.5)."""
    try:
        q, kv = torch.zeros(1, 2, 2, 4), torch.zeros(1, 1, 2, 4)
        mask = torch.zeros(2, 2)
        return F.scaled_dot_product_attention(q, kv, kv, attn_mask=mask, enable_gqa=True).shape == q.shape
    except (TypeError, RuntimeError):
        return False


class _Layer:
    __slots__ = ("ln1", "ln2", "eps1", "eps2", "qkv", "o", "gu", "down", "scaling", "q8")

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
        self.q8: dict[str, _Int8Linear] | None = None


def _fuse(*linears: Any) -> torch.Tensor:
    """Concatenate the linears' weights (rows) and make each module hold a view into the result."""
    first = linears[0]
    fused = getattr(first, "_kindred_fused", None)
    if fused is not None:  # an earlier FastDecoder on the same model did it
        return fused
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

    def __init__(self, model: Any, *, int8: bool = False, sdpa: bool | None = None) -> None:
        reason = unsupported_reason(model)
        if reason is not None:
            raise ValueError(f"the fast decode path does not support this model: {reason}")
        self.model = model
        cfg = model.config
        inner = model.model
        self.embed = inner.embed_tokens.weight
        self.norm = inner.norm.weight
        self.norm_eps = float(inner.norm.variance_epsilon)
        self.rotary = inner.rotary_emb
        self.lm_head = model.lm_head.weight
        self.heads = int(cfg.num_attention_heads)
        self.kv_heads = int(getattr(cfg, "num_key_value_heads", None) or self.heads)
        self.head_dim = int(getattr(cfg, "head_dim", None) or cfg.hidden_size // self.heads)
        self.groups = self.heads // self.kv_heads
        with torch.no_grad():
            self.layers = [_Layer(layer) for layer in inner.layers]
        self.sdpa_gqa = sdpa_gqa_supported() if sdpa is None else sdpa
        self.int8_bytes = 0
        self.lm_head_q8: _Int8Linear | None = None
        if int8:
            with torch.no_grad():
                for ly in self.layers:
                    ly.q8 = {n: _Int8Linear(getattr(ly, n)) for n in ("qkv", "o", "gu", "down")}
                    self.int8_bytes += sum(q.nbytes for q in ly.q8.values())
                self.lm_head_q8 = _Int8Linear(self.lm_head)
                self.int8_bytes += self.lm_head_q8.nbytes

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
    ) -> torch.Tensor:
        """Decode rows and prompt chunks in one pass: the weights are read once for all of them.

        ``tokens``/``positions`` (1-D) hold first one token per decode row (row ``i`` = slot ``i``),
        then each segment's chunk in order. A :class:`Segment` is a piece of a prompt being read: its
        keys/values go to its own ``keys``/``values`` buffers (``[kv_heads, T, head_dim]`` per layer)
        at ``start..start+length``, and it attends causally to everything before it there.
        Returns logits for every decode row and for the last token of each segment, in that order.
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
            # Row i sees positions 0..pos_i: an additive mask over the whole kv window.
            width = int(keys[0].shape[2])
            mask = torch.zeros(b, width, dtype=x.dtype, device=dev)
            mask.masked_fill_(torch.arange(width, device=dev).unsqueeze(0) > dpos.unsqueeze(1), float("-inf"))
            mask = mask.view(b, 1, 1, width)
        seg_masks = []
        for seg in segments:  # query i of a segment sees positions 0..start+i (additive mask)
            span = torch.arange(seg.start + seg.length, device=dev)
            allowed = span.unsqueeze(0) <= (seg.start + torch.arange(seg.length, device=dev)).unsqueeze(1)
            smask = torch.zeros(allowed.shape, dtype=x.dtype, device=dev)
            seg_masks.append(smask.masked_fill_(~allowed, float("-inf")))
        small = not segments and b <= INT8_MAX_ROWS

        for li, ly in enumerate(self.layers):
            q8 = ly.q8 if small else None
            hs = _rms(x, ly.ln1, ly.eps1)
            qkv = q8["qkv"](hs) if q8 else F.linear(hs, ly.qkv)
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
                # The whole buffer length, not just the positions in use: a slice along T is strided
                # and matmul would copy it (3x slower measured); positions past pos_i are masked.
                kk = kb[:b]  # [B, KVH, T, D], contiguous
                vv = vb[:b]
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
                if self.sdpa_gqa and seg.length >= SDPA_MIN_QUERIES:
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
            x = x + (q8["o"](attn) if q8 else F.linear(attn, ly.o))
            hs = _rms(x, ly.ln2, ly.eps2)
            gu = q8["gu"](hs) if q8 else F.linear(hs, ly.gu)
            gate, up = gu.chunk(2, dim=-1)
            act = F.silu(gate) * up
            x = x + (q8["down"](act) if q8 else F.linear(act, ly.down))
        if segments:
            ends, at = [], b
            for seg in segments:
                at += seg.length
                ends.append(at - 1)
            pick = torch.tensor(list(range(b)) + ends, device=dev)
            x = x.index_select(0, pick)
        x = _rms(x, self.norm, self.norm_eps)
        if small and self.lm_head_q8 is not None:
            return self.lm_head_q8(x)
        return F.linear(x, self.lm_head)
