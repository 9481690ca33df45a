"""`--overwrite` replaces an earlier run: `--prepare-only --overwrite` used to leave the earlier
model's weights next to the new data, so the folder looked like a trained model that did not match.
Only the files this tool writes are removed, and a folder that is not ours is refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scripts.train_persona import main

from .conftest import build_model_dir, whatsapp_export


def names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


# What the real run in the slow test below leaves in --out (besides train/valid/stats.json).
EARLIER_RUN = [
    "config.json",
    "generation_config.json",
    "model.safetensors",
    "tokenizer.json",
    "tokenizer_config.json",
    "chat_template.jinja",
    "report.json",
    "loss.png",
    "samples.md",
    "persona.toml",
    "adapter/adapter_config.json",
    "adapter/adapter_model.safetensors",
    "adapter/README.md",
    "checkpoints/last/state.json",
    "checkpoints/last/trainable.pt",
]


def test_prepare_only_overwrite_leaves_the_new_data_without_the_earlier_model(tmp_path, capsys):
    chat = whatsapp_export(tmp_path / "WhatsApp Chat with Alex.txt")
    out = tmp_path / "out"
    assert main(["--input", str(chat), "--out", str(out), "--prepare-only"]) == 0
    for name in EARLIER_RUN:  # as a training run leaves them (file names from the slow test's real run)
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(b"from the earlier run")
    (out / "model-00001-of-00002.safetensors").write_bytes(b"a shard of an earlier, bigger model")
    (out / "my-notes.txt").write_text("mine", encoding="utf-8")
    capsys.readouterr()
    assert (
        main(["--input", str(chat), "--out", str(out), "--speaker", "Alex", "--prepare-only", "--overwrite"])
        == 0
    )
    assert "--overwrite: removed the earlier run's" in capsys.readouterr().out
    assert names(out) == {"train.jsonl", "valid.jsonl", "stats.json", "my-notes.txt"}
    assert json.loads((out / "stats.json").read_text(encoding="utf-8"))["format"] == "whatsapp"


@pytest.mark.slow
def test_prepare_only_overwrite_removes_an_earlier_trained_model(tmp_path, capsys):
    chat = whatsapp_export(tmp_path / "WhatsApp Chat with Alex.txt")
    base = build_model_dir(tmp_path / "base")
    out = tmp_path / "out"
    # An earlier real run: a tiny model trained for two steps, with its adapter and a checkpoint.
    run = ["--input", str(chat), "--out", str(out), "--base-model", str(base), "--max-steps", "2"]
    assert main([*run, "--num-samples", "2", "--save-every", "1", "--quiet"]) == 0
    earlier = names(out)
    assert {
        "model.safetensors",
        "config.json",
        "adapter",
        "checkpoints",
        "persona.toml",
        "report.json",
    } <= earlier
    (out / "my-notes.txt").write_text("mine", encoding="utf-8")
    old_train = (out / "train.jsonl").read_text(encoding="utf-8")
    capsys.readouterr()

    # New data for the same folder: another speaker, prepared only.
    assert (
        main(["--input", str(chat), "--out", str(out), "--speaker", "Alex", "--prepare-only", "--overwrite"])
        == 0
    )
    said = capsys.readouterr().out
    assert "--overwrite: removed the earlier run's" in said and "model.safetensors" in said
    assert names(out) == {"train.jsonl", "valid.jsonl", "stats.json", "my-notes.txt"}
    assert (out / "train.jsonl").read_text(encoding="utf-8") != old_train
    assert (out / "my-notes.txt").read_text(encoding="utf-8") == "mine"
    assert json.loads((out / "stats.json").read_text(encoding="utf-8"))["format"] == "whatsapp"

    # The prepared folder trains in place: its data is the input, so it is kept, not removed.
    assert main(["--input", str(out), "--out", str(out), "--base-model", str(base), "--max-steps", "1",
                 "--num-samples", "0", "--quiet", "--overwrite"]) == 0  # fmt: skip
    assert {"model.safetensors", "train.jsonl", "stats.json", "report.json", "my-notes.txt"} <= names(out)


def test_overwrite_refuses_a_model_folder_that_is_not_ours(tmp_path, capsys):
    chat = whatsapp_export(tmp_path / "WhatsApp Chat with Alex.txt")
    downloaded = build_model_dir(
        tmp_path / "SmolLM2-downloaded"
    )  # weights, config, tokenizer; no run of ours
    before = {p.name: p.read_bytes() for p in downloaded.iterdir()}
    assert main(["--input", str(chat), "--out", str(downloaded), "--prepare-only", "--overwrite"]) == 2
    err = capsys.readouterr().err
    assert "not ours to replace" in err and "model.safetensors" in err
    assert {p.name: p.read_bytes() for p in downloaded.iterdir()} == before


def test_overwrite_refuses_our_folders_holding_other_files(tmp_path, capsys):
    chat = whatsapp_export(tmp_path / "WhatsApp Chat with Alex.txt")
    out = tmp_path / "out"
    assert main(["--input", str(chat), "--out", str(out), "--prepare-only"]) == 0
    (out / "checkpoints").mkdir()
    (out / "checkpoints" / "precious.bin").write_bytes(b"someone else's")
    assert main(["--input", str(chat), "--out", str(out), "--prepare-only", "--overwrite"]) == 2
    assert "precious.bin" in capsys.readouterr().err
    assert (out / "checkpoints" / "precious.bin").read_bytes() == b"someone else's"
