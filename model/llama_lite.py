"""A Llama-family model and its tokenizer without transformers: safetensors, ``tokenizers`` and jinja2.

Importing transformers' modeling code costs ~1.5-2.5 s of CPU at every start and ~150 MB of memory
before any weight is read (its import chain pulls in ``torch.distributed.tensor``, ``torch._dynamo``,
sympy and scipy; see docs/engine.md). The engine never runs transformers' forward pass for a Llama
model: :class:`model.fastpath.FastDecoder` reads prompts and decodes on the weights alone. So for a
plain Llama folder (the embedded model's converted cache, a persona from ``scripts.train_persona``)
the loader builds this module tree instead. It has the parameter names and layout of transformers'
``LlamaForCausalLM`` (``model.layers[i].self_attn.q_proj`` ...), so the fast path, the 4-bit copies and
the LoRA-adapter code see the same thing, and :meth:`LiteLlama.forward` is a plain eager pass kept
for tests and checks. :class:`LiteTokenizer` is the subset of a transformers tokenizer that the prompt
builder and the worker use, on the same ``tokenizer.json`` and chat template.

What is not plain (rope scaling, biases, another activation, no ``tokenizer.json``, a template that
needs transformers' extensions) makes :func:`unsupported_reason` say why, and the loader uses
transformers as before. ``tests/model/test_llama_lite.py`` checks logits, token ids, decoding and
rendered chat templates against transformers.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import torch
from torch import nn
from torch.nn import functional as F

_WEIGHTS = "model.safetensors"


class LiteLoadError(RuntimeError):
    """The folder cannot be served without transformers (the loader falls back to transformers)."""


class LiteConfig:
    """The config fields the engine reads, with transformers' names."""

    model_type = "llama"
    hidden_act = "silu"
    attention_bias = False
    mlp_bias = False
    pretraining_tp = 1

    def __init__(self, raw: dict[str, Any]) -> None:
        self.vocab_size = int(raw["vocab_size"])
        self.hidden_size = int(raw["hidden_size"])
        self.intermediate_size = int(raw["intermediate_size"])
        self.num_hidden_layers = int(raw["num_hidden_layers"])
        self.num_attention_heads = int(raw["num_attention_heads"])
        self.num_key_value_heads = int(raw.get("num_key_value_heads") or self.num_attention_heads)
        self.head_dim = int(raw.get("head_dim") or self.hidden_size // self.num_attention_heads)
        self.rms_norm_eps = float(raw.get("rms_norm_eps", 1e-6))
        self.rope_theta = float(_rope(raw).get("rope_theta", raw.get("rope_theta", 10000.0)))
        self.max_position_embeddings = int(raw.get("max_position_embeddings") or 2048)
        self.tie_word_embeddings = bool(raw.get("tie_word_embeddings", False))
        self.bos_token_id = raw.get("bos_token_id")
        self.eos_token_id = raw.get("eos_token_id")
        self.pad_token_id = raw.get("pad_token_id")


def _rope(raw: dict[str, Any]) -> dict[str, Any]:
    # transformers 5 writes "rope_parameters"; older folders have "rope_theta" and "rope_scaling"
    params = raw.get("rope_parameters") or raw.get("rope_scaling") or {}
    return params if isinstance(params, dict) else {}


def unsupported_reason(folder: Path) -> str | None:
    """Why ``folder`` cannot be loaded by this module (``None`` when it can)."""
    try:
        raw = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return f"config.json unreadable ({exc})"
    if not isinstance(raw, dict):
        return "config.json is not an object"
    if raw.get("model_type") != "llama":
        return f"model type {raw.get('model_type')!r}"
    if raw.get("attention_bias") or raw.get("mlp_bias"):
        return "attention or MLP biases"
    if raw.get("hidden_act", "silu") != "silu":
        return f"activation {raw.get('hidden_act')!r}"
    if raw.get("pretraining_tp", 1) not in (1, None):
        return "pretraining_tp > 1"
    rope_type = _rope(raw).get("rope_type", _rope(raw).get("type", "default"))
    if rope_type not in ("default", None):
        return f"rope scaling {rope_type!r}"
    if raw.get("quantization_config"):
        return "a quantized checkpoint"
    for name in (_WEIGHTS, "tokenizer.json"):
        if not (folder / name).is_file():
            return f"no {name} (sharded or older checkpoint)"
    try:
        LiteConfig(raw)
    except (KeyError, TypeError, ValueError) as exc:
        return f"config.json lacks or mangles {exc}"
    return None


# --------------------------------------------------------------------------- the model


def _empty(*shape: int) -> nn.Parameter:
    # On "meta": no memory, no initialisation (nn.Linear's and nn.Embedding's random init of a
    # meta tensor imports torch._refs and torch._prims: 1.5 s). The loader assigns the real tensors.
    return nn.Parameter(torch.empty(*shape, device="meta"), requires_grad=False)


class _Linear(nn.Module):
    def __init__(self, n_in: int, n_out: int) -> None:
        super().__init__()
        self.weight = _empty(n_out, n_in)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.linear(x, self.weight)


class _Embedding(nn.Module):
    def __init__(self, n: int, dim: int) -> None:
        super().__init__()
        self.weight = _empty(n, dim)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        return F.embedding(ids, self.weight)


class _RMSNorm(nn.Module):
    def __init__(self, size: int, eps: float) -> None:
        super().__init__()
        self.weight = _empty(size)
        self.variance_epsilon = eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # transformers' LlamaRMSNorm: float32 statistics, cast back, then the weight
        h = x.float()
        h = h * torch.rsqrt(h.pow(2).mean(-1, keepdim=True) + self.variance_epsilon)
        return self.weight * h.to(x.dtype)


class _Rotary(nn.Module):
    """transformers' default rotary embedding: ``cos``/``sin`` ``[B, T, head_dim]`` in ``x``'s dtype."""

    def __init__(self, head_dim: int, theta: float) -> None:
        super().__init__()
        inv = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.int64).float() / head_dim))
        self.register_buffer("inv_freq", inv, persistent=False)

    @torch.no_grad()
    def forward(self, x: torch.Tensor, position_ids: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        inv = self.inv_freq[None, :, None].float().expand(position_ids.shape[0], -1, 1).to(x.device)
        pos = position_ids[:, None, :].float()
        freqs = (inv.float() @ pos.float()).transpose(1, 2)
        emb = torch.cat((freqs, freqs), dim=-1)
        return emb.cos().to(x.dtype), emb.sin().to(x.dtype)


class _Attention(nn.Module):
    def __init__(self, cfg: LiteConfig) -> None:
        super().__init__()
        h, kvh, d = cfg.num_attention_heads, cfg.num_key_value_heads, cfg.head_dim
        self.q_proj = _Linear(cfg.hidden_size, h * d)
        self.k_proj = _Linear(cfg.hidden_size, kvh * d)
        self.v_proj = _Linear(cfg.hidden_size, kvh * d)
        self.o_proj = _Linear(h * d, cfg.hidden_size)
        self.scaling = d**-0.5


class _MLP(nn.Module):
    def __init__(self, cfg: LiteConfig) -> None:
        super().__init__()
        self.gate_proj = _Linear(cfg.hidden_size, cfg.intermediate_size)
        self.up_proj = _Linear(cfg.hidden_size, cfg.intermediate_size)
        self.down_proj = _Linear(cfg.intermediate_size, cfg.hidden_size)


class _Layer(nn.Module):
    def __init__(self, cfg: LiteConfig) -> None:
        super().__init__()
        self.self_attn = _Attention(cfg)
        self.mlp = _MLP(cfg)
        self.input_layernorm = _RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.post_attention_layernorm = _RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)


class _Body(nn.Module):
    def __init__(self, cfg: LiteConfig) -> None:
        super().__init__()
        self.embed_tokens = _Embedding(cfg.vocab_size, cfg.hidden_size)
        self.layers = nn.ModuleList(_Layer(cfg) for _ in range(cfg.num_hidden_layers))
        self.norm = _RMSNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.rotary_emb = _Rotary(cfg.head_dim, cfg.rope_theta)  # small: made on the CPU


class _Logits:
    __slots__ = ("logits",)

    def __init__(self, logits: torch.Tensor) -> None:
        self.logits = logits


class LiteLlama(nn.Module):
    """transformers' ``LlamaForCausalLM`` layout on plain modules (see the module docstring)."""

    def __init__(self, cfg: LiteConfig, generation: dict[str, Any] | None = None) -> None:
        super().__init__()
        self.config = cfg
        gen_eos = (generation or {}).get("eos_token_id", cfg.eos_token_id)
        self.generation_config = type("GenerationConfig", (), {"eos_token_id": gen_eos})()
        self.model = _Body(cfg)
        self.lm_head = _Linear(cfg.hidden_size, cfg.vocab_size)

    @property
    def base_model(self) -> nn.Module:
        return self.model

    def get_output_embeddings(self) -> _Linear:
        return self.lm_head

    @property
    def dtype(self) -> torch.dtype:
        return self.lm_head.weight.dtype

    @property
    def device(self) -> torch.device:
        return self.lm_head.weight.device

    @torch.inference_mode()
    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor | None = None) -> _Logits:
        """Logits ``[B, T, vocab]`` of an eager causal pass (tests and checks; the engine uses the fast path).

        ``attention_mask`` (``[B, T]``, 1 = real token) supports right padding only."""
        cfg, body = self.config, self.model
        b, t = input_ids.shape
        h, kvh, d = cfg.num_attention_heads, cfg.num_key_value_heads, cfg.head_dim
        x = body.embed_tokens(input_ids)
        pos = torch.arange(t, device=input_ids.device).unsqueeze(0).expand(b, -1)
        cos, sin = body.rotary_emb(x, pos)
        cos, sin = cos.unsqueeze(1), sin.unsqueeze(1)
        mask = torch.ones(t, t, dtype=torch.bool, device=x.device).tril()
        mask = mask.expand(b, 1, t, t)
        if attention_mask is not None:
            mask = mask & attention_mask.bool()[:, None, None, :]

        def rot(v: torch.Tensor) -> torch.Tensor:
            half = v.shape[-1] // 2
            return v * cos + torch.cat((-v[..., half:], v[..., :half]), dim=-1) * sin

        for layer in body.layers:
            a = layer.self_attn
            hs = layer.input_layernorm(x)
            q = rot(a.q_proj(hs).view(b, t, h, d).transpose(1, 2))
            k = rot(a.k_proj(hs).view(b, t, kvh, d).transpose(1, 2))
            v = a.v_proj(hs).view(b, t, kvh, d).transpose(1, 2)
            k = k.repeat_interleave(h // kvh, dim=1)
            v = v.repeat_interleave(h // kvh, dim=1)
            scores = torch.matmul(q, k.transpose(-1, -2)) * a.scaling
            scores = scores.masked_fill(~mask, torch.finfo(scores.dtype).min)
            probs = torch.softmax(scores, dim=-1, dtype=torch.float32).to(q.dtype)
            out = torch.matmul(probs, v).transpose(1, 2).reshape(b, t, h * d)
            x = x + a.o_proj(out)
            hs = layer.post_attention_layernorm(x)
            m = layer.mlp
            x = x + m.down_proj(F.silu(m.gate_proj(hs)) * m.up_proj(hs))
        return _Logits(self.lm_head(body.norm(x)))


_DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}


def _read_weights(path: Path, expected: dict[str, torch.Size], dtype: torch.dtype) -> dict[str, torch.Tensor]:
    """The tensors ``expected`` of a safetensors file, in ``dtype``, read into the process's own memory.

    Plain reads, not a file mapping: pages of a mapping can be dropped by the kernel at any time and
    read back from disk during a reply, and copying out of a mapping counts the model twice in the
    peak memory of the start (the mapped pages and the copies: 1.3 GB vs 0.8 GB for the embedded
    model in float32)."""
    try:
        with path.open("rb") as f:
            size = path.stat().st_size
            head_len = int.from_bytes(f.read(8), "little")
            if not 2 <= head_len <= min(size - 8, 100 << 20):
                raise LiteLoadError(f"{path}: not a safetensors file (header length {head_len})")
            header = json.loads(f.read(head_len))
            base = 8 + head_len
            missing = sorted(set(expected) - set(header))
            if missing:
                raise LiteLoadError(f"{path}: missing {', '.join(missing[:3])}")
            out: dict[str, torch.Tensor] = {}
            for name, shape in expected.items():
                info = header[name]
                stored = _DTYPES.get(info.get("dtype"))
                begin, stop = (int(x) for x in info["data_offsets"])
                if stored is None:
                    raise LiteLoadError(f"{name}: dtype {info.get('dtype')} is not supported")
                if tuple(info["shape"]) != tuple(shape):
                    raise LiteLoadError(f"{name} is {tuple(info['shape'])}, the config says {tuple(shape)}")
                nbytes = stop - begin
                if nbytes != shape.numel() * stored.itemsize or base + stop > size:
                    raise LiteLoadError(f"{path}: {name} is cut short or mis-sized (a damaged file?)")
                raw = torch.empty(nbytes, dtype=torch.uint8)
                f.seek(base + begin)
                if f.readinto(raw.numpy()) != nbytes:
                    raise LiteLoadError(f"{path}: {name} is cut short (a damaged file?)")
                tensor = raw.view(stored).reshape(shape)
                out[name] = tensor if stored == dtype else tensor.to(dtype)
            return out
    except (KeyError, TypeError, ValueError, UnicodeDecodeError) as exc:  # a malformed header
        raise LiteLoadError(f"{path}: malformed safetensors header ({exc})") from exc


def load_lite_model(folder: Path, dtype: torch.dtype) -> LiteLlama:
    """The model in ``folder`` (see :func:`unsupported_reason`) in ``dtype``. Raises
    :class:`LiteLoadError` when the weights file is damaged or does not fit the config."""
    raw = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    cfg = LiteConfig(raw)
    generation: dict[str, Any] = {}
    try:
        generation = json.loads((folder / "generation_config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    model = LiteLlama(cfg, generation if isinstance(generation, dict) else {})
    expected = {name: p.shape for name, p in model.named_parameters()}
    if cfg.tie_word_embeddings:
        expected.pop("lm_head.weight")
    state = _read_weights(folder / _WEIGHTS, expected, dtype)
    if cfg.tie_word_embeddings:
        state["lm_head.weight"] = state["model.embed_tokens.weight"]
    model.load_state_dict(state, strict=True, assign=True)
    if cfg.tie_word_embeddings:
        model.lm_head.weight = model.model.embed_tokens.weight
    return model.eval().requires_grad_(False)


# --------------------------------------------------------------------------- the tokenizer


def _token_text(value: Any) -> str | None:
    if isinstance(value, dict):  # older tokenizer_config.json: {"content": "<s>", ...}
        value = value.get("content")
    return value if isinstance(value, str) else None


class _Encoded(dict):
    """``{"input_ids": [...]}`` that also reads as ``.input_ids``, like transformers' ``BatchEncoding``."""

    @property
    def input_ids(self) -> list[int]:
        return self["input_ids"]


class LiteTokenizer:
    """What the prompt builder and the engine use of a transformers tokenizer, on ``tokenizers`` alone."""

    padding_side = "left"

    def __init__(self, folder: Path) -> None:
        from tokenizers import Tokenizer

        self._tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
        try:
            cfg = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            cfg = {}
        cfg = cfg if isinstance(cfg, dict) else {}
        template_file = folder / "chat_template.jinja"
        template = cfg.get("chat_template")
        if template_file.is_file():
            template = template_file.read_text(encoding="utf-8")
        if template is not None and not isinstance(template, str):
            raise LiteLoadError("a chat template per name (a list) needs transformers")
        self.chat_template: str | None = template
        # transformers 5 ignores clean_up_tokenization_spaces for a BPE tokenizer (Llama's are BPE): the
        # clean-up is meant for WordPiece and strips spaces the model wrote ("I do n't know ." -> "I don't
        # know."), unless a second flag forces it.
        self.clean_up_tokenization_spaces = bool(cfg.get("clean_up_tokenization_spaces", False)) and (
            type(self._tok.model).__name__ != "BPE"
            or bool(cfg.get("clean_up_tokenization_spaces_for_bpe_even_though_it_will_corrupt_output"))
        )
        self.special_tokens_map: dict[str, str] = {}
        for key in (
            "bos_token",
            "eos_token",
            "unk_token",
            "sep_token",
            "pad_token",
            "cls_token",
            "mask_token",
        ):
            text = _token_text(cfg.get(key))
            if text is not None:
                self.special_tokens_map[key] = text
        self._vocab = self._tok.get_vocab(with_added_tokens=True)
        self.eos_token = self.special_tokens_map.get("eos_token")
        self.pad_token = self.special_tokens_map.get("pad_token") or self.eos_token
        self.special_tokens_map.setdefault("pad_token", self.pad_token or "")
        self._template: Any = None
        if template:
            self._template = _compile_template(template)

    def _id(self, token: str | None) -> int | None:
        return None if token is None else self._vocab.get(token)

    @property
    def eos_token_id(self) -> int | None:
        return self._id(self.eos_token)

    @property
    def pad_token_id(self) -> int | None:
        return self._id(self.pad_token)

    def get_vocab(self) -> dict[str, int]:
        return dict(self._vocab)

    def __len__(self) -> int:
        return len(self._vocab)

    def __call__(self, text: str, add_special_tokens: bool = True) -> _Encoded:
        return _Encoded(input_ids=self._tok.encode(text, add_special_tokens=add_special_tokens).ids)

    def encode(self, text: str, add_special_tokens: bool = True) -> list[int]:
        return self._tok.encode(text, add_special_tokens=add_special_tokens).ids

    def decode(self, ids: Any, skip_special_tokens: bool = False) -> str:
        if isinstance(ids, torch.Tensor):
            ids = ids.tolist()
        text = self._tok.decode(list(ids), skip_special_tokens=skip_special_tokens)
        if self.clean_up_tokenization_spaces:
            for before, after in (
                (" .", "."),
                (" ?", "?"),
                (" !", "!"),
                (" ,", ","),
                (" ' ", "'"),
                (" n't", "n't"),
                (" 'm", "'m"),
                (" 's", "'s"),
                (" 've", "'ve"),
                (" 're", "'re"),
            ):
                text = text.replace(before, after)
        return text

    def apply_chat_template(
        self, messages: list[dict[str, Any]], add_generation_prompt: bool = False, tokenize: bool = True
    ) -> Any:
        if self._template is None:
            raise ValueError("this tokenizer has no chat template")
        text = self._template.render(
            messages=[dict(m) for m in messages],
            tools=None,
            documents=None,
            add_generation_prompt=add_generation_prompt,
            **self.special_tokens_map,
        )
        return self.encode(text, add_special_tokens=False) if tokenize else text


def _compile_template(template: str) -> Any:
    """The template in the sandbox transformers renders chat templates in (same options and helpers)."""
    import jinja2
    import jinja2.ext
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    def raise_exception(message: str) -> None:
        raise jinja2.exceptions.TemplateError(message)

    def tojson(
        x: Any,
        ensure_ascii: bool = False,
        indent: Any = None,
        separators: Any = None,
        sort_keys: bool = False,
    ) -> str:
        return json.dumps(
            x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys
        )

    def strftime_now(fmt: str) -> str:
        return datetime.now().strftime(fmt)

    env = ImmutableSandboxedEnvironment(
        trim_blocks=True, lstrip_blocks=True, extensions=[jinja2.ext.loopcontrols]
    )
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    try:
        return env.from_string(template)
    except jinja2.exceptions.TemplateSyntaxError as exc:  # e.g. {% generation %}: transformers' extension
        raise LiteLoadError(f"the chat template needs transformers ({exc})") from exc
