"""A persona's 4-bit copies (a model folder from scripts.train_persona, LoRA or not) are kept in the
model cache like the embedded model's, so a later start reads them instead of quantizing every
matrix again; a retrained persona (new weights in the same folder) never gets the old copies."""

from __future__ import annotations

import asyncio
import copy
from pathlib import Path

import pytest
import torch

from bot.config import EngineSettings, ModelSettings
from model import fastpath
from model.engine import ReplyEngine

from .test_engine import TEXTS, req
from .test_fastpath import _snap_to_4bit_grid


@pytest.fixture
def quantizations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the model's matrices quantized (not read from a cache): the fast path checks each one
    against the 4-bit grid as it quantizes it. (Start-up probes and the one-matrix layout check of a
    cache read quantize too, without that check.)"""
    calls: list[int] = []
    real = fastpath._Int4Linear.__init__

    def counting(self, *a, **kw):  # type: ignore[no-untyped-def]
        if kw.get("check_grid"):
            calls.append(1)
        real(self, *a, **kw)

    monkeypatch.setattr(fastpath._Int4Linear, "__init__", counting)
    return calls


def grid_model(tokenizer, seed: int):
    from tests.model.conftest import make_tiny_loaded

    loaded = make_tiny_loaded(tokenizer, seed=seed)
    _snap_to_4bit_grid(loaded.model)  # on the 4-bit grid, like the embedded model's weights
    return loaded.model


def save_lora_persona(base, tokenizer, folder: Path, *, seed: int) -> None:
    """What scripts.train_persona writes: the merged model, its tokenizer and the adapter alone."""
    from peft import LoraConfig, get_peft_model

    targets = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
    peft_model = get_peft_model(copy.deepcopy(base), LoraConfig(r=4, lora_alpha=8, target_modules=targets))
    torch.manual_seed(seed)
    with torch.no_grad():
        for name, p in peft_model.named_parameters():
            if "lora_B" in name:
                p.normal_(0, 0.05)
    peft_model.save_pretrained(folder / "adapter")
    merged = peft_model.merge_and_unload().eval()
    merged.save_pretrained(folder, safe_serialization=True)
    tokenizer.save_pretrained(folder)


async def start(folder: Path, cache: Path) -> tuple[fastpath.FastDecoder, list[str]]:
    """One start of the bot's engine on the persona folder; its fast decoder and a few greedy replies."""
    settings = ModelSettings(
        path=str(folder), cache_dir=cache, dtype="bfloat16", quantization="auto", threads=1
    )
    async with ReplyEngine(settings, EngineSettings(max_new_tokens=12, num_candidates=1)) as engine:
        fast = engine._decoder.fast  # noqa: SLF001
        gens = await asyncio.gather(*(engine.generate(req(t)) for t in TEXTS[:3]))
    assert all(g.status == "ok" for g in gens)
    return fast, [g.texts[0] for g in gens]


def int4_files(cache: Path) -> list[Path]:
    return sorted(cache.glob("folders/*/kindred-int4-*.safetensors"))


async def test_a_lora_persona_quantizes_once_and_again_only_when_retrained(
    smol_tokenizer, tmp_path: Path, quantizations: list[int]
) -> None:
    persona, cache = tmp_path / "sam", tmp_path / "cache"
    base = grid_model(smol_tokenizer, seed=3)
    save_lora_persona(base, smol_tokenizer, persona, seed=1)

    first, replies = await start(persona, cache)
    assert first.weights == "int4" and first.adapter_rank == 4, first.weights_note
    n_matrices = 4 * len(first.layers)
    assert len(quantizations) == n_matrices
    (kept,) = int4_files(cache)
    assert kept.name.startswith("kindred-int4-lora-base-") and kept.parent.name.startswith("sam-")

    quantizations.clear()
    again, replies_again = await start(persona, cache)
    assert quantizations == []  # read from the cache
    assert again.weights == "int4" and again.adapter_rank == 4
    assert replies_again == replies
    for a, b in zip(first.layers, again.layers, strict=True):
        for name in ("qkv", "o", "gu", "down"):
            assert torch.equal(a.low[name].base.packed, b.low[name].base.packed)

    # Retrained in place on another base (the same shapes and file sizes, other weights): the cached
    # copies are of the old base, so they are computed again and replace the old file.
    other = grid_model(smol_tokenizer, seed=4)
    save_lora_persona(other, smol_tokenizer, persona, seed=2)
    quantizations.clear()
    retrained, _ = await start(persona, cache)
    assert len(quantizations) == n_matrices
    assert retrained.weights == "int4" and retrained.adapter_rank == 4
    assert not torch.equal(retrained.layers[1].low["gu"].base.packed, first.layers[1].low["gu"].base.packed)
    assert int4_files(cache) == [kept]  # replaced, not piled up
    quantizations.clear()
    await start(persona, cache)
    assert quantizations == []


async def test_a_persona_folder_without_an_adapter_keeps_its_copies_too(
    smol_tokenizer, tmp_path: Path, quantizations: list[int]
) -> None:
    folder, cache = tmp_path / "plain", tmp_path / "cache"
    model = grid_model(smol_tokenizer, seed=5)
    model.save_pretrained(folder, safe_serialization=True)
    smol_tokenizer.save_pretrained(folder)
    first, replies = await start(folder, cache)
    assert first.weights == "int4" and "4-bit already" in first.weights_note
    assert [p.name.startswith("kindred-int4-2") for p in int4_files(cache)] == [True]
    quantizations.clear()
    again, replies_again = await start(folder, cache)
    assert quantizations == [] and again.weights == "int4" and replies_again == replies
