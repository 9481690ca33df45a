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
    settings = ModelSettings(path=str(folder), cache_dir=tmp_path / "cache", dtype="float32", threads=1)
    ids = torch.tensor([[1, 2, 3, 4]])
    want = tiny.model(ids).logits

    for attempt in range(4):
        out: dict[str, object] = {}
        barrier = threading.Barrier(2)

        def engine() -> None:
            barrier.wait()
            out["model"] = load_model(settings).model

        def classifier() -> None:
            barrier.wait()
            out["embedder"] = SentenceEmbedder()

        threads = [threading.Thread(target=engine), threading.Thread(target=classifier)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        model = out["model"]
        assert model.lm_head.weight.data_ptr() == model.model.embed_tokens.weight.data_ptr(), attempt
        with torch.no_grad():
            got = model(ids).logits
        assert torch.isfinite(got).all(), attempt
        torch.testing.assert_close(got, want)
