"""The engine and the crisis classifier load in two threads at the same moment (bot start-up).

transformers' ``from_pretrained`` is not safe in two threads at once: a tied output layer came back
untied and uninitialised (load report "lm_head.weight | MISSING"), so the bot produced NaN logits and
answered "something went wrong". model.HF_LOAD_LOCK serialises the loads; this test loads a tied
model beside the classifier's embedder several times and checks every copy is tied and finite.
"""

from __future__ import annotations

import threading
from pathlib import Path

import torch

from bot.config import ModelSettings
from model.crisis_classifier import SentenceEmbedder
from model.loader import load_model

from .conftest import make_tiny_loaded


def test_model_loaded_beside_the_crisis_embedder_keeps_its_tied_head(tmp_path: Path, smol_tokenizer) -> None:
    folder = tmp_path / "tied"
    tiny = make_tiny_loaded(smol_tokenizer)
    tiny.model.save_pretrained(folder)
    smol_tokenizer.save_pretrained(folder)
    settings = ModelSettings(path=str(folder), cache_dir=tmp_path / "cache", dtype="bfloat16", threads=1)
    ids = torch.tensor([[1, 2, 3, 4]])
    want = tiny.model.to(torch.bfloat16)(ids).logits

    for attempt in range(4):
        out: dict[str, object] = {}
        barrier = threading.Barrier(2)

        def engine(barrier: threading.Barrier = barrier, out: dict = out) -> None:
            barrier.wait()
            out["model"] = load_model(settings).model

        def classifier(barrier: threading.Barrier = barrier, out: dict = out) -> None:
            barrier.wait()
            out["embedder"] = SentenceEmbedder()

        threads = [threading.Thread(target=engine), threading.Thread(target=classifier)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        model = out["model"]
        assert model.dtype == torch.bfloat16
        assert out["embedder"].model.dtype == torch.float32  # not created under the engine's default dtype
        assert model.lm_head.weight.data_ptr() == model.model.embed_tokens.weight.data_ptr(), attempt
        with torch.no_grad():
            got = model(ids).logits
        assert torch.isfinite(got).all(), attempt
        # bf16 roundings differ a little between the two models' attention paths; an untied,
        # freshly initialised head would be off everywhere
        torch.testing.assert_close(got.float(), want.float(), atol=0.15, rtol=0.05)


def test_classifier_embeddings_do_not_depend_on_the_default_dtype() -> None:
    """Loading in bfloat16 sets torch's default dtype process-wide for a moment. The classifier's
    forward pass may run then (only its load is serialised with HF_LOAD_LOCK), so it must not
    depend on the default dtype."""
    import numpy as np

    embedder = SentenceEmbedder()
    texts = ["I can't do this anymore", "the bus was late again", "nobody would notice if I was gone"]
    alone, _ = embedder.embed_windows(texts)
    before = torch.get_default_dtype()
    torch.set_default_dtype(torch.bfloat16)
    try:
        during, _ = embedder.embed_windows(texts)
    finally:
        torch.set_default_dtype(before)
    np.testing.assert_array_equal(during, alone)


def _file_mappings(name: str) -> list[tuple[int, int]]:
    spans = []
    with open("/proc/self/maps") as maps:
        for line in maps:
            parts = line.split()
            if len(parts) >= 6 and parts[5].endswith(name):
                lo, hi = (int(x, 16) for x in parts[0].split("-"))
                spans.append((lo, hi))
    return spans


def test_loaded_weights_live_in_the_processs_own_memory(tmp_path: Path, smol_tokenizer) -> None:
    """Loaded in the file's own dtype, safetensors hands out views of an mmap of the file; the kernel
    may drop such pages at any time and fault them back in from disk mid-reply. The loader copies
    them out (model.loader._own_memory)."""
    folder = tmp_path / "bf16"
    make_tiny_loaded(smol_tokenizer, dtype=torch.bfloat16).model.save_pretrained(folder)
    smol_tokenizer.save_pretrained(folder)
    loaded = load_model(
        ModelSettings(path=str(folder), cache_dir=tmp_path / "c", dtype="bfloat16", threads=1)
    )
    spans = _file_mappings("model.safetensors")
    tensors = [*loaded.model.parameters(), *loaded.model.buffers()]
    in_file = [t for t in tensors if any(lo <= t.data_ptr() < hi for lo, hi in spans)]
    assert in_file == [], f"{len(in_file)} of {len(tensors)} tensors still point into the file mapping"
