"""all-MiniLM-L6-v2 for the crisis classifier without transformers: a BERT encoder in plain torch and
its tokenizer straight from ``tokenizers``.

Why: the classifier needs nothing of transformers but ``BertModel``'s hidden states and the
tokenizer's windows, and importing transformers costs the bot 1.5-2.5 s of start-up and ~150 MB.
This module gives the same numbers from the same files (tests/model/test_bert_lite.py compares the
two): the attention is the one transformers runs by default (``scaled_dot_product_attention``, a
boolean padding mask, no mask at all when nothing is padded), and the tokenizer is set up the way
``BertTokenizer`` sets its backend up (normaliser from tokenizer_config.json, truncation and padding
as ``tokenizer(..., truncation=True, stride=..., return_overflowing_tokens=True, padding=True)``).

Only what the folder needs is supported; anything else raises ``Unsupported`` and the caller loads
the folder with transformers instead.

The module tree and parameter names are transformers' (``encoder.layer.3.attention.self.query``
...), so ``Adapter.merge_into`` finds the linear layers it adds its delta to. Nothing here makes a
tensor of torch's default dtype: the engine may switch it to bfloat16 process-wide while it loads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import torch
from torch import nn

F32 = torch.float32


class Unsupported(Exception):
    """The folder asks for something this module does not do; load it with transformers."""


def _read_json(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise Unsupported(f"{path.name} is missing")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise Unsupported(f"{path.name}: {exc}") from None
    if not isinstance(data, dict):
        raise Unsupported(f"{path.name} is not an object")
    return data


# --- the encoder ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BertConfig:
    """The fields of config.json the encoder uses (names as in transformers' BertConfig)."""

    vocab_size: int
    hidden_size: int
    num_hidden_layers: int
    num_attention_heads: int
    intermediate_size: int
    max_position_embeddings: int
    type_vocab_size: int
    layer_norm_eps: float

    @classmethod
    def load(cls, folder: Path) -> BertConfig:
        data = _read_json(folder / "config.json")
        if data.get("model_type") != "bert":
            raise Unsupported(f"config.json: model_type = {data.get('model_type')!r}")
        # transformers' defaults; "gelu" is the exact (erf) one
        for key, value in (
            ("position_embedding_type", "absolute"),
            ("hidden_act", "gelu"),
            ("is_decoder", False),
            ("add_cross_attention", False),
        ):
            if data.get(key, value) != value:
                raise Unsupported(f"config.json: {key} = {data[key]!r} (supported: {value!r})")
        try:
            config = cls(
                vocab_size=int(data["vocab_size"]),
                hidden_size=int(data["hidden_size"]),
                num_hidden_layers=int(data["num_hidden_layers"]),
                num_attention_heads=int(data["num_attention_heads"]),
                intermediate_size=int(data["intermediate_size"]),
                max_position_embeddings=int(data.get("max_position_embeddings", 512)),
                type_vocab_size=int(data.get("type_vocab_size", 2)),
                layer_norm_eps=float(data.get("layer_norm_eps", 1e-12)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise Unsupported(f"config.json: bad or missing field ({exc})") from None
        if config.hidden_size % config.num_attention_heads:
            raise Unsupported("config.json: hidden_size is not a multiple of num_attention_heads")
        return config


class EncoderOutput(NamedTuple):
    hidden_states: tuple[torch.Tensor, ...]  # the embeddings, then each layer's output


def _embedding(rows: int, dim: int) -> nn.Embedding:
    return nn.Embedding.from_pretrained(torch.empty(rows, dim, dtype=F32, device="meta"))


class Embeddings(nn.Module):
    def __init__(self, config: BertConfig) -> None:
        super().__init__()
        h = config.hidden_size
        # Placeholders without values (load() assigns the file's): nn.Embedding(..., device="meta")
        # would draw random ones, and on "meta" that imports sympy and torch._inductor (1 s or more).
        self.word_embeddings = _embedding(config.vocab_size, h)
        self.position_embeddings = _embedding(config.max_position_embeddings, h)
        self.token_type_embeddings = _embedding(config.type_vocab_size, h)
        self.LayerNorm = nn.LayerNorm(h, eps=config.layer_norm_eps, device="meta", dtype=F32)

    def forward(self, input_ids: torch.Tensor, token_type_ids: torch.Tensor) -> torch.Tensor:
        positions = torch.arange(input_ids.shape[1], dtype=torch.long, device=input_ids.device)
        x = self.word_embeddings(input_ids) + self.token_type_embeddings(token_type_ids)
        x = x + self.position_embeddings(positions)[None]
        return self.LayerNorm(x)


class SelfAttention(nn.Module):
    def __init__(self, config: BertConfig) -> None:
        super().__init__()
        h = config.hidden_size
        self.heads = config.num_attention_heads
        self.head_size = h // self.heads
        self.scaling = self.head_size**-0.5
        self.query = nn.Linear(h, h, device="meta", dtype=F32)
        self.key = nn.Linear(h, h, device="meta", dtype=F32)
        self.value = nn.Linear(h, h, device="meta", dtype=F32)

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
        shape = (*x.shape[:-1], self.heads, self.head_size)
        q, k, v = (proj(x).view(shape).transpose(1, 2) for proj in (self.query, self.key, self.value))
        out = nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=mask, scale=self.scaling)
        return out.transpose(1, 2).reshape(*x.shape[:-1], -1)


class DenseNorm(nn.Module):
    """transformers' BertSelfOutput and BertOutput: dense, then LayerNorm of it plus the residual."""

    def __init__(self, n_in: int, config: BertConfig) -> None:
        super().__init__()
        self.dense = nn.Linear(n_in, config.hidden_size, device="meta", dtype=F32)
        self.LayerNorm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps, device="meta", dtype=F32)

    def forward(self, x: torch.Tensor, residual: torch.Tensor) -> torch.Tensor:
        return self.LayerNorm(self.dense(x) + residual)


class Attention(nn.Module):
    def __init__(self, config: BertConfig) -> None:
        super().__init__()
        self.self = SelfAttention(config)
        self.output = DenseNorm(config.hidden_size, config)

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
        return self.output(self.self(x, mask), x)


class Intermediate(nn.Module):
    def __init__(self, config: BertConfig) -> None:
        super().__init__()
        self.dense = nn.Linear(config.hidden_size, config.intermediate_size, device="meta", dtype=F32)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return nn.functional.gelu(self.dense(x))


class Layer(nn.Module):
    def __init__(self, config: BertConfig) -> None:
        super().__init__()
        self.attention = Attention(config)
        self.intermediate = Intermediate(config)
        self.output = DenseNorm(config.intermediate_size, config)

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
        x = self.attention(x, mask)
        return self.output(self.intermediate(x), x)


class Encoder(nn.Module):
    def __init__(self, config: BertConfig) -> None:
        super().__init__()
        self.layer = nn.ModuleList(Layer(config) for _ in range(config.num_hidden_layers))


class BertEncoder(nn.Module):
    """``BertModel(...)(input_ids, attention_mask, token_type_ids, output_hidden_states=True)``, for
    inference: no dropout, no pooler, always every hidden state."""

    def __init__(self, config: BertConfig) -> None:
        super().__init__()
        self.config = config
        self.embeddings = Embeddings(config)
        self.encoder = Encoder(config)

    @property
    def dtype(self) -> torch.dtype:
        return self.embeddings.word_embeddings.weight.dtype

    @classmethod
    def load(cls, folder: str | Path) -> BertEncoder:
        """config.json + model.safetensors (keys with or without ``bert.``; pooler and heads ignored)."""
        from safetensors import safe_open

        folder = Path(folder)
        model = cls(BertConfig.load(folder))
        path = folder / "model.safetensors"
        if not path.is_file():
            raise Unsupported("model.safetensors is missing")
        wanted = model.state_dict().keys()
        state: dict[str, torch.Tensor] = {}
        with safe_open(str(path), framework="pt") as f:
            for key in f.keys():  # noqa: SIM118 (safe_open is not a mapping)
                name = key.removeprefix("bert.")
                if name in wanted:
                    # copy=True: a float32 tensor would otherwise stay a view of the file's mapping,
                    # whose pages the kernel may drop and read back from disk during a message
                    state[name] = f.get_tensor(key).to(F32, copy=True)
        missing = sorted(set(wanted) - state.keys())
        if missing:
            raise Unsupported(f"model.safetensors lacks {len(missing)} weights ({missing[0]} ...)")
        try:
            model.load_state_dict(state, assign=True)
        except RuntimeError as exc:  # a shape that does not match config.json
            raise Unsupported(f"model.safetensors: {exc}") from None
        return model.eval().requires_grad_(False)

    def forward(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        token_type_ids: torch.Tensor,
        output_hidden_states: bool = True,
    ) -> EncoderOutput:
        """``output_hidden_states`` is there for callers written for BertModel; they are always returned."""
        keep = attention_mask.to(torch.bool)
        # As transformers does for its default (sdpa) attention: no mask when nothing is padded, else
        # (batch, 1, query, key) booleans.
        mask = None if bool(keep.all()) else keep[:, None, None, :].expand(-1, 1, keep.shape[1], -1)
        x = self.embeddings(input_ids, token_type_ids)
        hidden = [x]
        for layer in self.encoder.layer:
            x = layer(x, mask)
            hidden.append(x)
        return EncoderOutput(tuple(hidden))


# --- the tokenizer -------------------------------------------------------------------------------------


class WindowTokenizer:
    """``tokenizers.Tokenizer`` set up as transformers' BertTokenizer sets its backend up: calling it
    gives what ``tokenizer(texts, truncation=True, max_length=max_length, stride=stride,
    return_overflowing_tokens=True, padding=True, return_tensors="pt")`` gives.

    As in transformers, tokenizer_config.json decides the normaliser (lowercasing, accents, Chinese
    characters) and the special tokens; tokenizer.json gives the vocabulary and the added tokens.
    """

    def __init__(self, folder: str | Path, *, max_length: int, stride: int) -> None:
        from tokenizers import Tokenizer, normalizers, pre_tokenizers, processors
        from tokenizers.models import WordPiece

        folder = Path(folder)
        config = _read_json(folder / "tokenizer_config.json")
        if config.get("tokenizer_class") not in ("BertTokenizer", "BertTokenizerFast"):
            raise Unsupported(f"tokenizer_config.json: tokenizer_class = {config.get('tokenizer_class')!r}")
        if config.get("split_special_tokens") or config.get("added_tokens_decoder"):
            raise Unsupported("tokenizer_config.json: split_special_tokens or added_tokens_decoder")
        names = {}
        for role in ("cls", "sep", "pad", "unk", "mask"):
            name = config.get(f"{role}_token", f"[{role.upper()}]")
            if not isinstance(name, str):
                raise Unsupported(f"tokenizer_config.json: {role}_token is not a plain string")
            names[role] = name
        path = folder / "tokenizer.json"
        if not path.is_file():
            raise Unsupported("tokenizer.json is missing")
        try:
            tok = Tokenizer.from_file(str(path))
        except Exception as exc:  # tokenizers raises its own exception type
            raise Unsupported(f"tokenizer.json: {exc}") from None
        model = tok.model
        if not (
            isinstance(model, WordPiece)
            and model.unk_token == names["unk"]
            and model.continuing_subword_prefix == "##"
            and model.max_input_chars_per_word == 100
        ):
            raise Unsupported("tokenizer.json: not the WordPiece model BertTokenizer builds")
        # The added tokens must be exactly the special tokens, as transformers adds them.
        added = tok.get_added_tokens_decoder().values()
        if {t.content for t in added} != set(names.values()) or not all(
            t.special and not (t.normalized or t.lstrip or t.rstrip or t.single_word) for t in added
        ):
            raise Unsupported("tokenizer.json: added tokens other than the special tokens")
        tok.normalizer = normalizers.BertNormalizer(
            clean_text=True,
            handle_chinese_chars=bool(config.get("tokenize_chinese_chars", True)),
            strip_accents=config.get("strip_accents"),
            lowercase=bool(config.get("do_lower_case", True)),
        )
        tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
        cls, sep = names["cls"], names["sep"]
        tok.post_processor = processors.TemplateProcessing(
            single=f"{cls}:0 $A:0 {sep}:0",
            pair=f"{cls}:0 $A:0 {sep}:0 $B:1 {sep}:1",
            special_tokens=[(cls, tok.token_to_id(cls)), (sep, tok.token_to_id(sep))],
        )
        # Sides and the padding type id: tokenizer_config.json, else tokenizer.json, else the defaults.
        file_truncation, file_padding = tok.truncation or {}, tok.padding or {}
        tok.enable_truncation(
            max_length,
            stride=stride,
            strategy="longest_first",
            direction=config.get("truncation_side") or file_truncation.get("direction") or "right",
        )
        tok.enable_padding(  # to the longest window of the batch
            direction=config.get("padding_side") or file_padding.get("direction") or "right",
            pad_id=tok.token_to_id(names["pad"]),
            pad_type_id=int(config.get("pad_token_type_id", file_padding.get("pad_type_id", 0))),
            pad_token=names["pad"],
        )
        self._tokenizer = tok

    def __call__(self, texts: list[str]) -> dict[str, torch.Tensor]:
        """input_ids, token_type_ids, attention_mask and overflow_to_sample_mapping: each text's
        first window, then its overflowing windows, then the next text's."""
        windows, owners = [], []
        for i, encoding in enumerate(self._tokenizer.encode_batch(texts, add_special_tokens=True)):
            for window in (encoding, *encoding.overflowing):
                windows.append(window)
                owners.append(i)
        return {
            "input_ids": torch.tensor([w.ids for w in windows], dtype=torch.long),
            "token_type_ids": torch.tensor([w.type_ids for w in windows], dtype=torch.long),
            "attention_mask": torch.tensor([w.attention_mask for w in windows], dtype=torch.long),
            "overflow_to_sample_mapping": torch.tensor(owners, dtype=torch.long),
        }
