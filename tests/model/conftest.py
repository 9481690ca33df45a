"""Shared fixtures for the model tests: the real embedded model (slow) and a tiny random one (fast)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.config import ModelSettings, default_cache_dir


def embedded_settings(**kw: object) -> ModelSettings:
    # The converted cache is shared with the real bot so CI converts the GGUF at most once per machine.
    cache = Path(os.environ.get("KINDRED_TEST_MODEL_CACHE", default_cache_dir() / "models"))
    return ModelSettings(cache_dir=cache, threads=2, **kw)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def embedded_model():
    from model.loader import load_model

    return load_model(embedded_settings())
