"""scripts/compare_sampling.py: the measures, the option parsing, and one real run on the embedded model."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.compare_sampling import feeling_mismatch, load_messages, parse_config, repeats_phrase

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "reply, feeling, expected",
    [
        ("Yay! Congratulations, that was very brave.", "-", True),
        ("I'm so sorry. Congratulations on trying though.", "-", False),  # commiserates first
        ("Oh no, I'm sorry to hear that.", "-", False),
        ("I'm sorry, that's unfortunate, but why that college?", "+", True),
        ("Congratulations, that's amazing! Sorry I'm late.", "+", False),
        ("That sounds like a nice plan.", "", False),
    ],
)
def test_feeling_mismatch_reads_the_first_sentence(reply, feeling, expected):
    assert feeling_mismatch(reply, feeling) is expected


def test_repeats_phrase():
    assert repeats_phrase("So proud of yourself. You did it. So proud of yourself.")
    assert not repeats_phrase("So proud of you. You did it, and it shows.")


def test_parse_config_accepts_sampling_keys_and_rejects_the_rest():
    assert parse_config("cool:temperature=0.5,repetition_penalty=1.05,top_k=20") == (
        "cool",
        {"temperature": 0.5, "repetition_penalty": 1.05, "top_k": 20},
    )
    for bad, words in [
        ("cool", "expected NAME:key=value"),
        ("cool:warmth=2", "unknown setting 'warmth'"),
        ("cool:max_new_tokens=5", "unknown setting 'max_new_tokens'"),
        ("cool:temperature=hot", "temperature must be a number"),
    ]:
        with pytest.raises(argparse.ArgumentTypeError, match=words):
            parse_config(bad)


def test_load_messages_reads_optional_feelings(tmp_path):
    f = tmp_path / "m.txt"
    f.write_text("I passed!\t+\n\nit's raining\nI failed\t-\n", encoding="utf-8")
    assert load_messages(f) == [("I passed!", "+"), ("it's raining", ""), ("I failed", "-")]
    (tmp_path / "empty.txt").write_text("\n\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="no messages"):
        load_messages(tmp_path / "empty.txt")
    with pytest.raises(SystemExit, match="--prompts"):
        load_messages(tmp_path / "missing.txt")


def test_help_documents_every_option():
    out = subprocess.run(
        [sys.executable, "-m", "scripts.compare_sampling", "--help"], cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 0
    for option in (
        "--persona",
        "--prompts",
        "--config",
        "--candidates",
        "--seed",
        "--max-new-tokens",
        "--show",
        "--json",
    ):
        assert option in out.stdout


@pytest.mark.slow
def test_a_real_run_on_the_embedded_model(tmp_path):
    prompts = tmp_path / "p.txt"
    prompts.write_text("I passed my exam!\t+\nmy cat is sick\t-\n", encoding="utf-8")
    out = subprocess.run(
        [
            sys.executable, "-m", "scripts.compare_sampling", "--prompts", str(prompts), "--candidates", "2",
            "--max-new-tokens", "12", "--config", "cool:temperature=0.3", "--json",
        ],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-2000:]
    rows = json.loads(out.stdout)
    assert [r["config"] for r in rows] == ["persona", "cool"]
    assert rows[1]["sampling"]["temperature"] == 0.3
    assert rows[0]["sampling"]["temperature"] == 0.6  # the friend persona's own setting
    for r in rows:
        assert r["replies"] == 4
        assert 0.0 <= r["cut"] <= 1.0 and -1.0 <= r["relevance"] <= 1.0 and r["words"] > 0
