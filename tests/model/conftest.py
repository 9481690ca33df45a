"""Shared fixtures for the model tests: the real embedded model (slow) and a tiny random one (fast)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import torch

from bot.config import ModelSettings, default_cache_dir

torch.set_num_threads(1)  # other engineers share the CPU; the tiny model gains nothing from more


def model_cache_dir() -> Path:
    # The converted cache is shared with the real bot so CI converts the GGUF at most once per machine.
    return Path(os.environ.get("KINDRED_TEST_MODEL_CACHE", default_cache_dir() / "models"))


def embedded_settings(**kw: object) -> ModelSettings:
    return ModelSettings(cache_dir=model_cache_dir(), threads=2, **kw)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def embedded_model():
    from model.loader import load_model

    return load_model(embedded_settings(), lite=True)  # as the engine loads it (model/llama_lite.py)


@pytest.fixture(scope="session")
def smol_tokenizer():
    """The embedded model's tokenizer (with its chat template), without loading its weights."""
    from transformers import AutoTokenizer

    from model.loader import _finish_tokenizer, _gguf_cache_dir, _is_valid_cache, embedded_gguf_path

    gguf = embedded_gguf_path()
    cached = _gguf_cache_dir(gguf, model_cache_dir(), "SmolLM2-135M-Instruct", torch.bfloat16)
    if _is_valid_cache(cached):
        tok = AutoTokenizer.from_pretrained(cached)
    else:
        tok = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    return _finish_tokenizer(tok)


def make_tiny_loaded(tokenizer, *, seed: int = 0, dtype: torch.dtype = torch.float32, template: bool = True):
    """A 2-layer random Llama sharing the embedded tokenizer: fast, deterministic, real code paths."""
    from transformers import LlamaConfig, LlamaForCausalLM

    from model.loader import LoadedModel

    torch.manual_seed(seed)
    cfg = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=2048,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        tie_word_embeddings=True,
    )
    model = LlamaForCausalLM(cfg).eval()
    # The default init (std 0.02) makes every prompt decode to the same newlines; wider weights make
    # the output depend on the prompt, which the correctness tests need.
    with torch.no_grad():
        for p in model.parameters():
            if p.dim() == 2:
                p.normal_(0, 0.2)
    model = model.to(dtype)
    return LoadedModel(
        model=model,
        tokenizer=tokenizer,
        name="tiny-random-llama",
        source="test",
        dtype=dtype,
        device=torch.device("cpu"),
        has_chat_template=template,
    )


@pytest.fixture
def tiny_loaded(smol_tokenizer):
    return make_tiny_loaded(smol_tokenizer)


def mapped_from(path: Path, tensors) -> list[int]:
    """Data pointers of ``tensors`` that lie in a mapping of the file ``path`` (/proc/self/maps):
    such weights are the file's pages, which the kernel may drop and read back during a reply."""
    regions = []
    for line in Path("/proc/self/maps").read_text().splitlines():
        parts = line.split()
        if len(parts) >= 6 and parts[-1] == str(Path(path).resolve()):
            lo, hi = (int(x, 16) for x in parts[0].split("-"))
            regions.append((lo, hi))
    return [t.data_ptr() for t in tensors if any(lo <= t.data_ptr() < hi for lo, hi in regions)]
